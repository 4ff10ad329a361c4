#pragma once
// Spectral clustering with scikit-learn's SpectralClustering semantics: a kNN connectivity or RBF
// affinity, the symmetric normalised Laplacian, its k smallest eigenvectors by a sparse
// Lanczos solver (Spectra), rows scaled by D^-1/2 and signs fixed as scikit-learn fixes them,
// then k-means with restarts on the embedding.

#include <clusterscope/embed/knn.h>

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class Affinity
{
    NearestNeighbors, // 0.5 (A + A^T), A the kNN connectivity with the point counted among its k
    Rbf,              // exp(-gamma |a - b|^2), dense
};

Affinity parseAffinity(const std::string& name); // "nearest_neighbors", "rbf"

// The dense RBF affinity keeps N^2 floats: 3.6 GB at this limit.
constexpr int64_t kRbfAffinityMaxRows = 30000;

struct SpectralOptions
{
    int64_t k = 8;
    Affinity affinity = Affinity::NearestNeighbors;
    int64_t neighbors = 10; // including the point itself, as scikit-learn counts
    double gamma = 1.0;
    KnnMethod knn = KnnMethod::Exact;
    int64_t nInit = 10; // k-means restarts on the embedding
    uint64_t seed = 0;
};

struct SpectralResult
{
    std::vector<int64_t> labels;
    at::Tensor embedding;            // N x k float32: the eigenvectors, scaled by D^-1/2
    std::vector<double> eigenvalues; // the k smallest of the normalised Laplacian, ascending
    int64_t solverIterations = 0;    // Lanczos restarts
    // Why the labels may mean little: an RBF affinity nearly constant (gamma far too small,
    // or so large that nearly every pair's affinity is 0), with a gamma to try.
    // And a kNN graph from HNSW whose recall was too low, so the exact one was used.
    std::vector<std::string> warnings;
    double knnRecall = -1; // HNSW's estimated recall (KnnGraph::estimatedRecall); -1: exact
};

// `x` is N x D, centred by its column means before any distance is taken. Throws ParameterError
// for k outside 1..N-1 or an RBF affinity above kRbfAffinityMaxRows rows, DataError when x
// holds NaN or infinite values.
SpectralResult spectralClustering(const at::Tensor& x, const SpectralOptions& options,
                                  Progress* progress = nullptr);

} // namespace clusterscope

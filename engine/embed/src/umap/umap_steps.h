#pragma once
// The steps of UMAP (embed/src/umap/*.cpp), each in its own file; umap.cpp runs them in turn.

#include <clusterscope/embed/knn.h>
#include <clusterscope/embed/umap.h>

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

// Rows scaled to unit length, whose euclidean distances d give the cosine distance d^2 / 2.
// Throws DataError naming the first all-zero row (it has no direction).
at::Tensor umapUnitRows(const at::Tensor& x);

// Each row's rho (distance to its nearest distinct neighbour) and sigma (the bandwidth that
// gives log2(n_neighbors) total membership), as umap-learn's smooth_knn_dist with local
// connectivity 1. `neighbors` holds n_neighbors - 1 neighbours per row, the point itself left
// out (umap-learn counts it).
struct SmoothKnn
{
    std::vector<double> rho, sigma;
};
SmoothKnn smoothKnnDistances(const KnnGraph& neighbors, int64_t nNeighbors);

// The fuzzy union A + A^T - A o A^T of the directed memberships exp(-(d - rho) / sigma).
FuzzyGraph fuzzySimplicialSet(const KnnGraph& neighbors, const SmoothKnn& smooth);

// The number of connected components of the graph, and each row's component.
int64_t graphComponents(const FuzzyGraph& graph, std::vector<int64_t>& component);

// Spectral initialisation: the 2nd to (dim+1)th eigenvectors of the normalised Laplacian (largest
// of D^-1/2 W D^-1/2, by Lanczos), for a connected graph. Returns an undefined tensor when the
// solver does not converge. Polls `progress` at every product.
at::Tensor spectralLayout(const FuzzyGraph& graph, int64_t dim, uint64_t seed, Progress& progress);

// The SGD of UMAP's cross-entropy on `embedding` (N x dim float32, contiguous, changed in place).
struct LayoutOptions
{
    UmapCurve curve;
    int64_t epochs = 200;
    double learningRate = 1.0;
    double negativeSampleRate = 5.0;
    double repulsionStrength = 1.0;
    uint64_t seed = 0;
    // false: umap-learn's sequential, in-place SGD; true: every point moves against a snapshot
    // of the others taken each epoch, on all threads (also the same at any thread count).
    bool parallel = false;
};
void optimizeLayout(at::Tensor& embedding, const FuzzyGraph& graph, const LayoutOptions& options,
                    Progress& progress);

// umap-learn's transform SGD: `moving` (M x dim float32, contiguous) is pulled along the edges
// of `graph` (M rows whose columns index the N rows of `fixed`, N x dim float32) and pushed
// from negative samples among `fixed`, which never moves (move_other=False). The rows of
// `moving` do not meet, so they run on all threads with the same result at any thread count.
// `options.learningRate` is the initial step (umap-learn's transform uses learning_rate / 4);
// `options.parallel` is not used.
void optimizeTransformLayout(at::Tensor& moving, const at::Tensor& fixed, const FuzzyGraph& graph,
                             const LayoutOptions& options, Progress& progress);

} // namespace clusterscope

#pragma once
// t-SNE: t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008), with the
// Barnes-Hut gradient of van der Maaten 2014 (a quadtree in 2-D, an octree in 3-D) or FIt-SNE's
// interpolated one (Linderman et al. 2019, Nature Methods 16: polynomial interpolation on an
// equispaced grid, the kernel convolved by FFT; 1-D and 2-D), following
// scikit-learn 1.2's TSNE: its parameter names and defaults, its perplexity search, its
// two-phase gradient descent (early exaggeration for 250 iterations at momentum 0.5, then
// momentum 0.8, with delta-bar-delta gains), its PCA initialisation (scaled so the first
// column has standard deviation 1e-4) and its learning_rate "auto" = max(N / early_exaggeration
// / 4, 50) (sklearn/manifold/_t_sne.py). The max(N / 12, 200) is openTSNE's and
// FIt-SNE's rule for a gradient without scikit-learn's factor 4 (2 (dof + 1) / dof), so it is
// the same step: N / 12 there is N / 48 = N / early_exaggeration / 4 here, and 200 there is 50
// here (scikit-learn 1.2's TSNE docstring: bhtsne, FIt-SNE and openTSNE define a learning
// rate 4 times smaller). Every algorithm uses it.
//
// Reproducible: the gradient is computed point by point (each point sums its own forces in a
// fixed order), so a seed gives the same map at any thread count.

#include <clusterscope/embed/knn.h>

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class TsneMethod
{
    BarnesHut, // kNN affinities (3 perplexity neighbours) and a space-partitioning tree
    Fft,       // the same affinities; repulsion interpolated on a grid and convolved by FFT
    Exact,     // all pairs: O(N^2) time and memory per iteration
};
enum class TsneInit
{
    Pca,    // randomized PCA, scaled to a first-column standard deviation of 1e-4
    Random, // N(0, 1e-4^2)
};

// The `algorithm` parameter (scikit-learn's `method`; --method names the reducer here).
TsneMethod parseTsneMethod(const std::string& name); // "barnes_hut", "fft", "exact"
TsneInit parseTsneInit(const std::string& name);     // "pca", "random"

struct TsneOptions
{
    int64_t nComponents = 2; // 2 or 3 for barnes_hut; 1 or 2 for fft; 1 to 64 for exact
    double perplexity = 30;  // must be below the number of rows
    double earlyExaggeration = 12;
    double learningRate = 0; // 0: "auto", max(N / early_exaggeration / 4, 50)
    int64_t nIter = 1000;    // at least 250 (the exaggeration phase)
    int64_t nIterWithoutProgress = 300;
    double minGradNorm = 1e-7;
    double angle = 0.5; // Barnes-Hut's theta
    // fft's grid (openTSNE's names): n_interpolation_points equispaced nodes per interval, and
    // max(min_num_intervals, extent / ints_in_interval) intervals per axis over the map's
    // bounding square (FIt-SNE's rule and defaults: 3, 50, 1).
    int64_t nInterpolationPoints = 3;
    int64_t minNumIntervals = 50;
    double intsInInterval = 1.0;
    TsneInit init = TsneInit::Pca;
    TsneMethod method = TsneMethod::BarnesHut;
    // The neighbour search of barnes_hut and fft: exact (scikit-learn's), or HNSW with its
    // recall measured (knn.h; below 0.9 the exact graph is used and a warning says so).
    KnnMethod knn = KnnMethod::Exact;
    uint64_t seed = 0;
};

// The input similarities. `conditional` holds each row's p(j|i) over its `neighbors` (rows x k,
// the k = min(N - 1, 3 perplexity + 1) nearest for barnes_hut and fft, all N - 1 others for
// exact) and `beta` each row's precision 1 / (2 sigma^2) on squared distances; `joint` is the
// symmetric P = (P + P^T) / sum, as a CSR matrix with sorted columns.
struct TsneAffinities
{
    int64_t rows = 0;
    int64_t k = 0;
    std::vector<int64_t> neighbors;
    std::vector<double> conditional;
    std::vector<double> beta;
    std::vector<int64_t> rowStart; // rows + 1
    std::vector<int64_t> columns;
    std::vector<double> joint;
};

struct TsneResult
{
    at::Tensor embedding; // N x n_components float32 on the CPU
    TsneAffinities affinities;
    double klDivergence = 0; // at the last iteration (over P's nonzeros for barnes_hut, fft)
    int64_t iterations = 0;  // run, counting the exaggeration phase
    double learningRate = 0; // used
    double knnRecall = -1;   // HNSW's measured recall; -1 for the exact search
    std::vector<std::string> warnings = {};
};

// `x` is N x D float32 on any device (moved to the CPU), finite. Throws ParameterError naming
// the parameter for options out of range (perplexity >= N among them), DataError for NaN or
// infinite values, CancelledError when `progress` asks. Runs on the CPU; reports the stages
// (nearest neighbours, affinities, iterations) and polls at every iteration and every few
// hundred points inside each iteration's loops.
TsneResult tsne(const at::Tensor& x, const TsneOptions& options, Progress* progress = nullptr);

} // namespace clusterscope

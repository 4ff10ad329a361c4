#pragma once
// t-SNE: t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008), with the
// Barnes-Hut gradient of van der Maaten 2014 (a quadtree in 2-D, an octree in 3-D), following
// scikit-learn 1.2's TSNE: its parameter names and defaults, its perplexity search, its
// two-phase gradient descent (early exaggeration for 250 iterations at momentum 0.5, then
// momentum 0.8, with delta-bar-delta gains), its PCA initialisation (scaled so the first
// column has standard deviation 1e-4) and its learning_rate "auto" = max(N / early_exaggeration
// / 4, 50) (sklearn/manifold/_t_sne.py; the max(N / 12, 200) is openTSNE's rule).
//
// Reproducible: the gradient is computed point by point (each point sums its own forces in a
// fixed order), so a seed gives the same map at any thread count.

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
    Exact,     // all pairs: O(N^2) time and memory per iteration
};
enum class TsneInit
{
    Pca,    // randomized PCA, scaled to a first-column standard deviation of 1e-4
    Random, // N(0, 1e-4^2)
};

// The `algorithm` parameter (scikit-learn's `method`; --method names the reducer here).
TsneMethod parseTsneMethod(const std::string& name); // "barnes_hut", "exact"
TsneInit parseTsneInit(const std::string& name);     // "pca", "random"

struct TsneOptions
{
    int64_t nComponents = 2; // 2 or 3 for barnes_hut; 1 to 64 for exact
    double perplexity = 30;  // must be below the number of rows
    double earlyExaggeration = 12;
    double learningRate = 0; // 0: "auto", max(N / early_exaggeration / 4, 50)
    int64_t nIter = 1000;    // at least 250 (the exaggeration phase)
    int64_t nIterWithoutProgress = 300;
    double minGradNorm = 1e-7;
    double angle = 0.5; // Barnes-Hut's theta
    TsneInit init = TsneInit::Pca;
    TsneMethod method = TsneMethod::BarnesHut;
    uint64_t seed = 0;
};

// The input similarities. `conditional` holds each row's p(j|i) over its `neighbors` (rows x k,
// the k = min(N - 1, 3 perplexity + 1) nearest for barnes_hut, all N - 1 others for exact) and
// `beta` each row's precision 1 / (2 sigma^2) on squared distances; `joint` is the symmetric
// P = (P + P^T) / sum, as a CSR matrix with sorted columns.
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
    double klDivergence = 0; // at the last iteration (Barnes-Hut's estimate for barnes_hut)
    int64_t iterations = 0;  // run, counting the exaggeration phase
    double learningRate = 0; // used
};

// `x` is N x D float32 on any device (moved to the CPU), finite. Throws ParameterError naming
// the parameter for options out of range (perplexity >= N among them), DataError for NaN or
// infinite values, CancelledError when `progress` asks. Runs on the CPU; reports the stages
// (nearest neighbours, affinities, iterations) and polls at every iteration.
TsneResult tsne(const at::Tensor& x, const TsneOptions& options, Progress* progress = nullptr);

} // namespace clusterscope

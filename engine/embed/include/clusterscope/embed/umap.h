#pragma once
// UMAP: Uniform Manifold Approximation and Projection (McInnes, Healy & Melville, 2018,
// arXiv:1802.03426), with umap-learn 0.5's choices and parameter names: a kNN graph, its fuzzy
// simplicial set (smooth kNN distances with local connectivity 1, fuzzy union), a spectral
// initialisation, and SGD with negative sampling on the curve 1 / (1 + a d^2b).
//
// The SGD runs as umap-learn's seeded mode does: edge by edge, in place, on one thread, with
// negative samples from a counter-based generator, so a seed gives the same map at any thread
// count. `parallel` instead moves every point by its own edges against the positions the others
// had at the start of the epoch, on all threads: also the same at any thread count, faster on
// many cores, but its clusters come out less tight (digits, 10-D manifold + GMM: NMI 0.85
// against 0.90 sequential and 0.89 for umap-learn).

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class UmapMetric
{
    Euclidean,
    Cosine, // 1 - cos(x, y): rows are compared by direction only
};

UmapMetric parseUmapMetric(const std::string& name); // "euclidean", "cosine"

struct UmapOptions
{
    int64_t nNeighbors = 15; // the neighbourhood size, counting the point itself (umap-learn)
    int64_t nComponents = 2; // output dimensions, 1 to 64
    double minDist = 0.1;    // the closest two points may sit, in output units
    double spread = 1.0;     // the scale of the embedded points
    UmapMetric metric = UmapMetric::Euclidean;
    int64_t nEpochs = 0; // 0: 500 below 10,000 rows, else 200 (umap-learn)
    double learningRate = 1.0;
    double negativeSampleRate = 5.0;
    double repulsionStrength = 1.0;
    bool approximateNeighbors = false; // HNSW instead of the exact scan
    bool parallel = false;             // the snapshot SGD on all threads (see above)
    uint64_t seed = 0;
};

// The a, b of 1 / (1 + a d^2b) fitted by least squares to 1 below min_dist and
// exp(-(d - min_dist) / spread) above it, on 300 points of [0, 3 spread] (umap-learn's
// find_ab_params). Throws ParameterError unless 0 <= min_dist <= spread and spread > 0.
struct UmapCurve
{
    double a = 0;
    double b = 0;
};
UmapCurve fitUmapCurve(double spread, double minDist);

// The symmetric fuzzy graph: a CSR matrix of membership strengths in (0, 1].
struct FuzzyGraph
{
    int64_t rows = 0;
    std::vector<int64_t> rowStart; // rows + 1
    std::vector<int64_t> columns;
    std::vector<float> weights;
};

struct UmapResult
{
    at::Tensor embedding; // N x n_components float32 on the CPU
    FuzzyGraph graph;
    UmapCurve curve;
    int64_t epochs = 0;
    std::string initialisation;        // "spectral", or "pca" when the graph falls apart
    double knnRecall = -1;             // HNSW's measured recall (-1: exact neighbours)
    std::vector<std::string> warnings; // what the user should know (disconnected graph, ...)
};

// `x` is N x D float32 on any device (moved to the CPU), finite. Needs N > n_neighbors (else
// ParameterError naming n_neighbors); throws ParameterError for options out of range,
// DataError for NaN or infinite values, CancelledError when `progress` asks. Runs on the CPU;
// polls every epoch and reports the stages (nearest neighbours, fuzzy graph, initialisation,
// epochs).
UmapResult umap(const at::Tensor& x, const UmapOptions& options, Progress* progress = nullptr);

// What placing new rows into a map needs (umap-learn keeps the same on its fitted UMAP object):
// the rows the map was made from, their coordinates, and the options they were made with (the
// metric, n_neighbors, the curve's min_dist and spread, learning_rate, negative_sample_rate,
// repulsion_strength, n_epochs).
struct UmapModel
{
    at::Tensor trainingData; // N x D float32 on the CPU, as given to umap() (before cosine's
                             // unit scaling)
    at::Tensor embedding;    // N x n_components float32 on the CPU: umap()'s result
    UmapOptions options;
};

struct UmapTransformOptions
{
    // 0: umap-learn's rule: the training's n_epochs / 3 when it was set, else 100 for up to
    // 10,000 new rows and 30 above.
    int64_t nEpochs = 0;
    uint64_t seed = 42; // umap-learn's transform_seed
};

struct UmapTransformResult
{
    at::Tensor embedding; // M x n_components float32 on the CPU
    // The memberships of the new rows (M rows) to the training rows (the columns), before the
    // edges weaker than max / epochs are dropped: umap-learn's transform_mode="graph".
    FuzzyGraph graph;
    int64_t epochs = 0;
    // New rows none of whose neighbours is near enough to place them by (cosine distance 2,
    // umap-learn's disconnection distance): they stay at NaN, as umap-learn leaves them.
    int64_t unplaced = 0;
    std::vector<std::string> warnings;
};

// umap-learn 0.5.3's UMAP.transform: each new row's n_neighbors nearest training rows under the
// model's metric (exact, by the tiled scan; umap-learn is exact below 4,096 training rows and
// approximate above), its fuzzy memberships to them (smooth kNN distances with local
// connectivity 0, as umap-learn's transform uses), a start at the membership-weighted mean of
// their coordinates (a new row identical to a training row starts on it), then SGD in which
// only the new rows move, against the fixed training map, at learning_rate / 4, with negative
// samples drawn among the training rows. The new rows do not act on one another, so each moves
// by its own edges alone: the same seed gives the same coordinates at any thread count, and a
// row's place depends on the other new rows only through the batch-wide scale umap-learn uses
// (the largest membership and the mean neighbour distance). `x` is M x D float32 on any device
// (moved to the CPU), D the training data's. Throws ParameterError when D differs (naming both
// counts) or the model is inconsistent (its embedding's rows not the training rows, fewer
// training rows than n_neighbors), DataError for NaN or infinite values (or a zero row under
// cosine), CancelledError when `progress` asks. Runs on the CPU; polls every epoch and reports
// the stages (nearest neighbours, memberships, epochs).
UmapTransformResult umapTransform(const UmapModel& model, const at::Tensor& x,
                                  const UmapTransformOptions& options = {},
                                  Progress* progress = nullptr);

} // namespace clusterscope

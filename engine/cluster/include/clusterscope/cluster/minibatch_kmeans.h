#pragma once
// Mini-batch k-means (Sculley 2010) with scikit-learn's MiniBatchKMeans semantics: k-means++
// restarts on an init sample, per-center learning rates 1 / count, reassignment of starved
// centers, early stopping on the smoothed batch inertia, and a final full assignment.

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace clusterscope
{

class Progress;

struct MiniBatchKMeansOptions
{
    int64_t k = 8;
    int64_t batchSize = 1024;
    int64_t maxIter = 100; // passes over the data
    int64_t nInit = 3;     // k-means++ seedings on the init sample; the lowest inertia wins
    int64_t initSize = 0;  // 0: 3 x batchSize (at least 3 k), as scikit-learn
    int64_t maxNoImprovement = 10;
    double reassignmentRatio = 0.01;
    double tol = 0; // stop when the mean squared center shift falls below tol x mean variance
    uint64_t seed = 0;
};

struct MiniBatchKMeansResult
{
    at::Tensor centers;     // k x D float32, on the input's device
    at::Tensor labels;      // N int64
    double inertia = 0;     // over all rows
    int64_t steps = 0;      // mini-batches processed
    int64_t reassigned = 0; // starved centers moved to batch rows during the run
    int64_t reseeded = 0;   // empty or duplicate centers moved to far rows at the end
    int64_t clusters = 0;   // centers that own a row: below k only with fewer distinct rows
};

// `x` is N x D (float32 or float64) on the device to compute on; it is centred in float64
// first, so data far from zero loses nothing. Throws ParameterError for k outside 1..N or
// batch_size, max_iter or n_init below 1, and DataError when x holds NaN or infinite values.
MiniBatchKMeansResult miniBatchKMeans(const at::Tensor& x, const MiniBatchKMeansOptions& options,
                                      Progress* progress = nullptr);

} // namespace clusterscope

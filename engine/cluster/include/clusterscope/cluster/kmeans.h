#pragma once
// k-means with scikit-learn's semantics (greedy k-means++, Lloyd, n_init, tol, max_iter) on the
// CPU or CUDA, with distances computed by GEMM.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>

namespace clusterscope
{

class Progress;

enum class KMeansInit
{
    KMeansPlusPlus, // greedy k-means++ with 2 + log(k) local trials
    Random,         // k distinct rows drawn uniformly
};

struct KMeansOptions
{
    int64_t k = 8;
    int64_t nInit = 1;
    int64_t maxIter = 300;
    double tol = 1e-4; // relative to the mean per-feature variance, as in scikit-learn
    KMeansInit init = KMeansInit::KMeansPlusPlus;
    uint64_t seed = 0;
    // On the CPU, our fused kernels (true) or the tensor-op path that CUDA runs (false): the
    // parity tests run both on the same data.
    bool cpuKernels = true;
    // With the CPU kernels: skip the distances of rows whose Hamerly bounds prove their label
    // unchanged. The proof covers float32 round-off, so the results are the same bits either way
    // (a test compares); false scans every row, as Lloyd's plain step does.
    bool bounds = true;
    // When > 0, also the soft assignments at this temperature (kernels/distances.h), from the
    // centred rows the fit already holds.
    double softTemperature = 0;
    // The method its errors name: the one the user ran, where k-means is a step of another
    // (GMM's start, spectral's embedding, the deep methods' centres, choose-k's fits).
    std::string name = "k-means";
};

struct KMeansResult
{
    at::Tensor centers; // k x D float32, on the input's device
    at::Tensor labels;  // N int64, on the input's device
    double inertia = 0; // sum of squared distances to the closest center
    int64_t iterations = 0;
    int64_t bestInit = 0;    // which restart won
    int64_t scannedRows = 0; // rows whose k distances were computed, summed over all steps
    at::Tensor soft;         // N x k float32 on the CPU when options.softTemperature > 0
};

// `x` is N x D float32 on the device to compute on. The arithmetic runs on x minus its column
// means (taken in float64), so data far from zero loses nothing; the centers are in x's frame.
// Throws ParameterError for a bad shape, dtype or option, DataError when x holds NaN or
// infinite values.
KMeansResult kmeans(const at::Tensor& x, const KMeansOptions& options,
                    Progress* progress = nullptr);

// The k-means++ seeding alone (exposed for tests and for other methods' initialisation).
at::Tensor kmeansPlusPlus(const at::Tensor& x, int64_t k, uint64_t seed,
                          const std::string& name = "k-means");

} // namespace clusterscope

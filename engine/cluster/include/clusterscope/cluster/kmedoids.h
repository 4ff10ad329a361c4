#pragma once
// k-medoids by FasterPAM (Schubert & Rousseeuw 2021): PAM's swap search with the O(k) speed-up
// and eager swaps, on a precomputed dissimilarity matrix, following the `kmedoids` package's
// reference implementation. Losses match PAM's; partitions are comparable, not identical.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class Dissimilarity
{
    Euclidean,
    Cosine,    // 1 - cos(a, b)
    Manhattan, // L1
};

enum class MedoidInit
{
    Build,          // PAM's greedy BUILD: O(N^2 k), the best start
    KMeansPlusPlus, // medoids drawn with probability proportional to the squared dissimilarity
};

Dissimilarity parseDissimilarity(const std::string& name); // euclidean|cosine|manhattan
MedoidInit parseMedoidInit(const std::string& name);       // build|k-means++

// The N x N float32 matrix takes 4 N^2 bytes: 1.6 GB at 20000 rows, 3.6 GB at this limit.
constexpr int64_t kKMedoidsMaxRows = 30000;

// A symmetric N x N dissimilarity matrix, row-major, float32.
struct DissimilarityMatrix
{
    int64_t n = 0;
    std::vector<float> values;
    float operator()(int64_t a, int64_t b) const { return values[static_cast<size_t>(a * n + b)]; }
    const float* row(int64_t a) const { return values.data() + a * n; }
};

// `x` is N x D (N at most kKMedoidsMaxRows, else ParameterError). Euclidean distances are taken
// on x minus its column means, so data far from zero loses nothing. Throws DataError when x
// holds NaN or infinite values.
DissimilarityMatrix dissimilarities(const at::Tensor& x, Dissimilarity metric,
                                    Progress* progress = nullptr);

struct KMedoidsResult
{
    std::vector<int64_t> medoids; // row indices, one per cluster
    std::vector<int64_t> labels;  // index into medoids
    double loss = 0;              // sum of dissimilarities to the nearest medoid
    int64_t iterations = 0;
    int64_t swaps = 0;
};

// Runs FasterPAM from the given medoids (distinct row indices).
KMedoidsResult fasterPam(const DissimilarityMatrix& d, std::vector<int64_t> medoids,
                         int64_t maxIter = 100, Progress* progress = nullptr);

std::vector<int64_t> buildMedoids(const DissimilarityMatrix& d, int64_t k,
                                  Progress* progress = nullptr);
std::vector<int64_t> kmeansPlusPlusMedoids(const DissimilarityMatrix& d, int64_t k, uint64_t seed);

struct KMedoidsOptions
{
    int64_t k = 8;
    Dissimilarity metric = Dissimilarity::Euclidean;
    MedoidInit init = MedoidInit::Build;
    int64_t maxIter = 100;
    uint64_t seed = 0;
};

// Throws as dissimilarities(), and ParameterError for k outside 1..N.
KMedoidsResult kmedoids(const at::Tensor& x, const KMedoidsOptions& options,
                        Progress* progress = nullptr);

} // namespace clusterscope

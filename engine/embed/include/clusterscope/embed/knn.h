#pragma once
// k-nearest-neighbour graphs under euclidean distance: exact (GEMM plus top-k, on the input's
// device) or approximate (an HNSW index from hnswlib, on the CPU). HDBSCAN*, Leiden and
// spectral clustering build on them.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class KnnMethod
{
    Exact, // every pair, by blocks of GEMM
    Hnsw,  // hnswlib's hierarchical navigable small-world graph
};

KnnMethod parseKnnMethod(const std::string& name); // "exact", "hnsw"

struct KnnOptions
{
    int64_t k = 15;
    KnnMethod method = KnnMethod::Exact;
    uint64_t seed = 0;
    // HNSW's build and search breadth; recall rises with both.
    int64_t hnswM = 16;
    int64_t hnswEfConstruction = 200;
    int64_t hnswEfSearch = 0; // 0: max(2k, 64)
    // HNSW's recall is measured against the exact scan on this many seeded rows; below
    // minRecall (hnswlib degrades on many identical rows) the exact graph is used instead.
    int64_t recallQueries = 256;
    double minRecall = 0.9;
    // The method its errors and warnings name: the one the user ran (spectral, Leiden,
    // HDBSCAN*), whose step the neighbour search is.
    std::string name = "nearest neighbours";
};

// Row i's neighbours, nearest first, never i itself (a duplicate of i counts, at distance 0).
struct KnnGraph
{
    int64_t rows = 0;
    int64_t k = 0;
    std::vector<int64_t> indices; // rows x k
    std::vector<float> distances; // rows x k euclidean distances, ascending in each row
    // HNSW only: the share of the exact k nearest (ties at the k-th distance count as found) that
    // the index returned on a seeded sample of rows; -1 for the exact search.
    double estimatedRecall = -1;
    bool fellBackToExact = false;           // the recall was too low: this is the exact graph
    std::vector<std::string> warnings = {}; // what a run should report (the fallback)

    int64_t neighbor(int64_t row, int64_t j) const
    {
        return indices[static_cast<size_t>(row * k + j)];
    }
    float distance(int64_t row, int64_t j) const
    {
        return distances[static_cast<size_t>(row * k + j)];
    }
};

// `x` is N x D float32. k must be below N (else ParameterError). The distances are taken on x
// minus its column means, so data far from zero loses nothing. Throws DataError when x holds NaN
// or infinite values. With KnnMethod::Hnsw, the recall is estimated on
// min(N, recallQueries) seeded rows through the exact scan (O(queries x N x D)); below
// minRecall, or when the index returns too few neighbours, the exact graph is returned instead
// and a warning says so.
KnnGraph nearestNeighbors(const at::Tensor& x, const KnnOptions& options,
                          Progress* progress = nullptr);

// The k nearest `reference` rows of each `queries` row (exact, by the tiled scan on the CPU):
// row i of the graph holds query i's neighbours, nearest first, as indices into `reference`
// (UMAP's transform). Both are M x D and N x D float32 on any device (moved to the CPU);
// k must be between 1 and N (else ParameterError naming `name`). Distances are euclidean, taken
// on both minus the reference's column means. Throws DataError for NaN or infinite query
// values, CancelledError when `progress` asks.
KnnGraph nearestNeighborsAmong(const at::Tensor& queries, const at::Tensor& reference, int64_t k,
                               const std::string& name, Progress* progress = nullptr);

} // namespace clusterscope

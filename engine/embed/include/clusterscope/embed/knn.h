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
};

// Row i's neighbours, nearest first, never i itself (a duplicate of i counts, at distance 0).
struct KnnGraph
{
    int64_t rows = 0;
    int64_t k = 0;
    std::vector<int64_t> indices; // rows x k
    std::vector<float> distances; // rows x k euclidean distances, ascending in each row

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
// or infinite values.
KnnGraph nearestNeighbors(const at::Tensor& x, const KnnOptions& options,
                          Progress* progress = nullptr);

} // namespace clusterscope

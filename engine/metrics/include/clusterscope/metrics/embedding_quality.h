#pragma once
// How well an embedding keeps its input's neighbourhoods: trustworthiness (Venna & Kaski 2001,
// as scikit-learn's sklearn.manifold.trustworthiness) and the fraction of k nearest neighbours
// preserved. Both are euclidean, on a seeded sample of query rows against all rows, so they
// cost O(sample x N x D); with sample >= N they are the exact full-data values.

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace clusterscope
{

class Progress;

struct EmbeddingQuality
{
    double trustworthiness = 0; // in [0, 1]; 1: no false neighbours in the embedding
    double knnPreserved = 0;    // mean share of each row's k input neighbours kept, in [0, 1]
    int64_t queries = 0;        // rows the estimate is over
};

struct EmbeddingQualityOptions
{
    int64_t k = 15;        // scikit-learn's n_neighbors
    int64_t sample = 2000; // query rows (all rows when N is smaller)
    uint64_t seed = 0;
};

// `x` is N x D and `y` N x d (float32 or float64, any device; both moved to the CPU). Throws
// ParameterError unless they have the same rows and k < N / 2 (scikit-learn's bound), DataError
// for non-finite values, CancelledError when `progress` asks.
EmbeddingQuality embeddingQuality(const at::Tensor& x, const at::Tensor& y,
                                  const EmbeddingQualityOptions& options,
                                  Progress* progress = nullptr);

} // namespace clusterscope

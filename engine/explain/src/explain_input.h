#pragma once
// The checks every explainer makes on its input, in one place.

#include <clusterscope/core/registry.h>

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace clusterscope
{

struct CheckedInput
{
    at::Tensor x;      // N x D float32, CPU, contiguous
    const float* data; // x's values
    int64_t n = 0;
    int64_t d = 0;
    int64_t k = 0;        // 1 + the largest cluster id
    int64_t clusters = 0; // ids with at least one row
};

// Throws ParameterError when the features are not N x D or the labels not N long, when fewer
// than `minClusters` clusters have rows; DataError naming the row and column of the first
// non-finite value.
CheckedInput checkExplainInput(const ExplainInput& input, int64_t minClusters);

} // namespace clusterscope

#pragma once
// The distinct rows of the features, counted once per run by hashing each row (O(N x D)): a
// method asked for more clusters than there are distinct rows can only split identical rows
// (scikit-learn's KMeans warns "Number of distinct clusters (m) found smaller than n_clusters").

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace clusterscope
{

struct DistinctRows
{
    int64_t count = 0;          // how many distinct rows
    std::vector<int64_t> group; // each row's group, numbered from 0 by first appearance
};

// `x` is N x D float32 on the CPU, contiguous and finite (validateInput checks it). Rows are
// equal when every value compares equal, so -0 and 0 are the same value.
DistinctRows distinctRows(const at::Tensor& x);

} // namespace clusterscope

#pragma once
// Squared euclidean distances through GEMM: |x|^2 - 2 x.c + |c|^2, the form every
// centroid method here uses.

#include <ATen/ATen.h>

namespace clusterscope
{

inline at::Tensor rowSquaredNorms(const at::Tensor& x)
{
    return at::linalg_vector_norm(x, 2, {1}).square();
}

// N x M squared distances between the rows of x and of c, clamped at 0 against round-off.
inline at::Tensor squaredDistances(const at::Tensor& x, const at::Tensor& xSq, const at::Tensor& c)
{
    auto d = at::addmm(rowSquaredNorms(c).unsqueeze(0), x, c.t(), 1, -2);
    return d.add_(xSq.unsqueeze(1)).clamp_min_(0);
}

// Rows per block when a full N x K matrix would be too large to hold at once.
inline int64_t blockRows(int64_t k)
{
    return std::max<int64_t>(4096, (int64_t{1} << 24) / std::max<int64_t>(k, 1));
}

} // namespace clusterscope

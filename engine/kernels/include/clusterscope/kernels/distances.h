#pragma once
// Squared euclidean distances through |x|^2 - 2 x.c + |c|^2, the form every centroid method
// here uses: by our blocked kernel on the CPU, by GEMM elsewhere.

#include <ATen/core/Tensor.h>

namespace clusterscope
{

at::Tensor rowSquaredNorms(const at::Tensor& x);

// N x M squared distances between the rows of x and of c, clamped at 0 against round-off.
at::Tensor squaredDistances(const at::Tensor& x, const at::Tensor& xSq, const at::Tensor& c);

// Soft assignments of rows to centers: softmax of -d^2 / (temperature x inertia / N), so that a
// temperature means the same on any data. N x K float32 on the CPU. Computed in x's centred
// frame (kernels/centring.h); throws DataError when x holds NaN or infinite values.
at::Tensor softAssignments(const at::Tensor& x, const at::Tensor& centers, double inertia,
                           double temperature);
// The same for rows already centred (kernels/centring.h), with their squared norms and the
// centers in their frame; for callers that hold them, so the rows are not centred twice.
at::Tensor softAssignmentsCentred(const at::Tensor& rows, const at::Tensor& rowsSq,
                                  const at::Tensor& centers, double inertia, double temperature);

// True when x takes the CPU kernels' path (CPU, float32, contiguous).
bool usesCpuKernels(const at::Tensor& x);

} // namespace clusterscope

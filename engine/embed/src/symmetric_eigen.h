#pragma once
// The leading eigenpairs of a symmetric positive semi-definite matrix (a covariance), for PCA.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <utility>

namespace clusterscope
{

class Progress;

// `matrix` is D x D float64 on the host, symmetric positive semi-definite. Returns the `count`
// largest eigenvalues (float64, descending) and their unit eigenvectors as the rows of a
// count x D float64 tensor; signs are left to the caller. Throws CancelledError when `progress`
// asks for a cancel. Few of many (count <= D / 4) go to a Lanczos solver that polls at every
// product with the matrix; the rest to LAPACK's syevd (symmetricEigen).
std::pair<at::Tensor, at::Tensor> leadingEigenpairs(const at::Tensor& matrix, int64_t count,
                                                    Progress& progress);

// All eigenpairs by LAPACK in one call, as above with count = D. Unpolled: D^3 work.
std::pair<at::Tensor, at::Tensor> symmetricEigen(const at::Tensor& matrix);

} // namespace clusterscope

#pragma once
// Plain C++ views of tensors, for code that should not compile LibTorch's operator headers
// (tests, widgets, the CLI).

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace clusterscope
{

// A rows x cols float32 CPU tensor holding a copy of `values` (row-major).
at::Tensor matrixFromValues(const std::vector<float>& values, int64_t rows, int64_t cols);

// The values of a tensor as float32 or int64, row-major, copied to the host.
std::vector<float> floatValues(const at::Tensor& t);
std::vector<int64_t> intValues(const at::Tensor& t);

} // namespace clusterscope

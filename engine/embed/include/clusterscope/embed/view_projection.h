#pragma once
// The coordinates a view first shows for a table: its columns themselves when it has at most
// `dims` of them, else its first `dims` principal components (exact PCA, or randomized above
// 2048 columns, seeded). The GUI's view and `clusterscope-cli plot` both use it, on the same
// prepared features as the run.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace clusterscope
{

class Progress;

// `features`: N x D float32 on the CPU; `dims` in [1, 3]. Returns N x 3 row-major floats
// (unused coordinates are 0). Throws ParameterError for another `dims`; CancelledError when
// `progress` asks to stop.
std::vector<float> viewCoordinates(const at::Tensor& features, int64_t dims, uint64_t seed,
                                   Progress* progress = nullptr);

} // namespace clusterscope

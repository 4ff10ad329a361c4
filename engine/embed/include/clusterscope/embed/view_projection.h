#pragma once
// The coordinates a view first shows for a table: its columns themselves when it has at most
// `dims` of them, else its first `dims` principal components (exact PCA, or randomized above
// 2048 columns, seeded). The GUI's view and `clusterscope-cli plot` both use it, on the same
// prepared features as the run.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

// `features`: N x D float32 on the CPU; `dims` in [1, 3]. Returns N x 3 row-major floats
// (unused coordinates are 0). `explained`, when given, receives each shown principal
// component's share of the total variance (in [0, 1], as scikit-learn's
// explained_variance_ratio_), or nothing when the columns are shown themselves. Throws
// ParameterError for another `dims`; CancelledError when `progress` asks to stop.
std::vector<float> viewCoordinates(const at::Tensor& features, int64_t dims, uint64_t seed,
                                   Progress* progress = nullptr,
                                   std::vector<double>* explained = nullptr);

// The titles of a view's axes: "PC 1 (42.3 %)" for principal components with their `explained`
// shares (viewCoordinates'), or the `columns` themselves when they are shown (explained empty),
// with the `scaling` they were shown under: "Chins (standardize)", so that no one reads -1.5
// chin-ups. Returns `dims` titles, "" for an axis that shows nothing (the second of a single
// column).
std::vector<std::string> viewAxisTitles(const std::vector<std::string>& columns,
                                        const std::vector<double>& explained, int64_t dims,
                                        const std::string& scaling = "none");

} // namespace clusterscope

#pragma once
// Soft assignments given on the command line (layout --soft, plot --soft).

#include <ATen/core/Tensor.h>

#include <string>

namespace clusterscope::cli
{

// The N x K float32 soft assignment in `path`: every column of a 2-D .npy (or .npz array), or
// the p0..pK-1 columns of a labels CSV as `run --out` writes it. Throws DataError naming the
// file when the values are far outside [0, 1] or a table has no (or gapped) p columns.
at::Tensor loadSoft(const std::string& path);

} // namespace clusterscope::cli

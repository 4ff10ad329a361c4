#pragma once
// Soft assignments given on the command line (layout --soft, plot --soft).

#include <clusterscope/core/registry.h>

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope::cli
{

// The N x K float32 soft assignment in `path`: every column of a 2-D .npy (or .npz array), or
// the p0..pK-1 columns of a labels CSV as `run --out` writes it. Throws DataError naming the
// file when the values are far outside [0, 1] or a table has no (or gapped) p columns.
at::Tensor loadSoft(const std::string& path);

// Lays out `soft`, read from `path`, with `info`; a DataError about its values (negative,
// rows summing above 1, not finite) names the file.
LayoutResult layoutSoft(const LayoutInfo& info, const at::Tensor& soft, const ParamSet& params,
                        uint64_t seed, const std::string& path, Progress& progress);

// What a labels CSV written by `run --out` says besides the soft assignment: each row's `id`
// (its data row in the input) and `cluster`; empty where the file has no such column.
struct SoftRows
{
    std::vector<int64_t> ids;
    std::vector<int64_t> clusters;
};
SoftRows loadSoftRows(const std::string& path);

} // namespace clusterscope::cli

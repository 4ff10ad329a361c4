#pragma once
// The value rules of loaders.h for arrays (NPY, NPZ, IDX): exact integer labels, missing labels,
// NaN (and infinities) under the missing-value policy, float32 overflow refused.

#include <clusterscope/core/dataset.h>
#include <clusterscope/io/loaders.h>

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clusterscope
{

// The integer a float label stands for: integral and within +-kMaxFloatLabel, else nothing.
std::optional<int64_t> integralLabel(double value);

// Labels from a numeric array, read flat. Integer and bool arrays are exact. In a float array
// NaN is a missing label (flagged in `missing`); any other value that is not an integer within
// +-kMaxFloatLabel is a DataError naming `where` and the entry.
std::vector<int64_t> labelsFromArray(const at::Tensor& values, const std::string& where,
                                     std::vector<uint8_t>& missing);

// Checks `data.features` (N x D float32), converted from `raw` (the array as read: same element
// count, any dtype) and applies `policy`: an infinity or a value beyond float32 is a DataError
// naming `where`, the first such row and column, except that under Drop and the imputing policies
// an infinity in `raw` is a missing value; NaN is dropped, imputed or refused. Dropped rows and
// imputed values are added to data.droppedRows/imputedValues. Rows whose
// label is flagged in `labelMissing` (empty: none is) are dropped with MissingPolicy::Drop, else
// refused with a DataError naming `labelWhere`. Labels and metadata follow dropped rows.
void applyValuePolicy(Dataset& data, const at::Tensor& raw,
                      const std::vector<uint8_t>& labelMissing, MissingPolicy policy,
                      const std::string& where, const std::string& labelWhere);

} // namespace clusterscope

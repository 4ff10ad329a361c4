#pragma once
// The one place where a loader's values become the Dataset's float32 features. float32 holds
// about 7 significant digits, so a column far from zero compared with its spread (coordinates
// in metres, timestamps, 1e8 + noise) loses its spread when rounded: at 1e8 float32's spacing
// is 8. Such columns are centred in float64 first, and the offset is kept in the Dataset.

#include <ATen/core/Tensor.h>

#include <string>
#include <vector>

namespace clusterscope
{

// A column is centred when float32's spacing at its |mean| exceeds this fraction of its
// standard deviation: 2^-10 keeps at least ~10 bits (1000 steps per standard deviation) of its
// spread, where rounding noise is 3e-4 of the spread; ordinary columns (|mean| < ~8000 std,
// e.g. years, prices, pixel values) are left in the file's frame.
inline constexpr double kCentringSpacingFraction = 1.0 / 1024.0;

// A column whose standard deviation is below sqrt(FLT_MIN) (~1.1e-19) cannot be clustered in
// float32: its squared differences underflow to zero (and below 1.2e-38 its values are
// subnormal or flushed to zero themselves).
inline constexpr double kMinFloat32Spread = 1.0842021724855044e-19;

// `values` (N x D, any dtype, NaN allowed: ignored in the statistics and kept) as float32
// features, N x D contiguous. A column float32 cannot hold at its offset (see
// kCentringSpacingFraction) is returned minus a float64 offset near its mean (rounded to the
// a multiple of 100 times the power of ten below its standard deviation, so 1e8 + noise
// with standard deviation 3 is centred on 100000000);
// `offsets` gets D entries, 0 for columns kept as they are. Throws DataError naming `where`,
// the column (`names`, D entries) and a remedy for a column whose spread is below
// kMinFloat32Spread. Values beyond float32's range stay infinite for applyValuePolicy (or
// the CSV loader) to report.
at::Tensor toFloat32Features(const at::Tensor& values, const std::string& where,
                             const std::vector<std::string>& names, std::vector<double>& offsets);

} // namespace clusterscope

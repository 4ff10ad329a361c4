#include "float32_features.h"

#include <clusterscope/core/errors.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace clusterscope
{

namespace
{

struct ColumnSpread
{
    double mean = 0;
    double deviation = 0; // standard deviation of the finite values
    bool beyondFloat32 = false;
};

// Two passes in float64 over the values float32 can hold; NaN is skipped, and a value beyond
// float32's range only marks the column (applyValuePolicy reports it).
template <typename T> std::vector<ColumnSpread> spreads(const at::Tensor& x)
{
    const int64_t rows = x.size(0);
    const int64_t cols = x.size(1);
    const T* v = x.data_ptr<T>();
    std::vector<ColumnSpread> out(static_cast<size_t>(cols));
    std::vector<int64_t> counts(static_cast<size_t>(cols), 0);
    const auto inRange = [](double value)
    { return std::abs(value) <= static_cast<double>(std::numeric_limits<float>::max()); };
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
        {
            const auto value = static_cast<double>(v[r * cols + c]);
            auto& s = out[static_cast<size_t>(c)];
            if (std::isnan(value))
                continue;
            if (!inRange(value))
            {
                s.beyondFloat32 = true;
                continue;
            }
            s.mean += value;
            ++counts[static_cast<size_t>(c)];
        }
    for (size_t c = 0; c < out.size(); ++c)
        out[c].mean = counts[c] > 0 ? out[c].mean / static_cast<double>(counts[c]) : 0.0;
    // The squares are summed relative to the largest difference from the mean: values near
    // 1e-300 differ by amounts whose squares underflow even float64, and the column would pass
    // for constant (then float32 rounds it to zero without a word).
    std::vector<double> largest(static_cast<size_t>(cols), 0.0);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
        {
            const auto value = static_cast<double>(v[r * cols + c]);
            if (!std::isnan(value) && inRange(value))
                largest[static_cast<size_t>(c)] =
                    std::max(largest[static_cast<size_t>(c)],
                             std::abs(value - out[static_cast<size_t>(c)].mean));
        }
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < cols; ++c)
        {
            const auto value = static_cast<double>(v[r * cols + c]);
            auto& s = out[static_cast<size_t>(c)];
            const double scale = largest[static_cast<size_t>(c)];
            if (!std::isnan(value) && inRange(value) && scale > 0)
                s.deviation += ((value - s.mean) / scale) * ((value - s.mean) / scale);
        }
    for (size_t c = 0; c < out.size(); ++c)
        out[c].deviation =
            counts[c] > 0
                ? largest[c] * std::sqrt(out[c].deviation / static_cast<double>(counts[c]))
                : 0.0;
    return out;
}

// float32's spacing (one unit in the last place) at |value|.
double float32Spacing(double value)
{
    const auto f = static_cast<float>(std::abs(value));
    return static_cast<double>(std::nextafter(f, std::numeric_limits<float>::infinity()) - f);
}

std::string shortest(double value)
{
    char text[32];
    const auto end = std::to_chars(text, text + sizeof(text), value).ptr;
    return {text, end};
}

// The column's mean rounded to a multiple of 100 times the power of ten at or below its
// standard deviation: a readable offset (1e8 + noise with sd 3 -> 100000000) that leaves the
// centred values within ~50 standard deviations of zero, where float32's spacing is still
// 6e-6 of the spread.
double offsetFor(const ColumnSpread& s)
{
    const double step = 100.0 * std::pow(10.0, std::floor(std::log10(s.deviation)));
    const double rounded = std::round(s.mean / step) * step;
    return std::isfinite(rounded) ? rounded : s.mean;
}

void refuseTinySpread(const ColumnSpread& s, const std::string& where, const std::string& name)
{
    const double scale = std::pow(10.0, -std::floor(std::log10(s.deviation)));
    throw DataError(where + ": column '" + name + "' varies by only " + shortest(s.deviation) +
                    " (its standard deviation), too little for float32, where such values are "
                    "subnormal or their squared differences underflow to zero (below " +
                    shortest(kMinFloat32Spread) +
                    "); multiply the column by a power of ten (e.g. " + shortest(scale) +
                    ") in the file before loading it");
}

} // namespace

at::Tensor toFloat32Features(const at::Tensor& values, const std::string& where,
                             const std::vector<std::string>& names, std::vector<double>& offsets)
{
    const int64_t cols = values.size(1);
    offsets.assign(static_cast<size_t>(cols), 0.0);
    const auto type = values.scalar_type();
    // Small integers, bool and half floats are exact in float32, and nonconstant columns of them
    // never spread that little.
    const bool exact = type == at::kByte || type == at::kChar || type == at::kShort ||
                       type == at::kBool || type == at::kHalf || type == at::kBFloat16;
    if (exact)
        return values.to(at::kFloat).contiguous();
    const bool single = type == at::kFloat;
    const auto wide = single ? values.contiguous() : values.to(at::kDouble).contiguous();
    const auto stats = single ? spreads<float>(wide) : spreads<double>(wide);
    const auto name = [&names](size_t c)
    { return c < names.size() ? names[c] : "column " + std::to_string(c); };
    bool centre = false;
    for (size_t c = 0; c < stats.size(); ++c)
    {
        const auto& s = stats[c];
        if (s.deviation == 0.0 || s.beyondFloat32)
            continue; // a constant column has no spread to lose
        if (s.deviation < kMinFloat32Spread)
            refuseTinySpread(s, where, name(c));
        // A float32 file has already been rounded: nothing is left to recover, and the
        // methods centre in float64 themselves.
        if (!single && float32Spacing(s.mean) > kCentringSpacingFraction * s.deviation)
        {
            offsets[c] = offsetFor(s);
            centre = centre || offsets[c] != 0.0;
        }
    }
    if (single)
        return wide;
    if (!centre)
        return wide.to(at::kFloat).contiguous();
    const auto shift = at::tensor(at::ArrayRef<double>(offsets), at::kDouble).unsqueeze(0);
    return (wide - shift).to(at::kFloat).contiguous();
}

} // namespace clusterscope

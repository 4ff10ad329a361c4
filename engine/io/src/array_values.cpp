#include "array_values.h"

#include <clusterscope/core/errors.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace clusterscope
{

namespace
{

std::string number(double v)
{
    std::ostringstream out;
    out << v;
    return out.str();
}

std::string place(int64_t flat, int64_t cols)
{
    return "row " + std::to_string(flat / cols) + ", column " + std::to_string(flat % cols) +
           " (counting from 0)";
}

// Whether every value is finite, without the N x D temporaries of at::isfinite (its |x| copy
// and three boolean masks took 3 times the matrix: 6.6 GB for a 2.4 GB X).
bool allFinite(const at::Tensor& x)
{
    if (x.device().is_cpu() && x.is_contiguous() && x.scalar_type() == at::kFloat)
    {
        const float* v = x.data_ptr<float>();
        return std::all_of(v, v + x.numel(), [](float f) { return std::isfinite(f); });
    }
    if (x.device().is_cpu() && x.is_contiguous() && x.scalar_type() == at::kDouble)
    {
        const double* v = x.data_ptr<double>();
        return std::all_of(v, v + x.numel(), [](double f) { return std::isfinite(f); });
    }
    return at::isfinite(x).all().item<bool>();
}

int64_t firstTrue(const at::Tensor& mask)
{
    return mask.reshape({-1}).nonzero().select(1, 0)[0].item<int64_t>();
}

} // namespace

std::optional<int64_t> integralLabel(double value)
{
    if (!(std::abs(value) <= kMaxFloatLabel) || value != std::floor(value))
    {
        return std::nullopt; // NaN fails the first test
    }
    return static_cast<int64_t>(value);
}

std::vector<int64_t> labelsFromArray(const at::Tensor& values, const std::string& where,
                                     std::vector<uint8_t>& missing)
{
    const auto flat = values.reshape({-1});
    missing.assign(static_cast<size_t>(flat.numel()), 0);
    if (!at::isFloatingType(flat.scalar_type()))
    {
        const auto exact = flat.to(at::kLong).contiguous(); // every integer dtype fits in int64
        return {exact.data_ptr<int64_t>(), exact.data_ptr<int64_t>() + exact.numel()};
    }
    const auto asDouble = flat.to(at::kDouble).contiguous();
    const double* v = asDouble.data_ptr<double>();
    std::vector<int64_t> labels(missing.size());
    for (size_t i = 0; i < labels.size(); ++i)
    {
        if (std::isnan(v[i]))
        {
            missing[i] = 1;
            labels[i] = -1;
            continue;
        }
        const auto label = integralLabel(v[i]);
        if (!label)
        {
            throw DataError(where + ": entry " + std::to_string(i) + " is " + number(v[i]) +
                            ", not an integer class label" +
                            (std::isfinite(v[i]) && v[i] == std::floor(v[i])
                                 ? " within +-2^53 (store the labels as integers)"
                                 : ""));
        }
        labels[i] = *label;
    }
    return labels;
}

namespace
{

// The median of `values` (not empty), the average of the middle two for an even count.
double median(std::vector<double>& values)
{
    const size_t half = values.size() / 2;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(half),
                     values.end());
    const double upper = values[half];
    if (values.size() % 2 == 1)
        return upper;
    const double lower =
        *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(half));
    return lower + (upper - lower) / 2; // no overflow for values near the float range
}

} // namespace

int64_t imputeMissingValues(at::Tensor& x, MissingPolicy policy, const std::string& where)
{
    if (policy != MissingPolicy::ImputeMean && policy != MissingPolicy::ImputeMedian)
        return 0;
    const auto nan = at::isnan(x);
    const int64_t count = nan.sum().item<int64_t>();
    if (count == 0)
        return 0;
    const auto counts = at::logical_not(nan).sum(0);
    if (counts.eq(0).any().item<bool>())
    {
        throw MissingValueError(where + ": column " + std::to_string(firstTrue(counts.eq(0))) +
                                " has no values at all, so none can be imputed; drop the column "
                                "or choose --missing drop");
    }
    at::Tensor fill; // 1 x D float64
    if (policy == MissingPolicy::ImputeMean)
    {
        fill = at::nanmean(x.to(at::kDouble), 0, true);
    }
    else
    {
        const auto columns = nan.any(0).contiguous();
        const auto values = x.to(at::kDouble).t().contiguous(); // D x N: one column per row
        fill = at::zeros({1, x.size(1)}, at::kDouble);
        const int64_t rows = x.size(0);
        std::vector<double> present;
        for (int64_t c = 0; c < x.size(1); ++c)
        {
            if (!columns[c].item<bool>())
                continue;
            const double* v = values.data_ptr<double>() + c * rows;
            present.clear();
            for (int64_t r = 0; r < rows; ++r)
                if (!std::isnan(v[r]))
                    present.push_back(v[r]);
            fill[0][c] = median(present);
        }
    }
    // A mean or median of float32 values lies within float32's range, so it stays finite.
    x = at::where(nan, fill.to(x.scalar_type()).expand_as(x), x).contiguous();
    return count;
}

void applyValuePolicy(Dataset& data, const at::Tensor& raw,
                      const std::vector<uint8_t>& labelMissing, MissingPolicy policy,
                      const std::string& where, const std::string& labelWhere)
{
    auto& x = data.features;
    const int64_t rows = x.size(0);
    const int64_t cols = x.size(1);
    at::Tensor nanRows;
    if (at::isFloatingType(raw.scalar_type()) && !allFinite(x))
    {
        // An infinity in the array is a missing value for the drop and impute policies; a
        // finite value that float32 cannot hold is an error whose advice (rescale) works.
        const auto inf = at::isinf(x);
        const auto rawInf = at::isinf(raw.reshape(x.sizes()));
        const auto overflow = at::logical_and(inf, at::logical_not(rawInf));
        if (overflow.any().item<bool>() ||
            (policy == MissingPolicy::Error && inf.any().item<bool>()))
        {
            const int64_t at = firstTrue(overflow.any().item<bool>() ? overflow : inf);
            const double original = raw.reshape({-1})[at].item<double>();
            const std::string head = where + ": " + place(at, cols) + " is " + number(original);
            // An infinity is a missing value under the other policies; an overflow is not.
            if (std::isinf(original))
                throw MissingValueError(head + ", an infinity, which no feature can hold; choose "
                                               "--missing drop or --missing impute-mean to treat "
                                               "infinities as missing values");
            throw DataError(head + ", beyond float32's range (+-3.4e38); rescale the column "
                                   "(e.g. divide it by a power of ten) or remove the row");
        }
        if (inf.any().item<bool>())
        {
            x = at::where(inf, at::full({}, NAN, x.options()), x).contiguous();
        }
        const auto nan = at::isnan(x);
        if (policy == MissingPolicy::Error)
        {
            throw MissingValueError(where + ": " + place(firstTrue(nan), cols) +
                                    " is NaN, a missing value; choose --missing drop or --missing "
                                    "impute-mean");
        }
        if (policy == MissingPolicy::ImputeMean || policy == MissingPolicy::ImputeMedian)
        {
            data.imputedValues += imputeMissingValues(x, policy, where);
        }
        else
        {
            nanRows = nan.any(1).contiguous();
        }
    }
    std::vector<int64_t> keep;
    const bool* dropNan = nanRows.defined() ? nanRows.data_ptr<bool>() : nullptr;
    for (int64_t r = 0; r < rows; ++r)
    {
        const bool labelGone = !labelMissing.empty() && labelMissing[static_cast<size_t>(r)];
        if (labelGone && policy != MissingPolicy::Drop)
        {
            throw MissingValueError(
                labelWhere + ": entry " + std::to_string(r) +
                " is a missing label (empty, blank, NA, nan or NaN); use --missing drop "
                "to skip such rows, or --label-column none to load no labels");
        }
        if (!labelGone && !(dropNan && dropNan[r]))
        {
            keep.push_back(r);
        }
    }
    if (keep.empty())
    {
        // Say where the missing values are: in the labels, the features need no imputing.
        const bool labelsAll =
            !labelMissing.empty() &&
            std::all_of(labelMissing.begin(), labelMissing.end(), [](uint8_t m) { return m != 0; });
        if (labelsAll)
            throw MissingValueError(labelWhere + ": every label is missing, so no row is left "
                                                 "after dropping; choose another label column, "
                                                 "or --label-column none to load no labels");
        throw MissingValueError(where + ": every row has a missing value, so none is left after "
                                        "dropping; choose --missing impute-mean, or fix the data");
    }
    if (static_cast<int64_t>(keep.size()) < rows)
    {
        data = selectRows(data, keep);
        data.droppedRows += rows - static_cast<int64_t>(keep.size());
    }
}

} // namespace clusterscope

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/centring.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace clusterscope
{
namespace
{

// Rows per float64 block: about 2^20 values (8 MB), some milliseconds of work, so a cancel
// polled between blocks is seen promptly whatever N and D are.
int64_t blockRows(int64_t d)
{
    return std::max<int64_t>(1, (int64_t{1} << 20) / std::max<int64_t>(d, 1));
}

void pollCancel(const Progress* progress)
{
    if (progress)
        throwIfCancelled(*progress);
}

[[noreturn]] void throwNonFinite(const at::Tensor& x, std::string_view method)
{
    std::string where;
    const auto bad = at::logical_not(at::isfinite(x)).nonzero();
    if (bad.size(0) > 0)
    {
        const auto first = bad[0].to(at::kCPU);
        where = " (first at row " + std::to_string(first[0].item<int64_t>()) + ", column " +
                std::to_string(first[1].item<int64_t>()) + ")";
    }
    throw DataError(std::string(method) + ": the features contain NaN or infinite values" + where +
                    "; choose a missing-value policy when loading");
}

void checkShape(const at::Tensor& x, std::string_view method)
{
    if (x.dim() != 2)
        throw ParameterError(std::string(method) + " expects an N x D matrix; got " +
                             std::to_string(x.dim()) + " dimensions");
}

} // namespace

void requireFiniteFeatures(const at::Tensor& x, std::string_view method, const Progress* progress)
{
    checkShape(x, method);
    const int64_t n = x.size(0);
    const int64_t step = blockRows(x.size(1));
    for (int64_t s = 0; s < n; s += step)
    {
        pollCancel(progress);
        if (!at::isfinite(x.narrow(0, s, std::min(step, n - s))).all().item<bool>())
            throwNonFinite(x, method);
    }
}

at::Tensor finiteColumnMeans(const at::Tensor& x, std::string_view method, const Progress* progress)
{
    checkShape(x, method);
    const int64_t n = x.size(0);
    const int64_t step = blockRows(x.size(1));
    auto sum = at::zeros({x.size(1)}, x.options().dtype(at::kDouble));
    for (int64_t s = 0; s < n; s += step)
    {
        pollCancel(progress);
        sum += x.narrow(0, s, std::min(step, n - s)).to(at::kDouble).sum(0);
    }
    // float32 values are below 3.5e38, so a float64 sum is finite exactly when every value is.
    if (!at::isfinite(sum).all().item<bool>())
        throwNonFinite(x, method);
    return n > 0 ? sum / static_cast<double>(n) : sum;
}

at::Tensor CentredFeatures::restore(const at::Tensor& centred) const
{
    return (centred.to(at::kDouble) + mean.to(centred.device())).to(centred.scalar_type());
}

at::Tensor CentredFeatures::centre(const at::Tensor& points) const
{
    return (points.to(at::kDouble) - mean.to(points.device())).to(points.scalar_type());
}

CentredFeatures centreFeatures(const at::Tensor& x, std::string_view method, at::ScalarType dtype,
                               const Progress* progress)
{
    CentredFeatures c;
    c.mean = finiteColumnMeans(x, method, progress);
    const int64_t n = x.size(0);
    const int64_t step = blockRows(x.size(1));
    c.rows = at::empty(x.sizes(), x.options().dtype(dtype));
    for (int64_t s = 0; s < n; s += step)
    {
        pollCancel(progress);
        const int64_t len = std::min(step, n - s);
        c.rows.narrow(0, s, len).copy_(x.narrow(0, s, len).to(at::kDouble) - c.mean);
    }
    if (dtype == at::kFloat && n > 0)
    {
        // Squared distances must stay finite in float32: |a - b|^2 <= D (2 max|x|)^2.
        const auto [low, high] = at::aminmax(c.rows);
        const double largest = std::max(-low.item<double>(), high.item<double>());
        const double limit =
            std::sqrt(std::numeric_limits<float>::max() / (4.0 * static_cast<double>(x.size(1))));
        if (largest >= limit)
            throw DataError(std::string(method) + ": the features reach " +
                            std::to_string(largest) +
                            " from their mean, too large to square in "
                            "float32; scale them first (e.g. standardize)");
    }
    return c;
}

} // namespace clusterscope

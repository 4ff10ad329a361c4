#include <clusterscope/core/enum_table.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/embed/preprocess.h>

#include <ATen/ATen.h>

#include <algorithm>

namespace clusterscope
{

namespace
{

// Row blocks of about 2^20 values: the float64 arithmetic below never copies all of x.
template <typename Body> void forEachBlock(const at::Tensor& x, Body&& body)
{
    const int64_t n = x.size(0);
    const int64_t step = std::max<int64_t>(1, (int64_t{1} << 20) / std::max<int64_t>(1, x.size(1)));
    for (int64_t s = 0; s < n; s += step)
        body(x.narrow(0, s, std::min(step, n - s)).to(at::kDouble), s);
}

// (x - shift) / scale in float64, rounded to x's type: values near float32's limit (1e38)
// would overflow in float32 arithmetic (their squares, or max - min), yet scale to ~1.
at::Tensor shiftAndScale(const at::Tensor& x, const at::Tensor& shift, const at::Tensor& scale)
{
    auto out = at::empty_like(x, at::MemoryFormat::Contiguous);
    forEachBlock(x, [&](const at::Tensor& block, int64_t start)
                 { out.narrow(0, start, block.size(0)).copy_((block - shift) / scale); });
    return out;
}

} // namespace

at::Tensor standardize(const at::Tensor& x)
{
    if (x.size(0) == 0)
        return x;
    auto sum = at::zeros({1, x.size(1)}, x.options().dtype(at::kDouble));
    forEachBlock(x, [&](const at::Tensor& block, int64_t) { sum += block.sum(0, true); });
    const auto mean = sum / static_cast<double>(x.size(0));
    auto squares = at::zeros_like(sum);
    forEachBlock(x, [&](const at::Tensor& block, int64_t)
                 { squares += (block - mean).square().sum(0, true); });
    auto std = (squares / static_cast<double>(x.size(0))).sqrt();
    // Constant columns keep scale 1, as scikit-learn's StandardScaler does.
    std = at::where(std == 0, at::ones_like(std), std);
    return shiftAndScale(x, mean, std);
}

at::Tensor minMaxScale(const at::Tensor& x)
{
    if (x.size(0) == 0)
        return x;
    auto lo = std::get<0>(x.min(0, true)).to(at::kDouble);
    auto range = std::get<0>(x.max(0, true)).to(at::kDouble) - lo;
    range = at::where(range == 0, at::ones_like(range), range);
    return shiftAndScale(x, lo, range);
}

at::Tensor scaleUnit(const at::Tensor& x)
{
    return x / 255.0;
}

namespace
{

enum class Scaling
{
    None,
    Standardize,
    MinMax,
    Scale01,
};

const EnumTable<Scaling>& scalings()
{
    static const EnumTable<Scaling> table = {{Scaling::None, "none"},
                                             {Scaling::Standardize, "standardize"},
                                             {Scaling::MinMax, "minmax"},
                                             {Scaling::Scale01, "scale01"}};
    return table;
}

} // namespace

std::vector<std::string> scalingNames()
{
    return scalings().names();
}

std::string scalingExplanation(const std::string& name)
{
    if (name == "none")
        return "The values as they are: right when every column has the same unit (pixels, "
               "counts, an embedding).";
    if (name == "standardize")
        return "Each column to mean 0 and standard deviation 1, so columns in different units "
               "weigh the same.";
    if (name == "minmax")
        return "Each column to [0, 1] by its minimum and maximum: bounded values, but one "
               "outlier squeezes the rest.";
    if (name == "scale01")
        return "Every value divided by 255: 8-bit images to [0, 1], columns keep their ratios "
               "(a fixed factor, so new rows scale alike).";
    return {};
}

at::Tensor applyScaling(const at::Tensor& x, const std::string& method)
{
    switch (scalings().parse(method, "--scaling"))
    {
    case Scaling::None:
        return x;
    case Scaling::Standardize:
        return standardize(x);
    case Scaling::MinMax:
        return minMaxScale(x);
    case Scaling::Scale01:
        return scaleUnit(x);
    }
    return x;
}

} // namespace clusterscope

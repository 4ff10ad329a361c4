#include <clusterscope/core/enum_table.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/embed/preprocess.h>

#include <ATen/ATen.h>

namespace clusterscope
{

at::Tensor standardize(const at::Tensor& x)
{
    auto mean = x.mean(0, true);
    auto std = x.std(0, false, true);
    // Constant columns keep scale 1, as scikit-learn's StandardScaler does.
    std = at::where(std == 0, at::ones_like(std), std);
    return (x - mean) / std;
}

at::Tensor minMaxScale(const at::Tensor& x)
{
    auto lo = std::get<0>(x.min(0, true));
    auto range = std::get<0>(x.max(0, true)) - lo;
    range = at::where(range == 0, at::ones_like(range), range);
    return (x - lo) / range;
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

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

at::Tensor applyScaling(const at::Tensor& x, const std::string& method)
{
    if (method == "none")
        return x;
    if (method == "standardize")
        return standardize(x);
    if (method == "minmax")
        return minMaxScale(x);
    if (method == "scale01")
        return scaleUnit(x);
    throw ParameterError("--scaling: '" + method +
                         "' is not one of none|standardize|minmax|scale01");
}

} // namespace clusterscope

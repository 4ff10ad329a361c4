#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/embed/view_projection.h>

#include <ATen/ATen.h>

#include <algorithm>

namespace clusterscope
{

std::vector<float> viewCoordinates(const at::Tensor& features, int64_t dims, uint64_t seed,
                                   Progress* progress)
{
    if (dims < 1 || dims > 3)
        throw ParameterError("a view has 1 to 3 dimensions, not " + std::to_string(dims));
    const int64_t rows = features.size(0);
    std::vector<float> xyz(static_cast<size_t>(rows) * 3, 0.0f);
    at::Tensor shown = features;
    int64_t used = std::min(dims, features.size(1));
    if (features.size(1) > dims && rows >= 2)
    {
        PcaOptions pca;
        pca.components = std::min(dims, rows);
        pca.solver = features.size(1) > 2048 ? PcaSolver::Randomized : PcaSolver::Exact;
        pca.seed = seed;
        shown = fitPca(features, pca, progress).transform(features, progress);
        used = pca.components;
    }
    const auto values = floatValues(shown.slice(1, 0, used).contiguous());
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < used; ++c)
            xyz[static_cast<size_t>(r * 3 + c)] = values[static_cast<size_t>(r * used + c)];
    return xyz;
}

} // namespace clusterscope

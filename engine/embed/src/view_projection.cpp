#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/embed/view_projection.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdio>

namespace clusterscope
{

std::vector<float> viewCoordinates(const at::Tensor& features, int64_t dims, uint64_t seed,
                                   Progress* progress, std::vector<double>* explained)
{
    if (explained)
        explained->clear();
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
        const PcaResult fitted = fitPca(features, pca, progress);
        shown = fitted.transform(features, progress);
        used = pca.components;
        if (explained)
            for (int64_t c = 0; c < used; ++c)
                explained->push_back(fitted.explainedVarianceRatio[c].item<double>());
    }
    const auto values = floatValues(shown.slice(1, 0, used).contiguous());
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < used; ++c)
            xyz[static_cast<size_t>(r * 3 + c)] = values[static_cast<size_t>(r * used + c)];
    return xyz;
}

std::vector<std::string> viewAxisTitles(const std::vector<std::string>& columns,
                                        const std::vector<double>& explained, int64_t dims,
                                        const std::string& scaling)
{
    const std::string scaled = scaling.empty() || scaling == "none" ? "" : " (" + scaling + ")";
    std::vector<std::string> titles;
    for (int64_t c = 0; c < dims; ++c)
    {
        const auto i = static_cast<size_t>(c);
        if (i < explained.size())
        {
            char share[32];
            std::snprintf(share, sizeof share, " (%.1f %%)", 100.0 * explained[i]);
            titles.push_back("PC " + std::to_string(c + 1) + share);
        }
        else if (explained.empty() && i < columns.size())
            titles.push_back(columns[i] + scaled);
        else
            titles.emplace_back(); // an axis with nothing on it (a single column)
    }
    return titles;
}

} // namespace clusterscope

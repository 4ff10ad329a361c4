#include "soft_input.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>

#include <algorithm>
#include <cmath>
#include <regex>

namespace clusterscope::cli
{

namespace
{
// The file as a table. A missing value in a soft assignment is no choice between dropping and
// imputing rows (the run's rows must all be there): the loader's --missing advice is replaced.
Dataset loadSoftTable(const std::string& path, const LoadOptions& options)
{
    try
    {
        return loadDataset(path, options);
    }
    catch (const DataError& e)
    {
        std::string message = e.what();
        const auto advice = message.find("; choose --missing");
        if (advice == std::string::npos)
            throw;
        throw DataError(message.substr(0, advice) +
                        "; a soft assignment needs a probability in every cell: run the method "
                        "again, or fix that cell");
    }
}
} // namespace

at::Tensor loadSoft(const std::string& path)
{
    LoadOptions options;
    options.labelColumn = "none";
    options.idColumn = "none";
    const auto format = detectFormat(path);
    const Dataset data = loadSoftTable(path, options);
    const auto tooFarApart = [&]
    { return DataError(path + ": values too far apart for probabilities (expected 0 to 1)"); };
    if (format != "csv" && format != "tsv")
    {
        if (data.hasCentredColumns())
            throw tooFarApart();
        return data.features;
    }
    static const std::regex soft("p([0-9]+)");
    std::vector<int64_t> columns;
    for (int64_t k = 0;; ++k)
    {
        const auto name = "p" + std::to_string(k);
        const auto it = std::find(data.featureNames.begin(), data.featureNames.end(), name);
        if (it == data.featureNames.end())
            break;
        columns.push_back(it - data.featureNames.begin());
    }
    for (const auto& n : data.featureNames)
    {
        std::smatch m;
        if (std::regex_match(n, m, soft) &&
            std::stoll(m[1]) >= static_cast<int64_t>(columns.size()))
            throw DataError(path + ": soft column '" + n + "' without the columns before it " +
                            "(expected p0..pK-1)");
    }
    if (columns.empty())
        throw DataError(path + ": no soft-assignment columns p0..pK-1 (run --out labels.csv writes "
                               "them "
                               "for methods that have soft assignments; or give an N x K .npy)");
    // Only the p columns must be probabilities; ids and other columns may be anything.
    for (const auto c : columns)
        if (static_cast<size_t>(c) < data.featureOffsets.size() &&
            data.featureOffsets[static_cast<size_t>(c)] != 0)
            throw tooFarApart();
    const auto all = floatValues(data.features);
    const int64_t n = data.rows();
    const int64_t d = data.cols();
    const auto k = static_cast<int64_t>(columns.size());
    std::vector<float> values(static_cast<size_t>(n * k));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t c = 0; c < k; ++c)
            values[i * k + c] = all[i * d + columns[c]];
    return matrixFromValues(values, n, k);
}

LayoutResult layoutSoft(const LayoutInfo& info, const at::Tensor& soft, const ParamSet& params,
                        uint64_t seed, const std::string& path, Progress& progress)
{
    try
    {
        return info.layout(soft, params, RunContext{c10::Device(c10::kCPU), seed, &progress});
    }
    catch (const DataError& e)
    {
        throw DataError(path + ": " + e.what());
    }
}

SoftRows loadSoftRows(const std::string& path)
{
    SoftRows out;
    const auto format = detectFormat(path);
    if (format != "csv" && format != "tsv")
        return out;
    LoadOptions options;
    options.labelColumn = "none";
    options.idColumn = "none";
    const Dataset data = loadDataset(path, options);
    const auto values = floatValues(data.features);
    const int64_t d = data.cols();
    const auto column = [&](const std::string& name)
    {
        std::vector<int64_t> v;
        const auto it = std::find(data.featureNames.begin(), data.featureNames.end(), name);
        if (it == data.featureNames.end())
            return v;
        const auto c = it - data.featureNames.begin();
        // A column far from zero was centred on load: its offset brings the numbers back.
        const double offset = static_cast<size_t>(c) < data.featureOffsets.size()
                                  ? data.featureOffsets[static_cast<size_t>(c)]
                                  : 0.0;
        for (int64_t i = 0; i < data.rows(); ++i)
            v.push_back(std::llround(values[static_cast<size_t>(i * d + c)] + offset));
        return v;
    };
    out.ids = column("id");
    out.clusters = column("cluster");
    return out;
}

} // namespace clusterscope::cli

#include <clusterscope/core/errors.h>
#include <clusterscope/core/fingerprint.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/pipeline/prepare.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace clusterscope
{

namespace
{

// NaN is a missing value in any format (the CSV loader applies the policy as it reads; NPY,
// NPZ and IDX data arrive here with their NaN). Infinities are not missing: validation
// refuses them.
// Whether x holds a NaN, without an N x D mask or a float64 copy for the common complete data
// (LibTorch's sum(kDouble) casts the whole input first).
bool hasNaN(const at::Tensor& x)
{
    if (x.device().is_cpu() && x.scalar_type() == at::kFloat && x.is_contiguous())
    {
        const float* v = x.data_ptr<float>();
        return std::any_of(v, v + x.numel(), [](float f) { return std::isnan(f); });
    }
    return at::isnan(x).any().item<bool>();
}

void applyMissingPolicy(PreparedData& p, MissingPolicy policy)
{
    auto& x = p.data.features;
    if (!hasNaN(x))
        return;
    const auto missing = at::isnan(x);
    const int64_t count = missing.sum().item<int64_t>();
    if (count == 0 || policy == MissingPolicy::Error)
        return;
    if (policy == MissingPolicy::Drop)
    {
        const auto keep = at::logical_not(missing.any(1));
        const auto kept = at::nonzero(keep).squeeze(1).contiguous();
        std::vector<int64_t> rows(kept.data_ptr<int64_t>(),
                                  kept.data_ptr<int64_t>() + kept.numel());
        if (rows.empty())
            throw MissingValueError(
                "every row has a missing value, so --missing drop leaves no row; use "
                "--missing impute-mean");
        p.droppedRows += p.data.rows() - static_cast<int64_t>(rows.size());
        p.data = selectRows(p.data, rows);
        std::vector<int64_t> source;
        for (auto r : rows)
            source.push_back(p.sourceRows[static_cast<size_t>(r)]);
        p.sourceRows = std::move(source);
        return;
    }
    // Impute the column mean or median of the values present; a column with none is an error.
    p.imputedValues += imputeMissingValues(x, policy, "the data");
}

void takeSubset(PreparedData& p, int64_t subset, uint64_t seed)
{
    if (subset <= 0 || subset >= p.data.rows())
        return;
    std::vector<int64_t> rows(static_cast<size_t>(p.data.rows()));
    std::iota(rows.begin(), rows.end(), 0);
    std::mt19937_64 rng(seed);
    std::shuffle(rows.begin(), rows.end(), rng);
    rows.resize(static_cast<size_t>(subset));
    std::sort(rows.begin(), rows.end());
    p.data = selectRows(p.data, rows);
    std::vector<int64_t> source;
    for (auto r : rows)
        source.push_back(p.sourceRows[static_cast<size_t>(r)]);
    p.sourceRows = std::move(source);
}

void reduce(PreparedData& p, const RunSettings& s, Progress& progress)
{
    if (s.pca <= 0)
        return;
    if (s.pca > std::min(p.data.rows(), p.data.cols()))
        throw ParameterError("--pca " + std::to_string(s.pca) + ": the data have " +
                             std::to_string(p.data.rows()) + " rows and " +
                             std::to_string(p.data.cols()) +
                             " columns, so at most their minimum of components");
    PcaOptions o;
    o.components = s.pca;
    o.solver = s.pcaSolver == "randomized" ? PcaSolver::Randomized : PcaSolver::Exact;
    o.seed = s.seed;
    const auto fit = fitPca(p.data.features, o, &progress);
    p.data.features = fit.transform(p.data.features, &progress).contiguous();
    p.data.featureNames.clear();
    for (int64_t c = 0; c < s.pca; ++c)
        p.data.featureNames.push_back("PC" + std::to_string(c + 1));
    p.data.imageShape.reset();
    p.pcaVarianceKept = fit.explainedVarianceRatio.sum().item<double>();
}

} // namespace

PreparedData prepareData(const Dataset& loaded, const RunSettings& settings, Progress& progress)
{
    PreparedData p;
    p.data = loaded;
    // The loaders apply the missing-value policy as they read (loaders.h): their counts are
    // the run's too.
    p.loadedRows = loaded.rows() + loaded.droppedRows;
    p.droppedRows = loaded.droppedRows;
    p.imputedValues = loaded.imputedValues;
    p.sourceRows.resize(static_cast<size_t>(loaded.rows()));
    std::iota(p.sourceRows.begin(), p.sourceRows.end(), 0);
    progress.report(0.0, "fingerprinting the data");
    p.inputHash = contentHash(loaded);
    throwIfCancelled(progress);
    applyMissingPolicy(p, parseMissingPolicy(settings.missing));
    takeSubset(p, settings.subset, settings.seed);
    p.centringNotes = centringNotes(loaded);
    progress.report(0.2, "scaling");
    p.data.features = applyScaling(p.data.features, settings.scaling).contiguous();
    throwIfCancelled(progress);
    ProgressRange pca(progress, 0.3, 1.0);
    reduce(p, settings, pca);
    if (!settings.scaling.empty() && settings.scaling != "none")
        p.data.featureOffsets.clear(); // scaled columns are no longer the file's minus offsets
    if (settings.pca > 0)
        p.data.featureOffsets.clear();
    progress.report(1.0, "data prepared");
    return p;
}

} // namespace clusterscope

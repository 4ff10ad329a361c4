#include "seconds_since.h"

#include <clusterscope/core/dataset.h>
#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/metrics/metrics.h>
#include <clusterscope/kernels/distinct_rows.h>
#include <clusterscope/pipeline/run.h>
#include <clusterscope/pipeline/validate.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <sstream>
#include <variant>

namespace clusterscope
{

namespace
{

c10::Device chooseDevice(const AlgorithmInfo& method, const std::string& asked,
                         std::vector<std::string>& notes)
{
    const auto device = resolveDevice(asked);
    if (device.is_cuda() && !method.caps.cuda)
    {
        notes.push_back(method.displayName + " runs on the CPU only, so it ran there");
        return c10::Device(c10::kCPU);
    }
    return device;
}

std::string percent(double fraction)
{
    std::ostringstream out;
    out.precision(3);
    out << fraction * 100 << "%";
    return out.str();
}

// Whether the labels are the partition into distinct rows: one label per group of identical
// rows, and a different one for each group.
bool labelsAreTheDistinctRows(const std::vector<int64_t>& labels, const DistinctRows& distinct)
{
    std::vector<int64_t> labelOfGroup(static_cast<size_t>(distinct.count), -2);
    std::map<int64_t, int64_t> groupOfLabel;
    for (size_t i = 0; i < labels.size(); ++i)
    {
        const int64_t g = distinct.group[i];
        auto& l = labelOfGroup[static_cast<size_t>(g)];
        if (labels[i] < 0 || (l != -2 && l != labels[i]))
            return false;
        l = labels[i];
        if (!groupOfLabel.emplace(labels[i], g).second && groupOfLabel[labels[i]] != g)
            return false;
    }
    return true;
}

// More clusters asked for than the data have distinct rows: any k-partition must split
// identical rows, and a method may also mix distinct ones (spectral's embedding does). The
// method runs at the largest count that can mean anything, the distinct rows' (or its
// parameter's minimum), and the result must be one cluster per distinct row: where the
// method's own labels are not, those labels are replaced by it, and the warning says so.
struct FewerDistinctRows
{
    int64_t asked = 0;
    int64_t ranWith = 0;
};

std::optional<FewerDistinctRows> fewerDistinctRows(const AlgorithmInfo& method,
                                                   const ParamSet& params, int64_t distinct)
{
    if (method.caps.clusterCount.empty())
        return std::nullopt;
    const int64_t asked = params.integer(method.caps.clusterCount);
    if (distinct >= asked)
        return std::nullopt;
    const auto spec =
        std::find_if(method.params.begin(), method.params.end(),
                     [&](const ParamSpec& p) { return p.name == method.caps.clusterCount; });
    const auto lowest = spec != method.params.end() ? static_cast<int64_t>(spec->min) : 1;
    return FewerDistinctRows{asked, std::max(distinct, lowest)};
}

std::string clusterCountFlag(const AlgorithmInfo& method)
{
    const auto spec =
        std::find_if(method.params.begin(), method.params.end(),
                     [&](const ParamSpec& p) { return p.name == method.caps.clusterCount; });
    return spec != method.params.end() ? spec->flag() : method.caps.clusterCount;
}

// "raise --resolution" / "lower --min-cluster-size": the way each steering parameter gives
// more clusters, from the capabilities.
std::string moreClustersAdvice(const AlgorithmInfo& method)
{
    std::string advice;
    for (const auto& steer : method.caps.moreClustersBy)
    {
        const auto spec = std::find_if(method.params.begin(), method.params.end(),
                                       [&](const ParamSpec& p) { return p.name == steer.param; });
        const std::string flag = spec != method.params.end() ? spec->flag() : steer.param;
        advice += (advice.empty() ? "" : " or ") +
                  std::string(steer.higherGivesMore ? "raise " : "lower ") + flag;
    }
    return advice.empty() ? "the data may hold a single group"
                          : advice + " for more clusters, or the data may hold a single group";
}

} // namespace

std::vector<std::string> diagnose(const ClusteringResult& result, const AlgorithmInfo& method,
                                  const ParamSet& params, int64_t* clustersFound)
{
    std::map<int64_t, int64_t> sizes;
    int64_t noise = 0;
    for (auto l : result.labels)
        l < 0 ? ++noise : ++sizes[l];
    const auto found = static_cast<int64_t>(sizes.size());
    if (clustersFound)
        *clustersFound = found;
    std::vector<std::string> warnings;
    const auto n = static_cast<int64_t>(result.labels.size());
    if (n == 0)
        return warnings;
    const std::string cause =
        method.caps.trains
            ? "the training collapsed: pretrain longer, lower the learning rate, or scale the "
              "data"
            : "the data may hold fewer distinct groups (duplicated or constant rows?)";
    if (!method.caps.clusterCount.empty())
    {
        const int64_t asked = params.integer(method.caps.clusterCount);
        if (found < asked)
            warnings.push_back("degenerate: " + std::to_string(found) + " clusters found of the " +
                               std::to_string(asked) + " asked; " + cause);
    }
    if (noise == n)
        warnings.push_back("degenerate: every row is noise; lower the minimum cluster size or "
                           "scale the data");
    int64_t largest = 0;
    for (const auto& [label, size] : sizes)
        largest = std::max(largest, size);
    const double share = static_cast<double>(largest) / static_cast<double>(n);
    if (found >= 2 && share > 0.9)
        warnings.push_back("degenerate: one cluster holds " + percent(share) + " of the rows; " +
                           cause);
    if (found == 1 && method.caps.clusterCount.empty())
        warnings.push_back("degenerate: a single cluster holds every clustered row; " +
                           moreClustersAdvice(method));
    return warnings;
}

RunOutcome runMethod(const PreparedData& data, const RunRequest& request, Progress& progress)
{
    if (!request.method)
        throw ParameterError("no method was chosen");
    const AlgorithmInfo& method = *request.method;
    validateInput(data.data, method, request.params);
    RunOutcome out;
    const auto device = chooseDevice(method, request.settings.device, out.notes);
    out.notes.insert(out.notes.end(), data.centringNotes.begin(), data.centringNotes.end());
    const auto& metric = request.params.values().find("metric");
    if (!data.centringNotes.empty() && metric != request.params.values().end() &&
        std::holds_alternative<std::string>(metric->second) &&
        std::get<std::string>(metric->second) == "cosine")
        // Cosine is not translation invariant; in the file's frame such a column's offset would
        // swamp every angle in float32, so the angles are those of the centred columns.
        out.notes.push_back("metric cosine is not translation invariant: its angles were taken "
                            "on the columns as centred on load, not on the file's values");
    out.deviceUsed = device.str();

    ProgressRange running(progress, 0.0, 0.95);
    RunContext context{device, request.settings.seed, &running};
    const auto& d = data.data;
    context.truth = d.hasLabels() ? &d.labels : nullptr;
    context.imageShape = d.imageShape ? &*d.imageShape : nullptr;
    context.checkpointPath = request.checkpointPath;
    context.cacheDir = request.cacheDir;
    context.onTrainingUpdate = request.onTrainingUpdate;

    // Counted once here, not in each method: hashing the rows is one pass over the data.
    const auto distinct = distinctRows(d.features);
    out.distinctRows = distinct.count;
    ParamSet params = request.params;
    const auto fewer = fewerDistinctRows(method, params, distinct.count);
    if (fewer)
        params.set(method.caps.clusterCount, fewer->ranWith);

    const auto t0 = std::chrono::steady_clock::now();
    try
    {
        out.result = method.run(d.features, params, context);
    }
    catch (const FeatureScaleError& e)
    {
        // The kernels know indices only: name the column and the row of the file.
        const auto c = static_cast<size_t>(e.column);
        throw DataError(e.message(
            "row " + std::to_string(d.inputRow(e.row)) + ", column " + std::to_string(e.column) +
            (c < d.featureNames.size() ? " ('" + d.featureNames[c] + "')" : std::string())));
    }
    out.runSeconds = secondsSince(t0);
    throwIfCancelled(progress);
    std::vector<std::string> distinctWarnings;
    if (fewer)
    {
        const auto& count = method.caps.clusterCount;
        std::string warning = "the data have only " + std::to_string(distinct.count) +
                              (distinct.count == 1 ? " distinct row" : " distinct rows") +
                              ", fewer than " + count + " = " + std::to_string(fewer->asked) +
                              " clusters: more clusters could only split identical rows, so " +
                              method.displayName + " ran with " + count + " = " +
                              std::to_string(fewer->ranWith);
        if (!labelsAreTheDistinctRows(out.result.labels, distinct))
        {
            // Its labels mixed distinct rows or split identical ones; the distinct rows are
            // the one partition into this many clusters that does neither.
            warning += ", whose labels mixed distinct rows or split identical ones, so each "
                       "distinct row was made its own cluster";
            out.result.labels = distinct.group;
            if (!out.result.confidence.empty())
                out.result.confidence.assign(distinct.group.size(), 1.0F);
            if (out.result.soft.defined())
                out.result.soft =
                    at::one_hot(at::tensor(at::ArrayRef<int64_t>(distinct.group), at::kLong),
                                fewer->ranWith)
                        .to(at::kFloat);
        }
        warning += "; remove the duplicated rows or lower " + clusterCountFlag(method) + " to " +
                   std::to_string(distinct.count);
        distinctWarnings.push_back(warning);
    }

    progress.report(0.95, "scoring");
    const auto t1 = std::chrono::steady_clock::now();
    MetricOptions options;
    options.silhouetteSample = request.settings.silhouetteSample;
    options.seed = request.settings.seed;
    out.metrics = allMetrics(d.features, d.labels, out.result.labels, options);
    out.metricSeconds = secondsSince(t1);
    out.warnings = out.result.warnings;
    out.warnings.insert(out.warnings.end(), distinctWarnings.begin(), distinctWarnings.end());
    // Judged against the count it ran with: the distinct rows' warning already says why fewer
    // clusters than asked came back.
    const auto degenerate = diagnose(out.result, method, params, &out.clustersFound);
    out.warnings.insert(out.warnings.end(), degenerate.begin(), degenerate.end());
    // Identical rows hold one group: any split of them is arbitrary, whatever k asked for.
    if (out.clustersFound > 1 && distinct.count == 1)
        out.warnings.push_back("degenerate: all " + std::to_string(d.rows()) +
                               " rows are identical, yet " + std::to_string(out.clustersFound) +
                               " clusters were formed: the split is arbitrary; the data hold a "
                               "single group");
    progress.report(1.0, "done");
    return out;
}

} // namespace clusterscope

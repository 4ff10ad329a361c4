#include "history_run.h"

#include <clusterscope/core/fingerprint.h>
#include <clusterscope/metrics/metrics.h>

#include <filesystem>
#include <iomanip>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

namespace clusterscope
{

namespace
{

bool inOrder(const std::vector<int64_t>& rows)
{
    for (size_t i = 0; i < rows.size(); ++i)
        if (rows[i] != static_cast<int64_t>(i))
            return false;
    return true;
}

std::string fileName(const nlohmann::json& paths)
{
    if (!paths.is_array() || paths.empty() || !paths.front().is_string())
        return {};
    const std::filesystem::path first = paths.front().get<std::string>();
    const auto name = first.filename().string();
    return name.empty() ? first.parent_path().filename().string() : name; // "folder/"
}

} // namespace

HistoryRun historyRunFrom(nlohmann::json record, nlohmann::json load, std::string origin,
                          const std::vector<int64_t>& rows, std::vector<int64_t> labels,
                          const at::Tensor& soft)
{
    if (rows.size() != labels.size())
        throw std::invalid_argument("historyRunFrom: " + std::to_string(rows.size()) +
                                    " rows for " + std::to_string(labels.size()) + " labels");
    if (!load.is_object())
        load = nlohmann::json::object();
    if (!record.is_object())
        record = nlohmann::json::object();
    HistoryRun run;
    run.origin = std::move(origin);
    run.method = record.value("method", std::string());
    const auto& data = record.contains("data") ? record["data"] : nlohmann::json::object();
    run.dataset = fileName(load.value("paths", nlohmann::json::array()));
    run.inputHash = data.value("input_hash", std::string());
    run.seed = record.value("seed", uint64_t{0});
    run.device = record.value("device", std::string());
    run.rows = static_cast<int64_t>(labels.size());
    run.clusters = record.value("clusters_found", int64_t{0});
    if (record.contains("timings"))
        run.runSeconds = record["timings"].value("run_seconds", 0.0);
    if (record.contains("metrics"))
        for (const auto& [name, value] : record["metrics"].items())
            if (value.is_number())
                run.metrics[name] = value.get<double>();
    if (!inOrder(rows))
        run.rowIds = rows;
    run.labels = std::move(labels);
    run.softHash = tensorHash(soft);
    run.load = std::move(load);
    run.record = std::move(record);
    return run;
}

LabelAgreement compareLabels(const HistoryRun& stored, const std::vector<int64_t>& rows,
                             const std::vector<int64_t>& labels, const std::string& softHash)
{
    std::unordered_map<int64_t, int64_t> storedLabel;
    storedLabel.reserve(stored.labels.size());
    for (size_t i = 0; i < stored.labels.size(); ++i)
        storedLabel.emplace(stored.rowOf(i), stored.labels[i]);
    LabelAgreement out;
    Labels before;
    Labels after;
    for (size_t i = 0; i < labels.size() && i < rows.size(); ++i)
    {
        const auto it = storedLabel.find(rows[i]);
        if (it == storedLabel.end())
        {
            ++out.onlyOne;
            continue;
        }
        before.push_back(it->second);
        after.push_back(labels[i]);
        out.differing += it->second != labels[i];
    }
    out.sharedRows = static_cast<int64_t>(before.size());
    out.onlyOne += static_cast<int64_t>(stored.labels.size()) - out.sharedRows;
    out.ari = before.empty() ? 0.0 : adjustedRandIndex(before, after);
    out.sameSoft = !softHash.empty() && softHash == stored.softHash;
    return out;
}

std::string describeAgreement(const LabelAgreement& a)
{
    std::ostringstream out;
    if (a.sharedRows == 0)
        return "no rows in common: the runs clustered different rows";
    if (a.differing == 0)
        out << "identical labels on " << (a.onlyOne == 0 ? "all " : "the ") << a.sharedRows
            << (a.onlyOne == 0 ? " rows" : " rows both clustered");
    else
        out << "labels differ on " << a.differing << " of " << a.sharedRows << " rows (ARI "
            << std::fixed << std::setprecision(3) << a.ari << ")";
    if (a.onlyOne > 0)
        out << "; " << a.onlyOne << " rows were clustered by one run only";
    if (a.sameSoft)
        out << " (and identical soft assignments)";
    return out.str();
}

} // namespace clusterscope

#include "run_comparison.h"

#include "session.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/metrics/metrics.h>

#include <algorithm>
#include <map>

namespace clusterscope
{

namespace
{

// The labels of the rows both runs clustered, in loaded-row order.
void commonLabels(const RunEntry& a, const RunEntry& b, std::vector<int64_t>& la,
                  std::vector<int64_t>& lb)
{
    std::vector<uint8_t> inA(a.labels.size(), 0);
    for (const int64_t r : a.sourceRows)
        inA[static_cast<size_t>(r)] = 1;
    std::vector<int64_t> rows;
    for (const int64_t r : b.sourceRows)
        if (static_cast<size_t>(r) < inA.size() && inA[static_cast<size_t>(r)])
            rows.push_back(r);
    std::sort(rows.begin(), rows.end());
    la.clear();
    lb.clear();
    for (const int64_t r : rows)
    {
        la.push_back(a.labels[static_cast<size_t>(r)]);
        lb.push_back(b.labels[static_cast<size_t>(r)]);
    }
}

} // namespace

RunAgreement compareRuns(const Session& session, const std::vector<int>& ids)
{
    RunAgreement out;
    std::vector<const RunEntry*> runs;
    for (const int id : ids)
    {
        const RunEntry* r = session.run(id);
        if (!r || !r->finished())
            throw ParameterError("run #" + std::to_string(id) +
                                 (r ? " has not finished" : " does not exist") +
                                 ": compare finished runs");
        runs.push_back(r);
        out.runs.push_back(id);
        out.names.push_back(QString("#%1 %2").arg(id).arg(describeEntry(*r)));
    }
    const size_t k = runs.size();
    out.ari.assign(k * k, 1.0);
    out.nmi.assign(k * k, 1.0);
    out.rows.assign(k * k, 0);
    std::vector<int64_t> la, lb;
    for (size_t i = 0; i < k; ++i)
        for (size_t j = i; j < k; ++j)
        {
            commonLabels(*runs[i], *runs[j], la, lb);
            const auto n = static_cast<int64_t>(la.size());
            out.rows[i * k + j] = out.rows[j * k + i] = n;
            if (i == j || n == 0)
                continue;
            out.ari[i * k + j] = out.ari[j * k + i] = adjustedRandIndex(la, lb);
            out.nmi[i * k + j] = out.nmi[j * k + i] = normalizedMutualInfo(la, lb);
        }
    return out;
}

Contingency contingency(const RunEntry& a, const RunEntry& b)
{
    Contingency out;
    std::vector<int64_t> la, lb;
    commonLabels(a, b, la, lb);
    out.rows = static_cast<int64_t>(la.size());
    out.first = la;
    out.second = lb;
    for (auto* ids : {&out.first, &out.second})
    {
        std::sort(ids->begin(), ids->end());
        ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
    }
    std::map<int64_t, size_t> row, col;
    for (size_t i = 0; i < out.first.size(); ++i)
        row[out.first[i]] = i;
    for (size_t j = 0; j < out.second.size(); ++j)
        col[out.second[j]] = j;
    out.counts.assign(out.first.size() * out.second.size(), 0);
    for (size_t i = 0; i < la.size(); ++i)
        ++out.counts[row[la[i]] * out.second.size() + col[lb[i]]];
    return out;
}

} // namespace clusterscope

#include <clusterscope/metrics/color_slots.h>

#include <algorithm>
#include <set>

namespace clusterscope
{

int64_t ColorSlots::slot(int64_t id) const
{
    const auto found = slotOf.find(id);
    return found == slotOf.end() ? id : found->second;
}

ColorSlots clusterColorSlots(const Labels& clusters, const Labels& truth)
{
    ColorSlots out;
    std::set<int64_t> ids;
    for (int64_t c : clusters)
        if (c >= 0)
            ids.insert(c);
    if (truth.empty() || truth.size() != clusters.size())
    {
        for (int64_t c : ids)
            out.slotOf[c] = c;
        out.count = ids.empty() ? 0 : *ids.rbegin() + 1;
        return out;
    }
    std::map<int64_t, int64_t> rankOf; // true label -> its rank
    for (int64_t l : truth)
        rankOf.emplace(l, 0);
    int64_t labels = 0;
    for (auto& [label, rank] : rankOf)
        rank = labels++;
    std::map<int64_t, int64_t> rowOf; // cluster id -> contingency row
    for (int64_t c : ids)
        rowOf.emplace(c, static_cast<int64_t>(rowOf.size()));
    const auto k = static_cast<int64_t>(rowOf.size());
    std::vector<double> overlap(static_cast<size_t>(k * labels), 0.0);
    for (size_t r = 0; r < clusters.size(); ++r)
        if (clusters[r] >= 0)
            overlap[static_cast<size_t>(rowOf[clusters[r]] * labels + rankOf[truth[r]])] += 1;
    const auto match = k > 0 && labels > 0 ? maxWeightMatching(overlap, k, labels)
                                           : std::vector<int64_t>(static_cast<size_t>(k), -1);
    int64_t next = labels;
    for (const auto& [c, row] : rowOf)
    {
        const int64_t column = match[static_cast<size_t>(row)];
        const bool shares = column >= 0 && overlap[static_cast<size_t>(row * labels + column)] > 0;
        out.slotOf[c] = shares ? column : next++;
    }
    out.count = next;
    return out;
}

ColorSlots clusterColorSlots(const Labels& clusters, const Labels& truth,
                             const std::vector<int64_t>& sourceRows)
{
    if (sourceRows.size() != clusters.size())
        return clusterColorSlots(clusters, {});
    Labels shown(truth.size(), kNotClustered);
    for (size_t i = 0; i < sourceRows.size(); ++i)
    {
        if (sourceRows[i] < 0 || static_cast<size_t>(sourceRows[i]) >= truth.size())
            return clusterColorSlots(clusters, {});
        shown[static_cast<size_t>(sourceRows[i])] = clusters[i];
    }
    return clusterColorSlots(shown, truth);
}

std::map<int64_t, std::string> clusterHexColors(const ColorSlots& slots, CategoricalPalette palette)
{
    std::map<int64_t, std::string> out;
    for (const auto& [id, slot] : slots.slotOf)
        out[id] = categoricalHex(slot, slots.count, palette);
    return out;
}

} // namespace clusterscope

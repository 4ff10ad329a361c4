#include "subclustering.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace clusterscope
{

std::vector<int64_t> mergeSubclusters(const std::vector<int64_t>& parent,
                                      const std::vector<int64_t>& childRows,
                                      const std::vector<int64_t>& childLabels)
{
    if (childRows.size() != childLabels.size())
        throw std::invalid_argument("mergeSubclusters: one label per child row is needed");
    const auto n = static_cast<int64_t>(parent.size());
    std::vector<uint8_t> inChild(parent.size(), 0);
    for (const int64_t r : childRows)
    {
        if (r < 0 || r >= n)
            throw std::invalid_argument("mergeSubclusters: a child row is out of range");
        inChild[static_cast<size_t>(r)] = 1;
    }
    // Parent clusters with a row outside the child keep their id; the others are freed.
    std::set<int64_t> all, kept;
    for (size_t i = 0; i < parent.size(); ++i)
        if (parent[i] >= 0)
        {
            all.insert(parent[i]);
            if (!inChild[i])
                kept.insert(parent[i]);
        }
    std::vector<int64_t> freed;
    std::set_difference(all.begin(), all.end(), kept.begin(), kept.end(),
                        std::back_inserter(freed));
    int64_t next = all.empty() ? 0 : *all.rbegin() + 1;
    std::map<int64_t, int64_t> id; // child cluster -> merged id
    const std::set<int64_t> children(childLabels.begin(), childLabels.end());
    size_t used = 0;
    for (const int64_t c : children)
        if (c >= 0)
            id[c] = used < freed.size() ? freed[used++] : next++;
    std::vector<int64_t> merged = parent;
    for (size_t i = 0; i < childRows.size(); ++i)
        merged[static_cast<size_t>(childRows[i])] = childLabels[i] >= 0 ? id[childLabels[i]] : -1;
    return merged;
}

std::pair<std::vector<int64_t>, int64_t> labelsWithNewCluster(std::vector<int64_t> labels,
                                                              const std::vector<uint8_t>& clustered,
                                                              const std::vector<int64_t>& selection,
                                                              int64_t* newCluster)
{
    const int64_t largest = labels.empty() ? -1 : *std::max_element(labels.begin(), labels.end());
    const int64_t id = std::max<int64_t>(largest + 1, 0);
    int64_t moved = 0;
    const auto n = static_cast<int64_t>(std::min(labels.size(), clustered.size()));
    for (const int64_t r : selection)
        if (r >= 0 && r < n && clustered[static_cast<size_t>(r)] &&
            labels[static_cast<size_t>(r)] != id)
        {
            labels[static_cast<size_t>(r)] = id;
            ++moved;
        }
    if (newCluster)
        *newCluster = id;
    return {std::move(labels), moved};
}

} // namespace clusterscope

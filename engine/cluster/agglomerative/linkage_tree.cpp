#include "linkage_tree.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace clusterscope
{

// Sorts the merges by distance (stably) and renames clusters as SciPy's `label` does.
std::vector<Merge> linkageFromEdges(std::vector<Merge> merges, int64_t n)
{
    std::stable_sort(merges.begin(), merges.end(),
                     [](const Merge& a, const Merge& b) { return a.distance < b.distance; });
    std::vector<int64_t> parent(static_cast<size_t>(2 * n - 1));
    std::iota(parent.begin(), parent.end(), 0);
    std::vector<int64_t> size(static_cast<size_t>(2 * n - 1), 1);
    auto find = [&](int64_t v)
    {
        int64_t root = v;
        while (parent[static_cast<size_t>(root)] != root)
            root = parent[static_cast<size_t>(root)];
        while (parent[static_cast<size_t>(v)] != root)
            v = std::exchange(parent[static_cast<size_t>(v)], root);
        return root;
    };
    int64_t next = n;
    for (auto& m : merges)
    {
        const int64_t a = find(m.a);
        const int64_t b = find(m.b);
        m.a = std::min(a, b);
        m.b = std::max(a, b);
        parent[static_cast<size_t>(a)] = parent[static_cast<size_t>(b)] = next;
        size[static_cast<size_t>(next)] =
            size[static_cast<size_t>(a)] + size[static_cast<size_t>(b)];
        m.size = size[static_cast<size_t>(next)];
        ++next;
    }
    return merges;
}

} // namespace clusterscope

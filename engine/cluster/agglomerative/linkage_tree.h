#pragma once
// Spanning-tree edges to a SciPy-style linkage: shared by single linkage and HDBSCAN*.

#include <clusterscope/cluster/agglomerative.h>

#include <vector>

namespace clusterscope
{

// Sorts the edges (a, b, distance) by distance, stably, and renames clusters as SciPy's `label`
// does: merge i makes cluster N + i, and each row gets a < b and the new cluster's size.
std::vector<Merge> linkageFromEdges(std::vector<Merge> edges, int64_t n);

} // namespace clusterscope

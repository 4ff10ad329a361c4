#pragma once
// Re-clustering a selection and merging it back: one cluster (or any set of rows) is split by
// running a method on those rows alone, and the result replaces their labels in the parent
// run, leaving every other row's cluster as it was.

#include <cstdint>
#include <vector>

namespace clusterscope
{

// The parent's labels (one per loaded row, -1 for noise or rows it did not cluster) with the
// rows `childRows` (loaded indices, distinct) relabelled by `childLabels` (one per child row,
// -1 for noise). The child's clusters, in increasing id order, take first the ids of the parent
// clusters whose every row is in `childRows` (freed by the split, increasing), then new ids
// after the parent's largest. Throws std::invalid_argument when the sizes disagree or a row
// is out of range.
std::vector<int64_t> mergeSubclusters(const std::vector<int64_t>& parent,
                                      const std::vector<int64_t>& childRows,
                                      const std::vector<int64_t>& childLabels);

} // namespace clusterscope

#pragma once
// Editing a run's clusters by selection: re-clustering a selection and merging it back (one
// cluster, or any set of rows, is split by running a method on those rows alone, and the
// result replaces their labels in the parent run), or naming a selection as a cluster of its
// own. Every other row keeps its cluster.

#include <cstdint>
#include <utility>
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

// The run's labels (one per loaded row, -1 for noise or rows it did not cluster) with the rows
// of `selection` (loaded indices) that the run clustered, `clustered[row]` = 1, moved into a
// new cluster, whose id follows the largest the run has (0 when it has none) and is written to
// `newCluster`. Rows out of range or not clustered are left alone. Returns the labels and the
// number of rows moved.
std::pair<std::vector<int64_t>, int64_t> labelsWithNewCluster(std::vector<int64_t> labels,
                                                              const std::vector<uint8_t>& clustered,
                                                              const std::vector<int64_t>& selection,
                                                              int64_t* newCluster);

} // namespace clusterscope

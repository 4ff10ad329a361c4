#pragma once

#include <clusterscope/cluster/hdbscan.h>

namespace clusterscope
{

// N x K float32 soft membership in the selected clusters; rows sum to the probability of being
// in some cluster (at most 1), and a clustered point's row (labels[i] >= 0) peaks at its label.
// Undefined when no cluster was selected. Polls `progress` between blocks of the exemplar
// distances (throws CancelledError).
at::Tensor softMembership(const at::Tensor& x, const std::vector<CondensedRow>& tree, int64_t n,
                          const std::vector<int64_t>& selected, const std::vector<int64_t>& labels,
                          Progress& progress);

} // namespace clusterscope

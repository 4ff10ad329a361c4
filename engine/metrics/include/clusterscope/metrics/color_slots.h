#pragma once
// Which palette colour each cluster takes (core/palette.h), so that a colouring by cluster and
// one by true label can be compared colour for colour: each cluster matched one-to-one to a
// true label (the matching of accuracy(): maxWeightMatching on the contingency table) takes
// that label's colour; the clusters left over take the colours after the labels'. A label's
// colour is its rank among the distinct true labels, as the view colours labels.

#include <clusterscope/core/palette.h>
#include <clusterscope/metrics/metrics.h>

#include <cstdint>
#include <map>
#include <string>

namespace clusterscope
{

struct ColorSlots
{
    std::map<int64_t, int64_t> slotOf; // cluster id (>= 0) -> palette index
    // How many colours both colourings draw from (the `count` of categoricalRgb): the true
    // labels plus the clusters left unmatched; without labels, the largest cluster id + 1.
    int64_t count = 0;

    // The palette index of cluster `id`; noise (-1), kNotClustered (-2) and ids not seen pass
    // through, so that categoricalRgb gives them their greys.
    int64_t slot(int64_t id) const;
};

// `clusters` and `truth` are one id per row. Without true labels (empty `truth`, or one of a
// different length) each cluster keeps its id as its slot. A cluster that shares no row with
// the label it would be matched to is left unmatched. Runs on the CPU, O(rows + k^3).
ColorSlots clusterColorSlots(const Labels& clusters, const Labels& truth);
// The same for a run over some rows: clusters[i] is row sourceRows[i]'s, and every row's true
// label counts, as in the view, which shows every loaded row. `sourceRows` not one per cluster
// label, or a row outside `truth`: the slots without labels.
ColorSlots clusterColorSlots(const Labels& clusters, const Labels& truth,
                             const std::vector<int64_t>& sourceRows);

// "#rrggbb" of each cluster in `slots`, drawn from `palette` (annDataWithLabels' colours).
std::map<int64_t, std::string>
clusterHexColors(const ColorSlots& slots, CategoricalPalette palette = CategoricalPalette::Auto);

} // namespace clusterscope

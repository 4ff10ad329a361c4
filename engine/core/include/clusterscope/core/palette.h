#pragma once
// The categorical palette of clusters and labels. The view, the figures and the exports (an
// .h5ad's uns['<key>_colors']) all take their colours from here, so that a cluster has one
// colour wherever it is shown. No Qt: the engine's writers use it too.

#include <cstdint>
#include <string>

namespace clusterscope
{

// The id the view gives rows a run did not cluster (a subset, a re-clustered selection), told
// from noise (-1).
constexpr int64_t kNotClustered = -2;

// 0xRRGGBB of category `index`: the first 20 are Tableau 10 and its light companions,
// reordered so that neighbours contrast; beyond, golden-angle hues in three saturation and
// value bands. Noise (-1) is grey, kNotClustered a lighter grey.
uint32_t categoricalRgb(int64_t index);

// The same as "#rrggbb".
std::string categoricalHex(int64_t index);

} // namespace clusterscope

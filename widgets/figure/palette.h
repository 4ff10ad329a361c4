#pragma once
// Colours for clusters and labels as QColor: the palettes of clusterscope/core/palette.h, with
// the palettes the app draws from (Preferences) chosen here once for every view and figure.

#include <clusterscope/core/palette.h>

#include <QColor>

#include <cstdint>
#include <vector>

namespace clusterscope
{

// The palettes every colour below is drawn from; the app sets them from its Preferences.
// Defaults: CategoricalPalette::Auto, ContinuousPalette::Viridis. Set them from the GUI
// thread only (views and figures read them while they paint).
void setPalettes(CategoricalPalette categorical, ContinuousPalette continuous);
CategoricalPalette categoricalPalette();
ContinuousPalette continuousPalette();

// categoricalRgb as a QColor: category `index` of `count` (noise -1 grey, kNotClustered
// lighter).
QColor categoricalColor(int64_t index, int64_t count);
QColor continuousColor(double t); // t in [0, 1]

// RGB bytes (N x 3) for per-row category ids (`count` <= 0: the largest id + 1), and for
// numeric values (NaN: grey).
std::vector<uint8_t> categoricalColors(const std::vector<int64_t>& ids, int64_t count = 0);
std::vector<uint8_t> continuousColors(const std::vector<double>& values, double* lo = nullptr,
                                      double* hi = nullptr);

} // namespace clusterscope

#pragma once
// Colours for clusters and labels: a categorical palette that stays distinct past 20 classes,
// grey for noise (-1), and a continuous map for numeric columns.

#include <clusterscope/core/palette.h>

#include <QColor>

#include <cstdint>
#include <vector>

namespace clusterscope
{

// categoricalRgb (clusterscope/core/palette.h, shared with the exports) as a QColor: noise
// (-1) grey, kNotClustered lighter.
QColor categoricalColor(int64_t index);
QColor continuousColor(double t); // t in [0, 1], viridis

// RGB bytes (N x 3) for per-row category ids, and for numeric values (NaN: grey).
std::vector<uint8_t> categoricalColors(const std::vector<int64_t>& ids);
std::vector<uint8_t> continuousColors(const std::vector<double>& values, double* lo = nullptr,
                                      double* hi = nullptr);

} // namespace clusterscope

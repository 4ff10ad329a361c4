#pragma once
// Colours for clusters and labels: a categorical palette that stays distinct past 20 classes,
// grey for noise (-1), and a continuous map for numeric columns.

#include <QColor>

#include <cstdint>
#include <vector>

namespace clusterscope
{

// The id the view gives rows a run did not cluster (a subset, a re-clustered selection), so
// that they are told from its noise (-1): a lighter grey, "not clustered" in the legend.
constexpr int64_t kNotClustered = -2;

QColor categoricalColor(int64_t index); // index < 0 is noise: grey; kNotClustered lighter
QColor continuousColor(double t);       // t in [0, 1], viridis

// RGB bytes (N x 3) for per-row category ids, and for numeric values (NaN: grey).
std::vector<uint8_t> categoricalColors(const std::vector<int64_t>& ids);
std::vector<uint8_t> continuousColors(const std::vector<double>& values, double* lo = nullptr,
                                      double* hi = nullptr);

} // namespace clusterscope

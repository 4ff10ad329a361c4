#pragma once
// Tick positions and their labels for chart and figure axes.

#include <QString>

#include <vector>

namespace clusterscope
{

// 1, 2 or 5 times a power of ten, giving about `target` ticks over [lo, hi] ("nice numbers",
// Heckbert, Graphics Gems 1990); none for an empty or non-finite range.
std::vector<double> niceTicks(double lo, double hi, int target = 8);

// A tick's label: up to 4 significant digits, -0 written 0, negatives with a minus sign
// (U+2212), not a hyphen.
QString tickLabel(double value);

} // namespace clusterscope

#include "axis_ticks.h"

#include <cmath>

namespace clusterscope
{

std::vector<double> niceTicks(double lo, double hi, int target)
{
    std::vector<double> ticks;
    const double span = hi - lo;
    if (!(span > 0) || !std::isfinite(span) || target < 1)
        return ticks;
    const double raw = span / target;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double f : {1.0, 2.0, 5.0, 10.0})
    {
        step = f * magnitude;
        if (span / step <= target)
            break;
    }
    for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
        ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return ticks;
}

QString tickLabel(double value)
{
    // A minus sign, not a hyphen, as typesetting has it.
    return QString::number(value == 0 ? 0.0 : value, 'g', 4).replace('-', QChar(0x2212));
}

} // namespace clusterscope

#include "palette.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

namespace clusterscope
{

namespace
{

std::atomic<CategoricalPalette> chosenCategorical{CategoricalPalette::Auto};
std::atomic<ContinuousPalette> chosenContinuous{ContinuousPalette::Viridis};

void append(std::vector<uint8_t>& rgb, uint32_t colour)
{
    rgb.push_back(static_cast<uint8_t>(colour >> 16));
    rgb.push_back(static_cast<uint8_t>(colour >> 8));
    rgb.push_back(static_cast<uint8_t>(colour));
}

} // namespace

void setPalettes(CategoricalPalette categorical, ContinuousPalette continuous)
{
    chosenCategorical = categorical;
    chosenContinuous = continuous;
}

CategoricalPalette categoricalPalette()
{
    return chosenCategorical;
}

ContinuousPalette continuousPalette()
{
    return chosenContinuous;
}

QColor categoricalColor(int64_t index, int64_t count)
{
    return QColor(static_cast<QRgb>(categoricalRgb(index, count, chosenCategorical)));
}

QColor continuousColor(double t)
{
    return QColor(static_cast<QRgb>(continuousRgb(t, chosenContinuous)));
}

std::vector<uint8_t> categoricalColors(const std::vector<int64_t>& ids, int64_t count)
{
    if (count <= 0)
        for (int64_t id : ids)
            count = std::max(count, id + 1);
    const CategoricalPalette palette = chosenCategorical;
    std::vector<uint8_t> rgb;
    rgb.reserve(ids.size() * 3);
    for (int64_t id : ids)
        append(rgb, categoricalRgb(id, count, palette));
    return rgb;
}

std::vector<uint8_t> continuousColors(const std::vector<double>& values, double* lo, double* hi)
{
    double min = std::numeric_limits<double>::infinity();
    double max = -min;
    for (double v : values)
    {
        if (!std::isnan(v))
        {
            min = std::min(min, v);
            max = std::max(max, v);
        }
    }
    const double span = max > min ? max - min : 1.0;
    const ContinuousPalette palette = chosenContinuous;
    std::vector<uint8_t> rgb;
    rgb.reserve(values.size() * 3);
    for (double v : values)
        append(rgb,
               std::isnan(v) ? categoricalRgb(-1, 0) : continuousRgb((v - min) / span, palette));
    if (lo)
        *lo = min;
    if (hi)
        *hi = max;
    return rgb;
}

} // namespace clusterscope

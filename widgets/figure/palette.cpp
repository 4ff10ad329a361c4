#include "palette.h"

#include <clusterscope/core/palette.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace clusterscope
{

namespace
{

// Viridis at 9 stops; interpolated linearly.
constexpr std::array<QRgb, 9> kViridis{0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c,
                                       0x28ae80, 0x5ec962, 0xaddc30, 0xfde725};

} // namespace

QColor categoricalColor(int64_t index)
{
    return QColor(static_cast<QRgb>(categoricalRgb(index)));
}

QColor continuousColor(double t)
{
    t = std::clamp(std::isnan(t) ? 0.0 : t, 0.0, 1.0) * (kViridis.size() - 1);
    const auto i = std::min(static_cast<size_t>(t), kViridis.size() - 2);
    const double f = t - static_cast<double>(i);
    const QColor a(kViridis[i]);
    const QColor b(kViridis[i + 1]);
    return QColor::fromRgbF(static_cast<float>(a.redF() + f * (b.redF() - a.redF())),
                            static_cast<float>(a.greenF() + f * (b.greenF() - a.greenF())),
                            static_cast<float>(a.blueF() + f * (b.blueF() - a.blueF())));
}

std::vector<uint8_t> categoricalColors(const std::vector<int64_t>& ids)
{
    std::vector<uint8_t> rgb;
    rgb.reserve(ids.size() * 3);
    for (int64_t id : ids)
    {
        const QColor c = categoricalColor(id);
        rgb.push_back(static_cast<uint8_t>(c.red()));
        rgb.push_back(static_cast<uint8_t>(c.green()));
        rgb.push_back(static_cast<uint8_t>(c.blue()));
    }
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
    std::vector<uint8_t> rgb;
    rgb.reserve(values.size() * 3);
    for (double v : values)
    {
        const QColor c = std::isnan(v) ? categoricalColor(-1) : continuousColor((v - min) / span);
        rgb.push_back(static_cast<uint8_t>(c.red()));
        rgb.push_back(static_cast<uint8_t>(c.green()));
        rgb.push_back(static_cast<uint8_t>(c.blue()));
    }
    if (lo)
        *lo = min;
    if (hi)
        *hi = max;
    return rgb;
}

} // namespace clusterscope

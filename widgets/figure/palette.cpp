#include "palette.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace clusterscope
{

namespace
{

// The first 20: Tableau 10 and its light companions, reordered so that neighbours contrast.
constexpr std::array<QRgb, 20> kBase{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                     0x8c564b, 0xe377c2, 0x17becf, 0xbcbd22, 0x393b79,
                                     0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5,
                                     0xc49c94, 0xf7b6d2, 0x9edae5, 0xdbdb8d, 0x637939};

// Viridis at 9 stops; interpolated linearly.
constexpr std::array<QRgb, 9> kViridis{0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c,
                                       0x28ae80, 0x5ec962, 0xaddc30, 0xfde725};

} // namespace

QColor categoricalColor(int64_t index)
{
    if (index == kNotClustered)
    {
        return QColor(0xe0, 0xe0, 0xe0);
    }
    if (index < 0)
    {
        return QColor(0xb0, 0xb0, 0xb0);
    }
    if (index < static_cast<int64_t>(kBase.size()))
    {
        return QColor(kBase[static_cast<size_t>(index)]);
    }
    // Beyond 20: golden-angle hues, cycling through three saturation/value bands.
    const double hue = std::fmod(static_cast<double>(index) * 137.508, 360.0);
    const int band = static_cast<int>(index % 3);
    return QColor::fromHsv(static_cast<int>(hue), 200 - band * 50, 230 - band * 40);
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

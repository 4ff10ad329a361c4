#include <clusterscope/core/palette.h>

#include <array>
#include <cmath>
#include <cstdio>

namespace clusterscope
{

namespace
{

constexpr std::array<uint32_t, 20> kBase{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                         0x8c564b, 0xe377c2, 0x17becf, 0xbcbd22, 0x393b79,
                                         0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5,
                                         0xc49c94, 0xf7b6d2, 0x9edae5, 0xdbdb8d, 0x637939};

// HSV (hue in degrees, saturation and value in [0, 255]) to 0xRRGGBB.
uint32_t fromHsv(double hue, int saturation, int value)
{
    const double v = value / 255.0;
    const double c = v * (saturation / 255.0);
    const double h = std::fmod(hue, 360.0) / 60.0;
    const double x = c * (1.0 - std::abs(std::fmod(h, 2.0) - 1.0));
    const std::array<std::array<double, 3>, 6> sector{
        {{c, x, 0}, {x, c, 0}, {0, c, x}, {0, x, c}, {x, 0, c}, {c, 0, x}}};
    const auto& rgb = sector[static_cast<size_t>(h) % 6];
    const double m = v - c;
    uint32_t out = 0;
    for (const double channel : rgb)
        out = (out << 8) | static_cast<uint32_t>(std::lround((channel + m) * 255.0));
    return out;
}

} // namespace

uint32_t categoricalRgb(int64_t index)
{
    if (index == kNotClustered)
        return 0xe0e0e0;
    if (index < 0)
        return 0xb0b0b0;
    if (index < static_cast<int64_t>(kBase.size()))
        return kBase[static_cast<size_t>(index)];
    // Whole degrees, as the view has always drawn them (QColor::fromHsv takes integers).
    const double hue = std::floor(std::fmod(static_cast<double>(index) * 137.508, 360.0));
    const int band = static_cast<int>(index % 3);
    return fromHsv(hue, 200 - band * 50, 230 - band * 40);
}

std::string categoricalHex(int64_t index)
{
    char text[8];
    std::snprintf(text, sizeof(text), "#%06x", static_cast<unsigned>(categoricalRgb(index)));
    return text;
}

} // namespace clusterscope

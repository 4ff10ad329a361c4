#include <clusterscope/core/colour_difference.h>
#include <clusterscope/core/palette.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

namespace clusterscope
{

namespace
{

// Okabe & Ito (2008), in their order, black moved last: it reads as an outline or text.
constexpr std::array<uint32_t, 8> kOkabeIto{0xe69f00, 0x56b4e9, 0x009e73, 0xf0e442,
                                            0x0072b2, 0xd55e00, 0xcc79a7, 0x000000};

constexpr std::array<uint32_t, 20> kTableau{0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                            0x8c564b, 0xe377c2, 0x17becf, 0xbcbd22, 0x393b79,
                                            0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896, 0xc5b0d5,
                                            0xc49c94, 0xf7b6d2, 0x9edae5, 0xdbdb8d, 0x637939};

constexpr int64_t kGlasbeySize = 256;
constexpr size_t kSafeSize = 20; // colours chosen apart under simulated colour blindness too
constexpr size_t kFineSize = 64; // colours chosen apart by CIEDE2000 (the rest by CIE76)
constexpr uint32_t kNoiseGrey = 0xb0b0b0;
constexpr uint32_t kNotClusteredGrey = 0xe0e0e0;

// matplotlib's _cm_listed.py tables at entries 0, 32, ..., 224 and 255.
constexpr std::array<uint32_t, 9> kViridis{0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c,
                                           0x28ae80, 0x5ec962, 0xaddc30, 0xfde725};
constexpr std::array<uint32_t, 9> kCividis{0x00224e, 0x1a386f, 0x434e6c, 0x61656f, 0x7d7c78,
                                           0x9b9476, 0xbcae6c, 0xdec958, 0xfee838};

// Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
using Matrix = std::array<double, 9>;
constexpr Matrix kProtanopia{0.152286, 1.052583,  -0.204868, 0.114503, 0.786281,
                             0.099216, -0.003882, -0.048116, 1.051998};
constexpr Matrix kDeuteranopia{0.367322, 0.860646,  -0.227968, 0.280085, 0.672501,
                               0.047413, -0.011820, 0.042940,  0.968881};

// A colour as seen with normal vision, and as simulated for protanopia and deuteranopia.
struct Seen
{
    CieLab normal, protan, deutan;
};

Seen see(uint32_t rgb)
{
    const std::array<double, 3> linear{linearChannel((rgb >> 16) & 0xff),
                                       linearChannel((rgb >> 8) & 0xff), linearChannel(rgb & 0xff)};
    auto through = [&linear](const Matrix& m)
    {
        std::array<double, 3> out{};
        for (size_t i = 0; i < 3; ++i)
            out[i] = std::clamp(m[3 * i] * linear[0] + m[3 * i + 1] * linear[1] +
                                    m[3 * i + 2] * linear[2],
                                0.0, 1.0);
        return out;
    };
    return {cieLabOfLinear(linear), cieLabOfLinear(through(kProtanopia)),
            cieLabOfLinear(through(kDeuteranopia))};
}

// How far apart two colours are, by the measure each part of the palette is chosen by.
enum class Measure
{
    Deficient, // CIEDE2000, the least of normal, protanopic and deuteranopic vision
    Normal,    // CIEDE2000 for normal vision
    Cheap,     // CIE76 (euclidean in CIELAB), 20 times cheaper, for the long tail
};

double apart(const Seen& p, const Seen& q, Measure measure)
{
    switch (measure)
    {
    case Measure::Deficient:
        return std::min({ciede2000(p.normal, q.normal), ciede2000(p.protan, q.protan),
                         ciede2000(p.deutan, q.deutan)});
    case Measure::Normal:
        return ciede2000(p.normal, q.normal);
    case Measure::Cheap:
        break;
    }
    return std::hypot(p.normal.l - q.normal.l, p.normal.a - q.normal.a, p.normal.b - q.normal.b);
}

// Greedy farthest-point sampling over a 16-level sRGB grid, after `first` (Glasbey et al.
// 2007): each colour is the candidate whose nearest taken colour (white and the noise grey
// count as taken) is farthest. Up to `safe` colours in all the distance is also taken under
// simulated colour blindness; up to kFineSize it is CIEDE2000, beyond CIE76, as the first
// palette's cost on first use stays near 0.1 s. Ties go to the first candidate, so the palette
// is the same on every machine.
std::vector<uint32_t> farthestColours(const std::vector<uint32_t>& first, size_t safe)
{
    std::vector<uint32_t> candidates;
    std::vector<Seen> seen;
    for (uint32_t r = 0; r < 16; ++r)
        for (uint32_t g = 0; g < 16; ++g)
            for (uint32_t b = 0; b < 16; ++b)
            {
                const uint32_t rgb = (r * 17) << 16 | (g * 17) << 8 | (b * 17);
                const Seen c = see(rgb);
                // Too dark to tell apart, too light to see on white, or so grey (chroma under
                // 15) that on small points it reads as the noise grey and as other greys.
                if (c.normal.l >= 30 && c.normal.l <= 78 &&
                    std::hypot(c.normal.a, c.normal.b) >= 15)
                {
                    candidates.push_back(rgb);
                    seen.push_back(c);
                }
            }
    std::vector<uint32_t> out = first;
    std::vector<Seen> taken{see(0xffffff), see(kNoiseGrey)};
    for (uint32_t c : first)
        taken.push_back(see(c));
    const auto measureAt = [safe](size_t size) {
        return size < safe        ? Measure::Deficient
               : size < kFineSize ? Measure::Normal
                                  : Measure::Cheap;
    };
    std::vector<double> nearest;
    Measure measure = measureAt(out.size());
    const auto remeasure = [&]
    {
        nearest.assign(candidates.size(), std::numeric_limits<double>::infinity());
        for (const Seen& t : taken)
            for (size_t i = 0; i < candidates.size(); ++i)
                nearest[i] = std::min(nearest[i], apart(seen[i], t, measure));
    };
    remeasure();
    while (static_cast<int64_t>(out.size()) < kGlasbeySize)
    {
        if (measureAt(out.size()) != measure)
        {
            measure = measureAt(out.size());
            remeasure();
        }
        const auto best =
            static_cast<size_t>(std::max_element(nearest.begin(), nearest.end()) - nearest.begin());
        out.push_back(candidates[best]);
        taken.push_back(seen[best]);
        for (size_t i = 0; i < candidates.size(); ++i)
            nearest[i] = std::min(nearest[i], apart(seen[i], seen[best], measure));
    }
    return out;
}

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

// Past 256 no palette keeps categories apart: golden-angle hues in three bands.
uint32_t goldenAngleRgb(int64_t index)
{
    const double hue = std::floor(std::fmod(static_cast<double>(index) * 137.508, 360.0));
    const int band = static_cast<int>(index % 3);
    return fromHsv(hue, 200 - band * 50, 230 - band * 40);
}

template <size_t N> uint32_t interpolate(const std::array<uint32_t, N>& stops, double t)
{
    t = std::clamp(std::isnan(t) ? 0.0 : t, 0.0, 1.0) * (N - 1);
    const auto i = std::min(static_cast<size_t>(t), N - 2);
    const double f = t - static_cast<double>(i);
    uint32_t out = 0;
    for (int shift = 16; shift >= 0; shift -= 8)
    {
        const double a = (stops[i] >> shift) & 0xff, b = (stops[i + 1] >> shift) & 0xff;
        out = (out << 8) | static_cast<uint32_t>(std::lround(a + f * (b - a)));
    }
    return out;
}

// Each palette is made once, on its first use (about 0.1 s), by whichever thread asks first.
const std::vector<uint32_t>& safeColours()
{
    static const std::vector<uint32_t> colours =
        farthestColours(std::vector<uint32_t>(kOkabeIto.begin(), kOkabeIto.end()), kSafeSize);
    return colours;
}

const std::vector<uint32_t>& distinctColours()
{
    static const std::vector<uint32_t> colours = farthestColours({}, 0);
    return colours;
}

} // namespace

std::string paletteName(CategoricalPalette palette)
{
    switch (palette)
    {
    case CategoricalPalette::Tableau:
        return "tableau";
    case CategoricalPalette::Glasbey:
        return "glasbey";
    case CategoricalPalette::Auto:
        break;
    }
    return "auto";
}

std::string paletteName(ContinuousPalette palette)
{
    return palette == ContinuousPalette::Cividis ? "cividis" : "viridis";
}

std::optional<CategoricalPalette> categoricalPaletteNamed(std::string_view name)
{
    for (auto p :
         {CategoricalPalette::Auto, CategoricalPalette::Tableau, CategoricalPalette::Glasbey})
        if (paletteName(p) == name)
            return p;
    return std::nullopt;
}

std::optional<ContinuousPalette> continuousPaletteNamed(std::string_view name)
{
    for (auto p : {ContinuousPalette::Viridis, ContinuousPalette::Cividis})
        if (paletteName(p) == name)
            return p;
    return std::nullopt;
}

uint32_t categoricalRgb(int64_t index, int64_t count, CategoricalPalette palette)
{
    if (index == kNotClustered)
        return kNotClusteredGrey;
    if (index < 0)
        return kNoiseGrey;
    if (palette == CategoricalPalette::Tableau && std::max(count, index + 1) <= 20)
        return kTableau[static_cast<size_t>(index)];
    const auto& colours =
        palette == CategoricalPalette::Glasbey ? distinctColours() : safeColours();
    return index < kGlasbeySize ? colours[static_cast<size_t>(index)] : goldenAngleRgb(index);
}

std::string categoricalHex(int64_t index, int64_t count, CategoricalPalette palette)
{
    char text[8];
    std::snprintf(text, sizeof(text), "#%06x",
                  static_cast<unsigned>(categoricalRgb(index, count, palette)));
    return text;
}

uint32_t continuousRgb(double t, ContinuousPalette palette)
{
    return palette == ContinuousPalette::Cividis ? interpolate(kCividis, t)
                                                 : interpolate(kViridis, t);
}

} // namespace clusterscope

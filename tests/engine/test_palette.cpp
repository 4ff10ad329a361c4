// The palettes (core/palette.h) against their published colours, their promises of distinct
// colours measured in CIELAB (with the test's own simulation of colour blindness), and the
// matching of clusters to true labels for colours (metrics/color_slots.h) on hand-made cases.

#include <clusterscope/core/colour_difference.h>
#include <clusterscope/core/palette.h>
#include <clusterscope/metrics/color_slots.h>

#include <QtTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

using namespace clusterscope;

namespace
{

// CIE76 colour difference of two 0xRRGGBB colours (sRGB, D65).
double deltaE(uint32_t p, uint32_t q)
{
    auto lab = [](uint32_t rgb)
    {
        auto linear = [](uint32_t byte)
        {
            const double c = byte / 255.0;
            return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
        };
        const double r = linear(rgb >> 16 & 0xff), g = linear(rgb >> 8 & 0xff),
                     b = linear(rgb & 0xff);
        auto f = [](double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; };
        const double x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
        const double y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
        const double z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
        return std::array<double, 3>{116 * y - 16, 500 * (x - y), 200 * (y - z)};
    };
    const auto a = lab(p), b = lab(q);
    return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

// Machado, Oliveira & Fernandes (2009), severity 1, applied to linear RGB.
uint32_t simulate(uint32_t rgb, const std::array<double, 9>& m)
{
    auto linear = [](uint32_t byte)
    {
        const double c = byte / 255.0;
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    auto encode = [](double c)
    {
        c = std::clamp(c, 0.0, 1.0);
        const double s = c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1 / 2.4) - 0.055;
        return static_cast<uint32_t>(std::lround(s * 255));
    };
    const double r = linear(rgb >> 16 & 0xff), g = linear(rgb >> 8 & 0xff), b = linear(rgb & 0xff);
    uint32_t out = 0;
    for (int i = 0; i < 3; ++i)
        out = out << 8 | encode(m[3 * i] * r + m[3 * i + 1] * g + m[3 * i + 2] * b);
    return out;
}

constexpr std::array<double, 9> kProtan{0.152286, 1.052583,  -0.204868, 0.114503, 0.786281,
                                        0.099216, -0.003882, -0.048116, 1.051998};
constexpr std::array<double, 9> kDeutan{0.367322, 0.860646,  -0.227968, 0.280085, 0.672501,
                                        0.047413, -0.011820, 0.042940,  0.968881};

// The smallest CIEDE2000 difference between two of the first `count` colours, seen with
// normal vision, protanopia or deuteranopia (whichever is least).
double smallestDeficientDifference(int64_t count, CategoricalPalette palette)
{
    double smallest = 1e9;
    for (int64_t i = 0; i < count; ++i)
        for (int64_t j = i + 1; j < count; ++j)
        {
            const uint32_t p = categoricalRgb(i, count, palette);
            const uint32_t q = categoricalRgb(j, count, palette);
            const auto apart = [](uint32_t a, uint32_t b)
            { return ciede2000(cieLab(a), cieLab(b)); };
            smallest =
                std::min({smallest, apart(p, q), apart(simulate(p, kProtan), simulate(q, kProtan)),
                          apart(simulate(p, kDeutan), simulate(q, kDeutan))});
        }
    return smallest;
}

double smallestDifference(int64_t count, CategoricalPalette palette = CategoricalPalette::Auto)
{
    double smallest = 1e9;
    for (int64_t i = 0; i < count; ++i)
        for (int64_t j = i + 1; j < count; ++j)
            smallest = std::min(smallest, deltaE(categoricalRgb(i, count, palette),
                                                 categoricalRgb(j, count, palette)));
    return smallest;
}

} // namespace

class TestPalette : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Okabe & Ito's eight first; the colours nest: a category keeps its colour as they grow.
    void autoStartsWithOkabeIto()
    {
        const std::vector<std::string> okabeIto{"#e69f00", "#56b4e9", "#009e73", "#f0e442",
                                                "#0072b2", "#d55e00", "#cc79a7", "#000000"};
        for (int64_t i = 0; i < 8; ++i)
            QCOMPARE(categoricalHex(i, 8), okabeIto[static_cast<size_t>(i)]);
        for (int64_t i = 0; i < 40; ++i)
            QCOMPARE(categoricalRgb(i, 40), categoricalRgb(i, i + 1));
        QCOMPARE(categoricalRgb(12, 3), categoricalRgb(12, 13)); // a count too small widens
        // Noise and rows not clustered are greys in every palette.
        for (auto p :
             {CategoricalPalette::Auto, CategoricalPalette::Tableau, CategoricalPalette::Glasbey})
        {
            QCOMPARE(categoricalHex(-1, 5, p), std::string("#b0b0b0"));
            QCOMPARE(categoricalHex(kNotClustered, 5, p), std::string("#e0e0e0"));
        }
    }

    // Tableau up to 20 categories, Auto's colours beyond; names round-trip.
    void namedPalettes()
    {
        QCOMPARE(categoricalHex(0, 3, CategoricalPalette::Tableau), std::string("#1f77b4"));
        QCOMPARE(categoricalHex(19, 20, CategoricalPalette::Tableau), std::string("#637939"));
        QCOMPARE(categoricalRgb(3, 21, CategoricalPalette::Tableau), categoricalRgb(3, 21));
        QVERIFY(categoricalRgb(0, 5, CategoricalPalette::Glasbey) != categoricalRgb(0, 5));
        for (auto p :
             {CategoricalPalette::Auto, CategoricalPalette::Tableau, CategoricalPalette::Glasbey})
            QCOMPARE(categoricalPaletteNamed(paletteName(p)), std::optional(p));
        QCOMPARE(categoricalPaletteNamed("okabe-ito"), std::nullopt);
        QCOMPARE(continuousPaletteNamed("cividis"), std::optional(ContinuousPalette::Cividis));
        QCOMPARE(continuousPaletteNamed("jet"), std::nullopt);
    }

    // Auto's 20 stay apart for protanopes and deuteranopes (Machado et al.'s simulation, the
    // test's own arithmetic) far better than Tableau 20's light/dark pairs do; every colour of
    // the 256 reads on white and differs from the noise grey; Glasbey's 40 are farther apart
    // for normal vision than golden-angle hues.
    void coloursStayApart()
    {
        for (int64_t i = 0; i < 256; ++i)
            for (auto p : {CategoricalPalette::Auto, CategoricalPalette::Glasbey})
            {
                const uint32_t c = categoricalRgb(i, 256, p);
                QVERIFY(deltaE(c, 0xffffff) > 15);
                QVERIFY(deltaE(c, 0xb0b0b0) > 8);
            }
        std::set<uint32_t> seen;
        for (int64_t i = 0; i < 256; ++i)
            QVERIFY2(seen.insert(categoricalRgb(i, 256)).second, qPrintable(QString::number(i)));
        const double safe = smallestDeficientDifference(20, CategoricalPalette::Auto);
        const double tableau = smallestDeficientDifference(20, CategoricalPalette::Tableau);
        QVERIFY2(safe > 8 && safe > 5 * tableau, // measured 9.47 vs 0.70; 4.74 when chosen by CIE76
                 qPrintable(QString("colour-blind safe %1 vs Tableau %2").arg(safe).arg(tableau)));
        // Glasbey's are chosen by CIEDE2000 and measured so.
        double glasbey40 = 1e9, golden = 1e9;
        std::vector<uint32_t> hues;
        for (int64_t i = 0; i < 40; ++i)
            hues.push_back(categoricalRgb(256 + 3 * 60 + i, 1000)); // past the 256
        for (int64_t i = 0; i < 40; ++i)
            for (int64_t j = i + 1; j < 40; ++j)
            {
                glasbey40 =
                    std::min(glasbey40,
                             ciede2000(cieLab(categoricalRgb(i, 40, CategoricalPalette::Glasbey)),
                                       cieLab(categoricalRgb(j, 40, CategoricalPalette::Glasbey))));
                golden = std::min(golden, ciede2000(cieLab(hues[static_cast<size_t>(i)]),
                                                    cieLab(hues[static_cast<size_t>(j)])));
            }
        QVERIFY2(glasbey40 > 14 && glasbey40 > 3 * golden,
                 qPrintable(QString("%1 vs %2").arg(glasbey40).arg(golden)));
        QVERIFY(smallestDifference(40) > 12); // Auto at 40: 20 safe ones, then Glasbey's
    }

    // CIEDE2000 on Sharma, Wu & Dalal's (2005) published test pairs, both ways round.
    void ciede2000MatchesSharmasTestData()
    {
        struct Pair
        {
            CieLab p, q;
            double expected;
        };
        const Pair pairs[] = {
            {{50, 2.6772, -79.7751}, {50, 0, -82.7485}, 2.0425},                  // 1
            {{50, -1.3802, -84.2814}, {50, 0, -82.7485}, 1.0000},                 // 5
            {{50, 0, 0}, {50, -1, 2}, 2.3669},                                    // 7
            {{50, 2.49, -0.001}, {50, -2.49, 0.0009}, 7.1792},                    // 11
            {{50, 2.5, 0}, {50, 0, -2.5}, 4.3065},                                // 16
            {{50, 2.5, 0}, {73, 25, -18}, 27.1492},                               // 17
            {{50, 2.5, 0}, {50, 3.1736, 0.5854}, 1.0000},                         // 22
            {{60.2574, -34.0099, 36.2677}, {60.4626, -34.1751, 39.4387}, 1.2644}, // 25
            {{22.7233, 20.0904, -46.694}, {23.0331, 14.973, -42.5619}, 2.0373},   // 34
        };
        for (const auto& [p, q, expected] : pairs)
        {
            QVERIFY2(std::abs(ciede2000(p, q) - expected) < 5e-5,
                     qPrintable(QString("%1 vs %2").arg(ciede2000(p, q)).arg(expected)));
            QVERIFY(std::abs(ciede2000(q, p) - expected) < 5e-5);
        }
        QCOMPARE(ciede2000(cieLab(0x336699), cieLab(0x336699)), 0.0);
    }

    // Auto's first 40 are apart by CIEDE2000 as the eye sees it: choosing them by CIE76 left
    // blue-violets (#0000ff, #5511cc, #4433aa) 6 apart, a difference hard to see on a plot.
    void autoColoursLookApart()
    {
        double smallest = 1e9;
        for (int64_t i = 0; i < 40; ++i)
            for (int64_t j = i + 1; j < 40; ++j)
                smallest = std::min(smallest, ciede2000(cieLab(categoricalRgb(i, 40)),
                                                        cieLab(categoricalRgb(j, 40))));
        QVERIFY2(smallest > 12, qPrintable(QString::number(smallest)));
        // No grey past Okabe & Ito's black: #555566 beside #886677 reads as one colour on
        // small points, and both as the noise grey.
        for (int64_t i = 8; i < 256; ++i)
            for (auto p : {CategoricalPalette::Auto, CategoricalPalette::Glasbey})
            {
                const CieLab c = cieLab(categoricalRgb(i, 256, p));
                QVERIFY2(std::hypot(c.a, c.b) >= 15, qPrintable(QString::number(i)));
            }
    }

    // matplotlib's tables at their ends and middle.
    void continuousMapsMatchMatplotlib()
    {
        QCOMPARE(continuousRgb(0.0), 0x440154u);
        QCOMPARE(continuousRgb(1.0), 0xfde725u);
        QCOMPARE(continuousRgb(0.5), 0x21918cu);
        QCOMPARE(continuousRgb(0.0, ContinuousPalette::Cividis), 0x00224eu);
        QCOMPARE(continuousRgb(0.5, ContinuousPalette::Cividis), 0x7d7c78u);
        QCOMPARE(continuousRgb(1.0, ContinuousPalette::Cividis), 0xfee838u);
        QCOMPARE(continuousRgb(std::nan(""), ContinuousPalette::Cividis), 0x00224eu);
        QCOMPARE(continuousRgb(7.0), 0xfde725u);
        // Halfway between two stops is halfway between their colours.
        const uint32_t mid = continuousRgb(1.0 / 16.0);
        QCOMPARE(mid >> 16, (0x44u + 0x47u + 1) / 2);
    }

    // Each cluster takes the colour of the label it is matched to, the rest come after.
    void clustersTakeTheirLabelsColours()
    {
        // A relabelled perfect clustering: every cluster gets its label's slot.
        auto s = clusterColorSlots({2, 2, 0, 0, 1, 1}, {0, 0, 1, 1, 2, 2});
        QCOMPARE(s.count, int64_t{3});
        QCOMPARE(s.slot(2), int64_t{0});
        QCOMPARE(s.slot(0), int64_t{1});
        QCOMPARE(s.slot(1), int64_t{2});
        QCOMPARE(s.slot(-1), int64_t{-1});
        QCOMPARE(s.slot(kNotClustered), kNotClustered);
        // Label codes are ranked: 5 is slot 0, 7 slot 1; a third cluster comes after them.
        s = clusterColorSlots({0, 0, 1, 1, 1, 2}, {5, 5, 7, 7, 7, 7});
        QCOMPARE(s.slot(0), int64_t{0});
        QCOMPARE(s.slot(1), int64_t{1});
        QCOMPARE(s.slot(2), int64_t{2});
        QCOMPARE(s.count, int64_t{3});
        // A cluster sharing no row with the only label left is not given its colour.
        s = clusterColorSlots({0, 1, -1}, {0, 0, 1});
        QCOMPARE(s.slot(0), int64_t{0});
        QCOMPARE(s.slot(1), int64_t{2});
        QCOMPARE(s.count, int64_t{3});
        // Without labels, ids are slots.
        s = clusterColorSlots({3, 0, -1}, {});
        QCOMPARE(s.slot(3), int64_t{3});
        QCOMPARE(s.count, int64_t{4});
        // A run over some rows: every row's label counts, as the view shows them all.
        s = clusterColorSlots({1, 0}, {0, 0, 1, 2}, {2, 0});
        QCOMPARE(s.slot(1), int64_t{1});
        QCOMPARE(s.slot(0), int64_t{0});
        QCOMPARE(s.count, int64_t{3});
        s = clusterColorSlots({1, 0}, {0, 0}, {2, 0}); // row 2 is not a row
        QCOMPARE(s.slot(1), int64_t{1});
        const auto hex = clusterHexColors(clusterColorSlots({1, 1, 0}, {0, 0, 1}));
        QCOMPARE(hex.at(1), categoricalHex(0, 2));
        QCOMPARE(hex.at(0), categoricalHex(1, 2));
    }
};

QTEST_APPLESS_MAIN(TestPalette)
#include "test_palette.moc"

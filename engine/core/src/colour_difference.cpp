#include <clusterscope/core/colour_difference.h>

#include <cmath>
#include <numbers>

namespace clusterscope
{

namespace
{

constexpr double kDegree = std::numbers::pi / 180.0;

// Hue angle in degrees, [0, 360); 0 for a grey (Sharma et al., eq. 4).
double hueDegrees(double b, double a)
{
    if (a == 0 && b == 0)
        return 0;
    const double h = std::atan2(b, a) / kDegree;
    return h < 0 ? h + 360 : h;
}

} // namespace

double linearChannel(uint32_t byte)
{
    const double c = byte / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

CieLab cieLabOfLinear(const std::array<double, 3>& rgb)
{
    const auto [r, g, b] = rgb;
    const double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    const double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    const double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    auto f = [](double t)
    { return t > 216.0 / 24389.0 ? std::cbrt(t) : (24389.0 / 27.0 * t + 16.0) / 116.0; };
    return {116.0 * f(y) - 16.0, 500.0 * (f(x) - f(y)), 200.0 * (f(y) - f(z))};
}

CieLab cieLab(uint32_t rgb)
{
    return cieLabOfLinear({linearChannel((rgb >> 16) & 0xff), linearChannel((rgb >> 8) & 0xff),
                           linearChannel(rgb & 0xff)});
}

double ciede2000(const CieLab& p, const CieLab& q)
{
    const double pow25To7 = 6103515625.0; // 25^7
    // a* stretched by the mean chroma (eqs. 2-3), then chroma and hue.
    const double meanChroma = (std::hypot(p.a, p.b) + std::hypot(q.a, q.b)) / 2;
    const double c7 = std::pow(meanChroma, 7);
    const double g = 0.5 * (1 - std::sqrt(c7 / (c7 + pow25To7)));
    const double a1 = (1 + g) * p.a, a2 = (1 + g) * q.a;
    const double c1 = std::hypot(a1, p.b), c2 = std::hypot(a2, q.b);
    const double h1 = hueDegrees(p.b, a1), h2 = hueDegrees(q.b, a2);
    // Differences (eqs. 8-11).
    const double dL = q.l - p.l, dC = c2 - c1;
    double dh = 0;
    if (c1 * c2 != 0)
    {
        dh = h2 - h1;
        if (dh > 180)
            dh -= 360;
        else if (dh < -180)
            dh += 360;
    }
    const double dH = 2 * std::sqrt(c1 * c2) * std::sin(dh / 2 * kDegree);
    // Means and weights (eqs. 12-22).
    const double meanL = (p.l + q.l) / 2, meanC = (c1 + c2) / 2;
    double meanH = h1 + h2;
    if (c1 * c2 != 0)
    {
        if (std::abs(h1 - h2) <= 180)
            meanH /= 2;
        else
            meanH = h1 + h2 < 360 ? (h1 + h2 + 360) / 2 : (h1 + h2 - 360) / 2;
    }
    const double t =
        1 - 0.17 * std::cos((meanH - 30) * kDegree) + 0.24 * std::cos(2 * meanH * kDegree) +
        0.32 * std::cos((3 * meanH + 6) * kDegree) - 0.20 * std::cos((4 * meanH - 63) * kDegree);
    const double rotation = 30 * std::exp(-std::pow((meanH - 275) / 25, 2));
    const double meanC7 = std::pow(meanC, 7);
    const double rc = 2 * std::sqrt(meanC7 / (meanC7 + pow25To7));
    const double l50 = (meanL - 50) * (meanL - 50);
    const double sl = 1 + 0.015 * l50 / std::sqrt(20 + l50);
    const double sc = 1 + 0.045 * meanC;
    const double sh = 1 + 0.015 * meanC * t;
    const double rt = -std::sin(2 * rotation * kDegree) * rc;
    const double x = dL / sl, y = dC / sc, z = dH / sh;
    return std::sqrt(x * x + y * y + z * z + rt * y * z);
}

} // namespace clusterscope

#include "figure_settings.h"

#include <algorithm>
#include <cmath>

namespace clusterscope
{

namespace
{

double perPoint(const QString& unit, int dpi)
{
    if (unit == "in")
        return 72.0;
    if (unit == "px")
        return 72.0 / dpi;
    return 72.0 / 25.4; // mm
}

template <typename T> T read(const QSettings& settings, const char* key, const T& fallback)
{
    const QVariant v = settings.value(QStringLiteral("figure/") + key);
    return v.isValid() && v.canConvert<T>() ? v.value<T>() : fallback;
}

// A number within [lo, hi], else the fallback.
double readNumber(const QSettings& settings, const char* key, double fallback, double lo, double hi)
{
    bool ok = false;
    const double v = settings.value(QStringLiteral("figure/") + key).toDouble(&ok);
    return ok && v >= lo && v <= hi ? v : fallback;
}

} // namespace

QSizeF FigureSettings::points() const
{
    const double f = perPoint(unit, dpi);
    return {width * f, height * f};
}

QSize FigureSettings::pixels() const
{
    const QSizeF p = points();
    return {static_cast<int>(std::lround(p.width() * scale())),
            static_cast<int>(std::lround(p.height() * scale()))};
}

double FigureSettings::pointDiameter(int64_t rows, double plotArea) const
{
    if (pointSize > 0)
        return pointSize;
    const double share = plotArea / static_cast<double>(std::max<int64_t>(rows, 1));
    return std::clamp(0.5 * std::sqrt(share), 0.6, 6.0);
}

FigureSettings FigureSettings::load(const QSettings& settings)
{
    const FigureSettings d;
    FigureSettings s;
    s.style.fontFamily = read(settings, "fontFamily", d.style.fontFamily);
    s.style.fontSize = readNumber(settings, "fontSize", d.style.fontSize, 4, 48);
    s.style.opacity = readNumber(settings, "opacity", d.style.opacity, 0.05, 1);
    s.style.legend = placementNamed(read(settings, "legend", QString())).value_or(d.style.legend);
    s.style.legendCounts = read(settings, "legendCounts", d.style.legendCounts);
    s.style.points = shapesNamed(read(settings, "points", QString())).value_or(d.style.points);
    s.pointSize = readNumber(settings, "pointSize", d.pointSize, 0, 50);
    s.unit = read(settings, "unit", d.unit);
    if (s.unit != "mm" && s.unit != "in" && s.unit != "px")
        s.unit = d.unit;
    s.dpi = static_cast<int>(readNumber(settings, "dpi", d.dpi, 36, 1152));
    const double most = s.unit == "px" ? 20000 : s.unit == "in" ? 40 : 1000;
    s.width = readNumber(settings, "width", d.width, 1, most);
    s.height = readNumber(settings, "height", d.height, 1, most);
    s.fitData = read(settings, "fitData", d.fitData);
    return s;
}

void FigureSettings::save(QSettings& settings) const
{
    settings.setValue("figure/fontFamily", style.fontFamily);
    settings.setValue("figure/fontSize", style.fontSize);
    settings.setValue("figure/opacity", style.opacity);
    settings.setValue("figure/legend", placementName(style.legend));
    settings.setValue("figure/legendCounts", style.legendCounts);
    settings.setValue("figure/points", shapesName(style.points));
    settings.setValue("figure/pointSize", pointSize);
    settings.setValue("figure/width", width);
    settings.setValue("figure/height", height);
    settings.setValue("figure/unit", unit);
    settings.setValue("figure/dpi", dpi);
    settings.setValue("figure/fitData", fitData);
}

} // namespace clusterscope

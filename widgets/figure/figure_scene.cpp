#include "figure_scene.h"

#include <algorithm>
#include <array>
#include <limits>
#include <utility>

namespace clusterscope
{

QString legendText(const LegendEntry& entry)
{
    return entry.count < 0 ? entry.text : QString("%1 (%2)").arg(entry.text).arg(entry.count);
}

namespace
{

const std::array<std::pair<LegendPlacement, const char*>, 5> kPlacements{{
    {LegendPlacement::Auto, "auto"},
    {LegendPlacement::Right, "right"},
    {LegendPlacement::Bottom, "bottom"},
    {LegendPlacement::OnData, "on data"},
    {LegendPlacement::None, "none"},
}};

const std::array<std::pair<PointShapes, const char*>, 3> kShapes{{
    {PointShapes::Auto, "auto"},
    {PointShapes::Vector, "vector"},
    {PointShapes::Raster, "raster"},
}};

// A choice's name in `table`, and the choice a name stands for.
template <typename T, size_t N>
QString nameIn(const std::array<std::pair<T, const char*>, N>& table, T value)
{
    for (const auto& [choice, name] : table)
        if (choice == value)
            return name;
    return table.front().second;
}

template <typename T, size_t N>
std::optional<T> choiceIn(const std::array<std::pair<T, const char*>, N>& table,
                          const QString& name)
{
    for (const auto& [choice, text] : table)
        if (name == QLatin1String(text))
            return choice;
    return std::nullopt;
}

} // namespace

QString placementName(LegendPlacement placement)
{
    return nameIn(kPlacements, placement);
}

std::optional<LegendPlacement> placementNamed(const QString& name)
{
    return choiceIn(kPlacements, name);
}

QString shapesName(PointShapes shapes)
{
    return nameIn(kShapes, shapes);
}

std::optional<PointShapes> shapesNamed(const QString& name)
{
    return choiceIn(kShapes, name);
}

std::optional<QPointF> projectToDevice(const std::array<double, 16>& m, double x, double y,
                                       double z)
{
    const double w = m[12] * x + m[13] * y + m[14] * z + m[15];
    if (!(w > 0))
        return std::nullopt;
    return QPointF((m[0] * x + m[1] * y + m[2] * z + m[3]) / w,
                   (m[4] * x + m[5] * y + m[6] * z + m[7]) / w);
}

QPointF deviceToRect(const QRectF& rect, QPointF device)
{
    return {rect.left() + (device.x() + 1) / 2 * rect.width(),
            rect.top() + (1 - device.y()) / 2 * rect.height()};
}

std::optional<QPointF> projectToRect(const std::array<double, 16>& viewProjection, double x,
                                     double y, double z, const QRectF& rect)
{
    const auto device = projectToDevice(viewProjection, x, y, z);
    if (!device)
        return std::nullopt;
    return deviceToRect(rect, *device);
}

std::array<double, 16> fitOrthographic(const std::vector<float>& xyz, double aspect)
{
    double lo[2] = {std::numeric_limits<double>::infinity(),
                    std::numeric_limits<double>::infinity()};
    double hi[2] = {-lo[0], -lo[1]};
    for (size_t i = 0; i + 2 < xyz.size(); i += 3)
    {
        for (int a = 0; a < 2; ++a)
        {
            lo[a] = std::min(lo[a], static_cast<double>(xyz[i + static_cast<size_t>(a)]));
            hi[a] = std::max(hi[a], static_cast<double>(xyz[i + static_cast<size_t>(a)]));
        }
    }
    if (lo[0] > hi[0])
    {
        lo[0] = lo[1] = -1;
        hi[0] = hi[1] = 1;
    }
    const double cx = (lo[0] + hi[0]) / 2;
    const double cy = (lo[1] + hi[1]) / 2;
    double hw = std::max(1e-12, (hi[0] - lo[0]) / 2 * 1.05);
    double hh = std::max(1e-12, (hi[1] - lo[1]) / 2 * 1.05);
    // Equal units on both axes: widen whichever side is short for the aspect.
    if (hw / hh < aspect)
        hw = hh * aspect;
    else
        hh = hw / aspect;
    // z passes through unchanged, so that the matrix can be inverted for the axes.
    return {1 / hw, 0, 0, -cx / hw, 0, 1 / hh, 0, -cy / hh, 0, 0, 1, 0, 0, 0, 0, 1};
}

} // namespace clusterscope

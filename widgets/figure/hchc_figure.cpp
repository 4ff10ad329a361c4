#include "hchc_figure.h"

#include <clusterscope/metrics/metrics.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace clusterscope
{

namespace
{
constexpr double kDegree = std::numbers::pi / 180.0;
}

const double kLabelGap = 0.8;

std::vector<std::vector<QPointF>> hchcArcPoints(const std::vector<int64_t>& cycle,
                                                const std::vector<double>& angles)
{
    const size_t k = cycle.size();
    auto wrap = [](double a) { return std::fmod(std::fmod(a, 360.0) + 360.0, 360.0); };
    // The cycle runs counter-clockwise when its steps' counter-clockwise gaps sum to one turn.
    double ccw = 0;
    for (size_t j = 0; j < k; ++j)
        ccw += wrap(angles[static_cast<size_t>(cycle[(j + 1) % k])] -
                    angles[static_cast<size_t>(cycle[j])]);
    const double sign = std::abs(ccw - 360.0) < 1e-3 ? 1.0 : -1.0;
    std::vector<std::vector<QPointF>> arcs;
    for (size_t j = 0; j < k; ++j)
    {
        const double a = angles[static_cast<size_t>(cycle[j])];
        const double b = angles[static_cast<size_t>(cycle[(j + 1) % k])];
        const double gap = k == 1 ? 360.0 : (sign > 0 ? wrap(b - a) : wrap(a - b));
        const int steps = std::max(2, static_cast<int>(gap / 2.0));
        std::vector<QPointF> arc;
        for (int s = 0; s <= steps; ++s)
        {
            const double t = (a + sign * gap * s / steps) * kDegree;
            arc.emplace_back(std::cos(t), std::sin(t));
        }
        arcs.push_back(std::move(arc));
    }
    return arcs;
}

QColor hchcArcColor(size_t j)
{
    const int grey = j % 2 ? 110 : 160;
    return QColor(grey, grey, grey);
}

FigureScene hchcFigureScene(const HchcScene& scene, const std::vector<uint8_t>& rgb,
                            double pointSize, double markerSize, const QString& title)
{
    FigureScene f;
    const size_t n = scene.xy.size() / 2;
    for (size_t i = 0; i < n; ++i)
        f.xyz.insert(f.xyz.end(), {scene.xy[2 * i], scene.xy[2 * i + 1], 0.0f});
    f.rgb.assign(rgb.begin(), rgb.begin() + static_cast<long>(std::min(rgb.size(), n * 3)));
    f.showAxes = false;
    f.pointSize = pointSize;
    f.title = title;
    const auto& angles = scene.anchorAngles;
    if (angles.empty())
        return f;
    const auto arcs = hchcArcPoints(scene.cycle, angles);
    for (size_t j = 0; j < arcs.size(); ++j)
        f.paths.push_back({arcs[j], hchcArcColor(j), 2.0});
    const auto labelAngles =
        hchcLabelAngles(angles, kLabelGap * 360.0 / static_cast<double>(angles.size()));
    for (size_t c = 0; c < angles.size(); ++c)
    {
        const double t = angles[c] * kDegree;
        const double l = labelAngles[c] * kDegree;
        FigureMarker m;
        m.world = QPointF(std::cos(t), std::sin(t));
        m.labelDirection = QPointF(std::cos(l), std::sin(l));
        if (std::abs(labelAngles[c] - angles[c]) > 0.5)
            m.labelFrom = m.labelDirection;
        if (3 * c + 2 < scene.anchorRgb.size())
            m.color = QColor(scene.anchorRgb[3 * c], scene.anchorRgb[3 * c + 1],
                             scene.anchorRgb[3 * c + 2]);
        m.size = markerSize;
        m.label = c < scene.anchorLabels.size() ? scene.anchorLabels[c] : QString::number(c);
        f.markers.push_back(m);
    }
    return f;
}

std::vector<double> hchcLabelAngles(const std::vector<double>& anchorAngles, double minGap)
{
    const size_t k = anchorAngles.size();
    std::vector<size_t> order(k);
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return anchorAngles[a] < anchorAngles[b]; });
    // Angles along the sorted order, unwrapped; relaxation pushes each too-close pair apart
    // symmetrically (the last and the first across the seam, a turn apart).
    std::vector<double> t(k);
    for (size_t i = 0; i < k; ++i)
        t[i] = anchorAngles[order[i]];
    if (k < 2 || minGap * static_cast<double>(k) >= 360.0)
        return anchorAngles;
    for (int sweep = 0; sweep < 500; ++sweep)
    {
        bool moved = false;
        for (size_t i = 0; i < k; ++i)
        {
            const size_t j = (i + 1) % k;
            const double gap = j ? t[j] - t[i] : t[0] + 360.0 - t[i];
            if (gap < minGap - 1e-9)
            {
                const double push = (minGap - gap) / 2;
                t[i] -= push;
                t[j] += push;
                moved = true;
            }
        }
        if (!moved)
            break;
    }
    std::vector<double> out(k);
    for (size_t i = 0; i < k; ++i)
        out[order[i]] = t[i];
    return out;
}

std::vector<QString> hchcAnchorLabels(const std::vector<int64_t>& clusters,
                                      const std::vector<int64_t>& rows, const Dataset& data,
                                      int64_t k)
{
    std::vector<int64_t> sizes(static_cast<size_t>(k), 0);
    std::vector<int64_t> truth(clusters.size(), -1);
    for (size_t i = 0; i < clusters.size(); ++i)
    {
        if (clusters[i] >= 0 && clusters[i] < k)
            ++sizes[static_cast<size_t>(clusters[i])];
        if (data.hasLabels() && i < rows.size() && rows[i] >= 0 &&
            rows[i] < static_cast<int64_t>(data.labels.size()))
            truth[i] = data.labels[static_cast<size_t>(rows[i])];
    }
    const auto majority = majorityLabels(clusters, truth, k);
    std::vector<QString> labels;
    for (int64_t c = 0; c < k; ++c)
    {
        const auto& m = majority[static_cast<size_t>(c)];
        const int64_t size = sizes[static_cast<size_t>(c)];
        labels.push_back(m.label < 0 ? QString("%1 · %L2").arg(c).arg(size)
                                     : QString("%1 · %2 (%3%) · %L4")
                                           .arg(c)
                                           .arg(QString::fromStdString(data.labelText(m.label)))
                                           .arg(std::lround(100 * m.share))
                                           .arg(size));
    }
    return labels;
}

std::array<double, 16> hchcFitProjection(double aspect)
{
    // The circle's box widened for the labels beside the anchors at 0 and 180 degrees.
    return fitOrthographic({-1.6f, -1.3f, 0.0f, 1.6f, 1.3f, 0.0f}, aspect);
}

} // namespace clusterscope

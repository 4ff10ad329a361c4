#pragma once
// An HCHC layout as a figure: the unit circle's arcs between consecutive anchors of the cycle,
// each anchor a marker with its label, the samples as points. The GUI's HchcView draws the same
// pieces with VTK and exports through hchcFigureScene; clusterscope-cli plot --soft renders it
// headless.

#include "figure_scene.h"

#include <clusterscope/core/dataset.h>

#include <QColor>
#include <QPointF>
#include <QString>

#include <cstdint>
#include <vector>

namespace clusterscope
{

struct HchcScene
{
    std::vector<float> xy;             // N x 2 sample coordinates (inside the unit circle)
    std::vector<int64_t> cycle;        // the K cluster ids in cycle order
    std::vector<double> anchorAngles;  // K angles in degrees, indexed by cluster id
    std::vector<QString> anchorLabels; // K labels ("3 · Coat (81%) · 182"), by cluster id
    std::vector<uint8_t> anchorRgb;    // K x 3 anchor colours
    std::vector<uint8_t> outliers;     // N flags (1: ringed), or empty
};

// The circle as one polyline per arc between consecutive anchors of the cycle (x-y points).
std::vector<std::vector<QPointF>> hchcArcPoints(const std::vector<int64_t>& cycle,
                                                const std::vector<double>& angles);

// The arc's grey: alternating, so each arc reads as its own.
QColor hchcArcColor(size_t j);

// The figure of `scene` with the samples coloured `rgb` (N x 3): arcs as paths, anchors as
// markers of `markerSize` points with their labels. The caller sets the projection (the view's
// camera, or hchcFitProjection).
FigureScene hchcFigureScene(const HchcScene& scene, const std::vector<uint8_t>& rgb,
                            double pointSize, double markerSize, const QString& title);

// Each anchor's label, "3 · Coat (81%) · 6,982": the cluster id, the true label most of its
// rows carry and their share (when `data` has labels), and its size. `clusters` holds each
// laid-out row's cluster (0..k-1), `rows` its row in `data`.
std::vector<QString> hchcAnchorLabels(const std::vector<int64_t>& clusters,
                                      const std::vector<int64_t>& rows, const Dataset& data,
                                      int64_t k);

// The labels' least gap, as a fraction of an even spacing (360 / K degrees).
extern const double kLabelGap;

// Where the anchors' labels go round the circle (degrees, indexed as `anchorAngles`): at their
// anchors, except that labels closer than `minGap` degrees are pushed apart, keeping their
// order, until every two neighbours are at least `minGap` apart. Needs K * minGap < 360.
std::vector<double> hchcLabelAngles(const std::vector<double>& anchorAngles, double minGap);

// An orthographic projection of the unit circle with room around it for the anchors' labels.
std::array<double, 16> hchcFitProjection(double aspect);

} // namespace clusterscope

#pragma once
// A rule's conditions seen in the plane of two features: the half-planes a x + b y <= c it
// implies there, the part of a box inside all of them (the polyhedron's slice, for shading) and
// each boundary line within the box. Plain geometry: no widgets, no VTK.

#include <clusterscope/core/explanation.h>

#include <QPointF>
#include <QRectF>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace clusterscope
{

// a x + b y <= c (a strict ">" reads as ">=" here: a line has no width).
struct HalfPlane
{
    double a = 0;
    double b = 0;
    double c = 0;
};

// The conditions of `rule` on features x and y alone, as half-planes in (x, y); `skipped`
// (when given) counts those that involve any other feature and cannot be drawn in this plane.
std::vector<HalfPlane> halfPlanesOf(const Rule& rule, int64_t x, int64_t y, int* skipped = nullptr);

// The polygon of `box` inside every half-plane (Sutherland-Hodgman), counter-clockwise; empty
// when nothing of the box is inside.
std::vector<QPointF> clipBox(const QRectF& box, const std::vector<HalfPlane>& planes);

// The segment of the line a x + b y = c inside `box`, if it crosses the box.
std::optional<std::pair<QPointF, QPointF>> boundaryInBox(const QRectF& box, const HalfPlane& plane);

} // namespace clusterscope

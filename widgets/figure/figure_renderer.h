#pragma once
// Renders a FigureScene with QPainter: PNG (raster, at a scale), SVG and PDF (vector text,
// axes and legend; points as vector shapes up to kVectorPointLimit, above it as one embedded
// raster layer). Needs a QGuiApplication (the offscreen platform works: no display needed).

#include "figure_scene.h"

#include <QRectF>
#include <QSize>
#include <QString>

#include <functional>

class QPainter;

namespace clusterscope
{

constexpr int64_t kVectorPointLimit = 50000;

struct FigureOptions
{
    QSize size{900, 640}; // in points (1/72 in); PNG pixels at scale 1
    int scale = 1;        // PNG only: 1, 2 or 4
};

// Writes the figure; the format follows the extension (.png, .svg, .pdf). The write is
// atomic. Returns an empty string on success, else a message naming the problem.
QString renderFigure(const FigureScene& scene, const QString& path, const FigureOptions& options);

// Any painting (a chart) written as renderFigure writes figures: `paint` draws into a
// `size`-point page; its bool is true for the vector formats (SVG, PDF).
QString renderPainting(const QString& path, const FigureOptions& options, const QString& title,
                       const std::function<void(QPainter&, QSizeF, bool)>& paint);

// Paints a vertical viridis bar in `bar`, with its low and high values beside it.
void paintColorBar(QPainter& painter, const QRectF& bar, double lo, double hi);

// Paints the figure into `painter` over a canvas of `size` (used by every format).
void paintFigure(QPainter& painter, const FigureScene& scene, QSizeF size, bool vectorPoints);

} // namespace clusterscope

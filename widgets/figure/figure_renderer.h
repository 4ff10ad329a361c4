#pragma once
// Renders a FigureScene with QPainter: PNG (raster, at a scale), SVG and PDF (vector text,
// axes and legend; points as vector shapes up to kVectorPointLimit, above it as one embedded
// raster layer). Needs a QGuiApplication (the offscreen platform works: no display needed).

#include "figure_scene.h"

#include <QRectF>
#include <QSize>
#include <QString>

#include <functional>

class QFont;
class QPainter;

namespace clusterscope
{

constexpr int64_t kVectorPointLimit = 50000;

struct FigureOptions
{
    QSizeF size{900, 640}; // in points (1/72 in); PNG pixels at scale 1
    double scale = 1;      // PNG only: pixels per point (dpi / 72), 0.5 to 16
};

// Writes the figure; the format follows the extension (.png, .svg, .pdf). The write is
// atomic. Returns an empty string on success, else a message naming the problem.
QString renderFigure(const FigureScene& scene, const QString& path, const FigureOptions& options);

// Any painting (a chart) written as renderFigure writes figures: `paint` draws into a
// `size`-point page; its bool is true for the vector formats (SVG, PDF).
QString renderPainting(const QString& path, const FigureOptions& options, const QString& title,
                       const std::function<void(QPainter&, QSizeF, bool)>& paint);

// Paints a vertical bar of the continuous palette in `bar`, with its low, middle and high
// values beside it in `font`.
void paintColorBar(QPainter& painter, const QRectF& bar, double lo, double hi, const QFont& font);

// Paints the figure into `painter` over a canvas of `size` points (used by every format and
// the figure dialog's preview). `vectorFormat`: SVG or PDF, whose points follow
// scene.style.points; a raster canvas draws every point.
void paintFigure(QPainter& painter, const FigureScene& scene, QSizeF size, bool vectorFormat);

// Where the points go in a `size` figure: the plot box inside the axes, title and legend.
QRectF plotRect(const FigureScene& scene, QSizeF size);

// Sets the scene's projection to fit the points' x-y bounds with one scale on both axes, and
// its aspect to theirs (between 1:4 and 4:1), so that the plot box has the data's shape ("axes
// fit the data"; 2D scenes).
void fitToData(FigureScene& scene);

} // namespace clusterscope

#pragma once
// The figure dialog's settings: the style (figure_scene.h), the point size, the page size in
// millimetres, inches or pixels with its DPI, and whether the axes fit the data or keep the
// view's zoom. Kept in QSettings under "figure/", so the next figure starts from the last one's.

#include "figure_scene.h"

#include <QSettings>
#include <QSizeF>
#include <QString>

#include <cstdint>

namespace clusterscope
{

struct FigureSettings
{
    // Papers read best with 8-point text, no row counts in the legend, opaque points.
    FigureStyle style = []
    {
        FigureStyle s;
        s.fontSize = 8;
        s.legendCounts = false;
        return s;
    }();
    double pointSize = 0; // diameter in points; 0: fitted to the plot's area per point
    // A two-column figure: 180 x 120 mm at 300 dpi (2126 x 1417 pixels).
    double width = 180;
    double height = 120;
    QString unit = "mm"; // "mm", "in" or "px" (pixels at `dpi`)
    int dpi = 300;
    bool fitData = true; // the axes fit the data; false: the view's current zoom

    // The page in points (1/72 in), and a PNG's pixels per point.
    QSizeF points() const;
    double scale() const { return dpi / 72.0; }
    // The PNG's size in pixels.
    QSize pixels() const;
    // The point size drawn in a `points`-sized figure of `rows` points whose plot area is
    // `plotArea` square points: pointSize, or when 0, about half the side of each point's
    // share of the area, between 0.6 and 6 points.
    double pointDiameter(int64_t rows, double plotArea) const;

    // Saved values over the defaults; a value out of range or of the wrong type is ignored.
    static FigureSettings load(const QSettings& settings);
    void save(QSettings& settings) const;

    bool operator==(const FigureSettings&) const = default;
};

} // namespace clusterscope

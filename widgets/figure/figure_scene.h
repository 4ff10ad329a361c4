#pragma once
// A figure described without widgets or VTK: points, their colours, how to project them, and
// the legend. The GUI builds one from its view's camera, clusterscope-cli from the data; both
// render it the same way (figure_renderer.h).

#include <QColor>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace clusterscope
{

struct LegendEntry
{
    QColor color;
    QString text;       // the category: "3", "3 · Sneakers", "noise", a label's name
    int64_t count = -1; // its rows, shown as "text (count)"; -1: not counted
    int64_t id = 0;     // what it stands for: a cluster id, a label's code, a category's code
};

// "text (count)", or the text alone when the entry is not counted.
QString legendText(const LegendEntry& entry);

// Where a figure's legend goes (scanpy's legend_loc, in part): beside the plot, below it, each
// category's name on its points (at the median of their positions), or nowhere. Auto: beside
// the plot while its entries fit three columns, else on the data.
enum class LegendPlacement
{
    Auto,
    Right,
    Bottom,
    OnData,
    None,
};

// How SVG and PDF draw the points: Auto as shapes up to kVectorPointLimit (figure_renderer.h)
// and as one embedded PNG layer above it; Vector always shapes; Raster always the layer.
enum class PointShapes
{
    Auto,
    Vector,
    Raster,
};

// How a figure looks, apart from what it shows: the figure dialog's choices.
struct FigureStyle
{
    QString fontFamily;  // empty: the platform's sans-serif
    double fontSize = 9; // points: ticks and legend; axis titles 1 larger, the title 3
    double opacity = 1;  // of the points, in (0, 1]; background rows a third of it
    LegendPlacement legend = LegendPlacement::Auto;
    bool legendCounts = true; // "(rows)" after each legend entry
    PointShapes points = PointShapes::Auto;

    bool operator==(const FigureStyle&) const = default;
};

// "auto", "right", "bottom", "on data", "none"; "auto", "vector", "raster" (settings, CLI).
QString placementName(LegendPlacement placement);
std::optional<LegendPlacement> placementNamed(const QString& name);
QString shapesName(PointShapes shapes);
std::optional<PointShapes> shapesNamed(const QString& name);

// A polyline over the points (a layout's arcs), in world x-y at z = 0.
struct FigurePath
{
    std::vector<QPointF> world;
    QColor color;
    double width = 1; // in points
};

// A marker over the points (a layout's anchor) with its label set off along `labelDirection`
// (a unit vector, y up as in world coordinates); drawn as vector shapes and text.
struct FigureMarker
{
    QPointF world;
    QColor color;
    double size = 10; // diameter in points
    QString label;
    QPointF labelDirection{0, 1};
    // Where the label is set off from, when not the marker (a world point; labels of markers
    // too close to read are spread apart): a thin leader line joins it to the marker.
    std::optional<QPointF> labelFrom;
};

struct FigureScene
{
    std::vector<float> xyz;   // N x 3
    std::vector<uint8_t> rgb; // N x 3
    // Row-major 4 x 4 matrix from world coordinates to normalised device coordinates
    // ([-1, 1] on both axes), as VTK's camera composes it.
    std::array<double, 16> viewProjection{};
    double aspect = 1.4;  // width / height of the view the matrix was made for
    bool showAxes = true; // 2D views: axes with ticks in world coordinates
    double pointSize = 3; // in points at scale 1
    QString title;
    QString xLabel = "PC 1";
    QString yLabel = "PC 2";
    QString legendTitle;
    std::vector<LegendEntry> legend;
    // A continuous colouring shows a colour bar instead of legend entries.
    bool colorBar = false;
    double colorBarMin = 0;
    double colorBarMax = 1;
    // Rows drawn faint and first, under the others (noise, rows a run did not cluster), so
    // that they never hide a cluster; one flag per row, or empty: none.
    std::vector<uint8_t> background;
    // Each row's legend entry (an index into `legend`, -1: none), for legends on the data;
    // empty: none.
    std::vector<int32_t> category;
    FigureStyle style;
    std::vector<FigurePath> paths;     // drawn over the points
    std::vector<FigureMarker> markers; // drawn over the paths, labels last

    int64_t count() const { return static_cast<int64_t>(xyz.size() / 3); }
};

// World point to normalised device coordinates through a row-major view-projection matrix
// (FigureScene::viewProjection, EmbeddingView::viewProjection). Nothing for a point on or behind
// the camera (clip w <= 0): a perspective divide would mirror it into the picture.
std::optional<QPointF> projectToDevice(const std::array<double, 16>& viewProjection, double x,
                                       double y, double z);

// Normalised device coordinates ([-1, 1], y up) to a place in `rect` (y grows downwards, as on
// screen and paper). Points outside [-1, 1] land outside `rect`.
QPointF deviceToRect(const QRectF& rect, QPointF device);

// The two above: where a world point is drawn in `rect`, or nothing when it is behind the
// camera. The one projection the view, its box selection and the figure renderer share.
std::optional<QPointF> projectToRect(const std::array<double, 16>& viewProjection, double x,
                                     double y, double z, const QRectF& rect);

// An orthographic view that fits the points' x-y bounds with a margin (headless 2D figures).
std::array<double, 16> fitOrthographic(const std::vector<float>& xyz, double aspect);

} // namespace clusterscope

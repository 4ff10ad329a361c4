#include "figure_renderer.h"

#include "axis_ticks.h"
#include "palette.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/output.h>

#include <QBuffer>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QImage>
#include <QLinearGradient>
#include <QMatrix4x4>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QPolygonF>
#include <QSvgGenerator>

#include <cmath>

namespace clusterscope
{

namespace
{

constexpr int kLegendMaxColumns = 3;

// The style's font, `delta` points larger.
QFont styleFont(const FigureStyle& style, double delta = 0, bool bold = false)
{
    QFont font;
    font.setStyleHint(QFont::SansSerif);
    font.setFamily(style.fontFamily.isEmpty() ? QStringLiteral("sans-serif") : style.fontFamily);
    font.setPointSizeF(std::max(1.0, style.fontSize + delta));
    font.setBold(bold);
    return font;
}

// Lengths that grow with the font (at 9 points: a 17-point legend row, a 22-point heading).
double legendRow(const FigureStyle& style)
{
    return style.fontSize * 1.9;
}
double legendHeading(const FigureStyle& style)
{
    return style.fontSize * 2.45;
}

QString entryText(const FigureScene& scene, const LegendEntry& entry)
{
    return scene.style.legendCounts ? legendText(entry) : entry.text;
}

// How the legend's entries are set: in columns, filled top to bottom, each as wide as the
// longest entry; `capacity` entries fit (the last says "... N more" when there are more).
struct LegendGrid
{
    int rows = 0;
    int columns = 0;
    double columnWidth = 0;
    double width() const { return columns * columnWidth; }
    size_t capacity() const { return static_cast<size_t>(rows * columns); }
};

double widestEntry(const FigureScene& scene)
{
    const QFontMetricsF metrics(styleFont(scene.style));
    double widest = 0;
    for (const auto& e : scene.legend)
        widest = std::max(widest, metrics.horizontalAdvance(entryText(scene, e)));
    const double swatch = scene.style.fontSize * 2;
    const double heading =
        QFontMetricsF(styleFont(scene.style, 1, true)).horizontalAdvance(scene.legendTitle);
    return std::max(std::min(widest, 220.0) + swatch + scene.style.fontSize, heading + 8);
}

// Beside the plot: as many columns as `height` needs, up to kLegendMaxColumns.
LegendGrid sideGrid(const FigureScene& scene, double height)
{
    LegendGrid g;
    const auto n = static_cast<int>(scene.legend.size());
    g.columnWidth = widestEntry(scene);
    g.rows = std::max(
        1, static_cast<int>((height - legendHeading(scene.style)) / legendRow(scene.style)));
    g.columns = std::max(1, std::min(kLegendMaxColumns, (n + g.rows - 1) / g.rows));
    if (n <= g.rows * g.columns)
        g.rows = (n + g.columns - 1) / g.columns; // balanced columns
    return g;
}

// Below the plot: as many columns as `width` holds, and the rows they need, up to a third of
// `height`.
LegendGrid bottomGrid(const FigureScene& scene, double width, double height)
{
    LegendGrid g;
    const auto n = static_cast<int>(scene.legend.size());
    g.columnWidth = widestEntry(scene);
    g.columns = std::max(1, std::min(n, static_cast<int>(width / g.columnWidth)));
    const int fit = std::max(
        1, static_cast<int>((height / 3 - legendHeading(scene.style)) / legendRow(scene.style)));
    g.rows = std::min(fit, (n + g.columns - 1) / g.columns);
    return g;
}

struct Layout
{
    QRectF plot;   // where the points go
    QRectF legend; // empty when the legend is not set apart
    QRectF title;
    LegendGrid grid;
    LegendPlacement placement = LegendPlacement::None;
};

// The margins around the plot area for the axes and the title.
QMarginsF frame(const FigureScene& scene)
{
    const double f = scene.style.fontSize;
    return {scene.showAxes ? f * 4.5 + 24 : 16, scene.title.isEmpty() ? 16 : f * 2.6 + 16, 16,
            scene.showAxes ? f * 3.5 + 16 : 16};
}

Layout layout(const FigureScene& scene, QSizeF size)
{
    Layout l;
    const QMarginsF m = frame(scene);
    const double innerHeight = size.height() - m.top() - m.bottom();
    LegendPlacement placement = scene.style.legend;
    if (scene.colorBar)
        placement = placement == LegendPlacement::None ? placement : LegendPlacement::Right;
    else if (scene.legend.empty())
        placement = LegendPlacement::None;
    else if (placement == LegendPlacement::Auto)
    {
        const LegendGrid side = sideGrid(scene, innerHeight);
        const bool fits =
            side.columns <= kLegendMaxColumns && side.capacity() >= scene.legend.size();
        placement = fits || scene.category.size() != static_cast<size_t>(scene.count())
                        ? LegendPlacement::Right
                        : LegendPlacement::OnData;
    }
    l.placement = placement;
    double right = 0, below = 0;
    if (placement == LegendPlacement::Right)
    {
        l.grid = sideGrid(scene, innerHeight);
        right = scene.colorBar ? scene.style.fontSize * 13 : l.grid.width() + 8;
    }
    else if (placement == LegendPlacement::Bottom)
    {
        l.grid = bottomGrid(scene, size.width() - 32, size.height());
        below = legendHeading(scene.style) + l.grid.rows * legendRow(scene.style) + 8;
    }
    const QRectF area(m.left(), m.top(), size.width() - m.left() - right - m.right(),
                      size.height() - m.top() - m.bottom() - below);
    // Keep the aspect the projection was made for: centre a box of that shape in the area.
    const double aspect = scene.aspect > 0 ? scene.aspect : 1;
    QSizeF box = area.size();
    if (box.width() / box.height() > aspect)
        box.setWidth(box.height() * aspect);
    else
        box.setHeight(box.width() / aspect);
    l.plot = QRectF(area.left() + (area.width() - box.width()) / 2,
                    area.top() + (area.height() - box.height()) / 2, box.width(), box.height());
    if (placement == LegendPlacement::Right)
    {
        // The plot and its legend side by side, the pair centred on the page.
        const double pair = m.left() + box.width() + m.right() + right;
        l.plot.moveLeft(m.left() + std::max(0.0, (size.width() - pair) / 2));
        l.legend = QRectF(l.plot.right() + m.right(), m.top(), right - 8, innerHeight);
    }
    else if (placement == LegendPlacement::Bottom)
        l.legend = QRectF(16, size.height() - below, size.width() - 32, below);
    // The title over the plot's centre.
    l.title = QRectF(l.plot.center().x() - size.width() / 2, 0, size.width(), m.top());
    return l;
}

QMatrix4x4 matrixOf(const FigureScene& scene)
{
    const auto& m = scene.viewProjection;
    return QMatrix4x4(static_cast<float>(m[0]), static_cast<float>(m[1]), static_cast<float>(m[2]),
                      static_cast<float>(m[3]), static_cast<float>(m[4]), static_cast<float>(m[5]),
                      static_cast<float>(m[6]), static_cast<float>(m[7]), static_cast<float>(m[8]),
                      static_cast<float>(m[9]), static_cast<float>(m[10]),
                      static_cast<float>(m[11]), static_cast<float>(m[12]),
                      static_cast<float>(m[13]), static_cast<float>(m[14]),
                      static_cast<float>(m[15]));
}

// Normalised device coordinates to the plot rectangle (y grows downwards on paper).
QPointF toPlot(const QRectF& plot, double nx, double ny)
{
    return deviceToRect(plot, {nx, ny});
}

std::vector<QPointF> project(const FigureScene& scene, const QRectF& plot,
                             std::vector<bool>& inside)
{
    const auto n = static_cast<size_t>(scene.count());
    std::vector<QPointF> out(n);
    inside.assign(n, false);
    for (size_t i = 0; i < n; ++i)
    {
        const auto device = projectToDevice(scene.viewProjection, scene.xyz[3 * i],
                                            scene.xyz[3 * i + 1], scene.xyz[3 * i + 2]);
        if (!device)
            continue; // behind the camera
        inside[i] = device->x() >= -1 && device->x() <= 1 && device->y() >= -1 && device->y() <= 1;
        out[i] = deviceToRect(plot, *device);
    }
    return out;
}

// The background rows (FigureScene::background) first and faint, then the others over them.
void drawPoints(QPainter& p, const FigureScene& scene, const std::vector<QPointF>& at,
                const std::vector<bool>& inside, double radius)
{
    p.setPen(Qt::NoPen);
    const bool layered = scene.background.size() == at.size();
    const double opacity = std::clamp(scene.style.opacity, 0.01, 1.0);
    for (const int pass : {0, 1})
    {
        if (pass == 0 && !layered)
            continue;
        QRgb current = 0;
        bool first = true;
        for (size_t i = 0; i < at.size(); ++i)
        {
            if (!inside[i] || (layered && (scene.background[i] != 0) != (pass == 0)))
                continue;
            const QRgb c = qRgb(scene.rgb[3 * i], scene.rgb[3 * i + 1], scene.rgb[3 * i + 2]);
            if (first || c != current)
            {
                QColor colour(c);
                colour.setAlphaF(static_cast<float>(pass == 0 ? opacity / 3 : opacity));
                p.setBrush(colour);
                current = c;
                first = false;
            }
            p.drawEllipse(at[i], radius, radius);
        }
    }
}

void drawAxes(QPainter& p, const FigureScene& scene, const QRectF& plot)
{
    bool invertible = false;
    const QMatrix4x4 inverse = matrixOf(scene).inverted(&invertible);
    if (!invertible)
        return;
    auto world = [&](double nx, double ny)
    { return inverse.map(QVector3D(float(nx), float(ny), 0)); };
    const double x0 = world(-1, 0).x(), x1 = world(1, 0).x();
    const double y0 = world(0, -1).y(), y1 = world(0, 1).y();
    const double f = scene.style.fontSize;
    const QFontMetricsF metrics(styleFont(scene.style));
    p.setFont(styleFont(scene.style));
    p.setPen(QPen(QColor(60, 60, 60), 0.8));
    const auto& m = scene.viewProjection;
    for (double t : niceTicks(std::min(x0, x1), std::max(x0, x1)))
    {
        const double nx = m[0] * t + m[3];
        const QPointF at = toPlot(plot, nx, -1);
        p.drawLine(at, at + QPointF(0, 4));
        p.drawText(QRectF(at.x() - 5 * f, at.y() + 6, 10 * f, metrics.height()),
                   Qt::AlignHCenter | Qt::AlignTop, tickLabel(t));
    }
    double widest = 0; // of the y ticks' labels, so that the axis title clears them
    for (double t : niceTicks(std::min(y0, y1), std::max(y0, y1)))
    {
        const double ny = m[5] * t + m[7];
        const QPointF at = toPlot(plot, -1, ny);
        const QString text = tickLabel(t);
        widest = std::max(widest, metrics.horizontalAdvance(text));
        p.drawLine(at, at - QPointF(4, 0));
        p.drawText(
            QRectF(at.x() - 6 - 6 * f, at.y() - metrics.height() / 2, 6 * f, metrics.height()),
            Qt::AlignRight | Qt::AlignVCenter, text);
    }
    p.setFont(styleFont(scene.style, 1));
    const double line = QFontMetricsF(styleFont(scene.style, 1)).height();
    p.drawText(QRectF(plot.left(), plot.bottom() + 8 + metrics.height() + 4, plot.width(), line),
               Qt::AlignHCenter, scene.xLabel);
    p.save();
    p.translate(std::max(line / 2, plot.left() - 6 - widest - 6 - line / 2), plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, -line / 2, plot.height(), line), Qt::AlignHCenter,
               scene.yLabel);
    p.restore();
}

void drawLegend(QPainter& p, const FigureScene& scene, const QRectF& box, const LegendGrid& grid)
{
    const FigureStyle& style = scene.style;
    p.setFont(styleFont(style, 1, true));
    p.setPen(QColor(20, 20, 20));
    const double top = box.top() + legendHeading(style);
    p.drawText(QRectF(box.left(), box.top(), box.width(), legendHeading(style) - 4),
               Qt::AlignLeft | Qt::AlignVCenter, scene.legendTitle);
    if (scene.colorBar)
    {
        paintColorBar(p,
                      QRectF(box.left() + 2, top + 4, style.fontSize * 1.8,
                             std::min(220.0, box.bottom() - top - 8)),
                      scene.colorBarMin, scene.colorBarMax, styleFont(style));
        return;
    }
    p.setFont(styleFont(style));
    const QFontMetricsF metrics(styleFont(style));
    const double row = legendRow(style);
    const double radius = style.fontSize * 0.55;
    const size_t shown =
        scene.legend.size() > grid.capacity() ? grid.capacity() - 1 : scene.legend.size();
    for (size_t i = 0; i <= shown && i < scene.legend.size(); ++i)
    {
        const auto r = static_cast<double>(i % static_cast<size_t>(grid.rows));
        const auto c = static_cast<double>(i / static_cast<size_t>(grid.rows));
        const QRectF cell(box.left() + c * grid.columnWidth, top + r * row,
                          grid.columnWidth - style.fontSize, row);
        if (i == shown)
        {
            p.drawText(cell, Qt::AlignLeft | Qt::AlignVCenter,
                       QString("... %1 more").arg(scene.legend.size() - shown));
            break;
        }
        const auto& e = scene.legend[i];
        p.setPen(e.color.darker(130));
        p.setBrush(e.color);
        p.drawEllipse(QPointF(cell.left() + radius + 1, cell.center().y()), radius, radius);
        p.setPen(QColor(20, 20, 20));
        const QRectF text = cell.adjusted(style.fontSize * 2, 0, 0, 0);
        p.drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                   metrics.elidedText(entryText(scene, e), Qt::ElideRight, text.width()));
    }
}

// Moves overlapping label boxes apart (after ggrepel's idea, without its forces): each pass
// pushes every overlapping pair apart along the axis they overlap less on, half each, and
// keeps the boxes inside `bounds`; it stops when nothing overlaps, or after 400 passes.
// Deterministic: boxes in order, ties broken by index.
void separateLabels(std::vector<QRectF>& boxes, const QRectF& bounds)
{
    auto keepInside = [&bounds](QRectF& b)
    {
        b.moveLeft(std::clamp(b.left(), bounds.left(),
                              std::max(bounds.left(), bounds.right() - b.width())));
        b.moveTop(std::clamp(b.top(), bounds.top(),
                             std::max(bounds.top(), bounds.bottom() - b.height())));
    };
    for (int pass = 0; pass < 400; ++pass)
    {
        bool moved = false;
        for (size_t i = 0; i < boxes.size(); ++i)
            for (size_t j = i + 1; j < boxes.size(); ++j)
            {
                if (!boxes[i].intersects(boxes[j]))
                    continue;
                const QPointF d = boxes[j].center() - boxes[i].center();
                const double overlapX = (boxes[i].width() + boxes[j].width()) / 2 - std::abs(d.x());
                const double overlapY =
                    (boxes[i].height() + boxes[j].height()) / 2 - std::abs(d.y());
                QPointF push;
                if (overlapX < overlapY)
                    push = QPointF((d.x() < 0 ? -1 : 1) * (overlapX / 2 + 0.5), 0);
                else
                    push = QPointF(0, (d.y() < 0 || (d.y() == 0 && j % 2 == 0) ? -1 : 1) *
                                          (overlapY / 2 + 0.5));
                boxes[i].translate(-push);
                boxes[j].translate(push);
                keepInside(boxes[i]);
                keepInside(boxes[j]);
                moved = true;
            }
        if (!moved)
            break;
    }
}

// Each category's name on its points: at the median of their positions in the plot (robust to
// a few strays), in a white box so that it reads over any colour; boxes that would overlap are
// pushed apart and joined to their points by a thin line. Categories whose rows are all
// background (noise) are not named.
void drawOnData(QPainter& p, const FigureScene& scene, const std::vector<QPointF>& at,
                const std::vector<bool>& inside, const QRectF& plot)
{
    std::vector<std::vector<double>> xs(scene.legend.size()), ys(scene.legend.size());
    for (size_t i = 0; i < at.size() && i < scene.category.size(); ++i)
    {
        const int32_t c = scene.category[i];
        const bool background = i < scene.background.size() && scene.background[i] != 0;
        if (!inside[i] || background || c < 0 || static_cast<size_t>(c) >= xs.size())
            continue;
        xs[static_cast<size_t>(c)].push_back(at[i].x());
        ys[static_cast<size_t>(c)].push_back(at[i].y());
    }
    auto median = [](std::vector<double>& v)
    {
        std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() / 2), v.end());
        return v[v.size() / 2];
    };
    const QFont font = styleFont(scene.style, 0, true);
    const QFontMetricsF metrics(font);
    std::vector<size_t> named;
    std::vector<QPointF> anchors;
    std::vector<QRectF> boxes;
    for (size_t c = 0; c < xs.size(); ++c)
    {
        if (xs[c].empty())
            continue;
        named.push_back(c);
        anchors.emplace_back(median(xs[c]), median(ys[c]));
        const QSizeF size = metrics.size(0, scene.legend[c].text) + QSizeF(4, 0);
        boxes.emplace_back(anchors.back() - QPointF(size.width() / 2, size.height() / 2), size);
    }
    separateLabels(boxes, plot);
    p.save();
    p.setClipRect(plot);
    p.setFont(font);
    for (size_t i = 0; i < named.size(); ++i)
    {
        const LegendEntry& entry = scene.legend[named[i]];
        if (!boxes[i].contains(anchors[i]))
        {
            // Moved off its points: a thin line from the points to the label's nearest edge.
            const QPointF edge(std::clamp(anchors[i].x(), boxes[i].left(), boxes[i].right()),
                               std::clamp(anchors[i].y(), boxes[i].top(), boxes[i].bottom()));
            p.setPen(QPen(QColor(60, 60, 60), 0.6));
            p.drawLine(anchors[i], edge);
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(60, 60, 60));
            p.drawEllipse(anchors[i], 1.2, 1.2);
        }
        p.setPen(QPen(entry.color.darker(120), 0.8));
        p.setBrush(QColor(255, 255, 255, 215));
        p.drawRoundedRect(boxes[i], 2, 2);
        p.setPen(QColor(20, 20, 20));
        p.drawText(boxes[i], Qt::AlignCenter, entry.text);
    }
    p.restore();
}

} // namespace

namespace
{
// The scene's paths and markers, as vector lines, circles and text.
void drawMarks(QPainter& p, const FigureScene& scene, const QRectF& plot)
{
    p.save();
    p.setClipRect(plot);
    for (const auto& path : scene.paths)
    {
        QPolygonF line;
        for (const auto& w : path.world)
            if (auto at = projectToRect(scene.viewProjection, w.x(), w.y(), 0, plot))
                line << *at;
        p.setPen(QPen(path.color, path.width, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        p.setBrush(Qt::NoBrush);
        p.drawPolyline(line);
    }
    QFont font = p.font();
    font.setPointSizeF(8);
    font.setBold(true);
    p.setFont(font);
    const QFontMetricsF metrics(font);
    for (const auto& m : scene.markers)
    {
        const auto at = projectToRect(scene.viewProjection, m.world.x(), m.world.y(), 0, plot);
        if (!at)
            continue;
        p.setPen(QPen(QColor(40, 40, 40), 1.2));
        p.setBrush(m.color);
        p.drawEllipse(*at, m.size / 2, m.size / 2);
        if (m.label.isEmpty())
            continue;
        const QSizeF box = metrics.size(0, m.label) + QSizeF(6, 2);
        const double reach = m.size / 2 + 4 + 0.5 * std::hypot(box.width(), box.height());
        const auto from = m.labelFrom ? projectToRect(scene.viewProjection, m.labelFrom->x(),
                                                      m.labelFrom->y(), 0, plot)
                                      : at;
        const QPointF origin = from ? *from : *at;
        const QPointF centre(origin.x() + m.labelDirection.x() * reach,
                             origin.y() - m.labelDirection.y() * reach);
        const QRectF rect(centre - QPointF(box.width() / 2, box.height() / 2), box);
        if (m.labelFrom)
        {
            // From the marker's rim, so the line does not cross the marker.
            const QPointF towards = centre - *at;
            const double length = std::hypot(towards.x(), towards.y());
            if (length > m.size / 2)
            {
                p.setPen(QPen(QColor(120, 120, 120), 0.6));
                p.drawLine(*at + towards * (m.size / 2 / length), centre);
            }
        }
        p.setPen(QPen(QColor(136, 136, 136), 0.8));
        p.setBrush(QColor(255, 255, 255, 210));
        p.drawRoundedRect(rect, 2, 2);
        p.setPen(QColor(20, 20, 20));
        p.drawText(rect, Qt::AlignCenter, m.label);
    }
    p.restore();
}
} // namespace

void paintFigure(QPainter& p, const FigureScene& scene, QSizeF size, bool vectorFormat)
{
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    const Layout l = layout(scene, size);
    std::vector<bool> inside;
    const auto at = project(scene, l.plot, inside);
    const double radius = scene.pointSize / 2;
    const bool shapes =
        !vectorFormat || scene.style.points == PointShapes::Vector ||
        (scene.style.points == PointShapes::Auto && scene.count() <= kVectorPointLimit);
    if (shapes)
    {
        p.save();
        p.setClipRect(l.plot);
        drawPoints(p, scene, at, inside, radius);
        p.restore();
    }
    else
    {
        // One raster layer at 4 px per point, so files stay small and fast.
        const int factor = 4;
        QImage layer((l.plot.size() * factor).toSize(), QImage::Format_ARGB32_Premultiplied);
        layer.fill(Qt::transparent);
        QPainter lp(&layer);
        lp.setRenderHint(QPainter::Antialiasing);
        lp.scale(factor, factor);
        lp.translate(-l.plot.topLeft());
        drawPoints(lp, scene, at, inside, radius);
        lp.end();
        // Lossless: Qt's PDF writer stores images as JPEG unless asked not to, and JPEG smears
        // small points.
        p.save();
        p.setRenderHint(QPainter::LosslessImageRendering);
        p.drawImage(l.plot, layer);
        p.restore();
    }
    drawMarks(p, scene, l.plot);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(QColor(90, 90, 90), 0.8));
    p.drawRect(l.plot);
    if (scene.showAxes)
        drawAxes(p, scene, l.plot);
    if (!scene.title.isEmpty())
    {
        p.setFont(styleFont(scene.style, 3, true));
        p.setPen(QColor(20, 20, 20));
        p.drawText(l.title, Qt::AlignCenter, scene.title);
    }
    if (l.placement == LegendPlacement::OnData)
        drawOnData(p, scene, at, inside, l.plot);
    else if (!l.legend.isEmpty())
        drawLegend(p, scene, l.legend, l.grid);
}

QRectF plotRect(const FigureScene& scene, QSizeF size)
{
    return layout(scene, size).plot;
}

void fitToData(FigureScene& scene)
{
    // The plot box takes the data's shape (x and y keep one scale, as distances in an
    // embedding should); the layout centres it in the area beside the axes and legend.
    float lo[2] = {0, 0}, hi[2] = {0, 0};
    for (int64_t i = 0; i < scene.count(); ++i)
        for (int a = 0; a < 2; ++a)
        {
            const float v = scene.xyz[static_cast<size_t>(3 * i + a)];
            lo[a] = i == 0 ? v : std::min(lo[a], v);
            hi[a] = i == 0 ? v : std::max(hi[a], v);
        }
    const double w = hi[0] - lo[0], h = hi[1] - lo[1];
    scene.aspect = w > 0 && h > 0 ? std::clamp(w / h, 0.25, 4.0) : 1.0;
    scene.viewProjection = fitOrthographic(scene.xyz, scene.aspect);
}

void paintColorBar(QPainter& p, const QRectF& bar, double lo, double hi, const QFont& font)
{
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 8; ++i)
        gradient.setColorAt(i / 8.0, continuousColor(i / 8.0));
    p.setPen(QPen(QColor(90, 90, 90), 0.6));
    p.setBrush(gradient);
    p.drawRect(bar);
    p.setFont(font);
    p.setPen(QColor(20, 20, 20));
    const double h = QFontMetricsF(font).height();
    const QRectF label(bar.right() + 6, 0, 100, h);
    p.drawText(label.translated(0, bar.top() - h / 2), Qt::AlignLeft | Qt::AlignVCenter,
               QString::number(hi, 'g', 4));
    p.drawText(label.translated(0, bar.center().y() - h / 2), Qt::AlignLeft | Qt::AlignVCenter,
               QString::number((lo + hi) / 2, 'g', 4));
    p.drawText(label.translated(0, bar.bottom() - h / 2), Qt::AlignLeft | Qt::AlignVCenter,
               QString::number(lo, 'g', 4));
}

QString renderPainting(const QString& path, const FigureOptions& o, const QString& title,
                       const std::function<void(QPainter&, QSizeF, bool)>& paint)
{
    const QString ext = QFileInfo(path).suffix().toLower();
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    const QSizeF size = o.size;
    if (ext == "png")
    {
        if (!(o.scale >= 0.5 && o.scale <= 16))
            return QStringLiteral("scale %1 is outside 0.5 to 16 (36 to 1152 dpi)").arg(o.scale);
        if (!(size.width() >= 1 && size.height() >= 1))
            return QStringLiteral("a figure of %1 x %2 points is too small to draw")
                .arg(size.width())
                .arg(size.height());
        // Paint at 72 dpi (1 point = 1 pixel) with the painter scaled; only the saved file says
        // 72 x scale dpi, so that it prints at the figure's size. Setting the DPI before
        // painting would scale the fonts twice.
        const QSize pixels(static_cast<int>(std::lround(size.width() * o.scale)),
                           static_cast<int>(std::lround(size.height() * o.scale)));
        QImage image(pixels, QImage::Format_RGB32);
        if (image.isNull())
            return QStringLiteral("a %1 x %2 pixel image does not fit in memory; lower the DPI")
                .arg(pixels.width())
                .arg(pixels.height());
        image.setDotsPerMeterX(static_cast<int>(std::lround(72 / 0.0254)));
        image.setDotsPerMeterY(static_cast<int>(std::lround(72 / 0.0254)));
        QPainter p(&image);
        p.scale(pixels.width() / size.width(), pixels.height() / size.height());
        paint(p, size, false);
        p.end();
        image.setDotsPerMeterX(static_cast<int>(std::lround(72 * o.scale / 0.0254)));
        image.setDotsPerMeterY(static_cast<int>(std::lround(72 * o.scale / 0.0254)));
        image.save(&buffer, "PNG");
    }
    else if (ext == "svg")
    {
        QSvgGenerator svg;
        svg.setOutputDevice(&buffer);
        svg.setSize(size.toSize());
        svg.setViewBox(QRectF(QPointF(0, 0), size));
        svg.setResolution(72);
        svg.setTitle(title.isEmpty() ? QStringLiteral("ClusterScope figure") : title);
        QPainter p(&svg);
        paint(p, size, true);
        p.end();
    }
    else if (ext == "pdf")
    {
        QPdfWriter pdf(&buffer);
        pdf.setPageSize(QPageSize(size, QPageSize::Point));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(72);
        pdf.setCreator("ClusterScope");
        pdf.setTitle(title);
        QPainter p(&pdf);
        paint(p, size, true);
        p.end();
    }
    else
    {
        return QStringLiteral("%1: unknown figure format '.%2'; use .png, .svg or .pdf")
            .arg(path, ext);
    }
    try
    {
        writeFileAtomically(path.toStdString(), bytes.toStdString());
    }
    catch (const Error& e)
    {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString renderFigure(const FigureScene& scene, const QString& path, const FigureOptions& o)
{
    if (static_cast<int64_t>(scene.rgb.size()) != scene.count() * 3)
        return QStringLiteral("the figure has %1 points but %2 colours")
            .arg(scene.count())
            .arg(scene.rgb.size() / 3);
    // A PNG draws every point; SVG and PDF draw up to kVectorPointLimit as shapes and embed
    // more as one raster layer.
    return renderPainting(path, o, scene.title,
                          [&scene](QPainter& p, QSizeF size, bool vector)
                          { paintFigure(p, scene, size, vector); });
}

} // namespace clusterscope

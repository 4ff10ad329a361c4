#include "figure_renderer.h"

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

constexpr double kLegendWidth = 180;
constexpr int kLegendMaxEntries = 32;

struct Layout
{
    QRectF plot;   // where the points go
    QRectF legend; // empty when there is no legend
    QRectF title;
};

Layout layout(const FigureScene& scene, QSizeF size)
{
    Layout l;
    const double legend = scene.legend.empty() && !scene.colorBar ? 0 : kLegendWidth;
    const double left = scene.showAxes ? 64 : 16;
    const double bottom = scene.showAxes ? 48 : 16;
    const double top = scene.title.isEmpty() ? 16 : 40;
    l.title = QRectF(0, 0, size.width() - legend, top);
    QRectF area(left, top, size.width() - left - legend - 16, size.height() - top - bottom);
    // Keep the aspect the projection was made for: centre a box of that shape in the area.
    const double aspect = scene.aspect > 0 ? scene.aspect : 1;
    QSizeF box = area.size();
    if (box.width() / box.height() > aspect)
        box.setWidth(box.height() * aspect);
    else
        box.setHeight(box.width() / aspect);
    l.plot = QRectF(area.left() + (area.width() - box.width()) / 2,
                    area.top() + (area.height() - box.height()) / 2, box.width(), box.height());
    if (legend > 0)
        l.legend = QRectF(size.width() - legend, top, legend - 8, size.height() - top - bottom);
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

void drawPoints(QPainter& p, const FigureScene& scene, const std::vector<QPointF>& at,
                const std::vector<bool>& inside, double radius)
{
    p.setPen(Qt::NoPen);
    QRgb current = 0;
    bool first = true;
    for (size_t i = 0; i < at.size(); ++i)
    {
        if (!inside[i])
            continue;
        const QRgb c = qRgb(scene.rgb[3 * i], scene.rgb[3 * i + 1], scene.rgb[3 * i + 2]);
        if (first || c != current)
        {
            p.setBrush(QColor(c));
            current = c;
            first = false;
        }
        p.drawEllipse(at[i], radius, radius);
    }
}

// 1, 2 or 5 times a power of ten, giving about `target` ticks over [lo, hi].
std::vector<double> niceTicks(double lo, double hi, int target = 8)
{
    std::vector<double> ticks;
    const double span = hi - lo;
    if (!(span > 0) || !std::isfinite(span))
        return ticks;
    const double raw = span / target;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double f : {1.0, 2.0, 5.0, 10.0})
    {
        step = f * magnitude;
        if (span / step <= target)
            break;
    }
    for (double t = std::ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
        ticks.push_back(std::abs(t) < step * 1e-9 ? 0.0 : t);
    return ticks;
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
    QFont font = p.font();
    font.setPointSizeF(9);
    p.setFont(font);
    p.setPen(QPen(QColor(60, 60, 60), 0.8));
    const auto& m = scene.viewProjection;
    for (double t : niceTicks(std::min(x0, x1), std::max(x0, x1)))
    {
        const double nx = m[0] * t + m[3];
        const QPointF at = toPlot(plot, nx, -1);
        p.drawLine(at, at + QPointF(0, 4));
        p.drawText(QRectF(at.x() - 40, at.y() + 6, 80, 14), Qt::AlignHCenter | Qt::AlignTop,
                   QString::number(t, 'g', 4));
    }
    for (double t : niceTicks(std::min(y0, y1), std::max(y0, y1)))
    {
        const double ny = m[5] * t + m[7];
        const QPointF at = toPlot(plot, -1, ny);
        p.drawLine(at, at - QPointF(4, 0));
        p.drawText(QRectF(at.x() - 60, at.y() - 7, 54, 14), Qt::AlignRight | Qt::AlignVCenter,
                   QString::number(t, 'g', 4));
    }
    font.setPointSizeF(10);
    p.setFont(font);
    p.drawText(QRectF(plot.left(), plot.bottom() + 24, plot.width(), 18), Qt::AlignHCenter,
               scene.xLabel);
    p.save();
    p.translate(plot.left() - 52, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, -9, plot.height(), 18), Qt::AlignHCenter, scene.yLabel);
    p.restore();
}

void drawLegend(QPainter& p, const FigureScene& scene, const QRectF& box)
{
    QFont font = p.font();
    font.setPointSizeF(10);
    font.setBold(true);
    p.setFont(font);
    p.setPen(QColor(20, 20, 20));
    double y = box.top();
    p.drawText(QRectF(box.left(), y, box.width(), 16), Qt::AlignLeft | Qt::AlignVCenter,
               scene.legendTitle);
    y += 22;
    if (scene.colorBar)
    {
        paintColorBar(p, QRectF(box.left() + 2, y + 4, 16, std::min(220.0, box.bottom() - y - 8)),
                      scene.colorBarMin, scene.colorBarMax);
        return;
    }
    font.setBold(false);
    font.setPointSizeF(9);
    p.setFont(font);
    int shown = 0;
    for (const auto& e : scene.legend)
    {
        if (shown++ == kLegendMaxEntries || y + 14 > box.bottom())
        {
            p.drawText(
                QRectF(box.left(), y, box.width(), 14), Qt::AlignLeft,
                QString("... %1 more").arg(scene.legend.size() - static_cast<size_t>(shown - 1)));
            break;
        }
        p.setPen(e.color.darker(130));
        p.setBrush(e.color);
        p.drawEllipse(QPointF(box.left() + 6, y + 7), 5, 5);
        p.setPen(QColor(20, 20, 20));
        p.drawText(QRectF(box.left() + 18, y, box.width() - 18, 14),
                   Qt::AlignLeft | Qt::AlignVCenter, e.text);
        y += 17;
    }
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

void paintFigure(QPainter& p, const FigureScene& scene, QSizeF size, bool vectorPoints)
{
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    const Layout l = layout(scene, size);
    const bool sideBox = !scene.legend.empty() || scene.colorBar;
    std::vector<bool> inside;
    const auto at = project(scene, l.plot, inside);
    const double radius = scene.pointSize / 2;
    if (vectorPoints || scene.count() <= kVectorPointLimit)
    {
        p.save();
        p.setClipRect(l.plot);
        drawPoints(p, scene, at, inside, radius);
        p.restore();
    }
    else
    {
        // Many points: one raster layer at 4 px per point, so files stay small and fast.
        const int factor = 4;
        QImage layer((l.plot.size() * factor).toSize(), QImage::Format_ARGB32_Premultiplied);
        layer.fill(Qt::transparent);
        QPainter lp(&layer);
        lp.setRenderHint(QPainter::Antialiasing);
        lp.scale(factor, factor);
        lp.translate(-l.plot.topLeft());
        drawPoints(lp, scene, at, inside, radius);
        lp.end();
        p.drawImage(l.plot, layer);
    }
    drawMarks(p, scene, l.plot);
    p.setBrush(Qt::NoBrush);
    p.setPen(QPen(QColor(90, 90, 90), 0.8));
    p.drawRect(l.plot);
    if (scene.showAxes)
        drawAxes(p, scene, l.plot);
    if (!scene.title.isEmpty())
    {
        QFont font = p.font();
        font.setPointSizeF(12);
        font.setBold(true);
        p.setFont(font);
        p.setPen(QColor(20, 20, 20));
        p.drawText(l.title, Qt::AlignCenter, scene.title);
    }
    if (sideBox)
        drawLegend(p, scene, l.legend);
}

void paintColorBar(QPainter& p, const QRectF& bar, double lo, double hi)
{
    QLinearGradient gradient(bar.bottomLeft(), bar.topLeft());
    for (int i = 0; i <= 8; ++i)
        gradient.setColorAt(i / 8.0, continuousColor(i / 8.0));
    p.setPen(QPen(QColor(90, 90, 90), 0.6));
    p.setBrush(gradient);
    p.drawRect(bar);
    QFont font = p.font();
    font.setPointSizeF(9);
    font.setBold(false);
    p.setFont(font);
    p.setPen(QColor(20, 20, 20));
    const QRectF label(bar.right() + 6, 0, 100, 14);
    p.drawText(label.translated(0, bar.top() - 7), Qt::AlignLeft | Qt::AlignVCenter,
               QString::number(hi, 'g', 4));
    p.drawText(label.translated(0, bar.center().y() - 7), Qt::AlignLeft | Qt::AlignVCenter,
               QString::number((lo + hi) / 2, 'g', 4));
    p.drawText(label.translated(0, bar.bottom() - 7), Qt::AlignLeft | Qt::AlignVCenter,
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
        if (o.scale < 1 || o.scale > 8)
            return QStringLiteral("scale %1 is outside 1 to 8").arg(o.scale);
        // Paint at 72 dpi (1 point = 1 pixel) with the painter scaled; only the saved file says
        // 72 x scale dpi, so that it prints at the figure's size. Setting the DPI before
        // painting would scale the fonts twice.
        QImage image(o.size * o.scale, QImage::Format_RGB32);
        image.setDotsPerMeterX(static_cast<int>(std::lround(72 / 0.0254)));
        image.setDotsPerMeterY(static_cast<int>(std::lround(72 / 0.0254)));
        QPainter p(&image);
        p.scale(o.scale, o.scale);
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
        svg.setSize(o.size);
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
                          { paintFigure(p, scene, size, !vector); });
}

} // namespace clusterscope

#include "training_chart.h"

#include "axis_ticks.h"
#include "figure_renderer.h"

#include <QAction>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace clusterscope
{
namespace
{

const QColor kCurveText(20, 20, 20);
const QColor kCurveFrame(120, 120, 120);

QColor seriesColor(const std::string& name)
{
    if (name == "changed")
        return {230, 159, 0}; // Okabe-Ito orange
    if (name == "acc")
        return {0, 158, 115}; // bluish green
    return {0, 114, 178};     // blue
}

struct Range
{
    double lo = 0;
    double hi = 1;
};

// The finite values' range, padded by 5% (a flat series: +-0.5 around it).
Range rangeOf(const std::vector<const std::vector<double>*>& series)
{
    double lo = INFINITY, hi = -INFINITY;
    for (const auto* v : series)
        for (double x : *v)
            if (std::isfinite(x))
            {
                lo = std::min(lo, x);
                hi = std::max(hi, x);
            }
    if (!std::isfinite(lo))
        return {};
    if (hi - lo < 1e-12)
        return {lo - 0.5, hi + 0.5};
    const double pad = (hi - lo) * 0.05;
    return {lo - pad, hi + pad};
}

// The points' x for 1-based step `i` of `n`.
double xOf(const QRectF& plot, size_t i, size_t n)
{
    return n > 1 ? plot.left() +
                       static_cast<double>(i - 1) / static_cast<double>(n - 1) * plot.width()
                 : plot.center().x();
}

double yOf(const QRectF& plot, const Range& r, double v)
{
    return plot.bottom() - (v - r.lo) / (r.hi - r.lo) * plot.height();
}

// Frame, the x ticks (steps 1..n) and the x axis title under them.
void xAxis(QPainter& p, const QRectF& plot, size_t n, const QString& title)
{
    const QFontMetricsF fm(p.font());
    p.setPen(QPen(kCurveFrame, 0.8));
    p.setBrush(Qt::NoBrush);
    p.drawRect(plot);
    p.setPen(kCurveText);
    for (double t : niceTicks(1, std::max<double>(2, static_cast<double>(n)), 6))
    {
        if (t != std::floor(t) || t > static_cast<double>(n))
            continue;
        const double x = xOf(plot, static_cast<size_t>(t), n);
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3));
        p.drawText(QRectF(x - 30, plot.bottom() + 4, 60, fm.height()), Qt::AlignHCenter,
                   tickLabel(t));
    }
    p.drawText(QRectF(plot.left(), plot.bottom() + 4 + fm.height(), plot.width(), fm.height()),
               Qt::AlignHCenter, title);
}

// Ticks and a rotated title on the left or right of `plot`, in `colour`.
void yAxis(QPainter& p, const QRectF& plot, const Range& r, const QString& title, bool right,
           const QColor& colour)
{
    const QFontMetricsF fm(p.font());
    p.setPen(colour);
    double widest = 0;
    for (double t : niceTicks(r.lo, r.hi, 4))
    {
        const double y = yOf(plot, r, t);
        const QString text = tickLabel(t);
        widest = std::max(widest, fm.horizontalAdvance(text));
        const double edge = right ? plot.right() : plot.left();
        p.drawLine(QPointF(edge, y), QPointF(edge + (right ? 3 : -3), y));
        const QRectF box = right ? QRectF(edge + 5, y - fm.height() / 2, 60, fm.height())
                                 : QRectF(edge - 65, y - fm.height() / 2, 60, fm.height());
        p.drawText(box, (right ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter, text);
    }
    p.save();
    const double x = right ? plot.right() + 5 + widest + 4 + fm.height() / 2
                           : plot.left() - 5 - widest - 4 - fm.height() / 2;
    p.translate(x, plot.center().y());
    p.rotate(right ? 90 : -90);
    p.drawText(QRectF(-plot.height() / 2, -fm.height() / 2, plot.height(), fm.height()),
               Qt::AlignHCenter, title);
    p.restore();
}

void curve(QPainter& p, const QRectF& plot, const Range& r, const std::vector<double>& v,
           const QColor& colour)
{
    QPainterPath path;
    bool started = false;
    for (size_t i = 0; i < v.size(); ++i)
    {
        if (!std::isfinite(v[i]))
            continue;
        const QPointF at(xOf(plot, i + 1, v.size()), yOf(plot, r, v[i]));
        if (started)
            path.lineTo(at);
        else
            path.moveTo(at);
        started = true;
    }
    p.setPen(QPen(colour, 1.6));
    p.setBrush(Qt::NoBrush);
    p.drawPath(path);
    if (v.size() == 1 && std::isfinite(v[0])) // one point draws no line
    {
        p.setBrush(colour);
        p.drawEllipse(QPointF(xOf(plot, 1, 1), yOf(plot, r, v[0])), 2.5, 2.5);
    }
}

// A row of legend entries (a line sample and its text) centred in `row`.
void legendRow(QPainter& p, const QRectF& row,
               const std::vector<std::pair<QColor, QString>>& entries)
{
    const QFontMetricsF fm(p.font());
    double width = 0;
    for (const auto& [colour, text] : entries)
        width += 22 + fm.horizontalAdvance(text) + 12;
    double x = row.center().x() - width / 2;
    for (const auto& [colour, text] : entries)
    {
        const double y = row.center().y();
        p.setPen(QPen(colour, 2));
        p.drawLine(QPointF(x, y), QPointF(x + 18, y));
        p.setPen(kCurveText);
        p.drawText(QRectF(x + 22, row.top(), fm.horizontalAdvance(text) + 4, row.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, text);
        x += 22 + fm.horizontalAdvance(text) + 12;
    }
}

QString latest(const char* name, const std::vector<double>& v, bool percent)
{
    const double last = v.back();
    return percent ? QString("%1 %2%").arg(name).arg(100 * last, 0, 'f', 1)
                   : QString("%1 %2").arg(name).arg(last, 0, 'g', 4);
}

} // namespace

TrainingChart::TrainingChart(QWidget* parent) : QWidget(parent)
{
    setMinimumSize(240, 120);
    auto* exportChart = new QAction(tr("Export Chart..."), this);
    exportChart->setObjectName("exportTrainingChart");
    connect(exportChart, &QAction::triggered, this, &TrainingChart::exportRequested);
    addAction(exportChart);
    setContextMenuPolicy(Qt::ActionsContextMenu);
}

void TrainingChart::setHistory(History history)
{
    history_ = std::move(history);
    update();
}

void TrainingChart::clear()
{
    history_.clear();
    update();
}

void TrainingChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paint(p, size());
}

void TrainingChart::paint(QPainter& p, QSizeF size) const
{
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    QFont font = p.font();
    font.setPointSizeF(8.5);
    p.setFont(font);
    if (history_.empty())
    {
        p.setPen(kCurveText);
        p.drawText(QRectF(QPointF(0, 0), size), Qt::AlignCenter,
                   tr("Training curves appear here while a deep method runs"));
        return;
    }
    const double half = size.width() / 2;
    paintPretraining(p, QRectF(0, 0, half, size.height()).adjusted(4, 4, -4, -4));
    paintClustering(p, QRectF(half, 0, half, size.height()).adjusted(4, 4, -4, -4));
}

QString TrainingChart::exportTo(const QString& path, int scale) const
{
    FigureOptions o;
    o.size = QSizeF(720, 300);
    o.scale = scale;
    return renderPainting(path, o, tr("Training curves"),
                          [this](QPainter& p, QSizeF size, bool) { paint(p, size); });
}

const std::vector<double>* TrainingChart::values(const std::string& name) const
{
    const auto it = history_.find(name);
    return it == history_.end() || it->second.empty() ? nullptr : &it->second;
}

void TrainingChart::paintPretraining(QPainter& p, const QRectF& rect) const
{
    const QFontMetricsF fm(p.font());
    p.setPen(kCurveText);
    p.drawText(rect, Qt::AlignTop | Qt::AlignHCenter, tr("Pretraining (autoencoder)"));
    const auto* loss = values("pretrain_loss");
    if (!loss)
    {
        p.drawText(rect, Qt::AlignCenter, tr("no pretraining (a cached autoencoder)"));
        return;
    }
    const QRectF plot = rect.adjusted(fm.horizontalAdvance("0.0000") + fm.height() + 14,
                                      2 * fm.height() + 8, -10, -(2 * fm.height() + 8));
    const Range r = rangeOf({loss});
    legendRow(p, QRectF(rect.left(), rect.top() + fm.height() + 2, rect.width(), fm.height()),
              {{seriesColor("pretrain_loss"), latest("loss", *loss, false)}});
    xAxis(p, plot, loss->size(), tr("epoch"));
    yAxis(p, plot, r, tr("reconstruction loss (MSE)"), false, kCurveText);
    curve(p, plot, r, *loss, seriesColor("pretrain_loss"));
}

void TrainingChart::paintClustering(QPainter& p, const QRectF& rect) const
{
    const QFontMetricsF fm(p.font());
    p.setPen(kCurveText);
    p.drawText(rect, Qt::AlignTop | Qt::AlignHCenter, tr("Clustering (per target update)"));
    const auto* loss = values("loss");
    const auto* changed = values("changed");
    const auto* acc = values("acc");
    if (!loss && !changed && !acc)
    {
        p.drawText(rect, Qt::AlignCenter, tr("starts after pretraining"));
        return;
    }
    const double margin = fm.horizontalAdvance("0.0000") + fm.height() + 14;
    const QRectF plot = rect.adjusted(margin, 2 * fm.height() + 8, -margin, -(2 * fm.height() + 8));
    std::vector<std::pair<QColor, QString>> legend;
    size_t n = 0;
    for (const auto* v : {loss, changed, acc})
        if (v)
            n = std::max(n, v->size());
    xAxis(p, plot, n, tr("target update"));
    if (loss)
    {
        const Range r = rangeOf({loss});
        yAxis(p, plot, r, tr("clustering loss"), false, seriesColor("loss"));
        curve(p, plot, r, *loss, seriesColor("loss"));
        legend.emplace_back(seriesColor("loss"), latest("loss", *loss, false));
    }
    // Fractions of the rows share the right axis, 0 to 1.
    const Range fraction{-0.02, 1.02};
    if (changed || acc)
        yAxis(p, plot, fraction, tr("fraction of rows"), true, kCurveText);
    if (changed)
    {
        curve(p, plot, fraction, *changed, seriesColor("changed"));
        legend.emplace_back(seriesColor("changed"), latest("labels changed", *changed, true));
    }
    if (acc)
    {
        curve(p, plot, fraction, *acc, seriesColor("acc"));
        QString text = latest("ACC", *acc, true);
        // What the clustering phase started from, to see whether it gained.
        if (const auto* start = values("start_acc"))
            text += tr(" (start %1%)").arg(100 * start->front(), 0, 'f', 1);
        legend.emplace_back(seriesColor("acc"), text);
    }
    legendRow(p, QRectF(rect.left(), rect.top() + fm.height() + 2, rect.width(), fm.height()),
              legend);
}

} // namespace clusterscope

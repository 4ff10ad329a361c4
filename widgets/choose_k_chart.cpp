#include "choose_k_chart.h"

#include "axis_ticks.h"
#include "figure_renderer.h"

#include <QAction>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace clusterscope
{
namespace
{

// Okabe-Ito blue and orange; the picked k in vermillion.
const QColor kSeriesColors[] = {QColor(0, 114, 178), QColor(230, 159, 0)};
const QColor kPickedColor(213, 94, 0);
const QColor kText(20, 20, 20);
const QColor kGrid(140, 140, 140);
constexpr int kColumns = 3;

QString label(const std::string& name)
{
    if (name == "silhouette")
        return "silhouette";
    if (name == "calinski_harabasz")
        return "Calinski-Harabasz";
    if (name == "davies_bouldin")
        return "Davies-Bouldin";
    if (name == "bic")
        return "BIC";
    if (name == "aic")
        return "AIC";
    if (name == "gap")
        return "gap statistic";
    return QString::fromStdString(name);
}

// 3 significant digits, exponents short (3.24e5 rather than 3.24e+05), a minus sign for
// negatives.
QString shortNumber(double v)
{
    QString text = QString::number(v == 0 ? 0.0 : v, 'g', 3);
    text.replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
    return text.replace('-', QChar(0x2212));
}

} // namespace

ChooseKChart::ChooseKChart(QWidget* parent) : QWidget(parent)
{
    setMinimumSize(480, 300);
    setMouseTracking(false);
    setToolTip(tr("Click a panel to pick k; right-click to export the chart"));
    auto* exportChart = new QAction(tr("Export Chart..."), this);
    exportChart->setObjectName("exportChooseKChart");
    connect(exportChart, &QAction::triggered, this, &ChooseKChart::exportRequested);
    addAction(exportChart);
    setContextMenuPolicy(Qt::ActionsContextMenu);
}

void ChooseKChart::setResult(ChooseKResult result)
{
    result_ = std::move(result);
    picked_ = result_.suggested;
    update();
}

void ChooseKChart::setPickedK(int64_t k)
{
    if (k == picked_)
        return;
    picked_ = k;
    update();
    Q_EMIT kPicked(k);
}

std::vector<ChooseKChart::Panel> ChooseKChart::panels() const
{
    std::vector<Panel> out;
    auto has = [&](const char* name) { return result_.curves.count(name) > 0; };
    for (const char* name : {"silhouette", "calinski_harabasz", "davies_bouldin"})
    {
        if (has(name))
            out.push_back({label(name) + (largerIsBetter(name) ? tr(" (higher is better)")
                                                               : tr(" (lower is better)")),
                           {name}});
    }
    if (has("bic"))
        out.push_back({tr("BIC and AIC (lower is better)"), {"bic", "aic"}});
    if (has("gap"))
        out.push_back({tr("gap statistic, 1-SE rule"), {"gap"}});
    if (has("inertia"))
        out.push_back({tr("k-means inertia (elbow)"), {"inertia"}});
    return out;
}

QList<QRectF> ChooseKChart::panelRects() const
{
    return panelRects(size());
}

QList<QRectF> ChooseKChart::panelRects(QSizeF size) const
{
    const auto count = static_cast<int>(panels().size());
    const int rows = std::max(1, (count + kColumns - 1) / kColumns);
    const double w = size.width() / static_cast<double>(kColumns);
    const double h = size.height() / static_cast<double>(rows);
    QList<QRectF> rects;
    for (int i = 0; i < count; ++i)
        rects << QRectF((i % kColumns) * w, (i / kColumns) * h, w, h).adjusted(4, 4, -4, -4);
    return rects;
}

QRectF ChooseKChart::plotArea(const QRectF& panel) const
{
    const QFontMetricsF fm(font());
    return panel.adjusted(fm.horizontalAdvance("-0.00e-0") + 8, fm.height() + 8, -8,
                          -(2 * fm.height() + 8));
}

double ChooseKChart::xOf(const QRectF& plot, int64_t k) const
{
    if (result_.ks.size() < 2)
        return plot.center().x();
    const auto k0 = static_cast<double>(result_.ks.front());
    const auto k1 = static_cast<double>(result_.ks.back());
    return plot.left() + (static_cast<double>(k) - k0) / (k1 - k0) * plot.width();
}

void ChooseKChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paint(p, size());
}

void ChooseKChart::paint(QPainter& p, QSizeF size) const
{
    p.setRenderHint(QPainter::Antialiasing);
    p.setFont(font());
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    if (result_.ks.empty())
    {
        p.setPen(kText);
        p.drawText(QRectF(QPointF(0, 0), size), Qt::AlignCenter, tr("No sweep yet"));
        return;
    }
    const auto list = panels();
    const auto rects = panelRects(size);
    for (size_t i = 0; i < list.size(); ++i)
        paintPanel(p, rects[static_cast<int>(i)], list[i]);
}

QString ChooseKChart::exportTo(const QString& path, int scale) const
{
    FigureOptions o;
    o.size = QSizeF(760, 420);
    o.scale = scale;
    return renderPainting(path, o, tr("Choosing k"),
                          [this](QPainter& p, QSizeF size, bool) { paint(p, size); });
}

void ChooseKChart::paintPanel(QPainter& p, const QRectF& rect, const Panel& panel) const
{
    const QColor text = kText;
    const QColor grid = kGrid;
    p.setPen(text);
    p.drawText(rect.adjusted(0, 0, 0, 0), Qt::AlignTop | Qt::AlignHCenter, panel.title);
    const QRectF plot = plotArea(rect);

    double lo = INFINITY;
    double hi = -INFINITY;
    for (const auto& name : panel.series)
    {
        const auto& values = result_.curves.at(name);
        for (size_t i = 0; i < values.size(); ++i)
        {
            double v = values[i];
            double spread = name == "gap" ? result_.curves.at("gap_sd")[i] : 0.0;
            if (!std::isfinite(v))
                continue;
            lo = std::min(lo, v - spread);
            hi = std::max(hi, v + spread);
        }
    }
    if (!std::isfinite(lo))
        return;
    if (hi - lo < 1e-12)
    {
        lo -= 0.5;
        hi += 0.5;
    }
    const double pad = (hi - lo) * 0.08;
    lo -= pad;
    hi += pad;
    auto yOf = [&](double v) { return plot.bottom() - (v - lo) / (hi - lo) * plot.height(); };

    // Axes: frame, k ticks along the bottom, the range on the left.
    p.setPen(QPen(grid, 1));
    p.drawRect(plot);
    const QFontMetricsF fm(font());
    p.setPen(text);
    const auto step = std::max<size_t>(1, result_.ks.size() / 8);
    for (size_t i = 0; i < result_.ks.size(); i += step)
    {
        const double x = xOf(plot, result_.ks[i]);
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3));
        p.drawText(QRectF(x - 20, plot.bottom() + 3, 40, fm.height()), Qt::AlignHCenter,
                   QString::number(result_.ks[i]));
    }
    p.drawText(QRectF(plot.left(), plot.bottom() + 3 + fm.height(), plot.width(), fm.height()),
               Qt::AlignHCenter, tr("k (clusters)"));
    // The values: nice ticks over the range shown.
    for (double t : niceTicks(lo, hi, 4))
    {
        const double y = yOf(t);
        p.drawLine(QPointF(plot.left() - 3, y), QPointF(plot.left(), y));
        p.drawText(
            QRectF(rect.left(), y - fm.height() / 2, plot.left() - rect.left() - 5, fm.height()),
            Qt::AlignRight | Qt::AlignVCenter, shortNumber(t));
    }

    // The picked k through the panel.
    if (picked_ >= result_.ks.front() && picked_ <= result_.ks.back())
    {
        p.setPen(QPen(kPickedColor, 1.5, Qt::DashLine));
        const double x = xOf(plot, picked_);
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }

    for (size_t s = 0; s < panel.series.size(); ++s)
    {
        const auto& name = panel.series[s];
        const auto& values = result_.curves.at(name);
        const QColor color = kSeriesColors[s % 2];
        QPainterPath path;
        for (size_t i = 0; i < values.size(); ++i)
        {
            const QPointF pt(xOf(plot, result_.ks[i]), yOf(values[i]));
            if (i == 0)
                path.moveTo(pt);
            else
                path.lineTo(pt);
        }
        p.setPen(QPen(color, 1.6));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
        if (name == "gap")
        {
            const auto& sd = result_.curves.at("gap_sd");
            for (size_t i = 0; i < values.size(); ++i)
            {
                const double x = xOf(plot, result_.ks[i]);
                p.drawLine(QPointF(x, yOf(values[i] - sd[i])), QPointF(x, yOf(values[i] + sd[i])));
            }
        }
        p.setBrush(color);
        for (size_t i = 0; i < values.size(); ++i)
            p.drawEllipse(QPointF(xOf(plot, result_.ks[i]), yOf(values[i])), 2.2, 2.2);
        // The criterion's own choice: a larger ring.
        const auto preferred = result_.preferred.find(name);
        if (preferred != result_.preferred.end())
        {
            const auto it = std::find(result_.ks.begin(), result_.ks.end(), preferred->second);
            const auto i = static_cast<size_t>(it - result_.ks.begin());
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(color, 2));
            p.drawEllipse(QPointF(xOf(plot, preferred->second), yOf(values[i])), 6, 6);
        }
        if (panel.series.size() > 1)
        {
            p.setPen(color);
            p.drawText(QRectF(plot.right() - 60, plot.top() + 2 + s * fm.height(), 56, fm.height()),
                       Qt::AlignRight, label(name));
        }
    }
}

void ChooseKChart::mousePressEvent(QMouseEvent* event)
{
    const auto rects = panelRects();
    for (const auto& r : rects)
    {
        if (!r.contains(event->position()))
            continue;
        const QRectF plot = plotArea(r);
        int64_t best = picked_;
        double bestDistance = INFINITY;
        for (int64_t k : result_.ks)
        {
            const double d = std::abs(xOf(plot, k) - event->position().x());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = k;
            }
        }
        setPickedK(best);
        return;
    }
}

} // namespace clusterscope

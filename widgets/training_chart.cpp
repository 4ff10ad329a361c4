#include "training_chart.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace clusterscope
{
namespace
{

QColor seriesColor(const std::string& name)
{
    if (name == "changed")
        return {255, 127, 14};
    if (name == "acc")
        return {44, 160, 44};
    return {31, 119, 180};
}

} // namespace

TrainingChart::TrainingChart(QWidget* parent) : QWidget(parent)
{
    setMinimumSize(240, 120);
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
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    if (history_.empty())
    {
        p.setPen(palette().text().color());
        p.drawText(rect(), Qt::AlignCenter,
                   tr("Training curves appear here while a deep method runs"));
        return;
    }
    const QRectF left(0, 0, width() / 2.0, height());
    const QRectF right(width() / 2.0, 0, width() / 2.0, height());
    paintPanel(p, left.adjusted(4, 4, -4, -4), tr("pretraining loss per epoch"), {"pretrain_loss"});
    paintPanel(p, right.adjusted(4, 4, -4, -4), tr("per target update: loss, changed, ACC"),
               {"loss", "changed", "acc"});
}

const std::vector<double>* TrainingChart::values(const std::string& name) const
{
    const auto it = history_.find(name);
    return it == history_.end() || it->second.empty() ? nullptr : &it->second;
}

void TrainingChart::paintPanel(QPainter& p, const QRectF& rect, const QString& title,
                               const std::vector<std::string>& series) const
{
    const QFontMetricsF fm(font());
    p.setPen(palette().text().color());
    p.drawText(rect, Qt::AlignTop | Qt::AlignHCenter, title);
    const QRectF plot = rect.adjusted(6, fm.height() + 6, -6, -6);
    p.setPen(QPen(palette().mid().color(), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(plot);
    // The legend gets its own rows at the top, so that it never covers a curve.
    const auto present = std::count_if(series.begin(), series.end(),
                                       [this](const std::string& name) { return values(name); });
    const QRectF curves = plot.adjusted(0, static_cast<double>(present) * fm.height() + 4, 0, 0);
    int legendRow = 0;
    for (const auto& name : series)
    {
        const auto* shown = values(name);
        if (!shown)
            continue;
        const auto& v = *shown;
        // Each series on its own scale: the shapes matter here, the values are in the records.
        const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
        const double span = *hi - *lo > 1e-12 ? *hi - *lo : 1.0;
        QPainterPath path;
        for (size_t i = 0; i < v.size(); ++i)
        {
            const double x =
                curves.left() +
                (v.size() > 1 ? static_cast<double>(i) / static_cast<double>(v.size() - 1) : 0.5) *
                    curves.width();
            const double y = curves.bottom() - (v[i] - *lo) / span * curves.height() * 0.9 -
                             curves.height() * 0.05;
            if (i == 0)
                path.moveTo(x, y);
            else
                path.lineTo(x, y);
        }
        const QColor color = seriesColor(name);
        p.setPen(QPen(color, 1.6));
        p.drawPath(path);
        QString legend =
            QString("%1 %2").arg(QString::fromStdString(name)).arg(v.back(), 0, 'g', 4);
        // What the clustering phase started from, to see whether it gained.
        if (const auto* start = values("start_" + name))
            legend += tr(" (start %1)").arg(start->front(), 0, 'g', 4);
        p.drawText(QRectF(plot.left() + 4, plot.top() + 2 + legendRow * fm.height(),
                          plot.width() - 8, fm.height()),
                   Qt::AlignRight, legend);
        ++legendRow;
    }
}

} // namespace clusterscope

#include "profile_chart.h"

#include <QFontMetrics>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace clusterscope
{

ProfileChart::ProfileChart(QWidget* parent) : QWidget(parent)
{
    setMinimumHeight(120);
}

void ProfileChart::setBars(std::vector<std::pair<QString, double>> bars, const QColor& colour)
{
    bars_ = std::move(bars);
    colour_ = colour;
    update();
}

void ProfileChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (bars_.empty())
    {
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("Choose a cluster"));
        return;
    }
    const QFontMetrics fm(font());
    // As many bars as fit legibly, the most distinguishing first.
    const int top = fm.height() + 4, bottom = height() - fm.height() - 8;
    const auto fits = static_cast<size_t>(std::max(1, (bottom - top) / (fm.height() + 2)));
    const std::vector<std::pair<QString, double>> shown(
        bars_.begin(), bars_.begin() + static_cast<std::ptrdiff_t>(std::min(fits, bars_.size())));
    int labelWidth = 0;
    for (const auto& [name, v] : shown)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(name));
    labelWidth = std::min(labelWidth + 8, width() / 2);
    const int left = labelWidth, right = width() - 24;
    double extent = 0.5;
    for (const auto& [name, v] : shown)
        extent = std::max(extent, std::abs(v));
    const double zeroX = left + (right - left) / 2.0;
    const double unit = (right - left) / 2.0 / extent;
    const double step = double(bottom - top) / static_cast<double>(shown.size());
    p.setPen(palette().text().color());
    p.drawText(QRect(0, 0, width(), fm.height() + 2), Qt::AlignCenter,
               tr("cluster mean - overall mean, in standard deviations"));
    for (size_t i = 0; i < shown.size(); ++i)
    {
        const auto& [name, v] = shown[i];
        const double y = top + step * static_cast<double>(i);
        const QRectF bar(v >= 0 ? zeroX : zeroX + v * unit, y + step * 0.15, std::abs(v) * unit,
                         step * 0.7);
        p.fillRect(bar, v >= 0 ? colour_ : colour_.lighter(150));
        p.setPen(palette().text().color());
        p.drawText(QRectF(0, y, labelWidth - 6, step), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(name, Qt::ElideMiddle, labelWidth - 6));
    }
    p.setPen(palette().mid().color());
    p.drawLine(QPointF(zeroX, top), QPointF(zeroX, bottom));
    p.drawLine(QPointF(left, bottom), QPointF(right, bottom));
    p.setPen(palette().text().color());
    for (double t : {-extent, 0.0, extent})
        p.drawText(QRectF(zeroX + t * unit - 30, bottom + 2, 60, fm.height()), Qt::AlignCenter,
                   QString::number(t, 'g', 2));
}

std::vector<std::pair<int64_t, double>> standardisedDifferences(const std::vector<float>& rows,
                                                                size_t d,
                                                                const std::vector<char>& member,
                                                                size_t top)
{
    const size_t n = d ? rows.size() / d : 0;
    std::vector<double> sum(d, 0), sq(d, 0), in(d, 0);
    size_t members = 0;
    for (size_t i = 0; i < n; ++i)
    {
        members += member[i] != 0;
        for (size_t j = 0; j < d; ++j)
        {
            const double v = rows[i * d + j];
            sum[j] += v;
            if (member[i])
                in[j] += v;
        }
    }
    std::vector<std::pair<int64_t, double>> out;
    if (n == 0 || members == 0)
        return out;
    for (size_t i = 0; i < n; ++i)
        for (size_t j = 0; j < d; ++j)
        {
            const double v = rows[i * d + j] - sum[j] / static_cast<double>(n);
            sq[j] += v * v;
        }
    for (size_t j = 0; j < d; ++j)
    {
        const double sd = std::sqrt(sq[j] / static_cast<double>(n));
        if (sd > 0)
            out.emplace_back(
                static_cast<int64_t>(j),
                (in[j] / static_cast<double>(members) - sum[j] / static_cast<double>(n)) / sd);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b)
                     { return std::abs(a.second) > std::abs(b.second); });
    if (out.size() > top)
        out.resize(top);
    return out;
}

} // namespace clusterscope

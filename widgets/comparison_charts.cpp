#include "comparison_charts.h"

#include "figure_renderer.h"
#include "palette.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace clusterscope
{

namespace
{

// Viridis-like ramp from a pale to a deep blue: light cells mean little agreement.
QColor agreementColour(double v)
{
    v = std::clamp(v, 0.0, 1.0);
    const QColor low(247, 251, 255);
    const QColor high(8, 48, 107);
    auto mix = [v](int a, int b) { return static_cast<int>(std::lround(a + (b - a) * v)); };
    return QColor(mix(low.red(), high.red()), mix(low.green(), high.green()),
                  mix(low.blue(), high.blue()));
}

void paintTitle(QPainter& p, const QString& title, double width)
{
    QFont font = p.font();
    font.setPointSizeF(11);
    font.setBold(true);
    p.setFont(font);
    p.setPen(QColor(20, 20, 20));
    p.drawText(QRectF(0, 4, width, 20), Qt::AlignHCenter | Qt::AlignVCenter, title);
    font.setBold(false);
    font.setPointSizeF(8.5);
    p.setFont(font);
}

} // namespace

AgreementChart::AgreementChart(QWidget* parent) : QWidget(parent) {}

void AgreementChart::setMatrix(std::vector<QString> names, std::vector<double> values,
                               const QString& title)
{
    names_ = std::move(names);
    values_ = std::move(values);
    title_ = title;
    update();
}

void AgreementChart::paint(QPainter& p, QSizeF size) const
{
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    paintTitle(p, title_, size.width());
    const size_t k = names_.size();
    if (k == 0 || values_.size() != k * k)
    {
        p.drawText(QRectF(QPointF(0, 0), size), Qt::AlignCenter, QObject::tr("Pick runs"));
        return;
    }
    const QFontMetricsF metrics(p.font());
    double label = 0;
    for (const auto& n : names_)
        label = std::max(label, metrics.horizontalAdvance(n));
    label = std::min(label + 8, size.width() * 0.4);
    const double top = 30;
    const double side = std::min(size.width() - label - 10, size.height() - top - label - 10);
    const double cell = side / static_cast<double>(k);
    const QPointF origin(label, top);
    for (size_t i = 0; i < k; ++i)
    {
        const QString name = metrics.elidedText(names_[i], Qt::ElideRight, label - 8);
        p.setPen(QColor(20, 20, 20));
        p.drawText(QRectF(0, origin.y() + cell * static_cast<double>(i), label - 6, cell),
                   Qt::AlignRight | Qt::AlignVCenter, name);
        p.save(); // column labels, read upwards under the matrix
        p.translate(origin.x() + cell * (static_cast<double>(i) + 0.5), origin.y() + side + 4);
        p.rotate(-90);
        p.drawText(QRectF(-label, -cell / 2, label - 2, cell), Qt::AlignRight | Qt::AlignVCenter,
                   name);
        p.restore();
        for (size_t j = 0; j < k; ++j)
        {
            const double v = values_[i * k + j];
            const QRectF r(origin.x() + cell * static_cast<double>(j),
                           origin.y() + cell * static_cast<double>(i), cell, cell);
            p.fillRect(r, agreementColour(v));
            p.setPen(QColor(255, 255, 255));
            p.drawRect(r);
            p.setPen(v > 0.55 ? Qt::white : QColor(20, 20, 20));
            p.drawText(r, Qt::AlignCenter, std::isfinite(v) ? QString::number(v, 'f', 2) : "-");
        }
    }
}

void AgreementChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paint(p, size());
}

QString AgreementChart::exportTo(const QString& path, int scale) const
{
    FigureOptions o;
    o.size = QSize(520, 440);
    o.scale = scale;
    return renderPainting(path, o, title_,
                          [this](QPainter& p, QSizeF size, bool) { paint(p, size); });
}

AlluvialChart::AlluvialChart(QWidget* parent) : QWidget(parent) {}

void AlluvialChart::setFlows(std::vector<QString> left, std::vector<QString> right,
                             std::vector<int64_t> counts, const QString& leftTitle,
                             const QString& rightTitle)
{
    left_ = std::move(left);
    right_ = std::move(right);
    counts_ = std::move(counts);
    leftTitle_ = leftTitle;
    rightTitle_ = rightTitle;
    update();
}

std::vector<AlluvialChart::Band> AlluvialChart::bands() const
{
    std::vector<Band> out;
    for (size_t i = 0; i < left_.size(); ++i)
        for (size_t j = 0; j < right_.size(); ++j)
            if (const int64_t c = counts_[i * right_.size() + j]; c > 0)
                out.push_back({i, j, c});
    std::stable_sort(out.begin(), out.end(),
                     [](const Band& a, const Band& b) { return a.rows > b.rows; });
    return out;
}

void AlluvialChart::paint(QPainter& p, QSizeF size) const
{
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(QRectF(QPointF(0, 0), size), Qt::white);
    paintTitle(p, leftTitle_ + "  \u2192  " + rightTitle_, size.width());
    const size_t a = left_.size(), b = right_.size();
    if (a == 0 || b == 0 || counts_.size() != a * b)
    {
        p.drawText(QRectF(QPointF(0, 0), size), Qt::AlignCenter, QObject::tr("Pick two runs"));
        return;
    }
    const int64_t total = std::accumulate(counts_.begin(), counts_.end(), int64_t{0});
    if (total == 0)
        return;
    std::vector<int64_t> leftRows(a, 0), rightRows(b, 0);
    for (size_t i = 0; i < a; ++i)
        for (size_t j = 0; j < b; ++j)
        {
            leftRows[i] += counts_[i * b + j];
            rightRows[j] += counts_[i * b + j];
        }
    const double top = 34, bottom = size.height() - 12, gap = 4;
    const double labelWidth = std::min(150.0, size.width() * 0.25);
    const double barWidth = 16;
    const double xl = labelWidth, xr = size.width() - labelWidth - barWidth;
    auto scale = [&](size_t blocks)
    { return (bottom - top - gap * static_cast<double>(blocks - 1)) / static_cast<double>(total); };
    const double sl = scale(a), sr = scale(b);
    // Each block's top, and where the next band leaves (left) or arrives (right) within it.
    std::vector<double> leftTop(a), rightTop(b);
    double y = top;
    for (size_t i = 0; i < a; ++i, y += gap)
    {
        leftTop[i] = y;
        y += static_cast<double>(leftRows[i]) * sl;
    }
    y = top;
    for (size_t j = 0; j < b; ++j, y += gap)
    {
        rightTop[j] = y;
        y += static_cast<double>(rightRows[j]) * sr;
    }
    std::vector<double> leftAt = leftTop, rightAt = rightTop;
    // Bands in the blocks' order, so they leave and arrive stacked without crossing inside.
    for (size_t i = 0; i < a; ++i)
        for (size_t j = 0; j < b; ++j)
        {
            const int64_t c = counts_[i * b + j];
            if (c == 0)
                continue;
            const double hl = static_cast<double>(c) * sl, hr = static_cast<double>(c) * sr;
            const double x0 = xl + barWidth, x1 = xr, mid = (x0 + x1) / 2;
            QPainterPath band;
            band.moveTo(x0, leftAt[i]);
            band.cubicTo(mid, leftAt[i], mid, rightAt[j], x1, rightAt[j]);
            band.lineTo(x1, rightAt[j] + hr);
            band.cubicTo(mid, rightAt[j] + hr, mid, leftAt[i] + hl, x0, leftAt[i] + hl);
            band.closeSubpath();
            QColor colour = categoricalColor(static_cast<int64_t>(i), static_cast<int64_t>(a));
            colour.setAlphaF(0.45);
            p.fillPath(band, colour);
            leftAt[i] += hl;
            rightAt[j] += hr;
        }
    p.setPen(QColor(20, 20, 20));
    for (size_t i = 0; i < a; ++i)
    {
        const QRectF block(xl, leftTop[i], barWidth, static_cast<double>(leftRows[i]) * sl);
        p.fillRect(block, categoricalColor(static_cast<int64_t>(i), static_cast<int64_t>(a)));
        p.drawText(QRectF(0, block.top(), xl - 6, std::max(block.height(), 12.0)),
                   Qt::AlignRight | Qt::AlignVCenter, left_[i]);
    }
    for (size_t j = 0; j < b; ++j)
    {
        const QRectF block(xr, rightTop[j], barWidth, static_cast<double>(rightRows[j]) * sr);
        p.fillRect(block, QColor(110, 110, 110));
        p.drawText(
            QRectF(xr + barWidth + 6, block.top(), labelWidth - 6, std::max(block.height(), 12.0)),
            Qt::AlignLeft | Qt::AlignVCenter, right_[j]);
    }
}

void AlluvialChart::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    paint(p, size());
}

QString AlluvialChart::exportTo(const QString& path, int scale) const
{
    FigureOptions o;
    o.size = QSize(640, 480);
    o.scale = scale;
    return renderPainting(path, o, leftTitle_ + " to " + rightTitle_,
                          [this](QPainter& p, QSizeF size, bool) { paint(p, size); });
}

} // namespace clusterscope

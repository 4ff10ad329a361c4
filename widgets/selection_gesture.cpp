#include "selection_gesture.h"

#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <iterator>

namespace clusterscope
{

std::optional<SelectionMode> selectionModeFor(Qt::KeyboardModifiers modifiers)
{
    if (modifiers.testFlag(Qt::ControlModifier))
        return SelectionMode::Add;
    if (modifiers.testFlag(Qt::AltModifier))
        return SelectionMode::Remove;
    if (modifiers.testFlag(Qt::ShiftModifier))
        return SelectionMode::Replace;
    return std::nullopt;
}

std::vector<int64_t> combineSelection(std::vector<int64_t> current, std::vector<int64_t> rows,
                                      SelectionMode mode)
{
    auto tidy = [](std::vector<int64_t>& v)
    {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
    };
    tidy(rows);
    if (mode == SelectionMode::Replace)
        return rows;
    tidy(current);
    std::vector<int64_t> out;
    if (mode == SelectionMode::Add)
        std::set_union(current.begin(), current.end(), rows.begin(), rows.end(),
                       std::back_inserter(out));
    else
        std::set_difference(current.begin(), current.end(), rows.begin(), rows.end(),
                            std::back_inserter(out));
    return out;
}

std::vector<int64_t> rowsInShape(const QPainterPath& shape, QSize size,
                                 const std::vector<std::optional<QPointF>>& points)
{
    std::vector<int64_t> rows;
    if (shape.isEmpty() || size.isEmpty())
        return rows;
    QImage mask(size, QImage::Format_Grayscale8);
    mask.fill(0);
    {
        QPainter painter(&mask);
        painter.setPen(QPen(Qt::white, 1)); // the outline belongs to the shape, as drawn
        painter.setBrush(Qt::white);
        painter.drawPath(shape);
    }
    for (size_t i = 0; i < points.size(); ++i)
    {
        if (!points[i])
            continue;
        const int x = static_cast<int>(std::floor(points[i]->x()));
        const int y = static_cast<int>(std::floor(points[i]->y()));
        if (x >= 0 && y >= 0 && x < size.width() && y < size.height() &&
            mask.constScanLine(y)[x] != 0)
            rows.push_back(static_cast<int64_t>(i));
    }
    return rows;
}

SelectionOverlay::SelectionOverlay(QWidget* view) : QWidget(view)
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    hide();
}

void SelectionOverlay::begin(QPoint at, SelectionTool tool, SelectionMode mode)
{
    tool_ = tool;
    mode_ = mode;
    points_ = QPolygon({at, at});
    active_ = true;
    setGeometry(parentWidget()->rect());
    show();
    raise();
    update();
}

void SelectionOverlay::extend(QPoint at)
{
    if (!active_)
        return;
    if (tool_ == SelectionTool::Box)
        points_[1] = at;
    else if ((at - points_.last()).manhattanLength() >= 2) // a vertex per 2 px is smooth enough
        points_.append(at);
    update();
}

QPainterPath SelectionOverlay::shape() const
{
    QPainterPath path;
    if (points_.size() < 2)
        return path;
    if (tool_ == SelectionTool::Box)
        path.addRect(QRectF(QRect(points_[0], points_[1]).normalized()));
    else
    {
        path.addPolygon(QPolygonF(points_));
        path.closeSubpath();
    }
    return path;
}

QPainterPath SelectionOverlay::finish()
{
    const QRect extent = points_.boundingRect();
    QPainterPath path = extent.width() + extent.height() > 4 ? shape() : QPainterPath();
    cancel();
    return path;
}

void SelectionOverlay::cancel()
{
    active_ = false;
    points_.clear();
    hide();
}

void SelectionOverlay::paintEvent(QPaintEvent*)
{
    if (!active_)
        return;
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    // The mode's colour: blue replaces, green adds, red removes.
    const QColor colour = mode_ == SelectionMode::Add      ? QColor(0, 130, 60)
                          : mode_ == SelectionMode::Remove ? QColor(190, 30, 30)
                                                           : QColor(30, 90, 200);
    QColor fill = colour;
    fill.setAlpha(40);
    painter.setPen(QPen(colour, 1.5, Qt::DashLine));
    painter.setBrush(fill);
    painter.drawPath(shape());
}

} // namespace clusterscope

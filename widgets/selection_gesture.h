#pragma once
// Drawing a selection on a view, as in Orange's and napari's scatter plots: a box or a
// free-hand lasso, dragged with a modifier that says how it combines with the selection there
// is (Shift: replace it, Ctrl: add to it, Alt: take from it). The shape is drawn on a
// transparent overlay above the view; the view decides which of its points the shape holds.

#include <QPainterPath>
#include <QPolygon>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <vector>

namespace clusterscope
{

enum class SelectionTool
{
    Box,
    Lasso,
};

enum class SelectionMode
{
    Replace,
    Add,
    Remove,
};

// The mode a left press with `modifiers` starts (Ctrl over Alt over Shift), or nothing: a
// plain drag moves the camera.
std::optional<SelectionMode> selectionModeFor(Qt::KeyboardModifiers modifiers);

// `current` combined with `rows` by `mode`: sorted, without repeats.
std::vector<int64_t> combineSelection(std::vector<int64_t> current, std::vector<int64_t> rows,
                                      SelectionMode mode);

// Which of `points` (widget coordinates, nothing for a point not drawn) lie inside `shape` of a
// widget `size` pixels large. The shape is rasterised once (odd-even fill), so a lasso of
// thousands of vertices costs what a box does: O(pixels + points).
std::vector<int64_t> rowsInShape(const QPainterPath& shape, QSize size,
                                 const std::vector<std::optional<QPointF>>& points);

// The shape being dragged, drawn over its parent (which it covers) and blind to the mouse.
class SelectionOverlay : public QWidget
{
public:
    explicit SelectionOverlay(QWidget* view);

    void begin(QPoint at, SelectionTool tool, SelectionMode mode);
    void extend(QPoint at);
    // Hides the overlay and returns the closed shape; empty when the pointer hardly moved
    // (a click, not a drag).
    QPainterPath finish();
    void cancel();
    bool active() const { return active_; }
    SelectionMode mode() const { return mode_; }
    QPoint origin() const { return points_.isEmpty() ? QPoint() : points_.first(); }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QPainterPath shape() const;

    SelectionTool tool_ = SelectionTool::Box;
    SelectionMode mode_ = SelectionMode::Replace;
    QPolygon points_; // the box's two corners, or the lasso's path
    bool active_ = false;
};

} // namespace clusterscope

#pragma once
// The embedding scatter view: N points in 2D or 3D, coloured per point, with hover and click
// picking. It takes plain C++ arrays, so it knows nothing of tensors or datasets.

#include "selection_gesture.h"

#include <QImage>
#include <QWidget>
#include <vtkSmartPointer.h>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

class vtkActor;
class vtkCallbackCommand;
class vtkPointPicker;
class vtkPolyData;
class vtkProp;
class vtkRenderer;

namespace clusterscope
{

class VtkViewWidget;

class EmbeddingView : public QWidget
{
    Q_OBJECT

public:
    explicit EmbeddingView(QWidget* parent = nullptr);
    ~EmbeddingView() override;

    // xyz holds N x 3 coordinates (z = 0 for 2D data). Resets the colours to one grey.
    void setPoints(const std::vector<float>& xyz);
    void setColors(const std::vector<uint8_t>& rgb); // N x 3 bytes
    const std::vector<uint8_t>& colors() const { return baseColors_; }
    // A prop drawn with the points (a circle, labels' markers), never picked; setPoints removes
    // every overlay.
    void addOverlay(vtkProp* prop);
    void removeOverlay(vtkProp* prop);
    // The renderer, for views built on this one to observe its frames (vtkCommand::EndEvent).
    vtkRenderer* renderer() const;

    // Rows drawn with a dark red ring (an explanation's errors), kept when the points move;
    // empty: none.
    void setMarked(std::vector<int64_t> rows);
    const std::vector<int64_t>& marked() const { return marked_; }
    // Selected rows are drawn as they are, the others faded, and up to kRingedSelection of them
    // ringed (a white halo in a near-black ring), so that a single selected point stands out.
    // Empty: nothing selected.
    void setSelection(std::vector<int64_t> rows);
    static constexpr size_t kRingedSelection = 256;
    const std::vector<int64_t>& selection() const { return selection_; }
    // Rows not drawn, picked or selected (a category hidden from the legend): one flag per
    // row, 1 = hidden; empty or of another length: every row shown. Kept until setPoints.
    void setHidden(std::vector<uint8_t> hidden);
    const std::vector<uint8_t>& hidden() const { return hidden_; }
    // The rows whose points project inside `rect` (widget coordinates); never a point behind
    // the camera, nor a hidden one.
    std::vector<int64_t> pointsInRect(const QRect& rect) const;
    // The same for any closed shape (a lasso), widget coordinates.
    std::vector<int64_t> pointsInShape(const QPainterPath& shape) const;
    // What a drag with Shift, Ctrl or Alt draws (selection_gesture.h); Box at first.
    void setSelectionTool(SelectionTool tool) { tool_ = tool; }
    SelectionTool selectionTool() const { return tool_; }
    // Where a row's point is drawn, in widget coordinates (the projection the figure export
    // uses: projectToRect in figure_scene.h). Nothing for a row out of range or a point behind
    // the camera.
    std::optional<QPointF> projectedPosition(int64_t row) const;
    void setThreeD(bool threeD);
    bool isThreeD() const { return threeD_; }
    void setPointSize(double pixels);
    double pointSize() const { return pointSize_; }
    int64_t pointCount() const { return count_; }
    void resetCamera();
    // The camera as 10 numbers (position, focal point, view up, parallel scale), to keep with
    // a session; setCamera puts it back (ignored unless every number is finite).
    std::array<double, 10> camera() const;
    void setCamera(const std::array<double, 10>& camera);

    // The camera's world-to-device matrix (row-major) for a viewport of the given aspect.
    std::array<double, 16> viewProjection(double aspect) const;

    // The current scene rendered at `scale` x the widget's size (PNG export, tests).
    QImage renderImage(int scale = 1);

    // Above this many points, a cloud of about kLevelOfDetailPoints (every k-th point) stands
    // in while the camera moves.
    static constexpr int64_t kLevelOfDetailThreshold = 200000;
    static constexpr int64_t kLevelOfDetailPoints = 100000;
    // What the interactor does when a drag starts and ends (the view benchmark calls these).
    bool hasLevelOfDetail() const { return coarseActor_ != nullptr; }
    void beginInteraction();
    void endInteraction();

Q_SIGNALS:
    void pointHovered(int64_t index); // -1 when the pointer is over no point
    void pointClicked(int64_t index);
    // A box or lasso was drawn, or a point clicked, with Shift (replace), Ctrl (add) or Alt
    // (remove): `rows` is the whole new selection, sorted. The view shows it already.
    void selectionDrawn(const std::vector<int64_t>& rows);
    // setColors was given new colours.
    void colorsChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void render();
    void renderNow();
    void applyColors();
    int64_t pickAt(int x, int y);
    // Each row's drawn position (widget coordinates); nothing for a hidden row or one behind
    // the camera.
    std::vector<std::optional<QPointF>> drawnPositions() const;
    void finishGesture(QPoint at);

    VtkViewWidget* view_;
    vtkSmartPointer<vtkRenderer> renderer_;
    vtkSmartPointer<vtkPolyData> cloud_;
    vtkSmartPointer<vtkActor> actor_;
    vtkSmartPointer<vtkPolyData> coarseCloud_; // the level of detail, or null
    vtkSmartPointer<vtkActor> coarseActor_;
    int64_t coarseStride_ = 1;
    vtkSmartPointer<vtkPointPicker> picker_;
    vtkSmartPointer<vtkCallbackCommand> lodSwitch_;
    int64_t count_ = 0;
    bool threeD_ = false;
    double pointSize_ = 3;
    int64_t lastHover_ = -1;
    std::vector<uint8_t> baseColors_;
    std::vector<int64_t> selection_;
    std::vector<int64_t> marked_;
    std::vector<uint8_t> hidden_;
    vtkSmartPointer<vtkActor> markActor_;
    std::array<vtkSmartPointer<vtkActor>, 2> selectedActors_; // the dark ring, the white halo
    void drawMarked();
    void drawSelectedRings();
    SelectionOverlay* overlay_;
    SelectionTool tool_ = SelectionTool::Box;
    bool renderPending_ = false;
};

} // namespace clusterscope

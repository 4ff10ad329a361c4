#include "embedding_view.h"

#include "figure_scene.h"
#include "vtk_view_widget.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QTimer>
#include <QVBoxLayout>
#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkIdTypeArray.h>
#include <vtkImageData.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkMatrix4x4.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkPointData.h>
#include <vtkPointPicker.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProp.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkShaderProperty.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowToImageFilter.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace clusterscope
{

namespace
{

// A point cloud with one vertex cell per point, built from offsets and connectivity at once.
vtkSmartPointer<vtkPolyData> makeCloud(const std::vector<float>& xyz)
{
    const auto n = static_cast<vtkIdType>(xyz.size() / 3);
    vtkNew<vtkPoints> points;
    points->SetDataTypeToFloat();
    points->SetNumberOfPoints(n);
    std::copy(xyz.begin(), xyz.end(), static_cast<float*>(points->GetVoidPointer(0)));
    vtkNew<vtkIdTypeArray> offsets;
    vtkNew<vtkIdTypeArray> connectivity;
    offsets->SetNumberOfValues(n + 1);
    connectivity->SetNumberOfValues(n);
    std::iota(offsets->GetPointer(0), offsets->GetPointer(0) + n + 1, vtkIdType{0});
    std::iota(connectivity->GetPointer(0), connectivity->GetPointer(0) + n, vtkIdType{0});
    vtkNew<vtkCellArray> verts;
    verts->SetData(offsets, connectivity);
    auto cloud = vtkSmartPointer<vtkPolyData>::New();
    cloud->SetPoints(points);
    cloud->SetVerts(verts);
    return cloud;
}

// One vertex cell per shown point: point i of `cloud` stands for row i * stride.
void showVertices(vtkPolyData* cloud, const std::vector<uint8_t>& hidden, int64_t stride)
{
    const vtkIdType n = cloud->GetNumberOfPoints();
    vtkNew<vtkIdTypeArray> offsets;
    vtkNew<vtkIdTypeArray> connectivity;
    connectivity->Allocate(n);
    for (vtkIdType i = 0; i < n; ++i)
    {
        const auto row = static_cast<size_t>(i * stride);
        if (row >= hidden.size() || !hidden[row])
            connectivity->InsertNextValue(i);
    }
    const vtkIdType shown = connectivity->GetNumberOfValues();
    offsets->SetNumberOfValues(shown + 1);
    std::iota(offsets->GetPointer(0), offsets->GetPointer(0) + shown + 1, vtkIdType{0});
    vtkNew<vtkCellArray> verts;
    verts->SetData(offsets, connectivity);
    cloud->SetVerts(verts);
}

// Points drawn as flat discs, as the exported figures draw them (VTK's default is squares):
// sphere impostors without lighting keep one flat colour inside the disc, and without their
// depth (the sphere's bulge towards the camera) a larger ring drawn just behind a point stays
// behind it.
void drawAsDiscs(vtkActor* actor)
{
    actor->GetProperty()->SetRenderPointsAsSpheres(true);
    actor->GetProperty()->LightingOff();
    actor->GetShaderProperty()->AddFragmentShaderReplacement(
        "//VTK::Depth::Impl", true,
        "vec2 fromCentre = vec2(2.0 * gl_PointCoord.x - 1.0, 1.0 - 2.0 * gl_PointCoord.y);\n"
        "if (dot(fromCentre, fromCentre) > 1.0) { discard; }\n"
        "vec3 normalVCVSOutput = vec3(0.0, 0.0, 1.0);\n",
        false);
}

vtkSmartPointer<vtkActor> makeActor(vtkPolyData* cloud, double pointSize)
{
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputData(cloud);
    mapper->SetScalarModeToUsePointData();
    mapper->SetColorModeToDirectScalars();
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->SetPointSize(static_cast<float>(pointSize));
    drawAsDiscs(actor);
    return actor;
}

vtkSmartPointer<vtkUnsignedCharArray> colorArray(const uint8_t* rgb, int64_t n, int64_t stride)
{
    auto colors = vtkSmartPointer<vtkUnsignedCharArray>::New();
    colors->SetName("colors");
    colors->SetNumberOfComponents(3);
    colors->SetNumberOfTuples(n);
    for (int64_t i = 0; i < n; ++i)
        std::copy_n(rgb + i * stride * 3, 3, colors->GetPointer(i * 3));
    return colors;
}

// 2D navigation: left-drag pans, right-drag and the wheel zoom; nothing rotates.
class PanZoomStyle : public vtkInteractorStyleTrackballCamera
{
public:
    static PanZoomStyle* New();
    vtkTypeMacro(PanZoomStyle, vtkInteractorStyleTrackballCamera) void OnLeftButtonDown() override
    {
        FindPokedRenderer(Interactor->GetEventPosition()[0], Interactor->GetEventPosition()[1]);
        StartPan();
    }
    void OnLeftButtonUp() override { EndPan(); }
    void Rotate() override {}
    void Spin() override {}
};
vtkStandardNewMacro(PanZoomStyle);

} // namespace

EmbeddingView::EmbeddingView(QWidget* parent)
    : QWidget(parent), view_(new VtkViewWidget(this)), overlay_(new SelectionOverlay(view_))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_);
    setMinimumSize(320, 240);

    renderer_ = vtkSmartPointer<vtkRenderer>::New();
    renderer_->SetBackground(1, 1, 1);
    view_->renderWindow()->AddRenderer(renderer_);
    cloud_ = vtkSmartPointer<vtkPolyData>::New();
    picker_ = vtkSmartPointer<vtkPointPicker>::New();
    picker_->SetTolerance(0.004);
    picker_->UseCellsOn(); // only drawn points: hidden rows have no vertex cell
    // Level of detail: the interaction styles announce when a drag starts and ends.
    lodSwitch_ = vtkSmartPointer<vtkCallbackCommand>::New();
    lodSwitch_->SetClientData(this);
    lodSwitch_->SetCallback(
        [](vtkObject*, unsigned long id, void* client, void*)
        {
            auto* self = static_cast<EmbeddingView*>(client);
            if (id == vtkCommand::StartInteractionEvent)
                self->beginInteraction();
            else
                self->endInteraction();
        });
    setThreeD(false);
    // One white point, drawn like the real scene: the first frame compiles the point shader
    // here, not when a large dataset arrives.
    setPoints({0.0f, 0.0f, 0.0f});
    setColors({255, 255, 255});
    count_ = 0;

    // Hover and click come from the interactor, after the style has had the event.
    auto* iren = view_->interactor();
    vtkNew<vtkCallbackCommand> move;
    move->SetClientData(this);
    move->SetCallback(
        [](vtkObject* caller, unsigned long, void* client, void*)
        {
            auto* self = static_cast<EmbeddingView*>(client);
            const int* p = static_cast<vtkRenderWindowInteractor*>(caller)->GetEventPosition();
            const int64_t hit = self->pickAt(p[0], p[1]);
            if (hit != self->lastHover_)
            {
                self->lastHover_ = hit;
                Q_EMIT self->pointHovered(hit);
            }
        });
    iren->AddObserver(vtkCommand::MouseMoveEvent, move, -1.0f);
    vtkNew<vtkCallbackCommand> click;
    click->SetClientData(this);
    click->SetCallback(
        [](vtkObject* caller, unsigned long, void* client, void*)
        {
            auto* self = static_cast<EmbeddingView*>(client);
            auto* i = static_cast<vtkRenderWindowInteractor*>(caller);
            const int* p = i->GetEventPosition();
            const int* q = i->GetLastEventPosition();
            if (std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]) <= 2)
            {
                Q_EMIT self->pointClicked(self->pickAt(p[0], p[1]));
            }
        });
    iren->AddObserver(vtkCommand::LeftButtonReleaseEvent, click, -1.0f);
    view_->installEventFilter(this);
}

EmbeddingView::~EmbeddingView() = default;

void EmbeddingView::setPoints(const std::vector<float>& xyz)
{
    count_ = static_cast<int64_t>(xyz.size() / 3);
    selection_.clear();
    hidden_.clear();
    cloud_ = makeCloud(xyz);
    renderer_->RemoveAllViewProps();
    actor_ = makeActor(cloud_, pointSize_);
    renderer_->AddActor(actor_);
    coarseCloud_ = nullptr;
    coarseActor_ = nullptr;
    coarseStride_ = 1;
    if (count_ > kLevelOfDetailThreshold)
    {
        // Every k-th point: deterministic, and colours map by index.
        coarseStride_ = (count_ + kLevelOfDetailPoints - 1) / kLevelOfDetailPoints;
        const int64_t coarse = (count_ + coarseStride_ - 1) / coarseStride_;
        std::vector<float> sub(static_cast<size_t>(coarse) * 3);
        for (int64_t i = 0; i < coarse; ++i)
            std::copy_n(xyz.begin() + i * coarseStride_ * 3, 3, sub.begin() + i * 3);
        coarseCloud_ = makeCloud(sub);
        coarseActor_ = makeActor(coarseCloud_, pointSize_);
        coarseActor_->VisibilityOff();
        renderer_->AddActor(coarseActor_);
    }
    setColors(std::vector<uint8_t>(static_cast<size_t>(count_) * 3, 90));
    markActor_ = nullptr;
    selectedActors_ = {};
    drawMarked();
    resetCamera();
}

void EmbeddingView::setMarked(std::vector<int64_t> rows)
{
    marked_ = std::move(rows);
    if (markActor_)
        renderer_->RemoveViewProp(markActor_);
    markActor_ = nullptr;
    drawMarked();
    render();
}

namespace
{

// A larger dot of `rgb` just behind each of `rows`' points: a ring round it.
vtkSmartPointer<vtkActor> ringActor(vtkPolyData* cloud, int64_t count,
                                    const std::vector<int64_t>& rows, const double (&rgb)[3],
                                    double size, double behind = 1e-3)
{
    vtkNew<vtkPoints> points;
    vtkNew<vtkCellArray> verts;
    for (auto r : rows)
    {
        if (r < 0 || r >= count)
            continue;
        double p[3];
        cloud->GetPoint(r, p);
        const vtkIdType id = points->InsertNextPoint(p[0], p[1], p[2] - behind);
        verts->InsertNextCell(1, &id);
    }
    vtkNew<vtkPolyData> poly;
    poly->SetPoints(points);
    poly->SetVerts(verts);
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputData(poly);
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->SetColor(rgb[0], rgb[1], rgb[2]);
    actor->GetProperty()->SetPointSize(static_cast<float>(size));
    drawAsDiscs(actor);
    actor->PickableOff();
    return actor;
}

// Marked rows (an explanation's errors) in dark red, selected ones in near black; the marks
// are the larger, so a row both marked and selected shows both.
constexpr double kMarkRgb[3] = {0.7, 0.05, 0.05};
constexpr double kMarkExtra = 5;
constexpr double kSelectedRgb[3] = {0.1, 0.1, 0.1};
constexpr double kSelectedExtra = 6;
constexpr double kHaloRgb[3] = {1, 1, 1};
constexpr double kHaloExtra = 3;

} // namespace

void EmbeddingView::drawMarked()
{
    if (marked_.empty() || !cloud_)
        return;
    markActor_ = ringActor(cloud_, count_, marked_, kMarkRgb, pointSize_ + kMarkExtra);
    renderer_->AddViewProp(markActor_);
}

void EmbeddingView::drawSelectedRings()
{
    for (auto& actor : selectedActors_)
        if (actor)
            renderer_->RemoveViewProp(actor);
    selectedActors_ = {};
    if (selection_.empty() || selection_.size() > kRingedSelection || !cloud_)
        return;
    // A white halo inside a dark ring: it shows round dark points (Okabe–Ito's first colour is
    // black) as well as light ones.
    selectedActors_[0] =
        ringActor(cloud_, count_, selection_, kSelectedRgb, pointSize_ + kSelectedExtra, 2e-3);
    selectedActors_[1] =
        ringActor(cloud_, count_, selection_, kHaloRgb, pointSize_ + kHaloExtra, 1e-3);
    for (auto& actor : selectedActors_)
        renderer_->AddViewProp(actor);
}

void EmbeddingView::setColors(const std::vector<uint8_t>& rgb)
{
    if (static_cast<int64_t>(rgb.size()) != count_ * 3)
    {
        return;
    }
    baseColors_ = rgb;
    applyColors();
    Q_EMIT colorsChanged();
}

void EmbeddingView::removeOverlay(vtkProp* prop)
{
    renderer_->RemoveViewProp(prop);
    render();
}

vtkRenderer* EmbeddingView::renderer() const
{
    return renderer_;
}

void EmbeddingView::addOverlay(vtkProp* prop)
{
    prop->PickableOff();
    renderer_->AddViewProp(prop);
    render();
}

void EmbeddingView::setSelection(std::vector<int64_t> rows)
{
    selection_ = std::move(rows);
    drawSelectedRings();
    applyColors();
}

void EmbeddingView::applyColors()
{
    std::vector<uint8_t> rgb = baseColors_;
    if (!selection_.empty())
    {
        // Fade what is not selected three quarters of the way to white.
        std::vector<bool> chosen(static_cast<size_t>(count_), false);
        for (int64_t r : selection_)
        {
            if (r >= 0 && r < count_)
                chosen[static_cast<size_t>(r)] = true;
        }
        for (size_t i = 0; i < chosen.size(); ++i)
        {
            if (!chosen[i])
            {
                for (size_t c = 0; c < 3; ++c)
                    rgb[3 * i + c] = static_cast<uint8_t>((rgb[3 * i + c] + 3 * 255) / 4);
            }
        }
    }
    cloud_->GetPointData()->SetScalars(colorArray(rgb.data(), count_, 1));
    cloud_->Modified();
    if (coarseCloud_)
    {
        coarseCloud_->GetPointData()->SetScalars(
            colorArray(rgb.data(), coarseCloud_->GetNumberOfPoints(), coarseStride_));
        coarseCloud_->Modified();
    }
    render();
}

void EmbeddingView::beginInteraction()
{
    if (coarseActor_)
    {
        actor_->VisibilityOff();
        coarseActor_->VisibilityOn();
    }
}

void EmbeddingView::endInteraction()
{
    if (coarseActor_)
    {
        coarseActor_->VisibilityOff();
        actor_->VisibilityOn();
        render(); // full detail once the camera rests
    }
}

void EmbeddingView::setThreeD(bool threeD)
{
    threeD_ = threeD;
    vtkSmartPointer<vtkInteractorStyle> style;
    if (threeD)
        style = vtkSmartPointer<vtkInteractorStyleTrackballCamera>::New();
    else
        style = vtkSmartPointer<PanZoomStyle>::New();
    style->AddObserver(vtkCommand::StartInteractionEvent, lodSwitch_);
    style->AddObserver(vtkCommand::EndInteractionEvent, lodSwitch_);
    view_->setInteractorStyle(style);
    resetCamera();
}

void EmbeddingView::setPointSize(double pixels)
{
    pointSize_ = pixels;
    for (vtkActor* a : {actor_.Get(), coarseActor_.Get()})
    {
        if (a)
            a->GetProperty()->SetPointSize(static_cast<float>(pixels));
    }
    if (markActor_)
        markActor_->GetProperty()->SetPointSize(static_cast<float>(pixels + kMarkExtra));
    for (size_t i = 0; i < selectedActors_.size(); ++i)
        if (selectedActors_[i])
            selectedActors_[i]->GetProperty()->SetPointSize(
                static_cast<float>(pixels + (i == 0 ? kSelectedExtra : kHaloExtra)));
    render();
}

void EmbeddingView::resetCamera()
{
    auto* camera = renderer_->GetActiveCamera();
    camera->SetParallelProjection(!threeD_);
    camera->SetPosition(0, 0, 1);
    camera->SetFocalPoint(0, 0, 0);
    camera->SetViewUp(0, 1, 0);
    if (threeD_)
    {
        camera->Elevation(20);
        camera->Azimuth(30);
    }
    renderer_->ResetCamera();
    if (!threeD_ && count_ > 0)
    {
        // The bounding sphere VTK fits leaves a flat 2-D cloud at 40% of a wide view: fit the
        // bounding box instead, with a margin of a few percent.
        double b[6];
        cloud_->GetBounds(b);
        const double aspect = std::max(1, view_->width()) / double(std::max(1, view_->height()));
        const double half = std::max((b[3] - b[2]) / 2, (b[1] - b[0]) / 2 / aspect);
        if (half > 0)
            camera->SetParallelScale(half * 1.06);
    }
    render();
}

std::array<double, 10> EmbeddingView::camera() const
{
    auto* c = renderer_->GetActiveCamera();
    std::array<double, 10> out{};
    c->GetPosition(out.data());
    c->GetFocalPoint(out.data() + 3);
    c->GetViewUp(out.data() + 6);
    out[9] = c->GetParallelScale();
    return out;
}

void EmbeddingView::setCamera(const std::array<double, 10>& values)
{
    if (!std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); }))
        return;
    auto* c = renderer_->GetActiveCamera();
    c->SetPosition(values.data());
    c->SetFocalPoint(values.data() + 3);
    c->SetViewUp(values.data() + 6);
    c->SetParallelScale(values[9]);
    renderer_->ResetCameraClippingRange();
    render();
}

void EmbeddingView::render()
{
    // Coalesced: several scene changes cost one frame. The short delay gives the frame an
    // event-loop turn of its own, apart from the work that changed the scene.
    if (renderPending_)
    {
        return;
    }
    renderPending_ = true;
    QTimer::singleShot(5, this, &EmbeddingView::renderNow);
}

void EmbeddingView::renderNow()
{
    renderPending_ = false;
    if (view_->renderWindow()->GetReadyForRendering())
    {
        view_->renderWindow()->Render();
    }
    else
    {
        view_->update();
    }
}

int64_t EmbeddingView::pickAt(int x, int y)
{
    if (count_ == 0 || !picker_->Pick(x, y, 0, renderer_))
    {
        return -1;
    }
    const vtkIdType id = picker_->GetPointId();
    if (id < 0)
        return -1;
    // While the camera moves the coarse cloud stands in: its point i is the data's row
    // i * coarseStride_.
    if (coarseCloud_ && picker_->GetDataSet() == coarseCloud_.Get())
        return static_cast<int64_t>(id) * coarseStride_;
    return static_cast<int64_t>(id);
}

std::array<double, 16> EmbeddingView::viewProjection(double aspect) const
{
    vtkMatrix4x4* m =
        renderer_->GetActiveCamera()->GetCompositeProjectionTransformMatrix(aspect, -1, 1);
    std::array<double, 16> out{};
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            out[static_cast<size_t>(r * 4 + c)] = m->GetElement(r, c);
    return out;
}

std::optional<QPointF> EmbeddingView::projectedPosition(int64_t row) const
{
    if (row < 0 || row >= count_)
        return std::nullopt;
    const double w = std::max(1, view_->width());
    const double h = std::max(1, view_->height());
    const auto* p = static_cast<const float*>(cloud_->GetPoints()->GetVoidPointer(0)) + row * 3;
    return projectToRect(viewProjection(w / h), p[0], p[1], p[2], QRectF(0, 0, w, h));
}

void EmbeddingView::setHidden(std::vector<uint8_t> hidden)
{
    hidden_ =
        static_cast<int64_t>(hidden.size()) == count_ ? std::move(hidden) : std::vector<uint8_t>{};
    if (!cloud_)
        return;
    showVertices(cloud_, hidden_, 1);
    if (coarseCloud_)
        showVertices(coarseCloud_, hidden_, coarseStride_);
    if (lastHover_ >= 0 && static_cast<size_t>(lastHover_) < hidden_.size() &&
        hidden_[static_cast<size_t>(lastHover_)])
    {
        lastHover_ = -1;
        Q_EMIT pointHovered(-1);
    }
    render();
}

std::vector<std::optional<QPointF>> EmbeddingView::drawnPositions() const
{
    // Projecting on the CPU takes milliseconds at 1M points; VTK's hardware selector takes
    // seconds on a software renderer.
    const double w = std::max(1, view_->width());
    const double h = std::max(1, view_->height());
    const auto m = viewProjection(w / h);
    const QRectF widget(0, 0, w, h);
    const auto* points = static_cast<const float*>(cloud_->GetPoints()->GetVoidPointer(0));
    std::vector<std::optional<QPointF>> at(static_cast<size_t>(count_));
    for (int64_t i = 0; i < count_; ++i)
    {
        const float* p = points + i * 3;
        if (hidden_.empty() || !hidden_[static_cast<size_t>(i)])
            at[static_cast<size_t>(i)] = projectToRect(m, p[0], p[1], p[2], widget);
    }
    return at;
}

std::vector<int64_t> EmbeddingView::pointsInRect(const QRect& rect) const
{
    const auto at = drawnPositions();
    std::vector<int64_t> rows;
    const QRectF r(rect);
    for (size_t i = 0; i < at.size(); ++i)
        if (at[i] && r.contains(*at[i])) // behind the camera: not drawn, so never chosen
            rows.push_back(static_cast<int64_t>(i));
    return rows;
}

std::vector<int64_t> EmbeddingView::pointsInShape(const QPainterPath& shape) const
{
    return rowsInShape(shape, view_->size(), drawnPositions());
}

void EmbeddingView::finishGesture(QPoint at)
{
    const SelectionMode mode = overlay_->mode();
    const QPoint origin = overlay_->origin();
    const QPainterPath shape = overlay_->finish();
    std::vector<int64_t> rows;
    if (!shape.isEmpty())
        rows = tool_ == SelectionTool::Box
                   ? pointsInRect(QRect(origin, at).normalized()) // exact, not rasterised
                   : pointsInShape(shape);
    else
    {
        // A click: the drawn point nearest the pointer, within a few pixels.
        const auto drawn = drawnPositions();
        const double reach = std::max(5.0, pointSize_);
        double best = reach * reach;
        int64_t nearest = -1;
        for (size_t i = 0; i < drawn.size(); ++i)
        {
            if (!drawn[i])
                continue;
            const double dx = drawn[i]->x() - at.x(), dy = drawn[i]->y() - at.y();
            if (dx * dx + dy * dy <= best)
            {
                best = dx * dx + dy * dy;
                nearest = static_cast<int64_t>(i);
            }
        }
        if (nearest >= 0)
            rows.push_back(nearest);
        else if (mode != SelectionMode::Replace)
            return; // Ctrl or Alt on empty space changes nothing
    }
    auto combined = combineSelection(selection_, std::move(rows), mode);
    setSelection(combined);
    Q_EMIT selectionDrawn(combined);
}

bool EmbeddingView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched != view_)
        return QWidget::eventFilter(watched, event);
    const bool escape =
        (event->type() == QEvent::ShortcutOverride || event->type() == QEvent::KeyPress) &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape;
    if (escape && overlay_->active() && event->type() == QEvent::ShortcutOverride)
    {
        event->accept(); // the key is the shape's, not the window's Clear Selection
        return true;
    }
    if (escape && overlay_->active())
    {
        overlay_->cancel(); // Escape drops the shape being drawn; the window's clears the rest
        return true;
    }
    auto* mouse = dynamic_cast<QMouseEvent*>(event);
    if (!mouse)
        return false;
    const QPoint pos = mouse->position().toPoint();
    if (event->type() == QEvent::MouseButtonPress && mouse->button() == Qt::LeftButton)
    {
        if (const auto mode = selectionModeFor(mouse->modifiers()))
        {
            overlay_->begin(pos, tool_, *mode);
            return true; // the drag is the selection's, not the camera's
        }
    }
    if (!overlay_->active())
        return false;
    if (event->type() == QEvent::MouseMove)
    {
        overlay_->extend(pos);
        return true;
    }
    if (event->type() == QEvent::MouseButtonRelease && mouse->button() == Qt::LeftButton)
    {
        overlay_->extend(pos);
        finishGesture(pos);
        return true;
    }
    return false;
}

QImage EmbeddingView::renderImage(int scale)
{
    if (!view_->renderWindow()->GetReadyForRendering())
    {
        return {};
    }
    renderNow();
    vtkNew<vtkWindowToImageFilter> grab;
    grab->SetInput(view_->renderWindow());
    grab->SetScale(scale);
    grab->SetInputBufferTypeToRGB();
    grab->ReadFrontBufferOff();
    grab->Update();
    vtkImageData* image = grab->GetOutput();
    int dims[3];
    image->GetDimensions(dims);
    QImage out(dims[0], dims[1], QImage::Format_RGB888);
    const auto* src = static_cast<const uint8_t*>(image->GetScalarPointer());
    for (int row = 0; row < dims[1]; ++row) // VTK's rows run bottom to top
    {
        std::memcpy(out.scanLine(dims[1] - 1 - row), src + static_cast<size_t>(row) * dims[0] * 3,
                    static_cast<size_t>(dims[0]) * 3);
    }
    renderNow(); // the grab re-rendered offscreen; show the live scene again
    return out;
}

} // namespace clusterscope

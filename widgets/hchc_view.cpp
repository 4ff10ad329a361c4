#include "hchc_view.h"

#include "embedding_view.h"

#include <QResizeEvent>
#include <QToolButton>
#include <QVBoxLayout>
#include <vtkActor.h>
#include <vtkCallbackCommand.h>
#include <vtkCellArray.h>
#include <vtkCellData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <cmath>
#include <numbers>

namespace clusterscope
{

namespace
{

constexpr double kDegree = std::numbers::pi / 180.0;
constexpr double kMarkerSize = 14;                // an anchor's marker, in pixels
constexpr double kMarkerRadius = kMarkerSize / 2; // clicks this close hit the marker

// Points drawn as round dots of one size, in the given colours (n x 3, or one colour).
vtkSmartPointer<vtkActor> hchcDots(const std::vector<float>& xyz, const std::vector<uint8_t>& rgb,
                                   double size)
{
    const auto n = static_cast<vtkIdType>(xyz.size() / 3);
    vtkNew<vtkPoints> points;
    vtkNew<vtkCellArray> verts;
    vtkNew<vtkUnsignedCharArray> colors;
    colors->SetNumberOfComponents(3);
    for (vtkIdType i = 0; i < n; ++i)
    {
        points->InsertNextPoint(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]);
        verts->InsertNextCell(1, &i);
        const size_t c = rgb.size() == 3 ? 0 : static_cast<size_t>(3 * i);
        colors->InsertNextTuple3(rgb[c], rgb[c + 1], rgb[c + 2]);
    }
    vtkNew<vtkPolyData> poly;
    poly->SetPoints(points);
    poly->SetVerts(verts);
    poly->GetPointData()->SetScalars(colors);
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputData(poly);
    mapper->SetColorModeToDirectScalars();
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->SetPointSize(static_cast<float>(size));
    return actor;
}

vtkSmartPointer<vtkActor> hchcArcs(const std::vector<std::vector<QPointF>>& arcs, double width)
{
    vtkNew<vtkPoints> points;
    vtkNew<vtkCellArray> lines;
    vtkNew<vtkUnsignedCharArray> colors;
    colors->SetNumberOfComponents(3);
    for (size_t j = 0; j < arcs.size(); ++j)
    {
        std::vector<vtkIdType> ids;
        for (const auto& q : arcs[j])
            ids.push_back(points->InsertNextPoint(q.x(), q.y(), -0.002));
        lines->InsertNextCell(static_cast<vtkIdType>(ids.size()), ids.data());
        const QColor c = hchcArcColor(j);
        colors->InsertNextTuple3(c.red(), c.green(), c.blue());
    }
    vtkNew<vtkPolyData> poly;
    poly->SetPoints(points);
    poly->SetLines(lines);
    poly->GetCellData()->SetScalars(colors);
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputData(poly);
    mapper->SetColorModeToDirectScalars();
    mapper->SetScalarModeToUseCellData();
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->SetLineWidth(static_cast<float>(width));
    return actor;
}

} // namespace

HchcView::HchcView(QWidget* parent) : QWidget(parent), view_(new EmbeddingView(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_);
    connect(view_, &EmbeddingView::pointHovered, this,
            [this](int64_t i) { Q_EMIT sampleHovered(i < samples_ ? i : -1); });
    connect(view_, &EmbeddingView::pointClicked, this,
            [this](int64_t i)
            {
                if (i >= samples_)
                    return Q_EMIT anchorClicked(i - samples_);
                // A sample under an anchor's marker (a row wholly of one cluster sits on its
                // anchor) is a click on the marker, as drawn.
                if (const auto at = i >= 0 ? view_->projectedPosition(i) : std::nullopt)
                    for (int64_t c = 0; c < anchorCount(); ++c)
                        if (const auto a = view_->projectedPosition(samples_ + c))
                            if (std::hypot(a->x() - at->x(), a->y() - at->y()) <= kMarkerRadius)
                                return Q_EMIT anchorClicked(c);
                Q_EMIT sampleClicked(i);
            });
    connect(view_, &EmbeddingView::selectionDrawn, this,
            [this](const std::vector<int64_t>& rows)
            {
                std::vector<int64_t> samples;
                for (auto r : rows)
                    if (r < samples_)
                        samples.push_back(r);
                Q_EMIT boxSelected(samples);
            });
    // The labels follow the anchors after every frame (pan, zoom, resize).
    vtkNew<vtkCallbackCommand> frame;
    frame->SetClientData(this);
    frame->SetCallback(
        [](vtkObject*, unsigned long, void* client, void*)
        {
            QMetaObject::invokeMethod(static_cast<HchcView*>(client), &HchcView::placeLabels,
                                      Qt::QueuedConnection);
        });
    view_->renderer()->AddObserver(vtkCommand::EndEvent, frame);
}

HchcView::~HchcView()
{
    view_->renderer()->RemoveAllObservers();
}

void HchcView::clear()
{
    for (auto* l : labels_)
        delete l;
    labels_.clear();
    angles_.clear();
    labelAngles_.clear();
    xy_.clear();
    highlighted_ = -1;
    ring_ = nullptr;
    outliers_.clear();
    samples_ = 0;
    view_->setPoints({});
}

void HchcView::setScene(const HchcScene& scene)
{
    clear();
    samples_ = static_cast<int64_t>(scene.xy.size() / 2);
    angles_ = scene.anchorAngles;
    outliers_ = scene.outliers;
    xy_ = scene.xy;
    cycle_ = scene.cycle;
    anchorRgb_ = scene.anchorRgb;
    const size_t k = angles_.size();
    // The samples, then one point per anchor: picking an anchor's point is clicking the anchor.
    std::vector<float> xyz;
    xyz.reserve(static_cast<size_t>(samples_ + static_cast<int64_t>(k)) * 3);
    for (int64_t i = 0; i < samples_; ++i)
        xyz.insert(xyz.end(), {scene.xy[static_cast<size_t>(2 * i)],
                               scene.xy[static_cast<size_t>(2 * i + 1)], 0.0f});
    std::vector<float> anchors;
    for (size_t c = 0; c < k; ++c)
    {
        const float x = static_cast<float>(std::cos(angles_[c] * kDegree));
        const float y = static_cast<float>(std::sin(angles_[c] * kDegree));
        xyz.insert(xyz.end(), {x, y, 0.0f});
        anchors.insert(anchors.end(), {x, y, 0.003f});
    }
    view_->setPoints(xyz);
    if (k > 0)
    {
        view_->addOverlay(hchcArcs(hchcArcPoints(scene.cycle, angles_), 3));
        // Labels of anchors too close to read are spread apart, each joined to its anchor.
        labelAngles_ = hchcLabelAngles(angles_, kLabelGap * 360.0 / static_cast<double>(k));
        std::vector<std::vector<QPointF>> leaders;
        for (size_t c = 0; c < k; ++c)
            if (std::abs(labelAngles_[c] - angles_[c]) > 0.5)
                leaders.push_back(
                    {QPointF(std::cos(angles_[c] * kDegree), std::sin(angles_[c] * kDegree)),
                     QPointF(1.12 * std::cos(labelAngles_[c] * kDegree),
                             1.12 * std::sin(labelAngles_[c] * kDegree))});
        if (!leaders.empty())
            view_->addOverlay(hchcArcs(leaders, 1));
        std::vector<float> rings = anchors;
        for (size_t c = 0; c < k; ++c)
            rings[3 * c + 2] = 0.002f;
        view_->addOverlay(hchcDots(rings, {40, 40, 40}, kMarkerSize + 5));
        view_->addOverlay(hchcDots(anchors, scene.anchorRgb, kMarkerSize));
    }
    // White corners beyond the circle: the camera's fit leaves room for the labels.
    view_->addOverlay(hchcDots({-1.45f, -1.35f, 0, 1.45f, 1.35f, 0}, {255, 255, 255}, 1));
    std::vector<float> ringed;
    for (size_t i = 0; i < outliers_.size() && i < static_cast<size_t>(samples_); ++i)
        if (outliers_[i])
            ringed.insert(ringed.end(), {xyz[3 * i], xyz[3 * i + 1], -0.001f});
    if (!ringed.empty())
        view_->addOverlay(hchcDots(ringed, {20, 20, 20}, view_->pointSize() + 4));
    std::vector<uint8_t> grey(static_cast<size_t>(samples_) * 3, 90);
    setColors(grey);
    for (size_t c = 0; c < k; ++c)
    {
        auto* b = new QToolButton(view_);
        b->setObjectName(QString("anchor%1").arg(c));
        b->setText(c < scene.anchorLabels.size() ? scene.anchorLabels[c] : QString::number(c));
        b->setAutoRaise(true);
        b->setStyleSheet("QToolButton { background: rgba(255,255,255,210); border: 1px solid "
                         "#888; border-radius: 3px; padding: 1px 3px; font-weight: bold; }");
        b->setToolTip(tr("Select cluster %1's rows").arg(c));
        const auto cluster = static_cast<int64_t>(c);
        connect(b, &QToolButton::clicked, this, [this, cluster] { Q_EMIT anchorClicked(cluster); });
        b->adjustSize();
        b->show();
        b->raise();
        labels_.push_back(b);
    }
    // Anchors' colours for their points; the samples are grey until setColors.
    std::vector<uint8_t> all = view_->colors();
    for (size_t c = 0; c < k; ++c)
        for (size_t j = 0; j < 3; ++j)
            all[static_cast<size_t>(samples_) * 3 + 3 * c + j] = scene.anchorRgb[3 * c + j];
    view_->setColors(all);
    view_->resetCamera();
    placeLabels();
}

void HchcView::setColors(const std::vector<uint8_t>& rgb)
{
    if (static_cast<int64_t>(rgb.size()) != samples_ * 3)
        return;
    std::vector<uint8_t> all = view_->colors();
    if (all.size() < rgb.size())
        return;
    std::copy(rgb.begin(), rgb.end(), all.begin());
    view_->setColors(all);
}

void HchcView::setSelection(const std::vector<int64_t>& samples)
{
    view_->setSelection(samples);
}

void HchcView::setHighlighted(int64_t sample)
{
    if (sample == highlighted_)
        return;
    if (ring_)
        view_->removeOverlay(ring_);
    ring_ = nullptr;
    highlighted_ = sample >= 0 && sample < samples_ ? sample : -1;
    if (highlighted_ < 0)
        return;
    const auto at = static_cast<size_t>(2 * highlighted_);
    // A black disc behind the point, larger than it: a ring round the hovered row.
    ring_ = hchcDots({xy_[at], xy_[at + 1], -0.0015f}, {0, 0, 0}, view_->pointSize() + 8);
    view_->addOverlay(ring_);
}

FigureScene HchcView::figureScene(const QString& title) const
{
    HchcScene scene{xy_, cycle_, angles_, {}, anchorRgb_, outliers_};
    for (auto* label : labels_)
        if (auto* b = qobject_cast<QToolButton*>(label))
            scene.anchorLabels.push_back(b->text());
    const auto n = static_cast<size_t>(samples_);
    const auto& rgb = view_->colors();
    FigureScene f = hchcFigureScene(
        scene,
        std::vector<uint8_t>(rgb.begin(),
                             rgb.begin() + static_cast<long>(std::min(rgb.size(), n * 3))),
        view_->pointSize(), kMarkerSize * 0.75, title);
    const QSize size = view_->size();
    f.aspect = size.height() > 0 ? double(size.width()) / size.height() : 1.0;
    f.viewProjection = view_->viewProjection(f.aspect);
    return f;
}

const std::vector<int64_t>& HchcView::selection() const
{
    return view_->selection();
}

QWidget* HchcView::anchorLabel(int64_t cluster) const
{
    return cluster >= 0 && cluster < anchorCount() ? labels_[static_cast<size_t>(cluster)]
                                                   : nullptr;
}

std::vector<int64_t> HchcView::samplesInRect(const QRect& rect) const
{
    std::vector<int64_t> out;
    for (auto r : view_->pointsInRect(rect))
        if (r < samples_)
            out.push_back(r);
    return out;
}

QImage HchcView::renderImage()
{
    return grab().toImage();
}

void HchcView::resizeEvent(QResizeEvent* e)
{
    QWidget::resizeEvent(e);
    placeLabels();
}

void HchcView::placeLabels()
{
    for (size_t c = 0; c < labels_.size(); ++c)
    {
        const auto at = view_->projectedPosition(samples_ + static_cast<int64_t>(c));
        if (!at)
        {
            labels_[c]->hide();
            continue;
        }
        // Outside the circle, along the label's radius (its anchor's, unless spread apart from
        // close neighbours), clear of the marker.
        const double t = (c < labelAngles_.size() ? labelAngles_[c] : angles_[c]) * kDegree;
        std::optional<QPointF> from = at;
        if (c < labelAngles_.size() && std::abs(labelAngles_[c] - angles_[c]) > 0.5)
        {
            const double w = std::max(1, view_->width()), h = std::max(1, view_->height());
            from = projectToRect(view_->viewProjection(w / h), 1.12 * std::cos(t),
                                 1.12 * std::sin(t), 0, QRectF(0, 0, w, h));
        }
        if (!from)
            from = at;
        const QSize s = labels_[c]->size();
        const double reach = 14 + 0.5 * std::hypot(s.width(), s.height()) * 0.8;
        const QPointF centre(from->x() + std::cos(t) * reach, from->y() - std::sin(t) * reach);
        // Kept inside the view: in a narrow dock a long label would be cut at its edge.
        const int x = std::clamp(static_cast<int>(centre.x() - s.width() / 2.0), 0,
                                 std::max(0, width() - s.width()));
        const int y = std::clamp(static_cast<int>(centre.y() - s.height() / 2.0), 0,
                                 std::max(0, height() - s.height()));
        labels_[c]->move(x, y);
        labels_[c]->show();
        labels_[c]->raise();
    }
}

} // namespace clusterscope

#include "rule_view.h"

#include "embedding_view.h"
#include "rule_geometry.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <vtkActor.h>
#include <vtkCellArray.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>

#include <algorithm>
#include <cmath>

namespace clusterscope
{
namespace
{

// A VTK actor for polylines (closed when `closed`) or one filled polygon, in one colour.
vtkSmartPointer<vtkActor> ruleActor(const std::vector<std::vector<QPointF>>& shapes,
                                    const QColor& colour, bool fill, double z)
{
    vtkNew<vtkPoints> points;
    vtkNew<vtkCellArray> cells;
    for (const auto& shape : shapes)
    {
        std::vector<vtkIdType> ids;
        for (const auto& p : shape)
            ids.push_back(points->InsertNextPoint(p.x(), p.y(), z));
        cells->InsertNextCell(static_cast<vtkIdType>(ids.size()), ids.data());
    }
    vtkNew<vtkPolyData> poly;
    poly->SetPoints(points);
    if (fill)
        poly->SetPolys(cells);
    else
        poly->SetLines(cells);
    vtkNew<vtkPolyDataMapper> mapper;
    mapper->SetInputData(poly);
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->SetColor(colour.redF(), colour.greenF(), colour.blueF());
    actor->GetProperty()->SetOpacity(fill ? 0.15 : 1.0);
    actor->GetProperty()->SetLineWidth(2);
    return actor;
}

} // namespace

RuleView::RuleView(QWidget* parent)
    : QWidget(parent), x_(new QComboBox(this)), y_(new QComboBox(this)), caption_(new QLabel(this)),
      view_(new EmbeddingView(this))
{
    x_->setObjectName("ruleFeatureX");
    y_->setObjectName("ruleFeatureY");
    caption_->setObjectName("ruleCaption");
    view_->setMinimumSize(160, 120); // in a dock beside the main view
    caption_->setWordWrap(true);
    auto* axes = new QHBoxLayout;
    auto* xForm = new QFormLayout;
    xForm->addRow(tr("x:"), x_);
    auto* yForm = new QFormLayout;
    yForm->addRow(tr("y:"), y_);
    axes->addLayout(xForm);
    axes->addLayout(yForm);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(axes);
    layout->addWidget(view_, 1);
    layout->addWidget(caption_);
    connect(x_, &QComboBox::currentIndexChanged, this, &RuleView::redraw);
    connect(y_, &QComboBox::currentIndexChanged, this, &RuleView::redraw);
    connect(view_, &EmbeddingView::pointHovered, this, &RuleView::pointHovered);
}

void RuleView::setData(std::vector<float> features, int64_t d, std::vector<std::string> names,
                       std::vector<uint8_t> rgb)
{
    features_ = std::move(features);
    d_ = d;
    names_ = std::move(names);
    rgb_ = std::move(rgb);
    const QSignalBlocker bx(x_), by(y_);
    x_->clear();
    y_->clear();
    for (int64_t j = 0; j < d_; ++j)
    {
        const QString name = j < static_cast<int64_t>(names_.size())
                                 ? QString::fromStdString(names_[static_cast<size_t>(j)])
                                 : QString("x%1").arg(j);
        x_->addItem(name);
        y_->addItem(name);
    }
    x_->setCurrentIndex(0);
    y_->setCurrentIndex(d_ > 1 ? 1 : 0);
    redraw();
}

void RuleView::setRule(const Rule* rule, const QColor& colour, int64_t fallback)
{
    rule_ = rule ? std::optional<Rule>(*rule) : std::nullopt;
    colour_ = colour;
    std::vector<int64_t> used;
    if (rule)
        for (const auto& c : rule->conditions)
            for (const auto& t : c.terms)
                if (std::find(used.begin(), used.end(), t.first) == used.end())
                    used.push_back(t.first);
    if (used.size() == 1 && fallback >= 0 && fallback != used[0])
        used.push_back(fallback);
    if (used.size() == 1)
        used.push_back(used[0] == 0 ? std::min<int64_t>(1, d_ - 1) : 0);
    if (used.size() >= 2)
        setFeatures(used[0], used[1]);
    else
        redraw();
}

void RuleView::setFeatures(int64_t x, int64_t y)
{
    {
        const QSignalBlocker bx(x_), by(y_);
        x_->setCurrentIndex(static_cast<int>(x));
        y_->setCurrentIndex(static_cast<int>(y));
    }
    redraw();
}

int64_t RuleView::featureX() const
{
    return x_->currentIndex();
}
int64_t RuleView::featureY() const
{
    return y_->currentIndex();
}

void RuleView::redraw()
{
    const int64_t n = d_ > 0 ? static_cast<int64_t>(features_.size()) / d_ : 0;
    const int64_t fx = featureX(), fy = featureY();
    lines_.clear();
    boundaries_.clear();
    drawn_ = hidden_ = 0;
    if (n == 0 || fx < 0 || fy < 0)
    {
        view_->setPoints({});
        caption_->clear();
        return;
    }
    // Each axis scaled to [0, 1] over the rows (the two features' units differ), the rule's
    // half-planes with it: a x + b y <= c becomes (a sx) u + (b sy) v <= c - a x0 - b y0.
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (int64_t i = 0; i < n; ++i)
    {
        const double vx = features_[static_cast<size_t>(i * d_ + fx)];
        const double vy = features_[static_cast<size_t>(i * d_ + fy)];
        x0 = std::min(x0, vx);
        x1 = std::max(x1, vx);
        y0 = std::min(y0, vy);
        y1 = std::max(y1, vy);
    }
    const double sx = x1 > x0 ? x1 - x0 : 1.0, sy = y1 > y0 ? y1 - y0 : 1.0;
    range_ = {x0, x1, y0, y1};
    std::vector<float> xyz(static_cast<size_t>(3 * n));
    for (int64_t i = 0; i < n; ++i)
    {
        xyz[static_cast<size_t>(3 * i)] =
            static_cast<float>((features_[static_cast<size_t>(i * d_ + fx)] - x0) / sx);
        xyz[static_cast<size_t>(3 * i + 1)] =
            static_cast<float>((features_[static_cast<size_t>(i * d_ + fy)] - y0) / sy);
    }
    view_->setPoints(xyz); // removes the overlays
    if (!rgb_.empty())
        view_->setColors(rgb_);
    if (rule_)
    {
        const QRectF box(QPointF(-0.05, -0.05), QPointF(1.05, 1.05));
        auto planes = halfPlanesOf(*rule_, fx, fy, &hidden_);
        for (auto& h : planes)
            h = {h.a * sx, h.b * sy, h.c - h.a * x0 - h.b * y0};
        drawn_ = static_cast<int>(planes.size());
        std::vector<std::vector<QPointF>> boundaries;
        for (const auto& h : planes)
            if (const auto segment = boundaryInBox(box, h))
                boundaries.push_back({segment->first, segment->second});
        auto slice = clipBox(box, planes);
        if (!slice.empty() && !planes.empty())
        {
            view_->addOverlay(ruleActor({slice}, colour_, true, -0.01));
            auto outline = slice;
            outline.push_back(slice.front());
            lines_.push_back(outline);
        }
        if (!boundaries.empty())
            view_->addOverlay(ruleActor(boundaries, colour_.darker(140), false, 0.01));
        lines_.insert(lines_.end(), boundaries.begin(), boundaries.end());
        boundaries_ = boundaries;
    }
    caption_->setText(!rule_ ? QString()
                      : hidden_ == 0
                          ? tr("All %n condition(s) of the rule are drawn.", nullptr, drawn_)
                          : tr("%1 of %2 conditions are drawn; %3 involve other features.")
                                .arg(drawn_)
                                .arg(drawn_ + hidden_)
                                .arg(hidden_));
}

FigureScene RuleView::figureScene(const QString& title) const
{
    // In the features' own units, each axis fitted to its range (the units differ).
    FigureScene f;
    const int64_t n = d_ > 0 ? static_cast<int64_t>(features_.size()) / d_ : 0;
    for (int64_t i = 0; i < n; ++i)
        f.xyz.insert(f.xyz.end(), {features_[static_cast<size_t>(i * d_ + featureX())],
                                   features_[static_cast<size_t>(i * d_ + featureY())], 0.0F});
    f.rgb = rgb_;
    f.aspect = view_->height() > 0 ? double(view_->width()) / view_->height() : 1.4;
    const double sx = range_[1] > range_[0] ? range_[1] - range_[0] : 1.0;
    const double sy = range_[3] > range_[2] ? range_[3] - range_[2] : 1.0;
    const double hw = sx / 2 * 1.08, hh = sy / 2 * 1.08;
    const double cx = (range_[0] + range_[1]) / 2, cy = (range_[2] + range_[3]) / 2;
    f.viewProjection = {1 / hw, 0, 0, -cx / hw, 0, 1 / hh, 0, -cy / hh, 0, 0, 1, 0, 0, 0, 0, 1};
    f.title = title;
    if (hidden_ > 0)
        f.title += tr(" (%1 of %2 conditions drawn)").arg(drawn_).arg(drawn_ + hidden_);
    f.xLabel = x_->currentText();
    f.yLabel = y_->currentText();
    // The boundary lines only: the shaded slice's outline would add edges the rule lacks.
    for (const auto& l : boundaries_)
    {
        std::vector<QPointF> world;
        for (const auto& p : l)
            world.emplace_back(range_[0] + p.x() * sx, range_[2] + p.y() * sy);
        f.paths.push_back({world, colour_.darker(140), 1.5});
    }
    return f;
}

} // namespace clusterscope

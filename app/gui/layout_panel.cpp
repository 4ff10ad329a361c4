#include "layout_panel.h"

#include "coloring.h"
#include "embedding_view.h"
#include "figure_renderer.h"
#include "hchc_view.h"
#include "layout_controller.h"
#include "operation_forms.h"
#include "palette.h"
#include "parameter_form.h"
#include "session.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/pipeline/builtin.h>

#include <ATen/core/Tensor.h>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace clusterscope
{

LayoutPanel::LayoutPanel(Session& session, LayoutController& controller, EmbeddingView* colours,
                         QWidget* parent)
    : QWidget(parent), session_(session), controller_(controller), colours_(colours),
      layout_(new QComboBox(this)), form_(new ParameterForm(this)),
      run_(new QPushButton(tr("Lay Out Current Run"), this)), note_(new QLabel(this)),
      colouring_(new QComboBox(this)), export_(new QPushButton(tr("Export Figure..."), this)),
      view_(new HchcView(this))
{
    // Every layout the registry has: a new one shows up here by itself.
    for (const auto& l : builtinRegistry().layouts())
        addOperationItem(*layout_, l);
    layout_->setObjectName("layoutChoice");
    form_->setObjectName("layoutParams");
    run_->setObjectName("layOutRun");
    run_->setToolTip(tr("Lay out the current run's soft assignment in the background"));
    note_->setObjectName("layoutNote");
    note_->setWordWrap(true);
    colouring_->setObjectName("layoutColouring");
    colouring_->addItem(tr("As the embedding view"));
    colouring_->addItem(tr("Outlier score"));
    export_->setObjectName("exportLayoutPng");
    view_->setObjectName("hchcView");
    view_->setMinimumSize(280, 280);

    auto* top = new QFormLayout;
    top->addRow(tr("Layout:"), layout_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(form_);
    layout->addWidget(run_);
    layout->addWidget(note_);
    auto* colourRow = new QFormLayout;
    colourRow->addRow(tr("Colour:"), colouring_);
    layout->addLayout(colourRow);
    layout->addWidget(view_, 1);
    layout->addWidget(export_);

    auto showSchema = [this]
    {
        const auto id = layout_->currentData().toString().toStdString();
        form_->setSchema(builtinRegistry().getLayout(id).params);
        updateRefusal();
    };
    showSchema();
    connect(layout_, &QComboBox::currentIndexChanged, this, showSchema);
    connect(form_, &ParameterForm::validityChanged, this, &LayoutPanel::updateRefusal);
    connect(run_, &QPushButton::clicked, this, [this] { layOutCurrentRun(); });
    connect(colouring_, &QComboBox::currentIndexChanged, this, &LayoutPanel::recolor);
    connect(colours_, &EmbeddingView::colorsChanged, this, &LayoutPanel::recolor);
    connect(export_, &QPushButton::clicked, this,
            [this]
            {
                const QString path = QFileDialog::getSaveFileName(
                    this, tr("Export layout"), {},
                    tr("PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"));
                QString error;
                if (!path.isEmpty() && !exportFigure(path, 2, &error))
                    note_->setText(error);
            });
    connect(&session_, &Session::currentRunChanged, this, &LayoutPanel::showCurrentRun);
    connect(&session_, &Session::datasetChanged, this, &LayoutPanel::showCurrentRun);
    connect(&session_, &Session::runChanged, this, &LayoutPanel::updateRefusal);
    connect(&session_, &Session::layoutChanged, this,
            [this](int id)
            {
                if (id == session_.currentRunId())
                    showCurrentRun();
            });
    connect(&session_, &Session::selectionChanged, this, &LayoutPanel::showSelection);
    // The row hovered in the embedding view is ringed here.
    connect(colours_, &EmbeddingView::pointHovered, this,
            [this](int64_t row)
            {
                view_->setHighlighted(row >= 0 && row < static_cast<int64_t>(sampleOfRow_.size())
                                          ? sampleOfRow_[static_cast<size_t>(row)]
                                          : -1);
            });
    connect(&controller_, &LayoutController::layoutFailed, this,
            [this](const QString& error) { note_->setText(tr("Layout failed: %1").arg(error)); });

    auto rowsOf = [this](const std::vector<int64_t>& samples)
    {
        std::vector<int64_t> rows;
        for (auto s : samples)
            if (s >= 0 && s < static_cast<int64_t>(rows_.size()))
                rows.push_back(rows_[static_cast<size_t>(s)]);
        std::sort(rows.begin(), rows.end());
        return rows;
    };
    connect(view_, &HchcView::boxSelected, this,
            [this, rowsOf](const std::vector<int64_t>& samples)
            { session_.setSelection(rowsOf(samples)); });
    connect(view_, &HchcView::sampleClicked, this,
            [this, rowsOf](int64_t s)
            { session_.setSelection(s >= 0 ? rowsOf({s}) : std::vector<int64_t>{}); });
    connect(view_, &HchcView::sampleHovered, this,
            [this](int64_t s)
            {
                Q_EMIT rowHovered(s >= 0 && s < static_cast<int64_t>(rows_.size())
                                      ? rows_[static_cast<size_t>(s)]
                                      : -1);
            });
    connect(view_, &HchcView::anchorClicked, this,
            [this](int64_t cluster)
            {
                const RunEntry* run = session_.run(shownRun_);
                if (!run)
                    return;
                std::vector<int64_t> rows;
                for (size_t r = 0; r < run->labels.size(); ++r)
                    if (run->labels[r] == cluster)
                        rows.push_back(static_cast<int64_t>(r));
                session_.setSelection(rows);
            });
    showCurrentRun();
}

QString LayoutPanel::refusal() const
{
    const auto id = layout_->currentData().toString().toStdString();
    const LayoutInfo* info = builtinRegistry().findLayout(id);
    if (!info)
        return tr("no layout chosen");
    if (!session_.dataset())
        return tr("Open a dataset and run a method that gives soft assignments (e.g. GMM).");
    if (session_.currentRunId() == 0)
        return tr("No run yet: run a method that gives soft assignments (e.g. GMM), then lay "
                  "it out here.");
    if (!form_->isValid())
        return form_->firstError();
    return controller_.refusal(session_.currentRunId(), *info);
}

void LayoutPanel::updateRefusal()
{
    const QString why = refusal();
    run_->setEnabled(why.isEmpty());
    if (!why.isEmpty())
        note_->setText(why);
    else if (shownRun_ != session_.currentRunId())
        note_->setText(tr("Run #%1 can be laid out.").arg(session_.currentRunId()));
}

Job* LayoutPanel::layOutCurrentRun()
{
    const QString why = refusal();
    if (!why.isEmpty())
    {
        note_->setText(why);
        return nullptr;
    }
    const auto id = layout_->currentData().toString().toStdString();
    const RunEntry* run = session_.currentRun();
    try
    {
        Job* job = controller_.start(session_.currentRunId(), builtinRegistry().getLayout(id),
                                     form_->values(), run->request.settings.seed);
        note_->setText(tr("Laying out run #%1...").arg(session_.currentRunId()));
        return job;
    }
    catch (const std::exception& e)
    {
        note_->setText(QString::fromStdString(e.what()));
        return nullptr;
    }
}

void LayoutPanel::showCurrentRun()
{
    const RunEntry* run = session_.currentRun();
    const auto loaded = session_.dataset();
    rows_.clear();
    sampleOfRow_.clear();
    shownRun_ = 0;
    if (!run || !run->layout || !loaded)
    {
        view_->clear();
        updateRefusal();
        return;
    }
    const RunLayout& l = *run->layout;
    shownRun_ = run->id;
    rows_ = l.rows;
    sampleOfRow_.assign(static_cast<size_t>(loaded->rows()), -1);
    for (size_t s = 0; s < rows_.size(); ++s)
        if (rows_[s] >= 0 && rows_[s] < loaded->rows())
            sampleOfRow_[static_cast<size_t>(rows_[s])] = static_cast<int64_t>(s);
    HchcScene scene;
    scene.xy = floatValues(l.result.coordinates);
    scene.cycle = l.result.cycle;
    scene.anchorAngles = l.result.anchorAngles;
    scene.outliers = l.result.outliers;
    const size_t k = scene.anchorAngles.size();
    scene.anchorLabels = hchcAnchorLabels(l.clusters, l.rows, *loaded, static_cast<int64_t>(k));
    const ColorSlots slots = viewColorSlots(session_, *run);
    for (size_t c = 0; c < k; ++c)
    {
        const QColor colour = clusterColor(slots, static_cast<int64_t>(c));
        scene.anchorRgb.insert(scene.anchorRgb.end(), {static_cast<uint8_t>(colour.red()),
                                                       static_cast<uint8_t>(colour.green()),
                                                       static_cast<uint8_t>(colour.blue())});
    }
    view_->setScene(scene);
    view_->points()->setPointSize(colours_->pointSize());
    QString text = l.name + ": " + tr("cycle");
    for (auto c : l.result.cycle)
        text += " " + QString::number(c);
    text += tr(", length %1%2")
                .arg(l.result.length, 0, 'f', 4)
                .arg(l.result.exact ? tr(" (exact)") : tr(" (heuristic)"));
    for (const auto& w : l.result.warnings)
        text += "\n" + QString::fromStdString(w);
    note_->setText(text);
    run_->setEnabled(refusal().isEmpty());
    recolor();
    showSelection();
}

void LayoutPanel::recolor()
{
    if (shownRun_ == 0)
        return;
    const RunEntry* run = session_.run(shownRun_);
    if (!run || !run->layout)
        return;
    std::vector<uint8_t> rgb;
    if (colouring_->currentIndex() == 1)
    {
        const auto scores = floatValues(run->layout->result.outlierScores);
        rgb = continuousColors(std::vector<double>(scores.begin(), scores.end()));
    }
    else
    {
        const auto& all = colours_->colors();
        rgb.assign(rows_.size() * 3, 90);
        for (size_t s = 0; s < rows_.size(); ++s)
            if (static_cast<size_t>(rows_[s]) * 3 + 2 < all.size())
                std::copy_n(all.begin() + rows_[s] * 3, 3, rgb.begin() + static_cast<long>(s * 3));
    }
    view_->setColors(rgb);
}

void LayoutPanel::showSelection()
{
    std::vector<int64_t> samples;
    for (auto r : session_.selection())
        if (r >= 0 && r < static_cast<int64_t>(sampleOfRow_.size()) &&
            sampleOfRow_[static_cast<size_t>(r)] >= 0)
            samples.push_back(sampleOfRow_[static_cast<size_t>(r)]);
    view_->setSelection(samples);
}

void LayoutPanel::markRows(const std::vector<int64_t>& rows)
{
    std::vector<int64_t> samples;
    for (auto r : rows)
        if (r >= 0 && r < static_cast<int64_t>(sampleOfRow_.size()) &&
            sampleOfRow_[static_cast<size_t>(r)] >= 0)
            samples.push_back(sampleOfRow_[static_cast<size_t>(r)]);
    view_->points()->setMarked(std::move(samples));
}

bool LayoutPanel::exportFigure(const QString& path, int scale, QString* error)
{
    const RunEntry* run = session_.run(shownRun_);
    if (shownRun_ == 0 || !run || !run->layout)
    {
        if (error)
            *error = tr("nothing to export: lay out a run first");
        return false;
    }
    FigureOptions options;
    // The view's shape, 700 points wide.
    const QSize on = view_->points()->size();
    options.size = QSize(700, on.width() > 0 ? 700 * on.height() / on.width() : 700);
    options.scale = scale;
    const QString message = renderFigure(view_->figureScene(run->layout->name), path, options);
    if (!message.isEmpty() && error)
        *error = message;
    return message.isEmpty();
}

bool LayoutPanel::exportPng(const QString& path, QString* error)
{
    if (shownRun_ == 0)
    {
        if (error)
            *error = tr("nothing to export: lay out a run first");
        return false;
    }
    const QImage image = view_->renderImage();
    if (image.isNull() || !image.save(path, "PNG"))
    {
        if (error)
            *error = tr("could not write %1").arg(path);
        return false;
    }
    return true;
}

} // namespace clusterscope

#include "view_presenter.h"

#include "coloring.h"
#include "embedding_view.h"
#include "palette.h"
#include "row_inspector.h"
#include "session.h"
#include "view_sidebar.h"

#include <clusterscope/embed/view_projection.h>

#include <QAction>
#include <QComboBox>
#include <QInputDialog>

namespace clusterscope
{

namespace
{

// `coloring` over the points `xyz` without the rows `hidden` flags and their legend entries:
// a figure shows what the view shows.
FigureScene withoutHidden(const FigureScene& coloring, const std::vector<float>& xyz,
                          const std::vector<uint8_t>& hidden)
{
    FigureScene scene = coloring;
    scene.xyz = xyz;
    if (hidden.size() * 3 != xyz.size() || scene.rgb.size() != xyz.size())
        return scene;
    std::vector<int32_t> entryOf(coloring.legend.size(), -1); // old entry -> new
    std::vector<bool> kept(coloring.legend.size(), false);
    for (size_t i = 0; i < hidden.size(); ++i)
        if (!hidden[i] && i < coloring.category.size() && coloring.category[i] >= 0)
            kept[static_cast<size_t>(coloring.category[i])] = true;
    scene.legend.clear();
    for (size_t e = 0; e < coloring.legend.size(); ++e)
        if (kept[e])
        {
            entryOf[e] = static_cast<int32_t>(scene.legend.size());
            scene.legend.push_back(coloring.legend[e]);
        }
    scene.xyz.clear();
    scene.rgb.clear();
    scene.background.clear();
    scene.category.clear();
    for (size_t i = 0; i < hidden.size(); ++i)
    {
        if (hidden[i])
            continue;
        scene.xyz.insert(scene.xyz.end(), xyz.begin() + static_cast<long>(3 * i),
                         xyz.begin() + static_cast<long>(3 * i + 3));
        scene.rgb.insert(scene.rgb.end(), coloring.rgb.begin() + static_cast<long>(3 * i),
                         coloring.rgb.begin() + static_cast<long>(3 * i + 3));
        if (i < coloring.background.size())
            scene.background.push_back(coloring.background[i]);
        if (i < coloring.category.size())
            scene.category.push_back(coloring.category[i] >= 0
                                         ? entryOf[static_cast<size_t>(coloring.category[i])]
                                         : -1);
    }
    return scene;
}

// Principal components with no variance shares to show (a learned view).
const QStringList kComponents = {"PC 1", "PC 2", "PC 3"};

// The titles of a run's own view: its prepared features' principal components, or the
// columns themselves, scaled as the run scaled them, when there are at most three.
QStringList axesOf(const RunEntry& run, const Dataset& data)
{
    const RunSettings& s = run.request.settings;
    if (s.pca > 0 || data.cols() > 3)
        return kComponents;
    QStringList axes;
    for (const auto& title : viewAxisTitles(data.featureNames, {}, 3, s.scaling))
        axes << QString::fromStdString(title);
    return axes;
}

// The titles of an embedding's axes: its own columns (UMAP1, UMAP2) when the view shows
// them, else the principal components of its coordinates.
QStringList axesOf(const EmbeddingEntry& embedding)
{
    if (embedding.dims > 3)
        return kComponents;
    QStringList axes;
    for (const auto& column : embedding.columns)
        axes << QString::fromStdString(column);
    return axes;
}

} // namespace

ViewPresenter::ViewPresenter(Session& session, EmbeddingView* view, ViewSidebar* sidebar,
                             QAction* showLearned, QObject* parent)
    : QObject(parent), session_(session), view_(view), sidebar_(sidebar), showLearned_(showLearned)
{
    connect(&session_, &Session::datasetChanged, this, &ViewPresenter::showDataset);
    connect(&session_, &Session::currentRunChanged, this, &ViewPresenter::showCurrentRun);
    connect(&session_, &Session::runChanged, this, &ViewPresenter::runChanged);
    connect(&session_, &Session::currentEmbeddingChanged, this, &ViewPresenter::updatePoints);
    connect(&session_, &Session::selectionChanged, this,
            [this]
            {
                if (view_->selection() != session_.selection())
                    view_->setSelection(session_.selection());
            });
    connect(sidebar_->colorBy(), &QComboBox::currentIndexChanged, this, &ViewPresenter::recolor);
    connect(showLearned_, &QAction::toggled, this, &ViewPresenter::updatePoints);
    connect(view_, &EmbeddingView::pointHovered, this, &ViewPresenter::showRow);
    connect(sidebar_, &ViewSidebar::entryToggled, this, &ViewPresenter::toggleEntry);
    connect(sidebar_, &ViewSidebar::renameRequested, this, &ViewPresenter::askForName);
    connect(&session_, &Session::labelNamesChanged, this, &ViewPresenter::recolor);
}

const std::vector<int64_t>& ViewPresenter::clusters() const
{
    static const std::vector<int64_t> none;
    const RunEntry* run = session_.currentRun();
    return run ? run->labels : none;
}

void ViewPresenter::showDataset()
{
    sidebar_->inspect({}, {}); // the hovered row was the old data's
    const Dataset* data = session_.dataset().get();
    if (!data)
        return;
    {
        const QSignalBlocker block(sidebar_->colorBy());
        sidebar_->colorBy()->clear();
        sidebar_->colorBy()->addItem(tr("Uniform"), "uniform");
        if (data->hasLabels())
            sidebar_->colorBy()->addItem(tr("True label"), "truth");
        for (size_t m = 0; m < data->metadata.size(); ++m)
        {
            // A name per row (an image's file, a text id) identifies rows, it colours nothing.
            const auto& column = data->metadata[m];
            if (!column.isNumeric() && data->rows() > 1 &&
                static_cast<int64_t>(column.categories.size()) >= data->rows())
                continue;
            sidebar_->colorBy()->addItem(QString::fromStdString(data->metadata[m].name),
                                         QString("meta:%1").arg(m));
        }
        // Numeric columns of tables colour continuously (pixels of images would be noise).
        if (!data->imageShape && (data->format == "csv" || data->format == "tsv"))
            for (size_t f = 0; f < data->featureNames.size() && f < 200; ++f)
                sidebar_->colorBy()->addItem(QString::fromStdString(data->featureNames[f]),
                                             QString("feature:%1").arg(f));
        sidebar_->colorBy()->setCurrentIndex(data->hasLabels() ? 1 : 0);
    }
    shownSource_ = nullptr;
    updatePoints();
    recolor();
}

void ViewPresenter::showCurrentRun()
{
    const RunEntry* run = session_.currentRun();
    if (run && !run->labels.empty())
        selectClusterColouring();
    if (hiddenMode_ == "cluster") // another run's clusters are other clusters
        hidden_.clear();
    updatePoints();
    recolor();
}

void ViewPresenter::runChanged(int id)
{
    if (id != session_.currentRunId())
        return; // another run's progress never touches what is shown
    const RunEntry* run = session_.currentRun();
    if (run->finished())
        selectClusterColouring();
    updatePoints();
    recolor();
}

void ViewPresenter::selectClusterColouring()
{
    auto* colorBy = sidebar_->colorBy();
    const QSignalBlocker block(colorBy);
    if (colorBy->findData("cluster") < 0)
        colorBy->insertItem(1, tr("Cluster"), "cluster");
    colorBy->setCurrentIndex(colorBy->findData("cluster"));
}

void ViewPresenter::updatePoints()
{
    const RunEntry* run = session_.currentRun();
    const bool learned = run && !run->learnedXyz.empty();
    {
        const QSignalBlocker block(showLearned_);
        showLearned_->setEnabled(learned);
        if (!learned)
            showLearned_->setChecked(false);
    }
    const std::vector<float>* source = &session_.dataXyz();
    shownAxes_ = session_.dataView().axes;
    const EmbeddingEntry* embedding = session_.currentEmbedding();
    if (learned && showLearned_->isChecked())
    {
        source = &run->learnedXyz;
        shownAxes_ = kComponents;
    }
    else if (embedding && !embedding->viewXyz.empty())
    {
        source = &embedding->viewXyz; // the picked map, whichever run colours it
        shownAxes_ = axesOf(*embedding);
    }
    else if (run && !run->viewXyz.empty())
    {
        source = &run->viewXyz;
        shownAxes_ = axesOf(*run, *session_.dataset());
    }
    if (source == shownSource_ && *source == shown_)
        return;
    shown_ = *source;
    shownSource_ = source;
    view_->setPoints(shown_);
    // The colours are of rows, as the selection: another map of the same rows keeps them
    // (setPoints starts grey; setColors ignores colours of another row count).
    view_->setColors(coloring_.rgb);
    applyHidden(); // hidden rows stay hidden on another map of the same rows
    view_->resetCamera();
    // The selection is of rows: it stays when the view changes (setPoints cleared the view's).
    if (!session_.selection().empty())
        view_->setSelection(session_.selection());
}

void ViewPresenter::recolor()
{
    const Dataset* data = session_.dataset().get();
    if (!data)
        return;
    const RunEntry* run = session_.currentRun();
    // Rows the run did not cluster (a subset, a re-clustered selection) are not its noise.
    std::vector<int64_t> shown = clusters();
    if (run && !run->sourceRows.empty() && run->sourceRows.size() < shown.size())
    {
        std::vector<uint8_t> clustered(shown.size(), 0);
        for (const int64_t r : run->sourceRows)
            clustered[static_cast<size_t>(r)] = 1;
        for (size_t i = 0; i < shown.size(); ++i)
            if (!clustered[i])
                shown[i] = kNotClustered;
    }
    const QString mode = sidebar_->colorBy()->currentData().toString();
    colorScene(coloring_, *data, shown, mode,
               run ? run->clusterNames : std::map<int64_t, QString>{}, session_.labelNames());
    view_->setColors(coloring_.rgb);
    if (mode != hiddenMode_) // another colouring: its entries are other things
    {
        hidden_.clear();
        hiddenMode_ = mode;
    }
    if (coloring_.colorBar)
        sidebar_->setColorBar(coloring_.colorBarMin, coloring_.colorBarMax, coloring_.legendTitle);
    else
        sidebar_->setLegend(coloring_.legend, coloring_.legendTitle, hidden_,
                            (mode == "cluster" && run) || mode == "truth");
    applyHidden();
}

void ViewPresenter::setHiddenEntries(std::set<int64_t> ids)
{
    hidden_ = std::move(ids);
    hiddenMode_ = sidebar_->colorBy()->currentData().toString();
    if (!coloring_.colorBar)
        sidebar_->setLegend(coloring_.legend, coloring_.legendTitle, hidden_,
                            (hiddenMode_ == "cluster" && session_.currentRun()) ||
                                hiddenMode_ == "truth");
    applyHidden();
}

void ViewPresenter::toggleEntry(int64_t id, bool shown)
{
    if (shown)
        hidden_.erase(id);
    else
        hidden_.insert(id);
    applyHidden();
}

void ViewPresenter::applyHidden()
{
    // Rows whose legend entry is hidden; none for a colour bar (it has no entries).
    std::vector<uint8_t> rows;
    if (!hidden_.empty() && coloring_.category.size() * 3 == coloring_.rgb.size())
    {
        rows.resize(coloring_.category.size());
        for (size_t i = 0; i < rows.size(); ++i)
        {
            const int32_t c = coloring_.category[i];
            rows[i] = c >= 0 && static_cast<size_t>(c) < coloring_.legend.size() &&
                              hidden_.count(coloring_.legend[static_cast<size_t>(c)].id)
                          ? 1
                          : 0;
        }
    }
    view_->setHidden(std::move(rows));
}

void ViewPresenter::askForName(int64_t id)
{
    const QString mode = sidebar_->colorBy()->currentData().toString();
    const RunEntry* run = session_.currentRun();
    const Dataset* data = session_.dataset().get();
    if (!data || (mode == "cluster" && !run) || (mode != "cluster" && mode != "truth"))
        return;
    QString current;
    if (mode == "cluster")
    {
        const auto named = run->clusterNames.find(id);
        current = named == run->clusterNames.end() ? QString() : named->second;
    }
    else
    {
        const auto named = session_.labelNames().find(id);
        current = named != session_.labelNames().end()
                      ? named->second
                      : QString::fromStdString(data->labelText(id));
    }
    auto* ask = new QInputDialog(sidebar_);
    ask->setObjectName("renameEntry");
    ask->setAttribute(Qt::WA_DeleteOnClose);
    ask->setWindowTitle(mode == "cluster" ? tr("Rename cluster") : tr("Rename label"));
    ask->setLabelText(mode == "cluster" ? tr("Name of cluster %1 (empty: no name):").arg(id)
                                        : tr("Name of label %1 (empty: the data's own):")
                                              .arg(QString::fromStdString(data->labelText(id))));
    ask->setTextValue(current);
    const int runId = run ? run->id : 0;
    connect(ask, &QInputDialog::textValueSelected, this,
            [this, mode, runId, id](const QString& name)
            {
                if (mode == "cluster")
                    session_.renameCluster(runId, id, name);
                else
                    session_.renameLabel(id, name);
            });
    ask->open();
}

void ViewPresenter::showRow(int64_t row)
{
    const Dataset* data = session_.dataset().get();
    if (!data || row < 0 || row >= data->rows())
    {
        sidebar_->inspect({}, {});
        return;
    }
    sidebar_->inspect(describeRow(*data, clusters(), row, session_.labelNames()),
                      rowThumbnail(*data, row));
}

FigureScene ViewPresenter::figureScene(const QString& title) const
{
    FigureScene scene = withoutHidden(coloring_, shown_, view_->hidden());
    const QSize viewSize = view_->size();
    scene.aspect = viewSize.height() > 0 ? double(viewSize.width()) / viewSize.height() : 1.4;
    scene.viewProjection = view_->viewProjection(scene.aspect);
    scene.showAxes = !view_->isThreeD();
    scene.xLabel = shownAxes_.value(0);
    scene.yLabel = shownAxes_.value(1);
    scene.pointSize = view_->pointSize();
    scene.title = title;
    return scene;
}

} // namespace clusterscope

#include "main_window.h"

#include "about_box.h"
#include "chart_export.h"
#include "choose_k_dialog.h"
#include "compare_dialog.h"
#include "coordinate_columns.h"
#include "dataset_panel.h"
#include "embedding_panel.h"
#include "embedding_view.h"
#include "explanation_panel.h"
#include "figure_dialog.h"
#include "figure_renderer.h"
#include "figure_settings.h"
#include "history_dialog.h"
#include "import_dialog.h"
#include "installed_files.h"
#include "jobs_panel.h"
#include "layout_panel.h"
#include "method_panel.h"
#include "palette.h"
#include "parameter_form.h"
#include "preferences_dialog.h"
#include "recent_files.h"
#include "runs_panel.h"
#include "selection_menu.h"
#include "session_actions.h"
#include "session_file.h"
#include "status_indicators.h"
#include "training_chart.h"
#include "user_guide.h"
#include "view_presenter.h"
#include "view_sidebar.h"
#include "window_shortcuts.h"
#include "window_terms.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/run_settings.h>

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QSignalBlocker>
#include <QStatusBar>
#include <QTime>
#include <QToolBar>

namespace clusterscope
{

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), loader_(session_, runner_), clustering_(session_, runner_),
      chooseKController_(session_, runner_), embedder_(session_, runner_), exporter_(session_),
      layouts_(session_, runner_), explanations_(session_, runner_), view_(new EmbeddingView(this)),
      sidebar_(new ViewSidebar(this)), datasetPanel_(new DatasetPanel(this)),
      methodPanel_(new MethodPanel(this)), embeddingPanel_(new EmbeddingPanel(session_, this)),
      jobsPanel_(new JobsPanel(runner_, this)), runsPanel_(new RunsPanel(session_, this)),
      training_(new TrainingChart(this)), showLearned_(new QAction(tr("&Learned Embedding"), this)),
      presenter_(new ViewPresenter(session_, view_, sidebar_, showLearned_, this)),
      status_(new StatusIndicators(statusBar())),
      sessionActions_(new SessionActions(*this, session_, loader_, *view_, *sidebar_, *presenter_)),
      selectionMenu_(new SelectionMenu(*this, session_, *view_))
{
    connect(selectionMenu_, &SelectionMenu::failed, this, &MainWindow::showError);
    sidebar_->addSelectionTools(selectionMenu_->boxTool(), selectionMenu_->lassoTool());
    connect(sessionActions_, &SessionActions::failed, this, &MainWindow::showError);
    connect(sessionActions_, &SessionActions::said, this,
            [this](const QString& message) { statusBar()->showMessage(message, 10000); });
    setWindowTitle(tr("ClusterScope"));
    setAcceptDrops(true);
    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view_, 1);
    layout->addWidget(sidebar_);
    setCentralWidget(central);
    buildDocks();
    buildMenus();
    wireSession();
    preferences_ = Preferences::load(QSettings());
    applyPreferences();
    // 1280 x 800, or the screen's free area when it is smaller (a 1024 x 768 laptop).
    QSize size(1280, 800);
    if (const QScreen* s = screen())
        size = size.boundedTo(s->availableGeometry().size());
    resize(size);
}

MainWindow::~MainWindow()
{
    runner_.shutdown(-1);
}

void MainWindow::buildDocks()
{
    auto dock = [this](QWidget* w, const QString& title, Qt::DockWidgetArea area)
    {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(title);
        d->setWidget(w);
        addDockWidget(area, d);
        return d;
    };
    // The forms of the left column scroll when the screen is short (1280 x 800 with a panel),
    // instead of making the window taller than the screen.
    auto scrolling = [this](QWidget* w)
    {
        auto* area = new QScrollArea(this);
        area->setWidget(w);
        area->setWidgetResizable(true);
        area->setFrameShape(QFrame::NoFrame);
        area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
        area->setMinimumHeight(80);
        return area;
    };
    auto* dataDock = dock(scrolling(datasetPanel_), tr("Dataset"), Qt::LeftDockWidgetArea);
    auto* method = dock(scrolling(methodPanel_), tr("Method"), Qt::LeftDockWidgetArea);
    // Beside the Method dock (a tab): both are forms that start a job on the data.
    tabifyDockWidget(method,
                     dock(scrolling(embeddingPanel_), tr("Embedding"), Qt::LeftDockWidgetArea));
    method->raise();
    auto* jobs = dock(jobsPanel_, tr("Jobs"), Qt::BottomDockWidgetArea);
    connect(jobsPanel_, &JobsPanel::cancelAllRequested, this, &MainWindow::cancelAllJobs);
    auto* runs = dock(runsPanel_, tr("Runs"), Qt::BottomDockWidgetArea);
    auto* training = dock(training_, tr("Training"), Qt::BottomDockWidgetArea);
    connect(training_, &TrainingChart::exportRequested, this,
            [this]
            {
                exportChartAs(this, tr("Export the training curves"), "training.pdf",
                              [this](const QString& path) { return training_->exportTo(path); });
            });
    // The layout of a run's soft assignment, beside the view; View > Cluster Layout of Run.
    layoutPanel_ = new LayoutPanel(session_, layouts_, view_, this);
    layoutDock_ = dock(layoutPanel_, tr("Layout"), Qt::RightDockWidgetArea);
    layoutDock_->hide();
    // The explanation of a run's clusters, beside the view; View > Cluster Explanation.
    explanationPanel_ = new ExplanationPanel(session_, explanations_, this);
    explanationDock_ = dock(explanationPanel_, tr("Explanation"), Qt::RightDockWidgetArea);
    // Hidden until asked for; tabified with the layout only when shown (a hidden tab group
    // still holds its width in the dock area).
    explanationDock_->hide();
    splitDockWidget(jobs, runs, Qt::Horizontal);
    splitDockWidget(runs, training, Qt::Horizontal);
    // Tall enough for four jobs, each with its Cancel, under the running count and Cancel All.
    resizeDocks({jobs}, {170}, Qt::Vertical);
    // Jobs gets the widest share: a job's name, progress and status must be readable.
    resizeDocks({jobs, runs, training}, {470, 220, 330}, Qt::Horizontal);
    // The method's form is edited more than the preview is read: it gets the larger share.
    resizeDocks({dataDock, method}, {250, 550}, Qt::Vertical);
    resizeDocks({dataDock}, {330}, Qt::Horizontal);
}

void MainWindow::buildMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* open = file->addAction(tr("&Open..."), this,
                                 [this]
                                 {
                                     const auto files = QFileDialog::getOpenFileNames(
                                         this, tr("Open dataset"), {},
                                         tr("Datasets and sessions (*.csv *.tsv *.gz *.npy "
                                            "*.npz *.h5ad *.h5 *.hdf5 *-ubyte *.clusterscope);;"
                                            "All files (*)"));
                                     if (!files.isEmpty())
                                         openAsked(files);
                                 });
    open->setShortcut(QKeySequence::Open);
    // Folders: images in class subfolders (or flat), or the IDX files of a dataset.
    file->addAction(tr("Open F&older..."), this,
                    [this]
                    {
                        const QString dir = QFileDialog::getExistingDirectory(
                            this, tr("Open a folder of images or IDX files"));
                        if (!dir.isEmpty())
                            openAsked({dir});
                    });
    recent_ = new RecentFiles(file->addMenu(tr("Open &Recent")), this);
    connect(recent_, &RecentFiles::openRequested, this,
            [this](const QStringList& paths) { openAsked(paths); });
    file->addAction(tr("Open &Demo"), this, [this] { openAsked({demoDatasetPath()}); });
    file->addSeparator();
    sessionActions_->addTo(file);
    file->addSeparator();
    auto* exportFigure =
        file->addAction(tr("Export &Figure..."), this, &MainWindow::exportFigureDialog);
    exportFigure->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    auto* exportLabels =
        file->addAction(tr("Export &Labels..."), this, &MainWindow::exportLabelsDialog);
    exportLabels->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    file->addAction(tr("Export &Selection..."), this, &MainWindow::exportSelectionDialog);
    file->addAction(tr("Export TensorBoard &Projector..."), this,
                    &MainWindow::exportProjectorDialog);
    file->addSeparator();
    file->addAction(tr("&Preferences..."), this, &MainWindow::showPreferences)
        ->setShortcut(QKeySequence::Preferences);
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    auto* view = menuBar()->addMenu(tr("&View"));
    auto* threeD = view->addAction(tr("&3D"));
    threeD->setCheckable(true);
    connect(threeD, &QAction::toggled, sidebar_->threeD(), &QCheckBox::setChecked);
    connect(sidebar_->threeD(), &QCheckBox::toggled, threeD, &QAction::setChecked);
    view->addAction(showLearned_);
    showLearned_->setCheckable(true);
    showLearned_->setEnabled(false);
    showLearned_->setToolTip(tr("Show the representation the current run learned (its first "
                                "principal components) instead of the data's"));
    view->addAction(tr("&Reset Camera"), view_, &EmbeddingView::resetCamera)
        ->setShortcut(QKeySequence(Qt::Key_Home));
    view->addAction(tr("Cluster &Layout of Run..."), this, &MainWindow::showLayout)
        ->setObjectName("showLayoutAction");
    view->addAction(tr("Cluster &Explanation of Run..."), this, &MainWindow::showExplanation)
        ->setObjectName("showExplanationAction");
    view->addSeparator();
    for (auto* d : findChildren<QDockWidget*>())
        view->addAction(d->toggleViewAction());

    selectionMenu_->addTo();

    auto* run = menuBar()->addMenu(tr("&Run"));
    auto* runAction = run->addAction(tr("&Run Clustering"), this, &MainWindow::runClustering);
    runAction->setShortcut(QKeySequence(Qt::Key_F5));
    run->addAction(tr("Choose &k..."), this, &MainWindow::showChooseK);
    run->addSeparator();
    run->addAction(tr("Re-cluster &Selection"), this, &MainWindow::reclusterSelection)
        ->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F5));
    run->addAction(tr("&Merge Into Parent Run"), this, &MainWindow::mergeIntoParent);
    run->addAction(tr("C&ompare Runs..."), this, &MainWindow::showCompareRuns);
    run->addAction(tr("Run &History..."), QKeySequence(Qt::CTRL | Qt::Key_H), this,
                   &MainWindow::showHistory);
    run->addSeparator();
    // No shortcut: Esc (closing a popup, say) must never end hours of training.
    run->addAction(tr("&Cancel All Jobs"), this, &MainWindow::cancelAllJobs)
        ->setObjectName("cancelAllJobs");

    auto* embedding = menuBar()->addMenu(tr("&Embedding"));
    embedding->setObjectName("embeddingMenu");
    embedding->addAction(tr("&Compute Embedding"), this, &MainWindow::computeEmbedding)
        ->setObjectName("computeEmbeddingAction");
    embedding
        ->addAction(tr("C&luster This Embedding"), this,
                    [this] { clusterEmbedding(session_.currentEmbeddingId()); })
        ->setObjectName("clusterEmbeddingAction");
    embedding
        ->addAction(tr("Load C&oordinates..."), this,
                    [this]
                    {
                        const QString dir =
                            dataset() ? QFileInfo(QString::fromStdString(dataset()->source)).path()
                                      : QString();
                        const QString path = QFileDialog::getOpenFileName(
                            this, tr("Load coordinates (one row per data row)"), dir,
                            tr("Coordinates (*.npy *.npz *.csv *.tsv *.txt *.gz);;All files (*)"));
                        if (!path.isEmpty())
                            loadCoordinates(path);
                    })
        ->setObjectName("loadCoordinatesAction");
    embedding
        ->addAction(tr("Coordinates from Co&lumns..."), this,
                    [this]
                    {
                        if (!dataset())
                            return showError(tr("No data"), tr("Open a dataset first."));
                        const auto picked = pickCoordinateColumns(this, dataset()->featureNames);
                        if (!picked.empty())
                            coordinatesFromColumns(picked);
                    })
        ->setObjectName("coordinatesFromColumnsAction");
    embedding->addAction(tr("Show &Data View (PCA)"), this,
                         [this] { session_.setCurrentEmbedding(0); });
    embedding->addSeparator();
    for (auto* d : findChildren<QDockWidget*>())
        if (d->widget() == embeddingPanel_)
            embedding->addAction(d->toggleViewAction());

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&User Guide"), QKeySequence::HelpContents, this,
                    [this] { showUserGuide(this); });
    help->addAction(tr("&About ClusterScope"), this, [this] { showAboutBox(this); });
    new WindowShortcuts(this); // the menus' shortcuts win over a focused form field

    auto* tools = addToolBar(tr("Main"));
    tools->setObjectName("mainToolbar");
    tools->addAction(open);
    tools->addAction(runAction);
    tools->addAction(exportFigure);
    tools->addAction(exportLabels);
}

void MainWindow::wireSession()
{
    connect(&session_, &Session::datasetChanged, this, &MainWindow::datasetShown);
    connect(&session_, &Session::runAdded, this,
            [this](int id)
            {
                if (const RunEntry* run = session_.run(id); run && run->running())
                    runningHere_.insert(id);
            });
    connect(&session_, &Session::runChanged, this, &MainWindow::runChanged);
    connect(&session_, &Session::currentRunChanged, this,
            [this]
            {
                const RunEntry* run = session_.currentRun();
                if (run && !run->history.empty())
                    training_->setHistory(run->history);
                else
                    training_->clear();
                // The Method panel shows the shown run's method and settings (a session
                // reopened, a kept run repeated), so Run repeats it.
                if (run && run->request.method)
                    methodPanel_->showRequest(run->request);
            });
    connect(&clustering_, &ClusteringController::runFailed, this,
            [this](int, const QString& error) { showError(tr("Clustering failed"), error); });
    connect(runsPanel_, &RunsPanel::runPicked, this,
            [this](int id)
            {
                session_.setCurrentRun(id); // the Method panel follows (currentRunChanged)
                if (const RunEntry* run = session_.run(id))
                {
                    // A run of an embedding is shown on that map, where its clusters were made.
                    if (session_.embedding(run->embeddingId))
                        session_.setCurrentEmbedding(run->embeddingId);
                }
            });
    connect(methodPanel_, &MethodPanel::runRequested, this, &MainWindow::runClustering);
    connect(embeddingPanel_, &EmbeddingPanel::computeRequested, this,
            &MainWindow::computeEmbedding);
    connect(embeddingPanel_, &EmbeddingPanel::clusterRequested, this,
            &MainWindow::clusterEmbedding);
    connect(&embedder_, &EmbeddingController::embeddingFailed, this,
            [this](const QString& error) { showError(tr("Embedding failed"), error); });
    connect(&embedder_, &EmbeddingController::embeddingReady, this,
            [this](int id)
            {
                session_.setCurrentEmbedding(id);
                if (const EmbeddingEntry* e = session_.embedding(id))
                {
                    QString message = tr("Embedding done: %1").arg(e->name);
                    if (auto it = e->quality.find("trustworthiness"); it != e->quality.end())
                        message += tr(", trustworthiness %1").arg(it->second, 0, 'f', 3);
                    for (const auto& w : e->warnings)
                        message += " — " + QString::fromStdString(w);
                    statusBar()->showMessage(message, 10000);
                }
            });
    // Finished deep runs offer their learned embedding as an input.
    auto learnedRuns = [this]
    { embeddingPanel_->setLearnedRuns(embedder_.runsWithLearnedEmbedding()); };
    connect(&session_, &Session::runChanged, this, learnedRuns);
    connect(&session_, &Session::datasetChanged, this, learnedRuns);
    // A new missing-value policy reads the same files again, with the same labels.
    connect(datasetPanel_, &DatasetPanel::loadSettingsEdited, this,
            [this] { readAgain(loadedLabelColumn(), loadedIdColumn(), loadedArray()); });
    connect(datasetPanel_, &DatasetPanel::labelColumnChosen, this,
            [this](const QString& column)
            {
                readAgain(column.isEmpty() ? QStringLiteral("-none-") : column, loadedIdColumn(),
                          loadedArray());
            });
    connect(datasetPanel_, &DatasetPanel::importSettingsRequested, this,
            [this]
            {
                if (!session_.dataset() || session_.paths().size() != 1)
                    return;
                // Reading the table again starts over: runs not saved are asked about first.
                const QString path = session_.paths()[0];
                sessionActions_->confirmReplace(QFileInfo(path).fileName(), [this, path]
                                                { showImportDialog(path, loadedImportChoices()); });
            });
    connect(datasetPanel_, &DatasetPanel::idColumnChosen, this,
            [this](const QString& column)
            { readAgain(loadedLabelColumn(), column, loadedArray()); });
    connect(datasetPanel_, &DatasetPanel::arrayChosen, this,
            [this](const QString& array)
            { readAgain(loadedLabelColumn(), loadedIdColumn(), array); });
    connect(sidebar_->threeD(), &QCheckBox::toggled, view_, &EmbeddingView::setThreeD);
    connect(sidebar_->pointSize(), &QDoubleSpinBox::valueChanged, view_,
            &EmbeddingView::setPointSize);
    connect(view_, &EmbeddingView::pointClicked, this,
            [this](int64_t row)
            {
                session_.setSelection(row >= 0 ? std::vector<int64_t>{row}
                                               : std::vector<int64_t>{});
                if (row >= 0)
                    statusBar()->showMessage(tr("Selected row %1").arg(row), 5000);
            });
    connect(layoutPanel_, &LayoutPanel::rowHovered, this,
            [this](int64_t row)
            {
                if (row >= 0)
                    statusBar()->showMessage(tr("Row %1, cluster %2")
                                                 .arg(row)
                                                 .arg(static_cast<size_t>(row) < clusters().size()
                                                          ? clusters()[static_cast<size_t>(row)]
                                                          : -1),
                                             3000);
            });
    connect(layoutPanel_, &LayoutPanel::rowHovered, presenter_, &ViewPresenter::showRow);
    // A row hovered in any view: which conditions of the chosen cluster's description it breaks.
    connect(view_, &EmbeddingView::pointHovered, explanationPanel_, &ExplanationPanel::showHovered);
    connect(layoutPanel_, &LayoutPanel::rowHovered, explanationPanel_,
            &ExplanationPanel::showHovered);
    // The chosen cluster's errors ringed in the embedding and layout views.
    connect(explanationPanel_, &ExplanationPanel::errorsMarked, view_, &EmbeddingView::setMarked);
    connect(explanationPanel_, &ExplanationPanel::errorsMarked, layoutPanel_,
            &LayoutPanel::markRows);
    connect(&layouts_, &LayoutController::layoutReady, this, [this] { showLayout(); });
    connect(&explanations_, &ExplanationController::explanationReady, this,
            [this] { showExplanation(); });
    connect(view_, &EmbeddingView::selectionDrawn, this,
            [this](const std::vector<int64_t>& rows)
            {
                session_.setSelection(rows);
                statusBar()->showMessage(
                    tr("%n point(s) selected", nullptr, static_cast<int>(rows.size())));
            });
}

void MainWindow::showLayout()
{
    layoutDock_->show();
    layoutDock_->raise();
    // Wide enough for the circle and its labels beside the embedding view.
    resizeDocks({layoutDock_}, {width() * 2 / 5}, Qt::Horizontal);
}

void MainWindow::showExplanation()
{
    if (layoutDock_->isVisible() && tabifiedDockWidgets(layoutDock_).isEmpty())
        tabifyDockWidget(layoutDock_, explanationDock_);
    explanationDock_->show();
    explanationDock_->raise();
    resizeDocks({explanationDock_}, {width() * 2 / 5}, Qt::Horizontal);
}

void MainWindow::readAgain(const QString& labelColumn, const QString& idColumn,
                           const QString& array)
{
    if (!session_.dataset())
        return;
    const auto reload = [this, labelColumn, idColumn, array]
    { openFiles(session_.paths(), labelColumn, idColumn, array); };
    if (session_.runIds().empty())
        return reload();
    // Reading the data again starts over: the runs belong to the rows read before.
    const auto runs = static_cast<int>(session_.runIds().size());
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Read the data again"),
        tr("Reading %1 again with these settings starts over: its %n run(s) will be dropped. "
           "Save the session first (Ctrl+S) to keep them.",
           nullptr, runs)
            .arg(QFileInfo(session_.paths().value(0)).fileName()),
        QMessageBox::NoButton, this);
    box->setObjectName("readAgainBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    auto* again = box->addButton(tr("Read Again"), QMessageBox::DestructiveRole);
    again->setObjectName("readAgain");
    auto* keep = box->addButton(tr("Keep the Runs"), QMessageBox::RejectRole);
    keep->setObjectName("keepRuns");
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    connect(again, &QAbstractButton::clicked, this, reload);
    connect(keep, &QAbstractButton::clicked, this, &MainWindow::showDatasetPanel); // undo the edit
    box->open();
}

void MainWindow::datasetShown()
{
    recent_->remember(session_.paths());
    showDatasetPanel();
    const Dataset& loaded = *session_.dataset();
    methodPanel_->setDataset(&loaded);
    // Few points read better large, many points small.
    const int64_t n = loaded.rows();
    sidebar_->pointSize()->setValue(n < 2000 ? 6 : n < 20000 ? 4 : 3);
    setWindowTitle(tr("ClusterScope — %1").arg(QFileInfo(session_.paths().value(0)).fileName()));
    status_->showDataset(&loaded);
    // What the loader decided that a person should check (a column read as text, a second
    // label-like column kept out of the features): shown, not modal, like an error.
    const bool unseen =
        std::any_of(loaded.warnings.begin(), loaded.warnings.end(),
                    [this](const std::string& w) { return !warningsSeen_.count(w); });
    if (unseen)
    {
        QStringList lines;
        for (const auto& w : loaded.warnings)
            if (!warningsSeen_.count(w)) // the import dialog showed it before Open
                lines << inWindowTerms(QString::fromStdString(w));
        auto* box = new QMessageBox(QMessageBox::Information, tr("Check the loaded data"),
                                    lines.join("\n\n"), QMessageBox::Ok, this);
        box->setObjectName("loadWarningsBox");
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
    }
    warningsSeen_.clear(); // the next load's warnings are new
}

void MainWindow::showDatasetPanel()
{
    const Dataset& loaded = *session_.dataset();
    QStringList choices;
    for (const auto& m : loaded.metadata)
        choices << QString::fromStdString(m.name);
    if (loaded.format == "csv" || loaded.format == "tsv")
        for (const auto& f : loaded.featureNames)
            if (choices.size() < 200)
                choices << QString::fromStdString(f);
    if (loaded.hasLabels() && !choices.contains(QString::fromStdString(loaded.labelColumn)))
        choices.prepend(QString::fromStdString(loaded.labelColumn));
    RunSettings applied;
    copyLoadSettings(session_.sources().loadSettings, applied);
    datasetPanel_->showDataset(loaded, choices, applied, loadedIdColumn());
    // The other matrices of an HDF5 file (an AnnData file's layers): read without values.
    QStringList names;
    QStringList shapes;
    if ((loaded.format == "h5ad" || loaded.format == "hdf5") && session_.paths().size() == 1)
    {
        try
        {
            for (const auto& a : hdf5Arrays(session_.paths().front().toStdString()))
            {
                names << QString::fromStdString(a.name);
                shapes << (a.shape.size() == 2 ? QString("%1 x %2").arg(a.shape[0]).arg(a.shape[1])
                                               : QString());
            }
        }
        catch (const Error&) // the file changed since: its choices are not offered
        {
        }
    }
    QString current = loadedArray();
    if (current.startsWith('/') && !names.contains(current) && names.contains(current.mid(1)))
        current = current.mid(1);
    if (!current.isEmpty() && !names.contains(current) && names.contains("layers/" + current))
        current = "layers/" + current;
    datasetPanel_->setArrayChoices(names, shapes, current);
}

void MainWindow::runChanged(int id)
{
    const RunEntry* run = session_.run(id);
    if (!run || !run->finished())
    {
        if (run && id == session_.currentRunId() && !run->history.empty())
            training_->setHistory(run->history);
        return;
    }
    // Only a run that ran here says it finished (not one a session file brought back).
    if (runningHere_.erase(id) == 0)
    {
        if (id == session_.currentRunId() && !run->history.empty())
            training_->setHistory(run->history);
        return;
    }
    if (id == session_.currentRunId())
    {
        if (!run->history.empty())
            training_->setHistory(run->history);
        QString message = tr("Clustering done: %1").arg(describeMetrics(run->outcome.metrics));
        for (const auto& w : run->outcome.warnings)
            message += " — " + QString::fromStdString(w);
        statusBar()->showMessage(message, 10000);
    }
    else
        statusBar()->showMessage(tr("Run #%1 (%2) finished: pick it in the Runs panel to show it")
                                     .arg(id)
                                     .arg(describeRun(run->request)),
                                 10000);
}

QString MainWindow::loadedLabelColumn() const
{
    const auto& label = session_.sources().labelColumn;
    return label.empty() ? QStringLiteral("-none-") : QString::fromStdString(label);
}

QString MainWindow::loadedIdColumn() const
{
    return QString::fromStdString(session_.sources().idColumn);
}

QString MainWindow::loadedArray() const
{
    return QString::fromStdString(session_.sources().array);
}

bool MainWindow::askForMatrix(const QStringList& paths, const QString& labelColumn,
                              const QString& idColumn)
{
    if (paths.size() != 1)
        return false;
    std::vector<ArrayChoice> arrays;
    try
    {
        if (detectFormat(paths.front().toStdString()) != "hdf5")
            return false;
        arrays = hdf5Arrays(paths.front().toStdString());
    }
    catch (const Error&) // the load names what is wrong
    {
        return false;
    }
    if (arrays.size() < 2)
        return false;
    QStringList items; // "name  (rows x columns)"
    for (const auto& a : arrays)
        items << QString("%1  (%2)")
                     .arg(QString::fromStdString(a.name))
                     .arg(a.shape.size() == 2 ? QString("%1 x %2").arg(a.shape[0]).arg(a.shape[1])
                                              : QString("?"));
    auto* chooser = new QInputDialog(this);
    chooser->setObjectName("matrixChooser");
    chooser->setAttribute(Qt::WA_DeleteOnClose);
    chooser->setWindowTitle(tr("Open %1").arg(QFileInfo(paths.front()).fileName()));
    chooser->setLabelText(tr("The file holds several matrices. Which one holds the data, one "
                             "row per sample? (The CLI's --dataset PATH.)"));
    chooser->setComboBoxItems(items);
    chooser->setComboBoxEditable(false);
    connect(chooser, &QInputDialog::textValueSelected, this,
            [this, paths, labelColumn, idColumn](const QString& item)
            { openFiles(paths, labelColumn, idColumn, item.section("  (", 0, 0)); });
    chooser->open();
    return true;
}

void MainWindow::openAsked(const QStringList& paths)
{
    const QString what = QFileInfo(paths.value(0)).fileName() + (paths.size() > 1 ? " +" : "");
    sessionActions_->confirmReplace(what, [this, paths] { openOrImport(paths); });
}

void MainWindow::openOrImport(const QStringList& paths)
{
    // Lines to skip and column roles name one file's lines and columns: not the next file's.
    RunSettings defaults;
    datasetPanel_->setLoadSetting("skip_lines", QString::number(defaults.skipLines));
    datasetPanel_->setLoadSetting("metadata_columns",
                                  QString::fromStdString(defaults.metadataColumns));
    datasetPanel_->setLoadSetting("ignore_columns", QString::fromStdString(defaults.ignoreColumns));
    bool table = false;
    if (paths.size() == 1 && QFileInfo(paths[0]) != QFileInfo(demoDatasetPath()))
    {
        try
        {
            const auto format = detectFormat(paths[0].toStdString());
            table = format == "csv" || format == "tsv";
        }
        catch (const Error&) // openFiles says what is wrong with the file
        {
        }
    }
    if (!table)
        return void(openFiles(paths));
    QSettings settings;
    const auto remembered = rememberedImport(settings, paths[0]);
    if (remembered && remembered->loadAsBefore)
        return void(openImported(paths[0], *remembered, true));
    ImportChoices start;
    if (remembered)
        start = *remembered;
    else
    {
        try // the policy and the scaling set in the panels, when their forms are valid
        {
            start.load.missing = datasetPanel_->loadSettings().missing;
            // A scaling picked in the Method panel is kept; "none" leaves the table's proposal.
            const std::string scaling = methodPanel_->request().settings.scaling;
            if (scaling != "none")
                start.scaling = QString::fromStdString(scaling);
        }
        catch (const Error&)
        {
        }
    }
    showImportDialog(paths[0], start);
}

void MainWindow::showImportDialog(const QString& path, const ImportChoices& start)
{
    auto* dialog = new ImportDialog(path, start, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, path]
            {
                const ImportChoices chosen = dialog->choices();
                const auto& shown = dialog->preview().warnings;
                warningsSeen_ = {shown.begin(), shown.end()};
                QSettings settings;
                rememberImport(settings, path, chosen);
                openImported(path, chosen, false);
            });
    dialog->open();
}

Job* MainWindow::openImported(const QString& path, const ImportChoices& choices, bool askOnFailure)
{
    const auto values = toParamSet(choices.load).values();
    for (const auto& spec : runSettingsSchema(SettingStage::Load))
        datasetPanel_->setLoadSetting(spec.name,
                                      QString::fromStdString(formatValue(values.at(spec.name))));
    if (!choices.scaling.isEmpty())
        methodPanel_->settingsForm()->setText("scaling", choices.scaling);
    Job* job = openFiles({path}, choices.labelColumn, choices.idColumn);
    if (job && askOnFailure)
        connect(job, &Job::finished, this,
                [this, job, path, choices]
                {
                    if (job->state() == Job::State::Failed)
                        showImportDialog(path, choices);
                });
    return job;
}

ImportChoices MainWindow::loadedImportChoices() const
{
    ImportChoices out;
    out.labelColumn = loadedLabelColumn();
    out.idColumn = loadedIdColumn();
    copyLoadSettings(session_.sources().loadSettings, out.load);
    try
    {
        out.scaling = QString::fromStdString(methodPanel_->request().settings.scaling);
    }
    catch (const Error&) // an invalid form: the dialog keeps its own default
    {
    }
    QSettings settings;
    if (const auto remembered = rememberedImport(settings, session_.paths().value(0)))
        out.loadAsBefore = remembered->loadAsBefore;
    return out;
}

Job* MainWindow::openFiles(const QStringList& paths, const QString& labelColumn,
                           const QString& idColumn, const QString& array)
{
    if (paths.size() == 1 && QFileInfo(paths[0]).suffix() == kSessionSuffix)
        return sessionActions_->open(paths[0]);
    if (array.isEmpty() && askForMatrix(paths, labelColumn, idColumn))
        return nullptr;
    RunSettings settings;
    try
    {
        settings = datasetPanel_->loadSettings();
    }
    catch (const Error& e)
    {
        showError(tr("Cannot open"), QString::fromStdString(e.what()));
        return nullptr;
    }
    try // the data view shows the features as the runs will prepare them (the import step
    {   // sets the Method panel's scaling before it opens a table)
        settings.scaling = methodPanel_->request().settings.scaling;
    }
    catch (const Error&) // an invalid Method form: the view shows the features unscaled
    {
    }
    Job* job = loader_.open(paths, labelColumn, settings, idColumn, {}, array);
    const QString name = QFileInfo(paths.value(0)).fileName() + (paths.size() > 1 ? " +" : "");
    // A bad file leaves the current dataset as it was and says what is wrong.
    connect(job, &Job::finished, this,
            [this, job, name, paths, labelColumn, idColumn, array, settings]
            {
                if (job->state() != Job::State::Failed)
                    return;
                if (loader_.refusedMissingValues(job))
                    offerMissingPolicies(paths, labelColumn, idColumn, array, settings,
                                         job->error());
                else
                    showError(tr("Could not open %1").arg(name), job->error());
            });
    return job;
}

void MainWindow::offerMissingPolicies(const QStringList& paths, const QString& labelColumn,
                                      const QString& idColumn, const QString& array,
                                      const RunSettings& tried, const QString& error)
{
    // The policies are the schema's choices, as the CLI's --missing lists them.
    const auto load = runSettingsSchema(SettingStage::Load);
    const auto spec = std::find_if(load.begin(), load.end(),
                                   [](const ParamSpec& p) { return p.name == "missing"; });
    if (spec == load.end())
        return showError(tr("Could not open %1").arg(QFileInfo(paths.value(0)).fileName()), error);
    auto* box = new QMessageBox(
        QMessageBox::Warning, tr("Missing values in %1").arg(QFileInfo(paths.value(0)).fileName()),
        inWindowTerms(error), QMessageBox::Cancel, this);
    box->setObjectName("missingValuesBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(
        tr("Load the data again with another policy for missing values (the Dataset panel's "
           "'%1' setting)?")
            .arg(QString::fromStdString(spec->name)));
    for (const auto& choice : spec->choices)
    {
        if (choice == tried.missing)
            continue;
        auto* button = box->addButton(missingPolicyText(choice), QMessageBox::AcceptRole);
        button->setObjectName(QString::fromStdString(spec->name + "-" + choice));
        button->setToolTip(QString::fromStdString(spec->help));
        const std::string name = spec->name;
        connect(button, &QAbstractButton::clicked, this,
                [this, paths, labelColumn, idColumn, array, name, choice]
                {
                    // Not the current dataset's reload: the failed files are read again.
                    datasetPanel_->setLoadSetting(name, QString::fromStdString(choice));
                    openFiles(paths, labelColumn, idColumn, array);
                });
    }
    box->open();
}

void MainWindow::cancelAllJobs()
{
    QList<QPointer<Job>> running;
    qint64 longest = 0;
    for (Job* job : runner_.jobs())
        if (job->isRunning())
        {
            running << job;
            longest = std::max(longest, job->elapsedMs());
        }
    auto cancel = [running]
    {
        for (const auto& job : running)
            if (job)
                job->cancel();
    };
    if (longest < kConfirmCancelAfterMs)
        return cancel();
    // Work of more than a few seconds is lost if cancelled: ask, with keeping it as the default.
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Cancel all jobs"),
        tr("Cancel %n running job(s)? The longest has run for %1; its work will be lost.", nullptr,
           static_cast<int>(running.size()))
            .arg(QTime(0, 0).addMSecs(static_cast<int>(longest)).toString("H:mm:ss")),
        QMessageBox::NoButton, this);
    box->setObjectName("confirmCancelAll");
    box->setAttribute(Qt::WA_DeleteOnClose);
    auto* yes = box->addButton(tr("Cancel Jobs"), QMessageBox::DestructiveRole);
    yes->setObjectName("confirmCancel");
    auto* keep = box->addButton(tr("Keep Running"), QMessageBox::RejectRole);
    keep->setObjectName("keepRunning");
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    connect(yes, &QAbstractButton::clicked, this, cancel);
    box->open();
}

Job* MainWindow::runClustering()
{
    try
    {
        if (!session_.dataset())
            throw ParameterError(
                "Open a dataset first (File > Open, or drop a file on the window).");
        return clustering_.start(methodPanel_->request()).job;
    }
    catch (const Error& e)
    {
        showError(tr("Cannot run"), QString::fromStdString(e.what()));
        return nullptr;
    }
}

Job* MainWindow::reclusterSelection()
{
    try
    {
        if (!session_.dataset())
            throw ParameterError(
                "Open a dataset first (File > Open, or drop a file on the window).");
        if (session_.selection().empty())
            throw ParameterError("Select rows first: Shift + drag a box or a lasso in the view "
                                 "(Select > Box or Lasso), or choose a cluster in the "
                                 "Explanation dock.");
        return clustering_
            .start(methodPanel_->request(), 0, session_.selection(), session_.currentRunId())
            .job;
    }
    catch (const Error& e)
    {
        showError(tr("Cannot re-cluster the selection"), QString::fromStdString(e.what()));
        return nullptr;
    }
}

int MainWindow::mergeIntoParent()
{
    try
    {
        return session_.mergeIntoParent(session_.currentRunId());
    }
    catch (const Error& e)
    {
        showError(tr("Cannot merge"), QString::fromStdString(e.what()));
        return 0;
    }
}

Job* MainWindow::computeEmbedding()
{
    try
    {
        if (!session_.dataset())
            throw ParameterError(
                "Open a dataset first (File > Open, or drop a file on the window).");
        return embedder_.start(embeddingPanel_->request(), embeddingPanel_->inputRun());
    }
    catch (const Error& e)
    {
        showError(tr("Cannot compute the embedding"), QString::fromStdString(e.what()));
        return nullptr;
    }
}

Job* MainWindow::clusterEmbedding(int embeddingId)
{
    try
    {
        if (!session_.dataset())
            throw ParameterError(
                "Open a dataset first (File > Open, or drop a file on the window).");
        if (!session_.embedding(embeddingId))
            throw ParameterError("Pick an embedding in the Embedding panel first (the data "
                                 "view's PCA is not one: compute one there).");
        // The run's labels are shown on the map they came from.
        session_.setCurrentEmbedding(embeddingId);
        return clustering_.start(methodPanel_->request(), embeddingId).job;
    }
    catch (const Error& e)
    {
        showError(tr("Cannot run"), QString::fromStdString(e.what()));
        return nullptr;
    }
}

int MainWindow::loadCoordinates(const QString& path)
{
    try
    {
        return embedder_.loadCoordinates(path);
    }
    catch (const Error& e)
    {
        showError(tr("Cannot use these coordinates"), QString::fromStdString(e.what()));
        return 0;
    }
}

int MainWindow::coordinatesFromColumns(const std::vector<std::string>& columns)
{
    try
    {
        return embedder_.coordinatesFromColumns(columns);
    }
    catch (const Error& e)
    {
        showError(tr("Cannot use these columns"), QString::fromStdString(e.what()));
        return 0;
    }
}

PreferencesDialog* MainWindow::showPreferences()
{
    if (auto* open = findChild<PreferencesDialog*>())
    {
        open->raise();
        return open;
    }
    auto* dialog = new PreferencesDialog(preferences_, FigureSettings::load(QSettings()), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog]
            {
                const bool blasChanged = dialog->chosen().blasThreads != preferences_.blasThreads;
                QSettings figureSettings;
                dialog->chosenFigure().save(figureSettings); // new figures start from it
                preferences_ = dialog->chosen();
                QSettings settings;
                preferences_.save(settings);
                applyPreferences();
                if (blasChanged)
                    statusBar()->showMessage(
                        tr("OpenBLAS's thread count applies at the next start"), 10000);
            });
    dialog->open();
    return dialog;
}

void MainWindow::applyPreferences()
{
    clustering_.setCacheDir(preferences_.cacheDir);
    clustering_.setHistoryPath(preferences_.historyPath());
    methodPanel_->settingsForm()->setText("device", preferences_.device);
    methodPanel_->settingsForm()->setText("torch_threads",
                                          QString::number(preferences_.torchThreads));
    // Preferences::load only keeps names it knows.
    const auto categorical = categoricalPaletteNamed(preferences_.palette.toStdString())
                                 .value_or(CategoricalPalette::Auto);
    setPalettes(categorical, continuousPaletteNamed(preferences_.continuousPalette.toStdString())
                                 .value_or(ContinuousPalette::Viridis));
    exporter_.setPalette(categorical);
    presenter_->recolor();
}

HistoryDialog* MainWindow::showHistory()
{
    if (!history_)
        history_ = new HistoryDialog(session_, loader_, clustering_, this);
    if (!history_->isVisible()) // what it said last time is old news
        history_->status()->clear();
    history_->refresh();
    history_->show();
    history_->raise();
    return history_;
}

CompareDialog* MainWindow::showCompareRuns()
{
    if (!compare_)
        compare_ = new CompareDialog(session_, this);
    compare_->show();
    compare_->raise();
    return compare_;
}

ChooseKDialog* MainWindow::showChooseK()
{
    if (!chooseK_)
    {
        chooseK_ = new ChooseKDialog(this);
        connect(chooseK_, &ChooseKDialog::sweepRequested, this,
                [this](qint64 kMin, qint64 kMax) { sweepK(kMin, kMax); });
        connect(chooseK_, &ChooseKDialog::kChosen, this, &MainWindow::useChosenK);
        connect(&chooseKController_, &ChooseKController::resultReady, chooseK_,
                &ChooseKDialog::setResult);
    }
    chooseK_->show();
    chooseK_->raise();
    return chooseK_;
}

void MainWindow::useChosenK(qint64 k)
{
    // k goes to the current method, or to the first one that takes a number of clusters.
    const AlgorithmInfo* method =
        methodTakingClusterCount(&methodPanel_->currentMethod(), builtinRegistry());
    if (!method || !methodPanel_->selectMethod(method->id))
    {
        showError(tr("Cannot use k"), tr("No method that takes a number of clusters can run on "
                                         "these data."));
        return;
    }
    methodPanel_->form()->setText(method->caps.clusterCount, QString::number(k));
    statusBar()->showMessage(
        tr("%1 set to %2").arg(QString::fromStdString(method->caps.clusterCount)).arg(k), 5000);
}

Job* MainWindow::sweepK(int64_t kMin, int64_t kMax)
{
    Job* job = nullptr;
    try
    {
        if (!session_.dataset())
            throw ParameterError(
                "Open a dataset first (File > Open, or drop a file on the window).");
        job = chooseKController_.sweep(kMin, kMax, methodPanel_->request().settings);
    }
    catch (const Error& e)
    {
        showError(tr("Cannot choose k"), QString::fromStdString(e.what()));
        return nullptr;
    }
    auto* dialog = showChooseK();
    dialog->setBusy(true);
    connect(job, &Job::finished, this,
            [this, job]
            {
                if (chooseK_)
                    chooseK_->setBusy(false);
                if (job->state() == Job::State::Failed)
                    showError(tr("Choose k failed"), job->error());
            });
    return job;
}

const std::vector<int64_t>& MainWindow::clusters() const
{
    return presenter_->clusters();
}

const std::map<std::string, double>& MainWindow::metrics() const
{
    static const std::map<std::string, double> none;
    const RunEntry* run = session_.currentRun();
    return run && run->finished() ? run->outcome.metrics : none;
}

const std::vector<float>& MainWindow::shownXyz() const
{
    return presenter_->shownXyz();
}

bool MainWindow::exportLabels(const QString& path, QString* error)
{
    try
    {
        const QString record = exporter_.exportLabels(path);
        statusBar()->showMessage(tr("Labels written to %1, the run record to %2").arg(path, record),
                                 10000);
        return true;
    }
    catch (const Error& e)
    {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

FigureScene MainWindow::figureScene() const
{
    return presenter_->figureScene(figureTitle());
}

QString MainWindow::figureTitle() const
{
    // What the figure shows, not the file: "digits · k-means (k=10)", "digits · true labels".
    const QString dataset = describeDataset(session_.sources());
    const QString mode = sidebar_->colorBy()->currentData().toString();
    QString shows;
    if (mode == "cluster")
    {
        if (const RunEntry* run = session_.currentRun())
            shows = describeEntry(*run);
    }
    else if (mode == "truth")
        shows = tr("true labels");
    else if (mode != "uniform")
        shows = sidebar_->colorBy()->currentText();
    return shows.isEmpty() ? dataset : dataset + QStringLiteral(" · ") + shows;
}

bool MainWindow::exportFigure(const QString& path, int scale, QString* error)
{
    if (!session_.dataset())
    {
        if (error)
            *error = tr("Open a dataset first: there is nothing to draw.");
        return false;
    }
    FigureOptions options;
    options.scale = scale;
    const QString problem = renderFigure(figureScene(), path, options);
    if (error)
        *error = problem;
    return problem.isEmpty();
}

void MainWindow::exportLabelsDialog()
{
    // An AnnData input can also get its labels back as a copy of itself, as scanpy users keep
    // them.
    QString filters = tr("CSV (*.csv)");
    if (session_.sources().format == "h5ad" && session_.paths().size() == 1)
        filters += tr(";;AnnData, a copy of the input with the labels in obs (*.h5ad)");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export labels"), "labels.csv", filters);
    QString error;
    if (!path.isEmpty() && !exportLabels(path, &error))
        showError(tr("Export failed"), error);
}

void MainWindow::exportSelectionDialog()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export the selected rows' ids"), "selection.csv",
                                     tr("CSV (*.csv);;NumPy array (*.npy)"));
    if (path.isEmpty())
        return;
    try
    {
        exporter_.exportSelection(path);
        statusBar()->showMessage(
            tr("%n row id(s) written to %1", nullptr, static_cast<int>(session_.selection().size()))
                .arg(path),
            10000);
    }
    catch (const Error& e)
    {
        showError(tr("Export failed"), QString::fromStdString(e.what()));
    }
}

void MainWindow::exportProjectorDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export for TensorBoard's projector (tensors; the metadata goes beside it)"),
        "tensors.tsv", tr("Tab-separated values (*.tsv)"));
    if (path.isEmpty())
        return;
    try
    {
        const QString metadata = exporter_.exportProjector(path);
        statusBar()->showMessage(
            tr("Tensors written to %1 and metadata to %2: load both in projector.tensorflow.org")
                .arg(path, metadata),
            10000);
    }
    catch (const Error& e)
    {
        showError(tr("Export failed"), QString::fromStdString(e.what()));
    }
}

FigureDialog* MainWindow::exportFigureDialog()
{
    if (!session_.dataset())
    {
        showError(tr("Export Figure"), tr("Open a dataset first: there is nothing to draw."));
        return nullptr;
    }
    if (auto* open = findChild<FigureDialog*>())
        open->close(); // it drew the view as it was
    auto* dialog = new FigureDialog(figureScene(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &FigureDialog::exported, this,
            [this](const QString& path) {
                statusBar()->showMessage(tr("Wrote %1").arg(QDir::toNativeSeparators(path)), 10000);
            });
    dialog->open();
    return dialog;
}

void MainWindow::showError(const QString& title, const QString& text)
{
    // Not modal-blocking: the app keeps running (and tests keep driving it).
    // The engine's advice names CLI flags; here they are the window's controls.
    auto* box =
        new QMessageBox(QMessageBox::Warning, title, inWindowTerms(text), QMessageBox::Ok, this);
    box->setObjectName("errorBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e)
{
    if (e->mimeData()->hasUrls())
        e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e)
{
    QStringList paths;
    for (const QUrl& url : e->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (!paths.isEmpty())
    {
        openAsked(paths);
        e->acceptProposedAction();
    }
}

void MainWindow::closeEvent(QCloseEvent* e)
{
    int running = 0;
    for (const Job* job : runner_.jobs())
        running += job->isRunning() ? 1 : 0;
    if (!sessionActions_->confirmClose(running))
        return e->ignore();
    // Cancel whatever runs and wait for the workers: they stop within ~200 ms.
    runner_.shutdown(10000);
    sessionActions_->closing();
    QMainWindow::closeEvent(e);
}

} // namespace clusterscope

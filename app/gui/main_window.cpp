#include "main_window.h"

#include "choose_k_dialog.h"
#include "coloring.h"
#include "dataset_panel.h"
#include "embedding_view.h"
#include "figure_renderer.h"
#include "jobs_panel.h"
#include "method_panel.h"
#include "palette.h"
#include "parameter_form.h"
#include "training_chart.h"
#include "view_sidebar.h"

#include <clusterscope/cluster/choose_k.h>
#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/view_projection.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/output.h>
#include <clusterscope/metrics/metrics.h>
#include <clusterscope/pipeline/prepare.h>
#include <clusterscope/pipeline/run.h>

#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <vtkVersion.h>

#include <set>
#include <unistd.h>

namespace clusterscope
{

namespace
{

const QString kDemoPath = QStringLiteral(CLUSTERSCOPE_DEMO_PATH);
constexpr int kMaxRecent = 8;

QString describeMetrics(const std::map<std::string, double>& m)
{
    QStringList parts;
    for (const char* key : {"acc", "nmi", "ari", "silhouette"})
    {
        if (auto it = m.find(key); it != m.end())
        {
            parts << QString("%1 %2").arg(key).arg(it->second, 0, 'f', 3);
        }
    }
    return parts.join(", ");
}

// The row's image as 8-bit grey, scaled to its own range.
QImage thumbnail(const Dataset& d, int64_t row)
{
    if (!d.imageShape || d.imageShape->channels != 1)
    {
        return {};
    }
    const auto values = floatValues(d.features[row]);
    const float top = std::max(1e-6f, *std::max_element(values.begin(), values.end()));
    const int h = static_cast<int>(d.imageShape->height);
    const int w = static_cast<int>(d.imageShape->width);
    QImage image(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y)
    {
        for (int x = 0; x < w; ++x)
        {
            const float v = values[static_cast<size_t>(y * w + x)] / top;
            image.scanLine(y)[x] = static_cast<uchar>(std::clamp(v, 0.0f, 1.0f) * 255);
        }
    }
    return image;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), view_(new EmbeddingView(this)), sidebar_(new ViewSidebar(this)),
      datasetPanel_(new DatasetPanel(this)), methodPanel_(new MethodPanel(this)),
      jobsPanel_(new JobsPanel(runner_, this)), training_(new TrainingChart(this)),
      shapeLabel_(new QLabel(this)), deviceLabel_(new QLabel(this)), memoryLabel_(new QLabel(this))
{
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

    statusBar()->addPermanentWidget(shapeLabel_);
    statusBar()->addPermanentWidget(deviceLabel_);
    statusBar()->addPermanentWidget(memoryLabel_);
    auto* memoryTimer = new QTimer(this);
    connect(memoryTimer, &QTimer::timeout, this, &MainWindow::updateStatus);
    memoryTimer->start(2000);
    updateStatus();

    connect(methodPanel_, &MethodPanel::runRequested, this, &MainWindow::runClustering);
    connect(datasetPanel_, &DatasetPanel::labelColumnChosen, this,
            [this](const QString& column)
            {
                if (!paths_.isEmpty())
                    openFiles(paths_, column.isEmpty() ? QStringLiteral("-none-") : column);
            });
    connect(sidebar_->colorBy(), &QComboBox::currentIndexChanged, this, &MainWindow::recolor);
    connect(sidebar_->threeD(), &QCheckBox::toggled, view_, &EmbeddingView::setThreeD);
    connect(sidebar_->pointSize(), &QDoubleSpinBox::valueChanged, view_,
            &EmbeddingView::setPointSize);
    connect(view_, &EmbeddingView::pointHovered, this, &MainWindow::showRow);
    connect(view_, &EmbeddingView::pointClicked, this,
            [this](int64_t row)
            {
                view_->setSelection(row >= 0 ? std::vector<int64_t>{row} : std::vector<int64_t>{});
                if (row >= 0)
                    statusBar()->showMessage(tr("Selected row %1").arg(row), 5000);
            });
    connect(view_, &EmbeddingView::boxSelected, this,
            [this](const std::vector<int64_t>& rows) {
                statusBar()->showMessage(
                    tr("%n point(s) selected", nullptr, static_cast<int>(rows.size())));
            });
    resize(1280, 800);
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
    auto* dataDock = dock(datasetPanel_, tr("Dataset"), Qt::LeftDockWidgetArea);
    auto* method = dock(methodPanel_, tr("Method"), Qt::LeftDockWidgetArea);
    auto* jobs = dock(jobsPanel_, tr("Jobs"), Qt::BottomDockWidgetArea);
    auto* training = dock(training_, tr("Training"), Qt::BottomDockWidgetArea);
    splitDockWidget(jobs, training, Qt::Horizontal);
    resizeDocks({jobs}, {140}, Qt::Vertical);
    resizeDocks({dataDock, method}, {360, 420}, Qt::Vertical);
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
                                         tr("Datasets (*.csv *.tsv *.gz *.npy *.npz *-ubyte);;"
                                            "All files (*)"));
                                     if (!files.isEmpty())
                                         openFiles(files);
                                 });
    open->setShortcut(QKeySequence::Open);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addAction(tr("Open &Demo"), this, [this] { openFiles({kDemoPath}); });
    file->addSeparator();
    auto* exportFigure =
        file->addAction(tr("Export &Figure..."), this, &MainWindow::exportFigureDialog);
    exportFigure->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    auto* exportLabels =
        file->addAction(tr("Export &Labels..."), this, &MainWindow::exportLabelsDialog);
    exportLabels->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    auto* view = menuBar()->addMenu(tr("&View"));
    auto* threeD = view->addAction(tr("&3D"));
    threeD->setCheckable(true);
    connect(threeD, &QAction::toggled, sidebar_->threeD(), &QCheckBox::setChecked);
    connect(sidebar_->threeD(), &QCheckBox::toggled, threeD, &QAction::setChecked);
    showLearned_ = view->addAction(tr("&Learned Embedding"));
    showLearned_->setCheckable(true);
    showLearned_->setEnabled(false);
    showLearned_->setToolTip(tr("Show the representation the last deep run learned (its first "
                                "principal components) instead of the data's"));
    connect(showLearned_, &QAction::toggled, this,
            [this](bool on)
            {
                embedding_ = on && !learnedXyz_.empty() ? learnedXyz_ : dataXyz_;
                view_->setPoints(embedding_);
                view_->resetCamera();
                recolor();
            });
    view->addAction(tr("&Reset Camera"), view_, &EmbeddingView::resetCamera)
        ->setShortcut(QKeySequence(Qt::Key_Home));
    view->addSeparator();
    for (auto* d : findChildren<QDockWidget*>())
    {
        view->addAction(d->toggleViewAction());
    }

    auto* run = menuBar()->addMenu(tr("&Run"));
    auto* runAction = run->addAction(tr("&Run Clustering"), this, &MainWindow::runClustering);
    runAction->setShortcut(QKeySequence(Qt::Key_F5));
    run->addAction(tr("Choose &k..."), this, &MainWindow::showChooseK);
    run->addAction(tr("&Cancel All Jobs"), &runner_, &JobRunner::cancelAll)
        ->setShortcut(QKeySequence(Qt::Key_Escape));

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About ClusterScope"), this, &MainWindow::showAbout);

    auto* tools = addToolBar(tr("Main"));
    tools->setObjectName("mainToolbar");
    tools->addAction(open);
    tools->addAction(runAction);
    tools->addAction(exportFigure);
    tools->addAction(exportLabels);
}

Job* MainWindow::openFiles(const QStringList& paths, const QString& labelColumn)
{
    std::vector<std::string> files;
    for (const auto& p : paths)
    {
        files.push_back(p.toStdString());
    }
    LoadOptions options;
    // "-none-" asks for no labels even where a label column would be found by name.
    options.labelColumn =
        labelColumn == "-none-" ? std::string("-none-") : labelColumn.toStdString();
    const QString name = QFileInfo(paths.value(0)).fileName() + (paths.size() > 1 ? " +" : "");
    Job* job =
        runner_.start(tr("Load %1").arg(name),
                      [this, files, options, paths](Progress& progress) -> std::function<void()>
                      {
                          // The engine takes "-none-": no labels, and every column is data.
                          ProgressRange loading(progress, 0.0, 0.6);
                          auto loaded =
                              std::make_shared<Dataset>(loadDatasets(files, options, &loading));
                          // The first view: a PCA of the features, computed here in the background.
                          ProgressRange reducing(progress, 0.6, 1.0);
                          auto xyz = viewCoordinates(loaded->features, 3, 0, &reducing);
                          return [this, loaded, xyz = std::move(xyz), paths]() mutable
                          { setDataset(std::move(loaded), std::move(xyz), paths); };
                      });
    // A bad file leaves the current dataset as it was and says what is wrong.
    connect(job, &Job::finished, this,
            [this, job, name]
            {
                if (job->state() == Job::State::Failed)
                    showError(tr("Could not open %1").arg(name), job->error());
            });
    return job;
}

void MainWindow::setDataset(std::shared_ptr<const Dataset> loaded, std::vector<float> xyz,
                            const QStringList& paths)
{
    dataset_ = std::move(loaded);
    paths_ = paths;
    clusters_.clear();
    confidence_.clear();
    metrics_.clear();
    rememberRecent(paths);
    QStringList choices;
    for (const auto& m : dataset_->metadata)
        choices << QString::fromStdString(m.name);
    if (dataset_->format == "csv" || dataset_->format == "tsv")
    {
        for (const auto& f : dataset_->featureNames)
            if (choices.size() < 200)
                choices << QString::fromStdString(f);
    }
    if (dataset_->hasLabels() && !choices.contains(QString::fromStdString(dataset_->labelColumn)))
        choices.prepend(QString::fromStdString(dataset_->labelColumn));
    datasetPanel_->showDataset(*dataset_, choices);
    dataXyz_ = std::move(xyz);
    learnedXyz_.clear();
    showLearned_->setChecked(false);
    showLearned_->setEnabled(false);
    embedding_ = dataXyz_;
    view_->setPoints(embedding_);
    // Few points read better large, many points small.
    const int64_t n = dataset_->rows();
    sidebar_->pointSize()->setValue(n < 2000 ? 6 : n < 20000 ? 4 : 3);
    {
        const QSignalBlocker block(sidebar_->colorBy());
        sidebar_->colorBy()->clear();
        sidebar_->colorBy()->addItem(tr("Uniform"), "uniform");
        if (dataset_->hasLabels())
            sidebar_->colorBy()->addItem(tr("True label"), "truth");
        for (size_t m = 0; m < dataset_->metadata.size(); ++m)
            sidebar_->colorBy()->addItem(QString::fromStdString(dataset_->metadata[m].name),
                                         QString("meta:%1").arg(m));
        // Numeric columns of tables colour continuously (pixels of images would be noise).
        if (!dataset_->imageShape && (dataset_->format == "csv" || dataset_->format == "tsv"))
        {
            for (size_t f = 0; f < dataset_->featureNames.size() && f < 200; ++f)
                sidebar_->colorBy()->addItem(QString::fromStdString(dataset_->featureNames[f]),
                                             QString("feature:%1").arg(f));
        }
        sidebar_->colorBy()->setCurrentIndex(dataset_->hasLabels() ? 1 : 0);
    }
    recolor();
    setWindowTitle(tr("ClusterScope — %1").arg(QFileInfo(paths.value(0)).fileName()));
    updateStatus();
}

Job* MainWindow::runClustering()
{
    const auto valid = readyRequest();
    if (!valid)
        return nullptr;
    const RunRequest request = *valid;
    auto snapshot = dataset_;
    const std::string cacheDir = autoencoderCacheDir().toStdString();
    training_->clear();
    QString title = QString::fromStdString(request.method->displayName);
    if (request.params.values().count("k"))
        title += QString(" (k=%1)").arg(request.params.integer("k"));
    Job* job = runner_.start(
        title,
        [this, snapshot, request, cacheDir](Progress& progress) -> std::function<void()>
        {
            applyTorchThreads(request.settings.threads); // per worker thread (device.h)
            RunRequest run = request;
            run.cacheDir = cacheDir;
            // Curves and labels of training methods go to the GUI thread as they come.
            run.onTrainingUpdate = [this, snapshot](const TrainingUpdate& update)
            {
                QMetaObject::invokeMethod(
                    this,
                    [this, snapshot, update]
                    {
                        if (snapshot != dataset_)
                            return;
                        training_->setHistory(update.history);
                        if (!update.labels.empty())
                        {
                            clusters_ = update.labels;
                            recolor();
                        }
                    },
                    Qt::QueuedConnection);
            };
            ProgressRange preparing(progress, 0.0, 0.05);
            const auto prepared = prepareData(*snapshot, run.settings, preparing);
            ProgressRange running(progress, 0.05, 1.0);
            auto outcome = runMethod(prepared, run, running);
            throwIfCancelled(progress);
            // A learned representation gets its own view: its first principal components.
            std::vector<float> learned;
            if (outcome.result.embedding.defined())
                learned = viewCoordinates(outcome.result.embedding.to(at::kFloat).contiguous(), 3,
                                          run.settings.seed);
            return [this, snapshot, outcome = std::move(outcome),
                    learned = std::move(learned)]() mutable
            {
                if (snapshot != dataset_)
                    return; // the user opened another dataset meanwhile
                clusters_ = std::move(outcome.result.labels);
                confidence_ = std::move(outcome.result.confidence);
                soft_ = outcome.result.soft;
                setLearnedView(std::move(learned));
                metrics_ = std::move(outcome.metrics);
                const int index = sidebar_->colorBy()->findData("cluster");
                if (index < 0)
                    sidebar_->colorBy()->insertItem(1, tr("Cluster"), "cluster");
                sidebar_->colorBy()->setCurrentIndex(sidebar_->colorBy()->findData("cluster"));
                recolor();
                QString message = tr("Clustering done: %1").arg(describeMetrics(metrics_));
                for (const auto& w : outcome.warnings)
                    message += " — " + QString::fromStdString(w);
                statusBar()->showMessage(message, 10000);
            };
        });
    connect(job, &Job::finished, this,
            [this, job]
            {
                if (job->state() == Job::State::Finished)
                    job->setSummary(describeMetrics(metrics_));
                else if (job->state() == Job::State::Failed)
                    showError(tr("Clustering failed"), job->error());
            });
    return job;
}

std::optional<RunRequest> MainWindow::readyRequest()
{
    if (!dataset_)
    {
        showError(tr("Nothing to cluster"),
                  tr("Open a dataset first (File > Open, or drop a file on the window)."));
        return std::nullopt;
    }
    try
    {
        return methodPanel_->request();
    }
    catch (const Error& e)
    {
        showError(tr("Invalid parameters"), QString::fromStdString(e.what()));
        return std::nullopt;
    }
}

// Where the GUI caches pretrained autoencoders, as the CLI does.
QString MainWindow::autoencoderCacheDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
           "/clusterscope/autoencoders";
}

ChooseKDialog* MainWindow::showChooseK()
{
    if (!chooseK_)
    {
        chooseK_ = new ChooseKDialog(this);
        connect(chooseK_, &ChooseKDialog::sweepRequested, this,
                [this](qint64 kMin, qint64 kMax) { sweepK(kMin, kMax); });
        connect(chooseK_, &ChooseKDialog::kChosen, this,
                [this](qint64 k)
                {
                    // k goes to the current method, or to k-means when it has no k.
                    auto* form = methodPanel_->form();
                    if (!form->editor("k"))
                        methodPanel_->methodBox()->setCurrentIndex(
                            methodPanel_->methodBox()->findData("kmeans"));
                    form->setText("k", QString::number(k));
                    statusBar()->showMessage(tr("k set to %1").arg(k), 5000);
                });
    }
    chooseK_->show();
    chooseK_->raise();
    return chooseK_;
}

Job* MainWindow::sweepK(int64_t kMin, int64_t kMax)
{
    const auto valid = readyRequest();
    if (!valid)
        return nullptr;
    const RunRequest request = *valid;
    auto* dialog = showChooseK();
    dialog->setBusy(true);
    auto snapshot = dataset_;
    Job* job = runner_.start(
        tr("Choose k (%1-%2)").arg(kMin).arg(kMax),
        [this, snapshot, request, kMin, kMax](Progress& progress) -> std::function<void()>
        {
            applyTorchThreads(request.settings.threads);
            const auto prepared = prepareData(*snapshot, request.settings, progress);
            ChooseKOptions o;
            o.kMin = kMin;
            o.kMax = kMax;
            o.seed = request.settings.seed;
            auto result = chooseK(prepared.data.features.to(resolveDevice(request.settings.device)),
                                  o, &progress);
            return [this, snapshot, result = std::move(result)]() mutable
            {
                if (snapshot == dataset_ && chooseK_)
                    chooseK_->setResult(std::move(result));
            };
        });
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

void MainWindow::setLearnedView(std::vector<float> xyz)
{
    learnedXyz_ = std::move(xyz);
    showLearned_->setEnabled(!learnedXyz_.empty());
    if (learnedXyz_.empty() && showLearned_->isChecked())
        showLearned_->setChecked(false);
    else if (showLearned_->isChecked())
    {
        embedding_ = learnedXyz_;
        view_->setPoints(embedding_);
    }
}

void MainWindow::recolor()
{
    if (!dataset_)
        return;
    colorScene(coloring_, *dataset_, clusters_, sidebar_->colorBy()->currentData().toString());
    view_->setColors(coloring_.rgb);
    if (coloring_.colorBar)
        sidebar_->setColorBar(coloring_.colorBarMin, coloring_.colorBarMax, coloring_.legendTitle);
    else
        sidebar_->setLegend(coloring_.legend, coloring_.legendTitle);
}

void MainWindow::showRow(int64_t row)
{
    if (!dataset_ || row < 0 || row >= dataset_->rows())
    {
        sidebar_->inspect({}, {});
        return;
    }
    QStringList lines{tr("row %1").arg(row)};
    if (dataset_->hasLabels())
    {
        const int64_t l = dataset_->labels[static_cast<size_t>(row)];
        lines << tr("label: %1").arg(QString::fromStdString(dataset_->labelText(l)));
    }
    if (clusters_.size() == static_cast<size_t>(dataset_->rows()))
    {
        lines << tr("cluster: %1").arg(clusters_[static_cast<size_t>(row)]);
    }
    for (const auto& m : dataset_->metadata)
    {
        lines << QString("%1: %2").arg(QString::fromStdString(m.name),
                                       QString::fromStdString(m.text(row)));
    }
    sidebar_->inspect(lines.join('\n'), thumbnail(*dataset_, row));
}

bool MainWindow::exportLabels(const QString& path, QString* error)
{
    if (clusters_.empty())
    {
        if (error)
            *error = tr("Run a clustering first: there are no labels to export.");
        return false;
    }
    try
    {
        ClusteringResult r;
        r.labels = clusters_;
        r.confidence = confidence_;
        r.soft = soft_;
        writeFileAtomically(path.toStdString(), labelsCsv(r));
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
    FigureScene scene = coloring_;
    scene.xyz = embedding_;
    const QSize viewSize = view_->size();
    scene.aspect = viewSize.height() > 0 ? double(viewSize.width()) / viewSize.height() : 1.4;
    scene.viewProjection = view_->viewProjection(scene.aspect);
    scene.showAxes = !view_->isThreeD();
    scene.pointSize = view_->pointSize();
    scene.title = QFileInfo(paths_.value(0)).fileName();
    return scene;
}

bool MainWindow::exportFigure(const QString& path, int scale, QString* error)
{
    if (!dataset_)
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
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export labels"), "labels.csv", tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportLabels(path, &error))
        showError(tr("Export failed"), error);
}

void MainWindow::exportFigureDialog()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export figure"), "figure.pdf",
        tr("PDF document (*.pdf);;SVG image (*.svg);;PNG image (*.png)"));
    if (path.isEmpty())
        return;
    int scale = 1;
    if (path.endsWith(".png", Qt::CaseInsensitive))
    {
        bool ok = false;
        const QString choice = QInputDialog::getItem(this, tr("Export figure"), tr("Scale:"),
                                                     {"1x", "2x", "4x"}, 1, false, &ok);
        if (!ok)
            return;
        scale = choice.left(1).toInt();
    }
    QString error;
    if (!exportFigure(path, scale, &error))
        showError(tr("Export failed"), error);
}

void MainWindow::showError(const QString& title, const QString& text)
{
    // Not modal-blocking: the app keeps running (and tests keep driving it).
    auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, this);
    box->setObjectName("errorBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::updateStatus()
{
    shapeLabel_->setText(dataset_ ? tr("%1 × %2").arg(dataset_->rows()).arg(dataset_->cols())
                                  : tr("no dataset"));
    deviceLabel_->setText(cudaAvailable() ? tr("device: CUDA") : tr("device: CPU"));
    long pages = 0;
    long resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r"))
    {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    const double mb =
        static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
    memoryLabel_->setText(tr("memory: %1 MB").arg(mb, 0, 'f', 0));
}

void MainWindow::rememberRecent(const QStringList& paths)
{
    QSettings settings;
    QStringList recent = settings.value("recentFiles").toStringList();
    const QString entry = paths.join('\n');
    recent.removeAll(entry);
    recent.prepend(entry);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue("recentFiles", recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    recentMenu_->clear();
    const QStringList recent = QSettings().value("recentFiles").toStringList();
    for (const auto& entry : recent)
    {
        const QStringList paths = entry.split('\n');
        recentMenu_->addAction(paths.join(" + "), this, [this, paths] { openFiles(paths); });
    }
    recentMenu_->setEnabled(!recent.isEmpty());
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About ClusterScope"),
        tr("<h3>ClusterScope %1</h3>"
           "<p>A workbench for deep clustering.</p>"
           "<p>Qt %2<br>VTK %3<br>LibTorch %4 (%5)<br>BLAS: %6<br>Devices: CPU%7</p>")
            .arg(QApplication::applicationVersion(), qVersion(), vtkVersion::GetVTKVersion(),
                 QString::fromStdString(torchVersion()),
                 cudaAvailable() ? tr("CUDA build") : tr("CPU build"),
                 QString::fromStdString(blasName()).toHtmlEscaped(),
                 cudaAvailable() ? tr(", CUDA") : QString()));
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
    {
        if (url.isLocalFile())
            paths << url.toLocalFile();
    }
    if (!paths.isEmpty())
    {
        openFiles(paths);
        e->acceptProposedAction();
    }
}

void MainWindow::closeEvent(QCloseEvent* e)
{
    // Cancel whatever runs and wait for the workers: they stop within ~200 ms.
    runner_.shutdown(10000);
    QMainWindow::closeEvent(e);
}

} // namespace clusterscope

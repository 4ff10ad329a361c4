// The main window end to end: drop files on it, cluster in the background, check the view,
// export, and survive bad input. The GUI thread must never stall for more than 100 ms.

#include "dataset_panel.h"
#include "embedding_view.h"
#include "figure_checks.h"
#include "figure_dialog.h"
#include "fixtures.h"
#include "gui_main.h"
#include "job_wait.h"
#include "jobs_panel.h"
#include "main_window.h"
#include "method_panel.h"
#include "palette.h"
#include "parameter_form.h"
#include "preferences_dialog.h"
#include "selection_menu.h"
#include "view_sidebar.h"
#include "window_runs.h"

#include <clusterscope/metrics/color_slots.h>
#include <clusterscope/pipeline/builtin.h>

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QOpenGLWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>

#include <set>

using namespace clusterscope;

namespace
{

const QString kDemo = CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz";
const QString kFashion = "/usr/share/datasets/fashion-mnist";

void drop(QWidget* target, const QStringList& paths)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const auto& p : paths)
        urls << QUrl::fromLocalFile(p);
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent dropEvent(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &dropEvent);
}

// Measures the longest gap between 5 ms timer ticks on the GUI thread (a gap includes up to
// one period of slack, so the period is kept short).
class Watchdog : public QObject
{
public:
    Watchdog()
    {
        timer_.setInterval(5);
        connect(&timer_, &QTimer::timeout, this,
                [this] { worst_ = std::max(worst_, clock_.restart()); });
        clock_.start();
        timer_.start();
    }
    qint64 worstGapMs() const { return worst_; }

private:
    QTimer timer_;
    QElapsedTimer clock_;
    qint64 worst_ = 0;
};

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void dropOpensTheDemo()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        drop(&w, {kDemo});
        QTRY_VERIFY_WITH_TIMEOUT(w.dataset() != nullptr, 20000);
        QCOMPARE(w.dataset()->rows(), 1797);
        QCOMPARE(w.view()->pointCount(), 1797);
        QCOMPARE(w.sidebar()->colorBy()->currentData().toString(), QString("truth"));
        QCOMPARE(w.sidebar()->legend()->count(), 10);
    }

    void clickAndBoxSelection()
    {
        MainWindow w;
        w.resize(1000, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        QTest::qWait(100);
        auto* view = w.view();
        QWidget* gl = view->findChild<QOpenGLWidget*>();
        QVERIFY(gl);
        // A box over the whole view selects every point (the camera was reset to fit them).
        QSignalSpy boxed(view, &EmbeddingView::selectionDrawn);
        QTest::mousePress(gl, Qt::LeftButton, Qt::ShiftModifier, QPoint(1, 1));
        QTest::mouseMove(gl, QPoint(gl->width() / 2, gl->height() / 2));
        QTest::mouseRelease(gl, Qt::LeftButton, Qt::ShiftModifier,
                            QPoint(gl->width() - 2, gl->height() - 2));
        QCOMPARE(boxed.count(), 1);
        QCOMPARE(view->selection().size(), size_t{1797});
        // A box around one point's position selects it, and what the box holds is exactly what
        // projects inside it.
        QVERIFY(view->projectedPosition(123));
        const QPointF at = *view->projectedPosition(123);
        const QRect box(at.toPoint() - QPoint(6, 6), QSize(12, 12));
        QTest::mousePress(gl, Qt::LeftButton, Qt::ShiftModifier, box.topLeft());
        QTest::mouseMove(gl, box.center());
        QTest::mouseRelease(gl, Qt::LeftButton, Qt::ShiftModifier, box.bottomRight());
        const auto& chosen = view->selection();
        QVERIFY(std::find(chosen.begin(), chosen.end(), 123) != chosen.end());
        QVERIFY(chosen.size() < 200);
        for (int64_t r : chosen)
            QVERIFY(
                QRectF(box).adjusted(-1, -1, 1, 1).contains(view->projectedPosition(r).value()));
        // A click on a point picks a point drawn under the pointer.
        QSignalSpy clicked(view, &EmbeddingView::pointClicked);
        QTest::mouseClick(gl, Qt::LeftButton, Qt::NoModifier, at.toPoint());
        QCOMPARE(clicked.count(), 1);
        const auto picked = clicked.first().at(0).value<int64_t>();
        QVERIFY(picked >= 0);
        QVERIFY(QLineF(view->projectedPosition(picked).value(), at).length() < 8);
        QCOMPARE(w.session().selection(), std::vector<int64_t>{picked});
        // Escape clears it wherever the focus is, here in the legend's search box.
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.sidebar()->legendSearch()->setFocus();
        QTest::keyClick(w.sidebar()->legendSearch(), Qt::Key_Escape);
        QVERIFY(w.session().selection().empty());
        QVERIFY(view->selection().empty());
    }

    // Select > Lasso draws a lasso; the selection becomes a named cluster of a new run, which
    // the legend shows by its name.
    void aLassoNamedAsACluster()
    {
        MainWindow w;
        w.resize(1000, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        const int run = runMethod(w, "kmeans", "10");
        QVERIFY(run != 0);
        auto* lasso = w.findChild<QAction*>("lassoTool");
        QVERIFY(lasso);
        auto* name = w.findChild<QAction*>("nameSelection");
        QVERIFY(name && !name->isEnabled()); // nothing selected yet
        auto* button = w.sidebar()->findChild<QToolButton*>("lassoToolButton");
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(lasso->isChecked());
        QCOMPARE(w.view()->selectionTool(), SelectionTool::Lasso);
        auto* gl = w.view()->findChild<QOpenGLWidget*>();
        // A triangle round point 123.
        const QPoint at = w.view()->projectedPosition(123)->toPoint();
        const QPolygon triangle({at + QPoint(0, -12), at + QPoint(12, 10), at + QPoint(-12, 10)});
        QTest::mousePress(gl, Qt::LeftButton, Qt::ShiftModifier, triangle[0]);
        for (const QPoint& p : {triangle[1], triangle[2]})
            QTest::mouseMove(gl, p);
        QTest::mouseMove(gl, triangle[0]);
        QTest::mouseRelease(gl, Qt::LeftButton, Qt::ShiftModifier, triangle[0]);
        // Taken for the docs when asked (CLUSTERSCOPE_SHOT=dir): the selection, ringed.
        const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT");
        QTest::qWait(shots.isEmpty() ? 0 : 200); // the frame drawn
        if (!shots.isEmpty())
            QVERIFY(w.grab().save(shots + "/21-selection.png"));
        const auto selected = w.session().selection();
        QVERIFY(std::find(selected.begin(), selected.end(), 123) != selected.end());
        QVERIFY(selected.size() < 100);
        QVERIFY(name->isEnabled());
        name->trigger();
        auto* dialog = w.findChild<QInputDialog*>("nameSelectionDialog");
        QVERIFY(dialog);
        dialog->setTextValue("picked by hand");
        dialog->accept();
        const int edited = w.session().currentRunId();
        QVERIFY(edited != run);
        const RunEntry& e = *w.session().run(edited);
        QCOMPARE(e.editedFrom, run);
        for (int64_t r : selected)
            QCOMPARE(e.labels[static_cast<size_t>(r)], int64_t{10});
        w.sidebar()->colorBy()->setCurrentIndex(w.sidebar()->colorBy()->findData("cluster"));
        QTRY_VERIFY(
            !w.sidebar()->legend()->findItems("picked by hand", Qt::MatchContains).isEmpty());
        // Naming with nothing to name says why.
        w.session().setSelection({});
        QCOMPARE(w.selectionMenu()->nameSelection("x"), 0);
        QTRY_VERIFY(w.findChild<QMessageBox*>("errorBox"));
    }

    void dropOfImagesWithTheirLabels()
    {
        MainWindow w;
        w.show();
        drop(&w,
             {kFashion + "/t10k-images-idx3-ubyte.gz", kFashion + "/t10k-labels-idx1-ubyte.gz"});
        QTRY_VERIFY_WITH_TIMEOUT(w.dataset() != nullptr, 30000);
        QCOMPARE(w.dataset()->rows(), 10000);
        QVERIFY(w.dataset()->hasLabels());
        QVERIFY(w.dataset()->imageShape.has_value());
    }

    void dropOfAnNpzArchive()
    {
        // numpy.savez_compressed's archive: images with text labels, whose names reach the legend.
        MainWindow w;
        w.show();
        drop(&w, {CLUSTERSCOPE_TEST_DATA "/npz/images.npz"});
        QTRY_VERIFY_WITH_TIMEOUT(w.dataset() != nullptr, 20000);
        QCOMPARE(w.dataset()->rows(), 5);
        QVERIFY(w.dataset()->imageShape.has_value());
        QCOMPARE(w.dataset()->labelNames, (std::vector<std::string>{"cat", "dog", "é"}));
        QCOMPARE(w.sidebar()->legend()->count(), 3);
        QVERIFY(w.sidebar()->legend()->item(0)->text().contains("cat"));
    }

    void clusterColourAndExport()
    {
        MainWindow w;
        w.resize(1000, 700);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        QVERIFY(w.methodPanel()->form()->setText("k", "10"));
        QVERIFY(w.methodPanel()->form()->setText("n_init", "4"));
        QSignalSpy added(&w.runner(), &JobRunner::jobAdded);
        QTest::mouseClick(w.methodPanel()->runButton(), Qt::LeftButton);
        QCOMPARE(added.count(), 1);
        QVERIFY(waitFor(added.first().at(0).value<Job*>()));
        QCOMPARE(w.clusters().size(), size_t{1797});
        QVERIFY(w.metrics().at("acc") > 0.7);
        QCOMPARE(w.sidebar()->colorBy()->currentData().toString(), QString("cluster"));

        // The view shows the clusters: most palette colours appear among the pixels.
        QTest::qWait(100);
        const QImage image = w.view()->renderImage(1).convertToFormat(QImage::Format_RGB32);
        QVERIFY(!image.isNull());
        std::set<QRgb> pixels;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                pixels.insert(image.pixel(x, y) & 0xffffff);
        int found = 0;
        for (int c = 0; c < 10; ++c)
            found += pixels.count(categoricalColor(c, 10).rgb() & 0xffffff) ? 1 : 0;
        QVERIFY2(found >= 9, qPrintable(QString("%1 of 10 cluster colours on screen").arg(found)));

        // Figures: PNG at 2x, SVG and PDF with vector text, every cluster colour present.
        std::vector<QRgb> palette;
        for (int c = 0; c < 10; ++c)
            palette.push_back(categoricalColor(c, 10).rgb());
        QString error;
        const QString png = dir.filePath("figure.png");
        QVERIFY2(w.exportFigure(png, 2, &error), qPrintable(error));
        const QImage exported(png);
        QCOMPARE(exported.size(), QSize(1800, 1280));
        QCOMPARE(figures::colorsPresent(exported, palette), 10);

        // 4x is the same figure at 4 times the pixels: scaled back down it matches 1x (this
        // catches fonts or points that scale differently from the rest).
        const QString png1 = dir.filePath("figure1.png");
        const QString png4 = dir.filePath("figure4.png");
        QVERIFY(w.exportFigure(png1, 1, &error));
        QVERIFY(w.exportFigure(png4, 4, &error));
        const QImage one = QImage(png1).convertToFormat(QImage::Format_RGB32);
        const QImage four = QImage(png4)
                                .scaled(one.size(), Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                                .convertToFormat(QImage::Format_RGB32);
        QCOMPARE(QImage(png4).size(), QSize(3600, 2560));
        double diff = 0;
        for (int y = 0; y < one.height(); ++y)
            for (int x = 0; x < one.width(); ++x)
                diff += std::abs(qGray(one.pixel(x, y)) - qGray(four.pixel(x, y)));
        diff /= one.width() * one.height();
        qInfo("1x against 4x scaled down: mean grey difference %.2f", diff);
        QVERIFY(diff < 3); // 0.5 when right; 6.5 when fonts were scaled twice

        const QString svg = dir.filePath("figure.svg");
        QVERIFY2(w.exportFigure(svg, 1, &error), qPrintable(error));
        const auto s = figures::readSvg(svg);
        QVERIFY(s.valid);
        QVERIFY2(s.shapes >= 1797, qPrintable(QString::number(s.shapes))); // one per point, vector
        QVERIFY(s.text.contains(
            QRegularExpression("^0 \\(\\d+\\)$", QRegularExpression::MultilineOption)));
        QVERIFY2(s.text.contains("digits · k-means (k=10)"),
                 qPrintable(s.text)); // not the file name
        int fills = 0;
        for (QRgb c : palette)
            fills += s.fills.count(QColor(c).name()) ? 1 : 0;
        QCOMPARE(fills, 10);

        const QString pdf = dir.filePath("figure.pdf");
        QVERIFY2(w.exportFigure(pdf, 1, &error), qPrintable(error));
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        QVERIFY(pdfFile.read(5) == "%PDF-");
        const QString text = figures::pdfText(pdf);
        QVERIFY2(text.contains(
                     QRegularExpression("^9 \\(\\d+\\)$", QRegularExpression::MultilineOption)),
                 qPrintable(text));
        const QImage page = figures::pdfImage(pdf);
        QCOMPARE(page.size(), QSize(900, 640));              // points at 72 dpi
        QVERIFY(figures::colorsPresent(page, palette) >= 8); // anti-aliasing may blend a few

        const QString labels = dir.filePath("labels.csv");
        QVERIFY(w.exportLabels(labels, &error));
        QFile f(labels);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1798);
        QVERIFY2(lines.first().startsWith("id,cluster,confidence,p0,p1,"),
                 qPrintable(lines.first()));
    }

    void numericColumnsColourWithABar()
    {
        MainWindow w;
        w.show();
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/internal_metrics_40x3.csv"})));
        auto* colorBy = w.sidebar()->colorBy();
        const int index = colorBy->findData("feature:1");
        QVERIFY(index >= 0);
        QCOMPARE(colorBy->itemText(index), QString("b"));
        colorBy->setCurrentIndex(index);
        QVERIFY(w.sidebar()->colorBar()->isVisibleTo(&w));
        QVERIFY(!w.sidebar()->legend()->isVisibleTo(&w));
        const auto scene = w.figureScene();
        QVERIFY(scene.colorBar);
        QVERIFY(scene.colorBarMin < scene.colorBarMax);
        const QString svg = dir.filePath("bar.svg");
        QString error;
        QVERIFY2(w.exportFigure(svg, 1, &error), qPrintable(error));
        QFile f(svg);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString content = QString::fromUtf8(f.readAll());
        QVERIFY(content.contains("linearGradient"));
        QVERIFY(figures::readSvg(svg).text.contains(QString::number(scene.colorBarMax, 'g', 4)));
    }

    void methodPanelOffersOnlyWhatCanRun()
    {
        // A table: DEPICT needs square images, so it is shown disabled and says why.
        MainWindow w;
        w.show();
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        auto* box = w.methodPanel()->methodBox();
        auto* model = qobject_cast<QStandardItemModel*>(box->model());
        QVERIFY(model);
        const int depict = box->findData("depict");
        QVERIFY(depict >= 0);
        QVERIFY(!model->item(depict)->isEnabled());
        const QString why = box->itemData(depict, Qt::ToolTipRole).toString();
        QVERIFY2(why.contains("image", Qt::CaseInsensitive), qPrintable(why));
        QVERIFY(model->item(box->findData("kmeans"))->isEnabled());
        QVERIFY(!w.methodPanel()->selectMethod("depict"));
        // The settings editors come from the run-settings schema.
        QVERIFY(w.methodPanel()->settingsForm()->editor("scaling"));
        QVERIFY(w.methodPanel()->settingsForm()->editor("device"));
    }

    void pauseOnlyForJobsThatCanPause()
    {
        MainWindow w;
        w.show();
        Job* load = w.openFiles({kDemo});
        QVERIFY(waitFor(load));
        QVERIFY(!w.findChild<QPushButton*>(QString("pause-%1").arg(load->id())));
        QVERIFY(w.methodPanel()->selectMethod("gmm"));
        QVERIFY(w.methodPanel()->form()->setText("k", "3"));
        Job* gmm = w.runClustering();
        QVERIFY(gmm);
        QVERIFY(!w.findChild<QPushButton*>(QString("pause-%1").arg(gmm->id())));
        QVERIFY(w.methodPanel()->selectMethod("dec"));
        Job* dec = w.runClustering();
        QVERIFY(dec);
        QVERIFY(w.findChild<QPushButton*>(QString("pause-%1").arg(dec->id())));
        dec->cancel();
        QVERIFY(waitFor(dec));
        QVERIFY(waitFor(gmm));
        // Each run kept its own result: GMM's labels are not DEC's (cancelled) nothing.
        QCOMPARE(w.session().runIds().size(), size_t{2});
        QVERIFY(w.session().run(w.session().runIds()[0])->finished());
        QCOMPARE(w.session().run(w.session().runIds()[1])->status, RunEntry::Status::Cancelled);
    }

    void exportedLabelsHaveTheirRecordBeside()
    {
        // A copy of the data: a refusal that failed would replace only the copy.
        const QString data = dir.filePath("wine_input.csv");
        QFile::remove(data);
        QVERIFY(QFile::copy(CLUSTERSCOPE_TEST_DATA "/wine.csv", data));
        MainWindow w;
        w.show();
        QVERIFY(waitFor(w.openFiles({data})));
        QVERIFY(w.methodPanel()->form()->setText("k", "3"));
        QVERIFY(waitFor(w.runClustering()));
        QString error;
        const QString labels = dir.filePath("wine_export.csv");
        QVERIFY2(w.exportLabels(labels, &error), qPrintable(error));
        QFile record(dir.filePath("wine_export.run.json"));
        QVERIFY(record.open(QIODevice::ReadOnly));
        QVERIFY(record.readAll().contains("\"method\": \"kmeans\""));
        // The dataset itself is never an export target.
        QVERIFY(!w.exportLabels(data, &error));
        QVERIFY2(error.contains("wine_input.csv"), qPrintable(error));
    }

    // Ctrl+E and F5 reach their actions wherever the focus is: the VTK view, a form field, the
    // Jobs table, a floating dock.
    void shortcutsWorkWhereverTheFocusIs()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        QAction* exportFigure = nullptr;
        QAction* run = nullptr;
        for (QAction* menu : w.menuBar()->actions())
            for (QAction* action : menu->menu() ? menu->menu()->actions() : QList<QAction*>{})
            {
                if (action->text() == "Export &Figure...")
                    exportFigure = action;
                if (action->text() == "&Run Clustering")
                    run = action;
            }
        QVERIFY(exportFigure && run);
        // Counted, not acted on: the file dialog and the run are other tests' business.
        exportFigure->disconnect(&w);
        run->disconnect(&w);
        QSignalSpy exported(exportFigure, &QAction::triggered);
        QSignalSpy ran(run, &QAction::triggered);
        auto* dataset = w.findChild<QDockWidget*>("Dataset");
        QVERIFY(dataset);
        const QList<QWidget*> targets{
            w.view()->findChild<QOpenGLWidget*>(), w.methodPanel()->form()->findChild<QLineEdit*>(),
            w.findChild<QTableWidget*>(), dataset->findChild<QComboBox*>()};
        int expected = 0;
        for (QWidget* target : targets)
        {
            QVERIFY(target);
            if (target->window() != &w || target == targets.back())
            {
                dataset->setFloating(true);
                QVERIFY(QTest::qWaitForWindowExposed(dataset));
                dataset->activateWindow();
            }
            else
                w.activateWindow();
            target->setFocus();
            QTRY_VERIFY(target->hasFocus());
            QTest::keyClick(target, Qt::Key_E, Qt::ControlModifier);
            QTest::keyClick(target, Qt::Key_F5);
            ++expected;
            QVERIFY2(exported.size() == expected, target->metaObject()->className());
            QVERIFY2(ran.size() == expected, target->metaObject()->className());
        }
        // A plain key stays the field's: Home moves the cursor, it does not reset the camera.
        w.activateWindow();
        auto* field = targets[1];
        field->setFocus();
        QTRY_VERIFY(field->hasFocus());
        auto* edit = static_cast<QLineEdit*>(field);
        edit->setCursorPosition(edit->text().size());
        QTest::keyClick(field, Qt::Key_Home);
        QCOMPARE(edit->cursorPosition(), 0);
    }

    // File > Preferences: the device and threads new runs start with, the cache folder (its
    // size, Clear), the history; saved in QSettings, so the next window starts with them.
    void preferencesApplyAndPersist()
    {
        QSettings().remove("preferences");
        const QByteArray history = qgetenv("CLUSTERSCOPE_HISTORY");
        qunsetenv("CLUSTERSCOPE_HISTORY"); // CTest's, which would decide for the preference
        auto restore = qScopeGuard(
            [&]
            {
                QSettings().remove("preferences");
                qputenv("CLUSTERSCOPE_HISTORY", history);
            });
        QTemporaryDir cache;
        fixtures::write(cache, "0123456789abcdef.pt", QByteArray(3000, 'x'));
        fixtures::write(cache, "notes.txt", "not ours");
        {
            MainWindow w;
            w.show();
            QCOMPARE(w.preferences(), Preferences::defaults());
            PreferencesDialog* d = w.showPreferences();
            QVERIFY(QTest::qWaitForWindowExposed(d));
            auto* device = d->findChild<QComboBox*>("device");
            device->setCurrentIndex(device->findData("cpu"));
            d->findChild<QSpinBox*>("torchThreads")->setValue(2);
            d->findChild<QLineEdit*>("cacheDir")->setText(cache.path());
            QVERIFY(d->findChild<QLabel*>("cacheSize")->text().contains("in use"));
            d->findChild<QPushButton*>("clearCache")->click();
            QTRY_VERIFY(d->findChild<QMessageBox*>("clearCacheBox"));
            d->findChild<QMessageBox*>("clearCacheBox")
                ->findChild<QAbstractButton*>("clearCacheConfirm")
                ->click();
            QCOMPARE(d->findChild<QLabel*>("cacheSize")->text(), QString("empty"));
            QVERIFY(!QFile::exists(cache.filePath("0123456789abcdef.pt")));
            QVERIFY(QFile::exists(cache.filePath("notes.txt"))); // only the cache's own files
            if (const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT"); !shots.isEmpty())
                QVERIFY(d->grab().save(shots + "/18-preferences.png")); // user-guide.sh
            auto* keep = d->findChild<QCheckBox*>("keepHistory");
            QVERIFY(keep->isEnabled());
            keep->setChecked(false);
            d->accept();
            QCOMPARE(w.clustering().cacheDir(), cache.path());
            QCOMPARE(w.clustering().historyPath(), QString()); // runs are not kept
            QCOMPARE(w.methodPanel()->settingsForm()->values().text("device"), std::string("cpu"));
            QCOMPARE(w.methodPanel()->settingsForm()->values().integer("torch_threads"), 2);
        }
        MainWindow again; // the next start
        QCOMPARE(again.preferences().device, QString("cpu"));
        QCOMPARE(again.preferences().torchThreads, 2);
        QCOMPARE(again.clustering().cacheDir(), cache.path());
        QCOMPARE(again.methodPanel()->settingsForm()->values().text("device"), std::string("cpu"));
        // With CLUSTERSCOPE_HISTORY set, it decides: the box says so and cannot be changed.
        qputenv("CLUSTERSCOPE_HISTORY", QFile::encodeName(dir.filePath("env.sqlite")));
        PreferencesDialog* d = again.showPreferences();
        QVERIFY(!d->findChild<QCheckBox*>("keepHistory")->isEnabled());
        QCOMPARE(again.preferences().historyPath(), dir.filePath("env.sqlite"));
    }

    // Preferences' palettes recolour the open view at once, and the next window starts with
    // them; the clusters of a run take their matched labels' colours.
    // Preferences set the style new figures start from; Reset puts the defaults back.
    void figureStyleFromPreferences()
    {
        QSettings().remove("figure");
        auto restore = qScopeGuard([] { QSettings().remove("figure"); });
        MainWindow w;
        w.show();
        QVERIFY(waitFor(w.openFiles({kDemo})));
        PreferencesDialog* d = w.showPreferences();
        QCOMPARE(d->findChild<QDoubleSpinBox*>("figureFontSize")->value(), 8.0);
        QCOMPARE(d->findChild<QDoubleSpinBox*>("figureWidth")->value(), 180.0);
        d->findChild<QDoubleSpinBox*>("figureFontSize")->setValue(10);
        d->findChild<QDoubleSpinBox*>("figureWidth")->setValue(90);
        d->findChild<QDoubleSpinBox*>("figureHeight")->setValue(60);
        d->findChild<QSpinBox*>("figureDpi")->setValue(600);
        auto* legend = d->findChild<QComboBox*>("figureLegend");
        legend->setCurrentIndex(legend->findData("bottom"));
        d->accept();
        const FigureSettings saved = FigureSettings::load(QSettings());
        QCOMPARE(saved.style.fontSize, 10.0);
        QCOMPARE(saved.width, 90.0);
        QCOMPARE(saved.height, 60.0);
        QCOMPARE(saved.unit, QString("mm"));
        QCOMPARE(saved.dpi, 600);
        QCOMPARE(saved.style.legend, LegendPlacement::Bottom);
        QVERIFY(saved.style.fontFamily.isEmpty()); // the platform's sans-serif, not pinned
        FigureDialog* figure = w.exportFigureDialog();
        QVERIFY(figure);
        QCOMPARE(figure->findChild<QDoubleSpinBox*>("fontSize")->value(), 10.0);
        QCOMPARE(figure->findChild<QDoubleSpinBox*>("width")->value(), 90.0);
        QCOMPARE(figure->findChild<QSpinBox*>("dpi")->value(), 600);
        figure->close();
        d = w.showPreferences();
        d->findChild<QPushButton*>("resetFigureStyle")->click();
        QCOMPARE(d->findChild<QDoubleSpinBox*>("figureFontSize")->value(), 8.0);
        d->accept();
        QVERIFY(FigureSettings::load(QSettings()) == FigureSettings{});
    }

    void palettePreferenceRecolours()
    {
        QSettings().remove("preferences");
        auto restore = qScopeGuard(
            []
            {
                QSettings().remove("preferences");
                setPalettes(CategoricalPalette::Auto, ContinuousPalette::Viridis);
            });
        MainWindow w;
        w.show();
        QVERIFY(waitFor(w.openFiles({kDemo})));
        auto* colorBy = w.sidebar()->colorBy();
        colorBy->setCurrentIndex(colorBy->findData("truth"));
        QCOMPARE(w.figureScene().legend.size(), size_t{10});
        QCOMPARE(w.figureScene().legend[0].color, QColor("#e69f00")); // Okabe-Ito first
        PreferencesDialog* d = w.showPreferences();
        auto* palette = d->findChild<QComboBox*>("palette");
        palette->setCurrentIndex(palette->findData("glasbey"));
        auto* continuous = d->findChild<QComboBox*>("continuousPalette");
        continuous->setCurrentIndex(continuous->findData("cividis"));
        d->accept();
        const auto glasbey = w.figureScene();
        QCOMPARE(glasbey.legend[0].color, QColor(QString::fromStdString(
                                              categoricalHex(0, 10, CategoricalPalette::Glasbey))));
        QCOMPARE(QColor(w.view()->colors()[0], w.view()->colors()[1], w.view()->colors()[2]),
                 QColor(glasbey.rgb[0], glasbey.rgb[1], glasbey.rgb[2]));
        // k-means' clusters take the colours of the digits they match.
        QVERIFY(w.methodPanel()->form()->setText("k", "10"));
        QVERIFY(waitFor(w.runClustering()));
        colorBy->setCurrentIndex(colorBy->findData("cluster"));
        const auto clusters = w.figureScene();
        const auto slots = clusterColorSlots(w.clusters(), w.dataset()->labels);
        QCOMPARE(slots.count, int64_t{10}); // every cluster matched a digit
        for (const auto& entry : clusters.legend)
        {
            const int64_t id = entry.text.toLongLong();
            QCOMPARE(entry.color, QColor(QString::fromStdString(categoricalHex(
                                      slots.slot(id), 10, CategoricalPalette::Glasbey))));
        }

        // Numbers in cividis: a table's column runs from its first colour to its last.
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        colorBy->setCurrentIndex(colorBy->findData("feature:0"));
        const auto numbers = w.figureScene();
        QVERIFY(numbers.colorBar);
        std::set<QRgb> drawn;
        for (size_t i = 0; i + 2 < numbers.rgb.size(); i += 3)
            drawn.insert(qRgb(numbers.rgb[i], numbers.rgb[i + 1], numbers.rgb[i + 2]));
        QVERIFY(drawn.count(QColor("#00224e").rgb()) && drawn.count(QColor("#fee838").rgb()));

        MainWindow again; // the next start
        QCOMPARE(again.preferences().palette, QString("glasbey"));
        QCOMPARE(again.preferences().continuousPalette, QString("cividis"));
    }

    // The inspector described a row of the old data: another dataset clears it.
    void inspectorClearsWhenTheDatasetChanges()
    {
        MainWindow w;
        w.show();
        QVERIFY(waitFor(w.openFiles({kDemo})));
        Q_EMIT w.view()->pointHovered(5);
        auto* inspector = w.sidebar()->findChild<QLabel*>("inspector");
        QVERIFY(!inspector->text().isEmpty());
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        QCOMPARE(inspector->text(), QString());
    }

    void badFileKeepsTheCurrentDataset()
    {
        MainWindow w;
        w.show();
        QVERIFY(waitFor(w.openFiles({kDemo})));
        const Dataset* before = w.dataset();
        const auto bad = fixtures::write(dir, "broken.csv", "a,b\n1,2\n3\n");
        Job* job = w.openFiles({QString::fromStdString(bad)});
        QVERIFY(waitFor(job));
        QCOMPARE(job->state(), Job::State::Failed);
        QCOMPARE(w.dataset(), before);
        QTRY_VERIFY(w.findChild<QMessageBox*>("errorBox") != nullptr);
        const auto* box = w.findChild<QMessageBox*>("errorBox");
        QVERIFY2(box->text().contains("broken.csv: line 3"), qPrintable(box->text()));
        // A file that is not there (a stale recent file, a typo on the command line) fails
        // its load the same way; its format is not asked for first.
        w.findChild<QMessageBox*>("errorBox")->close();
        QTRY_VERIFY(!w.findChild<QMessageBox*>("errorBox"));
        Job* missing = w.openFiles({dir.filePath("no-such-file.csv")});
        QVERIFY(missing && waitFor(missing));
        QCOMPARE(missing->state(), Job::State::Failed);
        QVERIFY2(missing->error().contains("no-such-file.csv: no such file"),
                 qPrintable(missing->error()));
        QCOMPARE(w.dataset(), before);
    }

    void guiThreadNeverStalls()
    {
        MainWindow w;
        w.resize(1000, 700); // the size the other tests here use
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        Watchdog watchdog;
        // Fashion-MNIST's 10k test split: gunzip, parse, PCA on a worker, 10k points drawn, then
        // k-means. (At 70k points the first full frame, drawn while k-means saturates the
        // memory bus, takes 100-150 ms on llvmpipe: see docs/performance.md.)
        QVERIFY(waitFor(w.openFiles({kFashion + "/t10k-images-idx3-ubyte.gz"})));
        QCOMPARE(w.dataset()->rows(), 10000);
        // A user's click on Run arrives as an event of its own, after the dataset is drawn;
        // calling runClustering() straight from waitFor() would stack both into one turn.
        QTest::qWait(50);
        w.methodPanel()->form()->setText("k", "10");
        QVERIFY(waitFor(w.runClustering()));
        QTest::qWait(50);
        qInfo("longest GUI-thread stall: %lld ms", watchdog.worstGapMs());
        QVERIFY(watchdog.worstGapMs() < 100);
    }

    // A long method form (DEC, IDEC, DEPICT) scrolls inside its dock, and so do the left docks
    // when the screen is short: the window fits a 1024 x 768 screen, with a dataset loaded too,
    // and Run stays inside it, never under the Jobs panel.
    void runStaysVisibleForEveryMethodAt1024x768()
    {
        MainWindow w;
        w.resize(1024, 768);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* run = w.methodPanel()->runButton();
        auto everyMethodFits = [&](const char* when)
        {
            for (const auto& method : builtinRegistry().all())
            {
                QVERIFY(w.methodPanel()->selectMethod(method.id));
                QTest::qWait(30); // the docks' layouts settle in posted events
                const QString what = QString::fromStdString(method.id) +
                                     QString(" %1: window %2 x %3, at least %4 high")
                                         .arg(when)
                                         .arg(w.width())
                                         .arg(w.height())
                                         .arg(w.minimumSizeHint().height());
                QVERIFY2(w.width() <= 1024 && w.height() <= 768, qPrintable(what));
                // Room for a title bar and a panel on a 1280 x 800 screen.
                QVERIFY2(w.minimumSizeHint().height() <= 700, qPrintable(what));
                QVERIFY2(run->isVisible(), qPrintable(what));
                const QRect inWindow(run->mapTo(&w, QPoint(0, 0)), run->size());
                QVERIFY2(w.rect().contains(inWindow), qPrintable(what));
                // Nothing (another dock, its own scroll area) covers or clips it.
                QVERIFY2(run->visibleRegion().boundingRect() == run->rect(), qPrintable(what));
            }
        };
        everyMethodFits("before a dataset");
        // A loaded dataset fills the Dataset dock (its summary and preview): still fits.
        QVERIFY(waitFor(w.openFiles({kDemo})));
        everyMethodFits("with the demo loaded");
        // The Jobs panel shows a job's whole name and a readable progress bar.
        auto* jobs = w.jobsPanel()->findChild<QTableWidget*>();
        QVERIFY(jobs);
        const QString title = jobs->item(0, 0)->text();
        QVERIFY2(jobs->columnWidth(0) >= jobs->fontMetrics().horizontalAdvance(title) + 8,
                 qPrintable(QString("'%1' in %2 px").arg(title).arg(jobs->columnWidth(0))));
        QVERIFY(jobs->columnWidth(1) >= 80);
        QVERIFY(jobs->viewport()->width() >= jobs->horizontalHeader()->length());
    }

    // Four long jobs at 1280 x 800: each one's Cancel is in view, and so is Cancel All.
    void everyRunningJobsCancelIsInView()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        QVERIFY(w.methodPanel()->selectMethod("dec"));
        std::vector<Job*> jobs;
        for (int i = 0; i < 4; ++i)
            jobs.push_back(w.runClustering());
        QTest::qWait(300);
        auto* count = w.jobsPanel()->findChild<QLabel*>("runningCount");
        QVERIFY(count);
        QCOMPARE(count->text(), QString("4 job(s) running"));
        for (Job* job : jobs)
        {
            QVERIFY(job && job->isRunning());
            auto* cancel =
                w.jobsPanel()->findChild<QPushButton*>(QString("cancel-%1").arg(job->id()));
            QVERIFY(cancel);
            auto* table = w.jobsPanel()->table();
            QVERIFY2(cancel->visibleRegion().boundingRect() == cancel->rect(),
                     qPrintable(QString("job %1's Cancel is not wholly in view (rows %2 px high "
                                        "in a viewport of %3 px)")
                                    .arg(job->id())
                                    .arg(table->rowHeight(0))
                                    .arg(table->viewport()->height())));
        }
        auto* all = w.jobsPanel()->findChild<QPushButton*>("cancelAllButton");
        QVERIFY(all && all->isEnabled());
        QTest::mouseClick(all, Qt::LeftButton);
        // Before any job has run a while, Cancel All cancels at once.
        for (Job* job : jobs)
            QVERIFY(waitFor(job));
        QTRY_COMPARE(count->text(), QString("No job running"));
        QVERIFY(!all->isEnabled());
    }

    // One stray Esc (closing a popup) must not end a long run; Run > Cancel All Jobs asks first
    // once a job has run a while, and cancels at once before that.
    void escapeNeverCancelsAndCancelAllAsks()
    {
        MainWindow w;
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        QVERIFY(w.methodPanel()->selectMethod("dec"));
        Job* job = w.runClustering();
        QVERIFY(job);
        QTest::qWait(200);
        QVERIFY(job->isRunning());
        QTest::keyClick(&w, Qt::Key_Escape);
        if (QWidget* focus = QApplication::focusWidget())
            QTest::keyClick(focus, Qt::Key_Escape);
        QTest::qWait(300);
        QVERIFY2(job->isRunning(), "Esc cancelled the job");

        QTRY_VERIFY_WITH_TIMEOUT(
            !job->isRunning() || job->elapsedMs() > MainWindow::kConfirmCancelAfterMs, 20000);
        QVERIFY2(job->isRunning(), "the DEC run ended before the test could ask to cancel it");
        w.cancelAllJobs();
        QTRY_VERIFY(w.findChild<QMessageBox*>("confirmCancelAll"));
        auto* box = w.findChild<QMessageBox*>("confirmCancelAll");
        QVERIFY(job->isRunning());
        box->findChild<QAbstractButton*>("keepRunning")->click();
        QTRY_VERIFY(!w.findChild<QMessageBox*>("confirmCancelAll"));
        QVERIFY(job->isRunning());
        w.cancelAllJobs();
        QTRY_VERIFY(w.findChild<QMessageBox*>("confirmCancelAll"));
        w.findChild<QMessageBox*>("confirmCancelAll")
            ->findChild<QAbstractButton*>("confirmCancel")
            ->click();
        QVERIFY(waitFor(job));
        QCOMPARE(job->state(), Job::State::Cancelled);
        QTRY_VERIFY(!w.findChild<QMessageBox*>("confirmCancelAll"));

        // A job that has just started is cancelled without a question.
        Job* quick = w.runClustering();
        QVERIFY(quick && quick->isRunning());
        w.cancelAllJobs();
        QVERIFY(waitFor(quick));
        QCOMPARE(quick->state(), Job::State::Cancelled);
        QVERIFY(!w.findChild<QMessageBox*>("confirmCancelAll"));
    }

    // A table with NaN fails to load under the default policy; the window offers the other
    // policies (the schema's choices, as the CLI's --missing), and the load then succeeds.
    void missingValuesOfferThePolicies()
    {
        QByteArray wine;
        {
            QFile f(CLUSTERSCOPE_TEST_DATA "/wine.csv");
            QVERIFY(f.open(QIODevice::ReadOnly));
            wine = f.readAll();
        }
        QList<QByteArray> lines = wine.split('\n');
        lines[3].replace(0, lines[3].indexOf(','), "NA");
        const QString nan =
            QString::fromStdString(fixtures::write(dir, "wine_na.csv", lines.join('\n')));
        MainWindow w;
        w.show();
        Job* refused = w.openFiles({nan});
        QVERIFY(waitFor(refused));
        QCOMPARE(refused->state(), Job::State::Failed);
        QTRY_VERIFY(w.findChild<QMessageBox*>("missingValuesBox"));
        auto* box = w.findChild<QMessageBox*>("missingValuesBox");
        QVERIFY2(box->text().contains("wine_na.csv: line 4"), qPrintable(box->text()));
        // In the window's terms: no CLI flag in the advice, the choices worded as in the dialog.
        QVERIFY2(!(box->text() + box->informativeText()).contains("--"), qPrintable(box->text()));
        QVERIFY2(box->text().contains("Missing values: “drop” or “impute-mean”"),
                 qPrintable(box->text()));
        QCOMPARE(box->findChild<QAbstractButton*>("missing-drop")->text(),
                 QString("drop: drop the rows that have one"));
        QVERIFY(!box->findChild<QAbstractButton*>("missing-error")); // the one that failed
        QVERIFY(box->findChild<QAbstractButton*>("missing-impute-mean"));
        box->findChild<QAbstractButton*>("missing-drop")->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.dataset() != nullptr, 20000);
        QCOMPARE(w.dataset()->rows(), 177);
        auto* policy =
            qobject_cast<QComboBox*>(w.datasetPanel()->loadSettingsForm()->editor("missing"));
        QVERIFY(policy);
        QCOMPARE(policy->currentText(), QString("drop"));
        // Another policy picked in the Dataset panel reads the file again with it.
        policy->setCurrentText("impute-mean");
        QTRY_VERIFY_WITH_TIMEOUT(w.session().sources().loadSettings.missing == "impute-mean",
                                 20000);
        QCOMPARE(w.dataset()->rows(), 178);
        QVERIFY(w.methodPanel()->form()->setText("k", "3"));
        QVERIFY(waitFor(w.runClustering()));
        QString error;
        QVERIFY2(w.exportLabels(dir.filePath("wine_na_labels.csv"), &error), qPrintable(error));
        QFile record(dir.filePath("wine_na_labels.run.json"));
        QVERIFY(record.open(QIODevice::ReadOnly));
        const QByteArray json = record.readAll();
        QVERIFY2(json.contains("\"missing\": \"impute-mean\""), json.constData());
        QVERIFY2(json.contains("\"imputed_values\": 1"), json.constData());
    }

    // The row ids, as the CLI's --id-column: found by name and kept out of the features, or
    // none (every numeric column a feature), or a column the user names; the label column and
    // the missing-value policy stay as they were when the file is read again.
    void rowIdsCanBeChosen()
    {
        QByteArray csv = "sample_id,a,b,label\n";
        for (int r = 0; r < 30; ++r)
            csv += QByteArray::number(1000 + 7 * r) + "," + QByteArray::number(r % 3) + "." +
                   QByteArray::number(r % 7) + "," + QByteArray::number(r * 0.25) + "," +
                   QByteArray::number(r % 2) + "\n";
        const QString path = QString::fromStdString(fixtures::write(dir, "ids.csv", csv));
        MainWindow w;
        w.show();
        QVERIFY(waitFor(w.openFiles({path})));
        QCOMPARE(w.dataset()->featureNames, (std::vector<std::string>{"a", "b"}));
        auto* ids = w.datasetPanel()->idColumn();
        QVERIFY(ids->isEnabled());
        QCOMPARE(ids->currentData().toString(), QString());
        auto choose = [&](const QString& option)
        {
            const int index = ids->findData(option);
            QVERIFY(index >= 0);
            ids->setCurrentIndex(index);
            Q_EMIT ids->activated(index);
        };
        choose("none");
        QTRY_VERIFY_WITH_TIMEOUT(w.session().sources().idColumn == "none", 20000);
        QCOMPARE(w.dataset()->featureNames, (std::vector<std::string>{"sample_id", "a", "b"}));
        QCOMPARE(w.dataset()->labelColumn, std::string("label"));
        QCOMPARE(ids->currentData().toString(), QString("none"));
        choose("a");
        QTRY_VERIFY_WITH_TIMEOUT(w.session().sources().idColumn == "a", 20000);
        QCOMPARE(w.dataset()->featureNames, (std::vector<std::string>{"sample_id", "b"}));
        QCOMPARE(w.dataset()->labelColumn, std::string("label"));
        // Another label column keeps the row ids chosen.
        auto* labels = w.datasetPanel()->labelColumn();
        const int none = labels->findText("(none)");
        labels->setCurrentIndex(none);
        Q_EMIT labels->activated(none);
        QTRY_VERIFY_WITH_TIMEOUT(!w.dataset()->hasLabels(), 20000);
        QCOMPARE(w.session().sources().idColumn, std::string("a"));
        QCOMPARE(w.dataset()->featureNames, (std::vector<std::string>{"sample_id", "b", "label"}));
    }

    // Help > User Guide (F1): docs/user-guide.md with its screenshots, none wider than the page.
    void userGuideOpensWithItsPictures()
    {
        MainWindow w;
        w.show();
        QAction* guide = nullptr;
        for (QAction* menu : w.menuBar()->actions())
            for (QAction* action : menu->menu() ? menu->menu()->actions() : QList<QAction*>{})
                if (action->text() == "&User Guide")
                    guide = action;
        QVERIFY(guide);
        QCOMPARE(guide->shortcut(), QKeySequence(QKeySequence::HelpContents));
        guide->trigger();
        auto* dialog = w.findChild<QDialog*>("userGuide");
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto* text = dialog->findChild<QTextBrowser*>("userGuideText");
        QVERIFY(text);
        QVERIFY(text->toPlainText().contains("Open a dataset"));
        // Every image of the document was found beside the guide, and fits the page.
        int images = 0;
        for (QTextBlock block = text->document()->begin(); block.isValid(); block = block.next())
            for (auto it = block.begin(); !it.atEnd(); ++it)
            {
                const QTextFormat format = it.fragment().charFormat();
                if (!format.isImageFormat())
                    continue;
                const QUrl url(format.toImageFormat().name());
                const QImage image =
                    text->loadResource(QTextDocument::ImageResource, url).value<QImage>();
                QVERIFY2(!image.isNull(), qPrintable(url.toString()));
                QVERIFY2(image.width() <= text->viewport()->width(), qPrintable(url.toString()));
                ++images;
            }
        QVERIFY(images >= 5);
        if (const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT"); !shots.isEmpty())
            QVERIFY(dialog->grab().save(shots +
                                        "/17-user-guide.png")); // docs/screenshots/user-guide.sh
        guide->trigger(); // a second time raises the same window
        QCOMPARE(w.findChildren<QDialog*>("userGuide").size(), 1);
    }

    // Nothing unsaved, but a job running: closing asks first; Cancel keeps the window and the
    // job, Cancel Jobs and Close closes and cancels it.
    void closingAsksBeforeCancellingJobs()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        Job* load = w.openFiles({kFashion}); // 70,000 images: seconds
        QVERIFY(load && load->isRunning());
        QVERIFY(!w.close());
        QTRY_VERIFY(w.findChild<QMessageBox*>("runningJobsBox"));
        w.findChild<QMessageBox*>("runningJobsBox")
            ->findChild<QAbstractButton*>("cancelClose")
            ->click();
        QVERIFY(w.isVisible());
        QVERIFY(load->isRunning());
        QVERIFY(!w.close());
        QTRY_VERIFY(w.findChild<QMessageBox*>("runningJobsBox"));
        w.findChild<QMessageBox*>("runningJobsBox")
            ->findChild<QAbstractButton*>("closeAnyway")
            ->click();
        QTRY_VERIFY(!w.isVisible());
        QTRY_COMPARE(load->state(), Job::State::Cancelled); // delivered once the worker stopped
    }

    void closingWhileAJobRunsCancelsIt()
    {
        auto* w = new MainWindow;
        w->show();
        QVERIFY(waitFor(w->openFiles({kFashion})));
        w->methodPanel()->form()->setText("k", "50");
        w->methodPanel()->form()->setText("n_init", "50");
        Job* job = w->runClustering();
        QTest::qWait(200);
        QVERIFY(job->isRunning());
        QElapsedTimer timer;
        timer.start();
        w->close();
        delete w;
        qInfo("closed in %lld ms", timer.elapsed());
        QVERIFY(timer.elapsed() < 1000);
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestMainWindow)
#include "test_main_window.moc"

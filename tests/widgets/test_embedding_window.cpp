// The Embedding panel in the real main window: its reducers and forms come from the registry,
// Compute runs in the background and adds an embedding to switch the view to, colouring,
// hover, selection and export keep working on it, and "Cluster This Embedding" clusters its
// coordinates.

#include "dataset_panel.h"
#include "embedding_panel.h"
#include "embedding_view.h"
#include "gui_main.h"
#include "job_wait.h"
#include "main_window.h"
#include "method_panel.h"
#include "palette.h"
#include "parameter_form.h"
#include "runs_panel.h"
#include "view_sidebar.h"

#include <clusterscope/io/loaders.h>
#include <clusterscope/pipeline/builtin.h>

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QInputDialog>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QtTest>

using namespace clusterscope;

namespace
{

const QString kDemo = CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz";

// Computes UMAP (few epochs: the test is about the window, not the map) and waits for it.
int computeUmap(MainWindow& w, int epochs = 60)
{
    auto* panel = w.embeddingPanel();
    if (!panel->selectReducer("umap") ||
        !panel->form()->setText("n_epochs", QString::number(epochs)))
        return 0;
    Job* job = w.computeEmbedding();
    if (!job || !waitFor(job, 120000) || job->state() != Job::State::Finished)
        return 0;
    if (!QTest::qWaitFor([&w] { return w.session().currentEmbeddingId() != 0; }, 5000))
        return 0;
    return w.session().currentEmbeddingId();
}

} // namespace

class TestEmbeddingWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // AnnData's palettes (uns['<key>_colors']) colour their column, in the view and the legend.
    void annDataPalettesColourTheirColumn()
    {
        MainWindow w;
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/h5ad/csr.h5ad"}, "cell_type")));
        auto* colorBy = w.sidebar()->colorBy();
        colorBy->setCurrentIndex(colorBy->findData("truth"));
        const auto scene = w.figureScene();
        QCOMPARE(scene.legend.size(), size_t{3}); // B, NK, T
        QCOMPARE(scene.legend[0].color, QColor("#1f77b4"));
        QCOMPARE(scene.legend[1].color, QColor("#ff8800"));
        QCOMPARE(scene.legend[2].color, QColor("#2ca02c"));
        // Cell 3 is NK: its point has NK's colour.
        QCOMPARE(QColor(scene.rgb[9], scene.rgb[10], scene.rgb[11]), QColor("#ff8800"));

        // The labels go back as a copy of the .h5ad, in the colours the view gives them.
        QVERIFY(w.methodPanel()->selectMethod("kmeans") &&
                w.methodPanel()->form()->setText("k", "2"));
        QVERIFY(waitFor(w.runClustering()));
        QTemporaryDir dir;
        const QString out = dir.filePath("labelled.h5ad");
        QString error;
        QVERIFY2(w.exportLabels(out, &error), qPrintable(error));
        LoadOptions options;
        options.labelColumn = "clusterscope_kmeans";
        const Dataset back = loadDataset(out.toStdString(), options);
        QCOMPARE(back.labels.size(), w.clusters().size());
        for (size_t i = 0; i < back.labels.size(); ++i)
            QCOMPARE(back.labelText(back.labels[i]), std::to_string(w.clusters()[i]));
        QCOMPARE(back.labelColors.size(), back.labelNames.size());
        colorBy->setCurrentIndex(colorBy->findData("cluster"));
        const auto clusters = w.figureScene();
        QCOMPARE(clusters.legend.size(), back.labelNames.size());
        for (size_t c = 0; c < back.labelNames.size(); ++c)
        {
            QCOMPARE(clusters.legend[c].text, QString::fromStdString(back.labelNames[c]));
            QCOMPARE(QColor(QString::fromStdString(back.labelColors[c])), clusters.legend[c].color);
        }
        QVERIFY(QFileInfo::exists(dir.filePath("labelled.run.json")));
        // A CSV input cannot be copied as AnnData.
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        QVERIFY(waitFor(w.runClustering()));
        QVERIFY(!w.exportLabels(dir.filePath("wine.h5ad"), &error));
        QVERIFY2(error.contains("export a .csv"), qPrintable(error));
    }

    // The matrices of an HDF5 file: an AnnData layer from the Dataset panel, and for a plain
    // file with several, a chooser before anything is read.
    void matricesOfAnHdf5FileAreChosen()
    {
        MainWindow w;
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/h5ad/csr.h5ad"})));
        auto* matrix = w.datasetPanel()->arrayChoice();
        QCOMPARE(matrix->count(), 2);
        QCOMPARE(matrix->itemData(1).toString(), QString("layers/counts"));
        QVERIFY(matrix->itemText(1).contains("5 x 4"));
        const double x = w.dataset()->features.sum().item<double>();
        matrix->setCurrentIndex(1);
        Q_EMIT matrix->activated(1);
        QTRY_COMPARE(w.session().sources().array, std::string("layers/counts"));
        QCOMPARE(w.dataset()->features.sum().item<double>(), 2 * x); // counts = 2 X
        QCOMPARE(w.datasetPanel()->arrayChoice()->currentIndex(), 1);

        QVERIFY(!w.openFiles({CLUSTERSCOPE_TEST_DATA "/h5ad/two.h5"})); // asks first
        QInputDialog* chooser = nullptr;
        QTRY_VERIFY((chooser = w.findChild<QInputDialog*>("matrixChooser")));
        QCOMPARE(chooser->comboBoxItems(),
                 (QStringList{"/first  (3 x 2)", "/group/second  (5 x 4)"}));
        chooser->setTextValue("/group/second  (5 x 4)");
        chooser->accept();
        QTRY_COMPARE(w.session().sources().array, std::string("/group/second"));
        QCOMPARE(w.dataset()->rows(), 5);
        QCOMPARE(w.dataset()->cols(), 4);
        QCOMPARE(w.datasetPanel()->arrayChoice()->currentData().toString(),
                 QString("/group/second"));
    }

    void reducersAndFormsComeFromTheRegistry()
    {
        MainWindow w;
        auto* box = w.embeddingPanel()->reducerBox();
        const auto& reducers = builtinRegistry().reducers();
        QCOMPARE(box->count(), static_cast<int>(reducers.size()));
        for (size_t i = 0; i < reducers.size(); ++i)
        {
            box->setCurrentIndex(static_cast<int>(i));
            QCOMPARE(box->currentData().toString().toStdString(), reducers[i].id);
            // Every parameter of the schema has its editor, and nothing else is there.
            const auto& schema = w.embeddingPanel()->form()->schema();
            QCOMPARE(schema.size(), reducers[i].params.size());
            for (const auto& spec : reducers[i].params)
                QVERIFY2(w.embeddingPanel()->form()->editor(spec.name), spec.name.c_str());
        }
        // The Embedding menu is there, with Compute.
        bool menu = false;
        for (QAction* a : w.menuBar()->actions())
            menu = menu || a->text().remove('&') == "Embedding";
        QVERIFY(menu);
        QVERIFY(w.findChild<QAction*>("computeEmbeddingAction"));
    }

    void computeSwitchAndKeepTheSelection()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        auto* list = w.embeddingPanel()->embeddingList();
        QCOMPARE(list->count(), 1); // the data view (PCA) is the first entry
        const std::vector<int64_t> chosen{5, 17, 300, 1796};
        w.session().setSelection(chosen);
        QCOMPARE(w.view()->selection(), chosen);

        const int id = computeUmap(w);
        QVERIFY(id != 0);
        const EmbeddingEntry* e = w.session().embedding(id);
        QCOMPARE(list->count(), 2);
        QCOMPARE(list->currentRow(), 1);
        QVERIFY(list->item(1)->text().startsWith("UMAP ("));
        // The view shows the map's own coordinates (2-D: x, y and z = 0).
        QCOMPARE(w.shownXyz(), e->viewXyz);
        QCOMPARE(w.shownXyz()[3 * 17], e->coordinates[2 * 17]);
        QCOMPARE(w.view()->pointCount(), 1797);
        // The selection is of rows: it is still selected on the new map.
        QCOMPARE(w.view()->selection(), chosen);
        // So are the colours: the true labels' palette, not the grey of a fresh view.
        const std::vector<uint8_t> colours = w.view()->colors();
        QCOMPARE(colours.size(), size_t{1797 * 3});
        QVERIFY(std::any_of(colours.begin(), colours.end(), [](uint8_t c) { return c != 90; }));
        // Colouring by true label and hover work on it.
        QCOMPARE(w.sidebar()->colorBy()->currentData().toString(), QString("truth"));
        QCOMPARE(w.sidebar()->legend()->count(), 10);
        QVERIFY(w.view()->projectedPosition(17));
        // Export draws what the view shows.
        QTemporaryDir dir;
        QString error;
        QVERIFY2(w.exportFigure(dir.filePath("umap.png"), 1, &error), qPrintable(error));
        QCOMPARE(w.figureScene().xyz, e->viewXyz);
        QCOMPARE(w.figureScene().xLabel, QString("UMAP1")); // the map's axes, not "PC 1"
        QCOMPARE(w.figureScene().yLabel, QString("UMAP2"));

        // Back to the data view, and to the map again: the selection stays each time.
        list->setCurrentRow(0);
        QCOMPARE(w.session().currentEmbeddingId(), 0);
        QCOMPARE(w.shownXyz(), w.session().dataXyz());
        QVERIFY2(w.figureScene().xLabel.startsWith("PC 1 ("), qPrintable(w.figureScene().xLabel));
        QCOMPARE(w.view()->selection(), chosen);
        list->setCurrentRow(1);
        QCOMPARE(w.shownXyz(), e->viewXyz);
        QCOMPARE(w.view()->selection(), chosen);
        QCOMPARE(w.view()->colors(), colours);

        // A second map is kept beside the first.
        QVERIFY(w.embeddingPanel()->selectReducer("pca"));
        Job* pca = w.computeEmbedding();
        QVERIFY(pca && waitFor(pca));
        QTRY_COMPARE(list->count(), 3);
        QVERIFY(w.session().embedding(id));
        QCOMPARE(list->currentRow(), 2);
    }

    void loadedCoordinatesAreShownLikeAComputedMap()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        QVERIFY(w.findChild<QAction*>("loadCoordinatesAction"));
        QVERIFY(w.findChild<QAction*>("coordinatesFromColumnsAction"));
        // A 3-column map of the 1797 digits, as another tool would save it.
        QTemporaryDir dir;
        const QString path = dir.filePath("map.csv");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a,b,c\n");
        for (int r = 0; r < 1797; ++r)
            f.write(QByteArray::number(r % 10) + "," + QByteArray::number(r / 10) + ",0.5\n");
        f.close();
        const std::vector<int64_t> chosen{3, 1000};
        w.session().setSelection(chosen);
        const int id = w.loadCoordinates(path);
        QVERIFY(id != 0);
        QCOMPARE(w.session().currentEmbeddingId(), id);
        QCOMPARE(w.embeddingPanel()->embeddingList()->count(), 2);
        // 3-D coordinates are shown as they are.
        QCOMPARE(w.shownXyz()[3 * 1000], 0.0f);
        QCOMPARE(w.shownXyz()[3 * 1000 + 1], 100.0f);
        QCOMPARE(w.shownXyz()[3 * 1000 + 2], 0.5f);
        QCOMPARE(w.view()->selection(), chosen);
        // The table's own columns; a file of other rows is refused (an error box, no entry).
        QVERIFY(w.coordinatesFromColumns({"pixel_0_2", "pixel_0_3"}) != 0);
        QCOMPARE(w.embeddingPanel()->embeddingList()->count(), 3);
        const QString other = dir.filePath("other.csv");
        QFile g(other);
        QVERIFY(g.open(QIODevice::WriteOnly));
        g.write("x,y\n1,2\n3,4\n");
        g.close();
        QCOMPARE(w.loadCoordinates(other), 0);
        QCOMPARE(w.embeddingPanel()->embeddingList()->count(), 3);
        auto* box = w.findChild<QMessageBox*>("errorBox");
        QVERIFY(box);
        QVERIFY2(box->text().contains("other.csv") && box->text().contains("2 rows"),
                 qPrintable(box->text()));
    }

    // Not a check: the docs' Fashion-MNIST screenshots (docs/screenshots/fashion.sh sets
    // CLUSTERSCOPE_FASHION_SHOT to a folder). Fashion-MNIST's 10k test images, as a new user
    // would open them; UMAP and t-SNE with their defaults; PCA, UMAP and t-SNE shown in turn,
    // coloured by true label, each captured from the X screen.
    void fashionMapsForTheDocs()
    {
        const QString shots = qEnvironmentVariable("CLUSTERSCOPE_FASHION_SHOT");
        if (shots.isEmpty())
            QSKIP("takes the docs' screenshots only when CLUSTERSCOPE_FASHION_SHOT names a folder");
        MainWindow w;
        w.resize(1280, 800);
        w.move(0, 0);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({"/usr/share/datasets/fashion-mnist/"
                                     "t10k-images-idx3-ubyte.gz"}),
                        120000));
        auto* panel = w.embeddingPanel();
        std::vector<int> ids;
        for (const char* reducer : {"umap", "tsne"})
        {
            QVERIFY(panel->selectReducer(reducer));
            QElapsedTimer clock;
            clock.start();
            Job* job = w.computeEmbedding();
            QVERIFY(job && waitFor(job, 600000) && job->state() == Job::State::Finished);
            QTRY_VERIFY(w.session().currentEmbeddingId() != 0);
            ids.push_back(w.session().currentEmbeddingId());
            qInfo("%s: %.1f s (%s)", reducer, static_cast<double>(clock.elapsed()) / 1000.0,
                  qPrintable(job->summary()));
        }
        for (auto* dock : w.findChildren<QDockWidget*>())
            if (dock->isAncestorOf(panel))
                dock->raise();
        w.sidebar()->colorBy()->setCurrentIndex(w.sidebar()->colorBy()->findData("truth"));
        const std::vector<std::pair<int, QString>> views{{0, "8-fashion-pca.png"},
                                                         {ids[0], "9-fashion-umap.png"},
                                                         {ids[1], "10-fashion-tsne.png"}};
        for (const auto& [id, name] : views)
        {
            w.session().setCurrentEmbedding(id);
            QTest::qWait(1500);
            QCOMPARE(QProcess::execute("import", {"-window", "root", "-crop", "1280x800+0+0",
                                                  shots + "/" + name}),
                     0);
        }
    }

    void clusterThisEmbedding()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        auto* panel = w.embeddingPanel();
        QVERIFY(!panel->clusterButton()->isEnabled()); // the PCA view is no embedding
        // The docs' screenshot (CLUSTERSCOPE_SHOT) shows UMAP with its default epochs.
        const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT");
        const int id = computeUmap(w, shots.isEmpty() ? 100 : 0);
        QVERIFY(id != 0);
        QVERIFY(panel->clusterButton()->isEnabled());
        QVERIFY(w.methodPanel()->selectMethod("kmeans"));
        const auto& count = builtinRegistry().get("kmeans").caps.clusterCount;
        QVERIFY(w.methodPanel()->form()->setText(count, "10"));
        const int before = static_cast<int>(w.runner().jobs().size());
        panel->clusterButton()->click();
        QCOMPARE(static_cast<int>(w.runner().jobs().size()), before + 1);
        QVERIFY(waitFor(w.runner().jobs().last()));
        const RunEntry* run = w.session().currentRun();
        QVERIFY(run && run->finished());
        QCOMPARE(run->embeddingId, id);
        QCOMPARE(QString::fromStdString(run->record["input"]["embedding"].get<std::string>()),
                 w.session().embedding(id)->name);
        QCOMPARE(run->record["data"]["features"].get<int64_t>(), int64_t(2));
        // Its labels colour the map they came from.
        QCOMPARE(w.session().currentEmbeddingId(), id);
        QCOMPARE(w.shownXyz(), w.session().embedding(id)->viewXyz);
        QCOMPARE(w.sidebar()->colorBy()->currentData().toString(), QString("cluster"));
        QCOMPARE(w.clusters().size(), size_t(1797));
        // Picking the run again (after showing the PCA view) shows the map it clustered.
        panel->embeddingList()->setCurrentRow(0);
        QCOMPARE(w.session().currentEmbeddingId(), 0);
        auto* runs = w.runsPanel()->findChild<QListWidget*>("runs");
        QVERIFY(runs && runs->count() == 1);
        Q_EMIT runs->itemActivated(runs->item(0));
        QCOMPARE(w.session().currentEmbeddingId(), id);
        // The job and the run both say what was clustered.
        QVERIFY(
            w.runner().jobs().last()->title().endsWith(" on " + w.session().embedding(id)->name));
        // Taken for the docs when asked (CLUSTERSCOPE_SHOT=dir): the map coloured by true label.
        if (!shots.isEmpty())
        {
            w.resize(1280, 800);
            w.move(0, 0);
            for (auto* dock : w.findChildren<QDockWidget*>())
                if (dock->isAncestorOf(panel))
                    dock->raise();
            w.sidebar()->colorBy()->setCurrentIndex(w.sidebar()->colorBy()->findData("truth"));
            QTest::qWait(1500);
            QFile ready(shots + "/ready");
            QVERIFY(ready.open(QIODevice::WriteOnly)); // the script takes the shot now
            ready.close();
            QTest::qWait(4000);
        }
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestEmbeddingWindow)
#include "test_embedding_window.moc"

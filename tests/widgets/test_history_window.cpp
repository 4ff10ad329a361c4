// Run > Run History in the window: every finished run is kept with its record and labels, the
// filter narrows the list, Re-run repeats a run on the loaded data or reads its data again
// (asking first when that would drop runs) and says the labels came back identical, Delete
// asks and removes, and a file changed since is refused by name.

#include "gui_main.h"
#include "history_dialog.h"
#include "job_wait.h"
#include "main_window.h"
#include "method_panel.h"
#include "parameter_form.h"
#include "window_runs.h"

#include <QAbstractButton>
#include <QFile>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QTemporaryDir>

using namespace clusterscope;

namespace
{

int64_t historyIdOf(MainWindow& w, int run)
{
    return w.session().run(run)->record.at("run_history").at("id").get<int64_t>();
}

void click(MainWindow& w, const char* box, const char* button)
{
    QTRY_VERIFY(w.findChild<QMessageBox*>(box));
    w.findChild<QMessageBox*>(box)->findChild<QAbstractButton*>(button)->click();
    QTRY_VERIFY(!w.findChild<QMessageBox*>(box)); // closed and deleted: the next is new
}

// A copy of wine.csv at `path`, its first value changed when `changed`.
bool writeWine(const QString& path, bool changed)
{
    QFile in(CLUSTERSCOPE_TEST_DATA "/wine.csv");
    QFile out(path);
    if (!in.open(QIODevice::ReadOnly) || !out.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    QByteArray text = in.readAll();
    if (changed)
        text.replace("14.23", "14.24"); // the first row's alcohol
    return out.write(text) == text.size();
}

} // namespace

class TestHistoryWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void runsAreKeptFilteredRepeatedAndDeleted()
    {
        MainWindow w;
        w.clustering().setHistoryPath(dir.filePath("kept.sqlite"));
        w.show();
        const QString wine = dir.filePath("wine.csv");
        QVERIFY(writeWine(wine, false));
        QVERIFY(waitFor(w.openFiles({wine})));
        const int kmeans = runMethod(w, "kmeans", "3");
        const int gmm = runMethod(w, "gmm", "3");
        QVERIFY(kmeans && gmm);
        const int64_t kept = historyIdOf(w, kmeans);

        HistoryDialog* d = w.showHistory();
        QCOMPARE(d->shownIds(), (std::vector<int64_t>{historyIdOf(w, gmm), kept}));
        QCOMPARE(d->table()->item(1, 2)->text(), QString("gui"));
        QCOMPARE(d->table()->item(1, 5)->text(), QString("178"));
        QVERIFY(d->table()->item(1, 3)->text().contains("k-means"));
        // The filter reads methods, datasets and parameters.
        d->filter()->setText("gmm");
        QCOMPARE(d->shownIds(), (std::vector<int64_t>{historyIdOf(w, gmm)}));
        d->filter()->setText("no such run");
        QVERIFY(d->shownIds().empty());
        d->filter()->clear();
        QCOMPARE(d->shownIds().size(), size_t(2));
        // The record shown is the run's.
        QVERIFY(d->select(kept));
        const auto& record = w.session().run(kmeans)->record;
        QVERIFY(d->details()->toPlainText().contains(
            QString::fromStdString(record["data"]["input_hash"].get<std::string>())));

        // Re-run on the loaded data: the same labels, the same soft assignments.
        QVERIFY(d->rerunSelected());
        QTRY_VERIFY_WITH_TIMEOUT(d->status()->text().contains("identical labels on all 178 rows "
                                                              "(and identical soft"),
                                 60000);
        const int again = w.session().currentRunId();
        QCOMPARE(w.session().run(again)->labels, w.session().run(kmeans)->labels);
        QCOMPARE(d->shownIds().size(), size_t(3)); // the re-run is kept too
        const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT");
        if (!shots.isEmpty()) // docs/screenshots (history.sh)
        {
            QVERIFY(d->select(kept));
            QTest::qWait(300);
            d->grab().save(shots + "/16-run-history.png");
        }

        // Other data loaded, with runs: the re-run asks, then reads wine.csv again.
        const QString other = dir.filePath("other.csv");
        QVERIFY(writeWine(other, true));
        QVERIFY(waitFor(w.openFiles({other})));
        QVERIFY(runMethod(w, "kmeans", "2"));
        QVERIFY(d->select(kept));
        QVERIFY(d->rerunSelected());
        click(w, "replaceDataBox", "replaceData");
        QTRY_VERIFY_WITH_TIMEOUT(d->status()->text().contains("identical labels on all 178 rows"),
                                 60000);
        QCOMPARE(w.session().paths(), QStringList{wine});

        // A file changed since is refused, naming it; the loaded data stay.
        QVERIFY(writeWine(wine, true));
        QVERIFY(waitFor(w.openFiles({other})));
        QVERIFY(d->select(kept));
        QVERIFY(d->rerunSelected());
        QTRY_VERIFY_WITH_TIMEOUT(d->status()->text().contains("could not be read"), 60000);
        QVERIFY(d->status()->text().contains("wine.csv") &&
                d->status()->text().contains("content differs"));
        QCOMPARE(w.session().paths(), QStringList{other});

        // Delete asks first.
        QVERIFY(d->select(kept));
        d->deleteSelected();
        click(w, "deleteHistoryBox", "deleteRuns");
        QTRY_VERIFY(!d->select(kept));
        QCOMPARE(d->shownIds().size(), size_t(4)); // gmm, a re-run, k-means on other, a re-run
        // Several at once.
        const auto before = d->shownIds();
        d->table()->clearSelection();
        d->table()->selectionModel()->select(
            QItemSelection(d->table()->model()->index(0, 0), d->table()->model()->index(1, 0)),
            QItemSelectionModel::Select | QItemSelectionModel::Rows);
        d->deleteSelected();
        click(w, "deleteHistoryBox", "deleteRuns");
        QTRY_COMPARE(d->shownIds(), (std::vector<int64_t>{before[2], before[3]}));
        // An error box may be left from the refused read (showError is the window's).
        for (auto* box : w.findChildren<QMessageBox*>())
            delete box;
    }

    // A re-clustered selection is kept with the loaded rows it clustered.
    void aSelectionIsKeptWithItsRows()
    {
        MainWindow w;
        const QString path = dir.filePath("selection.sqlite");
        w.clustering().setHistoryPath(path);
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        QVERIFY(runMethod(w, "kmeans", "3"));
        const std::vector<int64_t> rows{3, 7, 8, 20, 41, 90, 120, 150, 170, 177};
        w.session().setSelection(rows);
        Job* job = w.reclusterSelection();
        QVERIFY(waitFor(job) && job->state() == Job::State::Finished);
        const auto kept =
            RunHistory(path.toStdString()).find(historyIdOf(w, w.session().currentRunId()));
        QVERIFY(kept);
        QCOMPARE(kept->rowIds, rows);
        QCOMPARE(kept->rows, int64_t(10));
        // Its input is the session's: the dialog says so rather than running something else.
        HistoryDialog* d = w.showHistory();
        QVERIFY(d->select(kept->id));
        QVERIFY(!d->rerunSelected());
        QVERIFY(d->status()->text().contains("selection"));
    }

    // A kept run of an AnnData file read again brings the file's stored maps (obsm) with it.
    void rerunReadsStoredMapsToo()
    {
        MainWindow w;
        w.clustering().setHistoryPath(dir.filePath("maps.sqlite"));
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/h5ad/csr.h5ad"})));
        const int run = runMethod(w, "kmeans", "2");
        QVERIFY(run);
        const int64_t kept = historyIdOf(w, run);
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        HistoryDialog* d = w.showHistory();
        QVERIFY(d->select(kept));
        QVERIFY(d->rerunSelected());
        QTRY_VERIFY_WITH_TIMEOUT(d->status()->text().contains("identical labels on all 5 rows"),
                                 60000);
        QCOMPARE(w.session().embeddingIds().size(), size_t(2)); // X_pca, X_umap
    }

    void historyOffKeepsNothing()
    {
        MainWindow w;
        w.clustering().setHistoryPath({});
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        const int run = runMethod(w, "kmeans", "3");
        QVERIFY(run);
        QVERIFY(!w.session().run(run)->record.contains("run_history"));
        HistoryDialog* d = w.showHistory();
        QVERIFY(d->shownIds().empty());
        QVERIFY(d->status()->text().contains("off"));
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestHistoryWindow)
#include "test_history_window.moc"

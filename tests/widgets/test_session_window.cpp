// Sessions in the window: a saved session reopens with its runs, colouring, 3D setting and
// camera; the real app, killed with SIGKILL while it holds a session, leaves a recovery file
// that the next window offers and restores; and a selection re-clustered from the Run menu
// merges back into its run.

#include "dataset_panel.h"
#include "embedding_view.h"
#include "gui_main.h"
#include "import_dialog.h"
#include "job_wait.h"
#include "main_window.h"
#include "method_panel.h"
#include "parameter_form.h"
#include "runs_panel.h"
#include "session_actions.h"
#include "session_file.h"
#include "view_sidebar.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDir>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QStatusBar>
#include <QTemporaryDir>

#include <set>

using namespace clusterscope;

namespace
{

const QString kWine = CLUSTERSCOPE_TEST_DATA "/wine.csv";

// A window with wine loaded and one k-means run (k = 3) finished.
bool clusterWine(MainWindow& w)
{
    if (!waitFor(w.openFiles({kWine})) || !w.dataset())
        return false;
    if (!w.methodPanel()->selectMethod("kmeans") || !w.methodPanel()->form()->setText("k", "3"))
        return false;
    Job* run = w.runClustering();
    return waitFor(run) && run->state() == Job::State::Finished;
}

} // namespace

class TestSessionWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void savedSessionReopensAsItWas()
    {
        const QString file = dir.filePath("wine.clusterscope");
        std::vector<int64_t> labels;
        std::array<double, 10> camera{};
        {
            MainWindow w;
            w.show();
            QVERIFY(clusterWine(w));
            labels = w.clusters();
            w.sidebar()->threeD()->setChecked(true);
            const int truth = w.sidebar()->colorBy()->findData("truth");
            QVERIFY(truth >= 0);
            w.sidebar()->colorBy()->setCurrentIndex(truth);
            auto moved = w.view()->camera();
            moved[0] += 3.25; // the camera moved away from its reset position
            w.view()->setCamera(moved);
            camera = w.view()->camera();
            QString error;
            QVERIFY2(w.sessionActions()->save(file, &error), qPrintable(error));
            QVERIFY(w.windowTitle().contains("wine.clusterscope"));
        }
        MainWindow w;
        w.show();
        Job* job = w.openFiles({file}); // a session file opens as a session
        QVERIFY(waitFor(job));
        QCOMPARE(job->state(), Job::State::Finished);
        QCOMPARE(w.session().runIds().size(), size_t(1));
        QCOMPARE(w.clusters(), labels);
        QVERIFY(w.sidebar()->threeD()->isChecked());
        QCOMPARE(w.sidebar()->colorBy()->currentData().toString(), QString("truth"));
        const auto restored = w.view()->camera();
        for (size_t i = 0; i < camera.size(); ++i)
            QVERIFY2(std::abs(restored[i] - camera[i]) < 1e-9, qPrintable(QString::number(i)));
        QVERIFY(w.windowTitle().contains("wine.clusterscope"));
        QCOMPARE(w.sessionActions()->files().path(), file);
        QVERIFY(!w.sessionActions()->files().unsaved()); // just opened: nothing to save
        // The Method panel shows the run's settings (Run repeats it); the status bar says so.
        QCOMPARE(w.methodPanel()->request().method->id, std::string("kmeans"));
        QCOMPARE(w.methodPanel()->request().params.integer("k"), int64_t(3));
        QVERIFY2(w.statusBar()->currentMessage().contains("wine.clusterscope opened: 1 run"),
                 qPrintable(w.statusBar()->currentMessage()));
        // Another dataset is another session: Save will ask where, never overwrite this file.
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz"})));
        QCOMPARE(w.dataset()->rows(), int64_t(1797));
        QVERIFY(w.sessionActions()->files().path().isEmpty());
        QVERIFY(!w.windowTitle().contains("wine.clusterscope"));
    }

    // File > Open (and drops, recent files) asks before it closes runs that are not saved;
    // Cancel keeps them, Open Without Saving opens the file.
    void openingAnotherFileAsksFirst()
    {
        MainWindow w;
        w.show();
        QVERIFY(clusterWine(w));
        const QString digits = CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz";
        w.openAsked({digits});
        QTRY_VERIFY(w.findChild<QMessageBox*>("replaceSessionBox"));
        w.findChild<QMessageBox*>("replaceSessionBox")
            ->findChild<QAbstractButton*>("cancelReplace")
            ->click();
        QTRY_VERIFY(!w.findChild<QMessageBox*>("replaceSessionBox"));
        QCOMPARE(w.session().runIds().size(), size_t(1)); // kept
        w.openAsked({digits});
        QTRY_VERIFY(w.findChild<QMessageBox*>("replaceSessionBox"));
        w.findChild<QMessageBox*>("replaceSessionBox")
            ->findChild<QAbstractButton*>("discardSession")
            ->click();
        QTRY_COMPARE(w.dataset() ? w.dataset()->rows() : 0, int64_t(1797));
        QVERIFY(w.session().runIds().empty());
        // Nothing unsaved: no question, only the table's import step.
        w.openAsked({kWine});
        QTRY_VERIFY(w.findChild<ImportDialog*>("importDialog") &&
                    !w.findChild<ImportDialog*>("importDialog")->isReading());
        w.findChild<ImportDialog*>("importDialog")
            ->findChild<QAbstractButton*>("importOpen")
            ->click();
        QTRY_COMPARE(w.dataset()->rows(), int64_t(178));
        QVERIFY(!w.findChild<QMessageBox*>("replaceSessionBox"));
    }

    void selectionReclusteredAndMerged()
    {
        MainWindow w;
        w.show();
        QVERIFY(clusterWine(w));
        const int parent = w.session().currentRunId();
        QVERIFY(!w.reclusterSelection()); // nothing selected: refused, with the reason
        QTRY_VERIFY(w.findChild<QMessageBox*>("errorBox"));
        delete w.findChild<QMessageBox*>("errorBox");
        std::vector<int64_t> rows;
        for (size_t r = 0; r < w.clusters().size(); ++r)
            if (w.clusters()[r] == 2)
                rows.push_back(static_cast<int64_t>(r));
        w.session().setSelection(rows);
        QVERIFY(w.methodPanel()->form()->setText("k", "2"));
        Job* job = w.reclusterSelection();
        QVERIFY(waitFor(job));
        QCOMPARE(job->state(), Job::State::Finished);
        const int child = w.session().currentRunId();
        QCOMPARE(w.session().run(child)->parentRun, parent);
        // The legend tells the rows left out of the selection from noise.
        const auto legend = w.figureScene().legend;
        QCOMPARE(legend.size(), size_t(3));
        QCOMPARE(legendText(legend[0]),
                 QString("not clustered (%1)").arg(w.clusters().size() - rows.size()));
        QVERIFY(legend[1].text == "0" && legend[2].text == "1");
        const int merged = w.mergeIntoParent();
        QVERIFY(merged > child);
        QCOMPARE(w.session().currentRunId(), merged);
        std::set<int64_t> found(w.clusters().begin(), w.clusters().end());
        QCOMPARE(found.size(), size_t(4));
        auto* list = w.runsPanel()->findChild<QListWidget*>("runs");
        QCOMPARE(list->count(), 3);
        QVERIFY2(list->item(1)->text().contains(
                     QString("on %1 rows of #%2").arg(rows.size()).arg(parent)),
                 qPrintable(list->item(1)->text()));
        QVERIFY2(list->item(2)->text().contains(
                     QString("#%1 with #%2 merged in").arg(parent).arg(child)),
                 qPrintable(list->item(2)->text()));
        QVERIFY(!w.mergeIntoParent()); // a merged run is no selection
        delete w.findChild<QMessageBox*>("errorBox");

        // Reading the data again would drop the runs: asked first, and Keep undoes the edit.
        auto* missing =
            qobject_cast<QComboBox*>(w.datasetPanel()->loadSettingsForm()->editor("missing"));
        missing->setCurrentText("drop");
        QTRY_VERIFY(w.findChild<QMessageBox*>("readAgainBox"));
        w.findChild<QMessageBox*>("readAgainBox")->findChild<QAbstractButton*>("keepRuns")->click();
        QTRY_VERIFY(!w.findChild<QMessageBox*>("readAgainBox"));
        QCOMPARE(missing->currentText(), QString("error"));
        QCOMPARE(w.session().runIds().size(), size_t(3));
        // A typed size is applied when committed, not at each keystroke.
        auto* size =
            qobject_cast<QLineEdit*>(w.datasetPanel()->loadSettingsForm()->editor("image_size"));
        QSignalSpy committed(w.datasetPanel(), &DatasetPanel::loadSettingsEdited);
        size->setFocus();
        QTest::keyClick(size, Qt::Key_Return); // nothing changed: nothing to read again
        QCOMPARE(committed.count(), 0);
        QTest::keyClicks(size, "28x28");
        QVERIFY(!w.findChild<QMessageBox*>("readAgainBox"));
        QTest::keyClick(size, Qt::Key_Return);
        QCOMPARE(committed.count(), 1);
        QTRY_VERIFY(w.findChild<QMessageBox*>("readAgainBox"));
        w.findChild<QMessageBox*>("readAgainBox")->findChild<QAbstractButton*>("keepRuns")->click();
        QCOMPARE(size->text(), QString());

        // Closing with unsaved runs asks; Close Without Saving closes.
        QVERIFY(!w.close());
        QTRY_VERIFY(w.findChild<QMessageBox*>("unsavedBox"));
        w.findChild<QMessageBox*>("unsavedBox")
            ->findChild<QAbstractButton*>("discardSession")
            ->click();
        QTRY_VERIFY(!w.isVisible());
    }

    void killedAppIsRecovered()
    {
        // A session with a finished run, for the app to open.
        const QString file = dir.filePath("crash.clusterscope");
        std::vector<int64_t> labels;
        {
            MainWindow w;
            QVERIFY(clusterWine(w));
            labels = w.clusters();
            QVERIFY(w.sessionActions()->save(file));
        }
        // The real app opens it and autosaves every half second; then it is killed.
        const QString home = dir.filePath("xdg");
        const QString folder = home + "/ClusterScope/ClusterScope/recovery";
        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("XDG_DATA_HOME", home);
        env.insert("CLUSTERSCOPE_AUTOSAVE_SECONDS", "0.5");
        app.setProcessEnvironment(env);
        app.setProcessChannelMode(QProcess::ForwardedChannels);
        app.start(CLUSTERSCOPE_GUI, {file});
        QVERIFY(app.waitForStarted());
        const QString recovery =
            QString("%1/recovery-%2.%3").arg(folder).arg(app.processId()).arg(kSessionSuffix);
        auto recovered = [&]
        {
            try
            {
                return readSessionFile(recovery.toStdString()).runs.size() == 1;
            }
            catch (const std::exception&)
            {
                return false; // not written yet
            }
        };
        QTRY_VERIFY_WITH_TIMEOUT(recovered(), 60000);
        app.kill(); // SIGKILL: no clean exit, the recovery file stays
        QVERIFY(app.waitForFinished());
        QCOMPARE(app.exitStatus(), QProcess::CrashExit);
        QCOMPARE(SessionAutosave::orphans(folder), QStringList{recovery});

        // The next window offers it; Recover brings the run back.
        MainWindow w;
        w.show();
        w.sessionActions()->enableAutosave(folder, 3600 * 1000);
        QTRY_VERIFY(w.findChild<QMessageBox*>("recoveryBox"));
        auto* box = w.findChild<QMessageBox*>("recoveryBox");
        QVERIFY2(box->text().contains("wine.csv") && box->text().contains("1 run"),
                 qPrintable(box->text()));
        box->findChild<QAbstractButton*>("recover")->click();
        QTRY_VERIFY_WITH_TIMEOUT(w.session().runIds().size() == 1, 30000);
        QCOMPARE(w.clusters(), labels);
        QTRY_VERIFY(!QFile::exists(recovery));                 // adopted by this window's autosave
        QVERIFY(w.sessionActions()->files().path().isEmpty()); // Save asks where
        w.close();
        QVERIFY(!QFile::exists(w.sessionActions()->autosave()->path())); // a clean exit
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestSessionWindow)
#include "test_session_window.moc"

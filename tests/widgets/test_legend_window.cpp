// The interactive legend beside the view: a click hides a category's points (in the view, its
// picking and box selection, and the figures) and shows them again; a double-click renames a
// true label (a names mapping typed in, kept with the session) or a cluster (the run's names);
// a search box filters long legends.

#include "embedding_view.h"
#include "gui_main.h"
#include "job_wait.h"
#include "main_window.h"
#include "method_panel.h"
#include "parameter_form.h"
#include "session_actions.h"
#include "view_sidebar.h"

#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QTemporaryDir>

#include <algorithm>

using namespace clusterscope;

namespace
{

const QString kDemo = CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz";

// Clicks legend row `row` as a person would; `twice`: a double-click.
void clickRow(ViewSidebar* sidebar, int row, bool twice = false)
{
    QListWidget* legend = sidebar->legend();
    const QPoint at = legend->visualItemRect(legend->item(row)).center();
    if (twice)
    {
        QTest::mouseClick(legend->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(legend->viewport(), Qt::LeftButton, {}, at);
    }
    else
        QTest::mouseClick(legend->viewport(), Qt::LeftButton, {}, at);
}

int64_t rowsLabelled(const Dataset& data, int64_t label)
{
    return std::count(data.labels.begin(), data.labels.end(), label);
}

// Answers the rename box with `name`.
bool rename(MainWindow& w, const QString& name)
{
    QInputDialog* ask = nullptr;
    if (!QTest::qWaitFor([&] { return (ask = w.findChild<QInputDialog*>("renameEntry")); }))
        return false;
    ask->setTextValue(name);
    ask->accept();
    return true;
}

} // namespace

class TestLegendWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A click hides a label's points everywhere they are shown; a second click shows them.
    void aClickHidesAndShows()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        auto* sidebar = w.sidebar();
        QCOMPARE(sidebar->legend()->count(), 10);
        const int64_t n = w.dataset()->rows();
        const int64_t threes = rowsLabelled(*w.dataset(), 3);
        QVERIFY(threes > 100);
        const QRect everywhere(QPoint(-10000, -10000), QPoint(10000, 10000));
        QCOMPARE(int64_t(w.view()->pointsInRect(everywhere).size()), n);

        clickRow(sidebar, 3);
        QTRY_COMPARE(int64_t(std::count(w.view()->hidden().begin(), w.view()->hidden().end(), 1)),
                     threes);
        const auto selectable = w.view()->pointsInRect(everywhere);
        QCOMPARE(int64_t(selectable.size()), n - threes);
        for (int64_t r : selectable)
            QVERIFY(w.dataset()->labels[static_cast<size_t>(r)] != 3);
        const auto figure = w.figureScene();
        QCOMPARE(figure.count(), n - threes);
        QCOMPARE(figure.legend.size(), size_t(9));
        for (const auto& e : figure.legend)
            QVERIFY(e.text != "3");
        QCOMPARE(sidebar->legend()->item(3)->data(Qt::AccessibleDescriptionRole).toString(),
                 QString("hidden"));

        clickRow(sidebar, 3);
        QTRY_VERIFY(w.view()->hidden().empty() ||
                    std::count(w.view()->hidden().begin(), w.view()->hidden().end(), 1) == 0);
        QCOMPARE(w.figureScene().count(), n);

        // Another colouring's entries are other things: everything is shown again.
        clickRow(sidebar, 0);
        QTRY_VERIFY(std::count(w.view()->hidden().begin(), w.view()->hidden().end(), 1) > 0);
        sidebar->colorBy()->setCurrentIndex(sidebar->colorBy()->findData("uniform"));
        QCOMPARE(std::count(w.view()->hidden().begin(), w.view()->hidden().end(), 1), 0);
    }

    // A double-click renames a true label: the legend, the figure, the inspector and the saved
    // session use the name; hidden entries are kept with the session too.
    void aDoubleClickNamesALabel()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath("digits.clusterscope");
        {
            MainWindow w;
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            QVERIFY(waitFor(w.openFiles({kDemo})));
            auto* sidebar = w.sidebar();
            clickRow(sidebar, 0, true);
            QTest::qWait(QApplication::doubleClickInterval() + 200); // a person types slower
            QVERIFY(rename(w, "zero"));
            const int64_t zeros = rowsLabelled(*w.dataset(), 0);
            QTRY_COMPARE(sidebar->legend()->item(0)->text(), QString("zero (%1)").arg(zeros));
            QCOMPARE(w.figureScene().legend[0].text, QString("zero"));
            // The double-click did not also hide the entry.
            QCOMPARE(std::count(w.view()->hidden().begin(), w.view()->hidden().end(), 1), 0);
            const auto zeroRow = static_cast<int64_t>(
                std::find(w.dataset()->labels.begin(), w.dataset()->labels.end(), 0) -
                w.dataset()->labels.begin());
            Q_EMIT w.view()->pointHovered(zeroRow);
            QVERIFY(w.sidebar()->findChild<QLabel*>("inspector")->text().contains("label: zero"));
            clickRow(sidebar, 5);
            QTRY_VERIFY(std::count(w.view()->hidden().begin(), w.view()->hidden().end(), 1) > 0);
            QString error;
            QVERIFY2(w.sessionActions()->save(file, &error), qPrintable(error));
        }
        MainWindow w;
        w.show();
        Job* opening = w.openFiles({file});
        const bool opened = opening && waitFor(opening);
        if (!opened)
            for (auto* box : w.findChildren<QMessageBox*>())
                qWarning() << box->text() << box->informativeText();
        QVERIFY(opened);
        QTRY_VERIFY(w.sidebar()->legend()->count() == 10);
        QVERIFY(w.sidebar()->legend()->item(0)->text().startsWith("zero ("));
        QCOMPARE(int64_t(std::count(w.view()->hidden().begin(), w.view()->hidden().end(), 1)),
                 rowsLabelled(*w.dataset(), 5));
        // An empty name gives the label its own back.
        clickRow(w.sidebar(), 0, true);
        QVERIFY(rename(w, ""));
        QTRY_VERIFY(w.sidebar()->legend()->item(0)->text().startsWith("0 ("));
    }

    // Renaming a cluster from the legend names it in the run, as the Explanation dock does.
    void aDoubleClickNamesACluster()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        QVERIFY(w.methodPanel()->form()->setText("k", "3"));
        QVERIFY(waitFor(w.runClustering()));
        auto* sidebar = w.sidebar();
        QCOMPARE(sidebar->colorBy()->currentData().toString(), QString("cluster"));
        clickRow(sidebar, 1, true);
        QVERIFY(rename(w, "Barbera"));
        QTRY_COMPARE(w.session().currentRun()->clusterNames.at(1), QString("Barbera"));
        QVERIFY(sidebar->legend()->item(1)->text().startsWith("1 · Barbera ("));
        // Metadata and numbers are the data's: no rename is offered.
        sidebar->colorBy()->setCurrentIndex(sidebar->colorBy()->findData("uniform"));
        QCOMPARE(sidebar->legend()->count(), 0);
    }

    // Long legends get a search box that filters their entries.
    void searchFiltersALongLegend()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        QVERIFY(!w.sidebar()->legendSearch()->isVisible()); // 3 labels
        QVERIFY(w.methodPanel()->form()->setText("k", "12"));
        QVERIFY(waitFor(w.runClustering()));
        auto* search = w.sidebar()->legendSearch();
        QVERIFY(search->isVisible());
        QTest::keyClicks(search, "1");
        int shown = 0;
        for (int row = 0; row < w.sidebar()->legend()->count(); ++row)
        {
            auto* item = w.sidebar()->legend()->item(row);
            if (!item->isHidden())
            {
                ++shown;
                QVERIFY(item->text().contains("1"));
            }
        }
        QVERIFY(shown >= 3 && shown < 12); // 1, 10, 11 and counts with a 1 in them
        search->clear();
        for (int row = 0; row < w.sidebar()->legend()->count(); ++row)
            QVERIFY(!w.sidebar()->legend()->item(row)->isHidden());
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestLegendWindow)
#include "test_legend_window.moc"

// Run > Compare Runs on wine: the agreement matrix holds each pair's ARI and NMI as the metrics
// give them on the rows both runs clustered, the contingency table counts every shared row
// once, the alluvial diagram's bands carry exactly those counts, and both charts export.

#include "compare_dialog.h"
#include "comparison_charts.h"
#include "gui_main.h"
#include "job_wait.h"
#include "main_window.h"
#include "method_panel.h"
#include "parameter_form.h"
#include "window_runs.h"

#include <clusterscope/metrics/metrics.h>

#include <QComboBox>
#include <QFileInfo>
#include <QImage>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>

#include <map>

using namespace clusterscope;

class TestCompareWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void runsAreCompared()
    {
        MainWindow w;
        w.show();
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        const int a = runMethod(w, "kmeans", "3");
        const int b = runMethod(w, "gmm", "3");
        const int c = runMethod(w, "kmeans", "5");
        QVERIFY(a && b && c);
        CompareDialog* d = w.showCompareRuns();
        d->setRuns({a, b, c});
        QCOMPARE(d->tickedRuns(), (std::vector<int>{a, b, c}));
        const std::vector<int> ids = {a, b, c};
        auto check = [&](const char* measure, auto metric)
        {
            d->measure()->setCurrentIndex(d->measure()->findData(measure));
            const auto& v = d->agreement()->values();
            QCOMPARE(v.size(), size_t(9));
            for (size_t i = 0; i < 3; ++i)
                for (size_t j = 0; j < 3; ++j)
                {
                    const auto& li = w.session().run(ids[i])->labels;
                    const auto& lj = w.session().run(ids[j])->labels;
                    const double expected = i == j ? 1.0 : metric(li, lj);
                    QVERIFY2(std::abs(v[i * 3 + j] - expected) < 1e-12, measure);
                }
        };
        check("ari", [](const auto& x, const auto& y) { return adjustedRandIndex(x, y); });
        check("nmi", [](const auto& x, const auto& y) { return normalizedMutualInfo(x, y); });

        // Two runs: k-means (3) against k-means (5).
        d->setPair(a, c);
        QTableWidget* t = d->contingencyTable();
        QCOMPARE(t->rowCount(), 3);
        QCOMPARE(t->columnCount(), 5);
        std::map<std::pair<int64_t, int64_t>, int64_t> counted;
        const auto& la = w.session().run(a)->labels;
        const auto& lc = w.session().run(c)->labels;
        for (size_t r = 0; r < la.size(); ++r)
            ++counted[{la[r], lc[r]}];
        int64_t total = 0;
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 5; ++j)
            {
                const int64_t n = t->item(i, j)->data(Qt::UserRole).toLongLong();
                QCOMPARE(n, (counted[{i, j}]));
                total += n;
            }
        QCOMPARE(total, int64_t(178));
        int64_t banded = 0;
        for (const auto& band : d->alluvial()->bands())
        {
            QCOMPARE(band.rows, (counted[{int64_t(band.left), int64_t(band.right)}]));
            banded += band.rows;
        }
        QCOMPARE(banded, int64_t(178));
        QVERIFY(t->verticalHeaderItem(0)->text().contains(
            QString("(%1)").arg(std::count(la.begin(), la.end(), 0))));

        // Both charts export, in each format.
        for (int tab : {0, 1})
        {
            d->tabs()->setCurrentIndex(tab);
            for (const char* ext : {"png", "svg", "pdf"})
            {
                const QString path = dir.filePath(QString("chart%1.%2").arg(tab).arg(ext));
                QCOMPARE(d->exportShown(path), QString());
                QVERIFY(QFileInfo(path).size() > 1000);
            }
        }
        QCOMPARE(QImage(dir.filePath("chart1.png")).size(), QSize(1280, 960));

        const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT");
        if (!shots.isEmpty()) // docs/screenshots (compare.sh)
        {
            d->tabs()->setCurrentIndex(0);
            QTest::qWait(300);
            d->grab().save(shots + "/14-compare-agreement.png");
            d->tabs()->setCurrentIndex(1);
            QTest::qWait(300);
            d->grab().save(shots + "/15-compare-alluvial.png");
        }
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestCompareWindow)
#include "test_compare_window.moc"

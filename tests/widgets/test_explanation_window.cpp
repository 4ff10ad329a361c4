// The Explanation dock end to end in the real main window: a k-means run of the wine table
// explained by polyhedral descriptions; choosing a cluster selects exactly the rows its rules
// cover (recounted here on the loaded features, in the file's units), in the embedding view
// too; "Select Errors" selects the rows the description gets wrong; the rules export as JSON,
// text and LaTeX; a profile shows the distinguishing features; no run, no explanation.

#include "embedding_view.h"
#include "explanation_panel.h"
#include "gui_main.h"
#include "job_wait.h"
#include "main_window.h"
#include "method_panel.h"
#include "parameter_form.h"
#include "profile_chart.h"
#include "rule_view.h"

#include <clusterscope/core/tensor_io.h>
#include <clusterscope/explain/rules.h>

#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QTabWidget>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace clusterscope;

namespace
{
const QString kWine = CLUSTERSCOPE_SOURCE_DIR "/tests/data/wine.csv";
} // namespace

class TestExplanationWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void kmeansRunExplainedAndLinked()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kWine})));
        w.showExplanation();
        ExplanationPanel* panel = w.explanationPanel();
        QVERIFY(panel->isVisible());
        QVERIFY2(panel->refusal().contains("No run yet"), qPrintable(panel->refusal()));

        QVERIFY(w.methodPanel()->selectMethod("kmeans"));
        QVERIFY(w.methodPanel()->form()->setText("k", "3"));
        QVERIFY(waitFor(w.runClustering()));
        QVERIFY2(panel->refusal().isEmpty(), qPrintable(panel->refusal()));
        QVERIFY(waitFor(panel->explainCurrentRun()));
        QTRY_COMPARE(panel->shownRun(), w.session().currentRunId());
        auto* table = panel->findChild<QTableWidget*>("explanationClusters");
        QCOMPARE(table->rowCount(), 3);

        const auto& explanation = *w.session().currentRun()->explanation;
        const auto& data = *w.session().dataset();
        const auto x = floatValues(data.features);
        const auto d = static_cast<size_t>(data.cols());
        for (int c = 0; c < 3; ++c)
        {
            panel->chooseCluster(c);
            const auto& ce = explanation.result.clusters[static_cast<size_t>(c)];
            // The rows its rules cover, by a direct evaluation on the loaded features.
            std::vector<int64_t> covered, wrong;
            const auto& labels = w.session().currentRun()->labels;
            for (int64_t r = 0; r < data.rows(); ++r)
            {
                bool in = false;
                for (const auto& rule : ce.rules)
                    in = in || satisfies(rule, x.data() + static_cast<size_t>(r) * d);
                if (in)
                    covered.push_back(r);
                if (in != (labels[static_cast<size_t>(r)] == ce.cluster))
                    wrong.push_back(r);
            }
            QVERIFY(!covered.empty());
            QCOMPARE(w.session().selection(), covered);
            QCOMPARE(w.view()->selection(), covered);
            QCOMPARE(panel->errorRows(c), wrong);
            QCOMPARE(w.view()->marked(), wrong); // ringed in the embedding view
            // Hovering a row says whether it satisfies the description, and what it breaks.
            if (!wrong.empty())
            {
                w.explanationPanel()->showHovered(wrong.front());
                const QString why = panel->describeRow(wrong.front());
                QVERIFY2(why.contains("one of its errors"), qPrintable(why));
                QCOMPARE(panel->findChild<QLabel*>("explanationHover")->text(), why);
            }
            const auto inside = std::find_if(
                covered.begin(), covered.end(),
                [&](int64_t r) { return labels[static_cast<size_t>(r)] == ce.cluster; });
            QVERIFY(inside != covered.end());
            QVERIFY(panel->describeRow(*inside).contains("satisfies"));
            QVERIFY(table->item(c, 3)->text().toDouble() > 0.8);
            const auto details =
                panel->findChild<QTextBrowser*>("explanationDetails")->toPlainText();
            QVERIFY2(details.contains("coverage") &&
                         details.contains(
                             QString::fromStdString(ruleText(ce.rules.at(0), data.featureNames))),
                     qPrintable(details));
        }

        // The two-feature view draws the chosen cluster's rule on its first two features.
        panel->chooseCluster(2);
        const auto& rule = explanation.result.clusters[2].rules.at(0);
        QCOMPARE(panel->ruleView()->featureX(), rule.conditions[0].terms[0].first);
        QVERIFY(panel->ruleView()->drawnConditions() >= 1);
        QCOMPARE(panel->ruleView()->drawnConditions() + panel->ruleView()->hiddenConditions(),
                 static_cast<int>(rule.conditions.size()));
        QCOMPARE(panel->ruleView()->points()->pointCount(), int64_t{178});
        QString figureError;
        QVERIFY2(panel->exportFigure(dir.filePath("rule.svg"), &figureError),
                 qPrintable(figureError));
        QFile svg(dir.filePath("rule.svg"));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray drawing = svg.readAll();
        QVERIFY(drawing.contains("polyline") || drawing.contains("<path"));

        // The profile chart: the chosen cluster's features farthest from the overall mean, by
        // hand for cluster 1's first bar.
        panel->chooseCluster(1);
        {
            const auto& bars = panel->profileChart()->bars();
            QVERIFY(!bars.empty() && bars.size() <= 12);
            const auto cluster = explanation.result.clusters[1].cluster;
            const auto& labels = w.session().currentRun()->labels;
            double best = 0;
            QString bestName;
            for (size_t j = 0; j < d; ++j)
            {
                double all = 0, in = 0, sq = 0;
                int64_t members = 0;
                for (int64_t r = 0; r < data.rows(); ++r)
                {
                    all += x[static_cast<size_t>(r) * d + j];
                    if (labels[static_cast<size_t>(r)] == cluster)
                    {
                        in += x[static_cast<size_t>(r) * d + j];
                        ++members;
                    }
                }
                all /= static_cast<double>(data.rows());
                for (int64_t r = 0; r < data.rows(); ++r)
                    sq += std::pow(x[static_cast<size_t>(r) * d + j] - all, 2);
                const double z = (in / static_cast<double>(members) - all) /
                                 std::sqrt(sq / static_cast<double>(data.rows()));
                if (std::abs(z) > std::abs(best))
                {
                    best = z;
                    bestName = QString::fromStdString(data.featureNames[j]);
                }
            }
            QCOMPARE(bars.front().first, bestName);
            QVERIFY(std::abs(bars.front().second - best) < 1e-6);
        }

        // Renaming a cluster in the table names it in the legend.
        table->item(1, 1)->setText("Barolo");
        QCOMPARE(w.session().currentRun()->clusterNames.at(explanation.result.clusters[1].cluster),
                 QString("Barolo"));
        bool inLegend = false;
        for (auto* label : w.findChildren<QLabel*>())
            inLegend = inLegend || label->text().contains("· Barolo");
        for (auto* list : w.findChildren<QListWidget*>())
            for (int i = 0; i < list->count(); ++i)
                inLegend = inLegend || list->item(i)->text().contains("· Barolo");
        QVERIFY2(inLegend, "the legend does not show the new name");

        for (const QString ext : {"json", "txt", "tex"})
        {
            const QString path = dir.filePath("rules." + ext);
            QString error;
            QVERIFY2(panel->exportRules(path, &error), qPrintable(error));
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QByteArray text = f.readAll();
            QVERIFY(text.contains(ext == "json"  ? "\"coverage\""
                                  : ext == "tex" ? "\\toprule"
                                                 : "coverage"));
            QVERIFY(text.contains("Barolo")); // the name given wins
        }

        // A profile: the features that set each cluster apart, no coverage columns.
        auto* choice = panel->findChild<QComboBox*>("explainerChoice");
        choice->setCurrentIndex(choice->findData("profile"));
        QVERIFY(waitFor(panel->explainCurrentRun()));
        QTRY_VERIFY(w.session().currentRun()->explanation->explainer->id == "profile");
        QTRY_COMPARE(table->rowCount(), 3);
        QVERIFY(table->isColumnHidden(3));
        panel->chooseCluster(0);
        QVERIFY(panel->findChild<QTextBrowser*>("explanationDetails")
                    ->toPlainText()
                    .contains("Most distinguishing features"));
    }

    // Image data: the chosen cluster's mean image and its eight rows nearest the mean.
    void prototypesOfAnImageCluster()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz"})));
        QVERIFY(w.methodPanel()->selectMethod("kmeans"));
        QVERIFY(w.methodPanel()->form()->setText("k", "10"));
        QVERIFY(waitFor(w.runClustering()));
        w.showExplanation();
        ExplanationPanel* panel = w.explanationPanel();
        auto* choice = panel->findChild<QComboBox*>("explainerChoice");
        choice->setCurrentIndex(choice->findData("imm"));
        QVERIFY(waitFor(panel->explainCurrentRun()));
        QTRY_COMPARE(panel->shownRun(), w.session().currentRunId());
        panel->chooseCluster(4);
        const auto rows = panel->prototypeRows();
        QCOMPARE(rows.size(), size_t{8});
        // By hand: the cluster's rows nearest its mean, nearest first.
        const auto& data = *w.session().dataset();
        const auto x = floatValues(data.features);
        const auto& labels = w.session().currentRun()->labels;
        const int64_t cluster = w.session().currentRun()->explanation->result.clusters[4].cluster;
        std::vector<double> mean(64, 0);
        std::vector<int64_t> members;
        for (int64_t r = 0; r < data.rows(); ++r)
            if (labels[static_cast<size_t>(r)] == cluster)
            {
                members.push_back(r);
                for (size_t j = 0; j < 64; ++j)
                    mean[j] += x[static_cast<size_t>(r) * 64 + j];
            }
        for (auto& m : mean)
            m /= static_cast<double>(members.size());
        std::vector<std::pair<double, int64_t>> near;
        for (auto r : members)
        {
            double s = 0;
            for (size_t j = 0; j < 64; ++j)
                s += std::pow(x[static_cast<size_t>(r) * 64 + j] - mean[j], 2);
            near.emplace_back(s, r);
        }
        std::sort(near.begin(), near.end());
        for (size_t k = 0; k < 8; ++k)
            QCOMPARE(rows[k], near[k].second);
        QCOMPARE(panel->findChild<QWidget*>("prototypes")->findChildren<QLabel*>().size(), 9);
    }

    // The walkthrough's shot, taken when CLUSTERSCOPE_SHOT names a folder
    // (docs/screenshots/explanation.sh): wine, k-means on standardised features, polyhedral
    // descriptions, the third cluster chosen (its covered rows selected in the view).
    void wineExplanationForTheDocs()
    {
        const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT");
        if (shots.isEmpty())
            QSKIP("a docs screenshot: set CLUSTERSCOPE_SHOT");
        MainWindow w;
        w.resize(1280, 800);
        w.move(0, 0);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kWine})));
        QVERIFY(w.methodPanel()->selectMethod("kmeans"));
        QVERIFY(w.methodPanel()->form()->setText("k", "3"));
        QVERIFY(w.methodPanel()->settingsForm()->setText("scaling", "standardize"));
        QVERIFY(waitFor(w.runClustering()));
        w.showExplanation();
        ExplanationPanel* panel = w.explanationPanel();
        QVERIFY(waitFor(panel->explainCurrentRun()));
        QTRY_COMPARE(panel->shownRun(), w.session().currentRunId());
        panel->chooseCluster(2);
        for (auto* dock : w.findChildren<QDockWidget*>())
            if (dock->isAncestorOf(panel))
                w.resizeDocks({dock}, {520}, Qt::Horizontal);
        QTest::qWait(1500);
        const auto shoot = [&](const QString& name)
        {
            QFile ready(shots + "/" + name);
            QVERIFY(ready.open(QIODevice::WriteOnly)); // the script takes the shot now
            ready.close();
            QTest::qWait(3000);
        };
        shoot("explanation");
        // The same cluster's rule over its first two features.
        auto* tabs = panel->findChild<QTabWidget*>();
        QVERIFY(tabs);
        tabs->setCurrentIndex(1);
        QTest::qWait(1500);
        shoot("rule");
        QString error;
        QVERIFY2(panel->exportFigure(shots + "/figure.png", &error), qPrintable(error));
        tabs->setCurrentIndex(3); // its profile
        QTest::qWait(1000);
        shoot("profile");
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestExplanationWindow)
#include "test_explanation_window.moc"

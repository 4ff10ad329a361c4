// The Layout dock end to end in the real main window: a GMM run of the digits laid out on its
// Hamiltonian cycle, selection shared with the embedding view both ways, an anchor's click
// selecting its cluster, the PNG export, and a run without soft assignments refused.

#include "embedding_view.h"
#include "gui_main.h"
#include "hchc_view.h"
#include "job_wait.h"
#include "layout_panel.h"
#include "main_window.h"
#include "method_panel.h"
#include "parameter_form.h"

#include <clusterscope/pipeline/builtin.h>

#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QOpenGLWidget>
#include <QPushButton>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <algorithm>
#include <numeric>

using namespace clusterscope;

namespace
{
const QString kDemo = CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz";

void boxSelect(QWidget* gl, const QRect& box)
{
    QTest::mousePress(gl, Qt::LeftButton, Qt::ShiftModifier, box.topLeft());
    QTest::mouseMove(gl, box.center());
    QTest::mouseRelease(gl, Qt::LeftButton, Qt::ShiftModifier, box.bottomRight());
}
} // namespace

class TestLayoutWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void gmmRunLaidOutAndLinked()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.move(0, 0);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        QVERIFY(w.methodPanel()->selectMethod("gmm"));
        QVERIFY(w.methodPanel()->form()->setText("k", "10"));
        // Spherical components: with full covariances 99.9% of the digits' rows have a largest
        // membership above 0.99 (scikit-learn's GaussianMixture alike), so all sit on anchors.
        QVERIFY(w.methodPanel()->form()->setText("covariance_type", "spherical"));
        QVERIFY(waitFor(w.runClustering()));
        QCOMPARE(w.clusters().size(), size_t{1797});

        w.showLayout();
        LayoutPanel* panel = w.layoutPanel();
        QVERIFY(panel->isVisible());
        QVERIFY2(panel->refusal().isEmpty(), qPrintable(panel->refusal()));
        QVERIFY(waitFor(panel->layOutCurrentRun()));
        QTRY_COMPARE(panel->shownRun(), w.session().currentRunId());
        HchcView* hchc = panel->view();
        QCOMPARE(hchc->anchorCount(), int64_t(10));
        QCOMPARE(hchc->sampleCount(), int64_t(1797));
        const auto& result = w.session().currentRun()->layout->result;
        std::vector<int64_t> cycle = result.cycle;
        std::sort(cycle.begin(), cycle.end());
        std::vector<int64_t> clusters(10);
        std::iota(clusters.begin(), clusters.end(), 0);
        QCOMPARE(cycle, clusters);
        for (int64_t c = 0; c < 10; ++c)
            QVERIFY(hchc->anchorLabel(c)->isVisible());
        QTest::qWait(300); // a frame, so that projections are of the placed camera

        // A box in the layout selects those rows, and the embedding view shows the same rows.
        QWidget* gl = hchc->points()->findChild<QOpenGLWidget*>();
        QVERIFY(gl);
        // A box round one anchor: its cluster's confident rows sit there.
        const QPoint anchor = hchc->points()->projectedPosition(1797 + 2)->toPoint();
        const QRect box(anchor - QPoint(30, 30), QSize(60, 60));
        std::vector<int64_t> expected;
        for (auto s : hchc->samplesInRect(box))
            expected.push_back(panel->shownRows()[static_cast<size_t>(s)]);
        std::sort(expected.begin(), expected.end());
        QVERIFY(!expected.empty() && expected.size() < 1797);
        boxSelect(gl, box);
        QCOMPARE(w.session().selection(), expected);
        QCOMPARE(w.view()->selection(), expected);
        QCOMPARE(hchc->selection().size(), expected.size());

        // A box in the embedding view selects the same rows in the layout.
        QWidget* mainGl = w.view()->findChild<QOpenGLWidget*>();
        const QRect mainBox(QPoint(1, 1), mainGl->size() / 2);
        auto inMain = w.view()->pointsInRect(mainBox);
        std::sort(inMain.begin(), inMain.end());
        QVERIFY(inMain.size() > 50 && inMain.size() < 1797);
        boxSelect(mainGl, mainBox);
        QCOMPARE(w.session().selection(), inMain);
        std::vector<int64_t> inLayout;
        for (auto s : hchc->selection())
            inLayout.push_back(panel->shownRows()[static_cast<size_t>(s)]);
        std::sort(inLayout.begin(), inLayout.end());
        QCOMPARE(inLayout, inMain);

        // Clicking an anchor's label selects its cluster's rows, in both views.
        for (int64_t c : {int64_t(3), int64_t(7)})
        {
            std::vector<int64_t> members;
            for (size_t r = 0; r < w.clusters().size(); ++r)
                if (w.clusters()[r] == c)
                    members.push_back(static_cast<int64_t>(r));
            QVERIFY(!members.empty());
            QTest::mouseClick(hchc->anchorLabel(c), Qt::LeftButton);
            QCOMPARE(w.session().selection(), members);
            QCOMPARE(w.view()->selection(), members);
            QCOMPARE(hchc->selection().size(), members.size());
        }
        // So does clicking the anchor's marker on the circle.
        const auto marker = hchc->points()->projectedPosition(1797 + 5);
        QVERIFY(marker);
        QSignalSpy anchors(hchc, &HchcView::anchorClicked);
        QTest::mouseClick(gl, Qt::LeftButton, Qt::NoModifier, marker->toPoint());
        QCOMPARE(anchors.count(), 1);
        QCOMPARE(anchors.first().at(0).value<int64_t>(), int64_t(5));

        // The samples take the embedding view's colours (cluster colouring after a run).
        const auto& main = w.view()->colors();
        const auto& rows = panel->shownRows();
        const auto& shown = hchc->points()->colors();
        for (size_t s : {size_t(0), size_t(100), size_t(1500)})
            for (size_t j = 0; j < 3; ++j)
                QCOMPARE(shown[s * 3 + j], main[static_cast<size_t>(rows[s]) * 3 + j]);

        // Hover is linked: the row hovered in the embedding view is ringed in the layout.
        Q_EMIT w.view()->pointHovered(rows[42]);
        QCOMPARE(hchc->highlighted(), int64_t(42));
        Q_EMIT w.view()->pointHovered(-1);
        QCOMPARE(hchc->highlighted(), int64_t(-1));

        const QString png = dir.filePath("layout.png");
        QString error;
        QVERIFY2(panel->exportPng(png, &error), qPrintable(error));
        const QImage image(png);
        QCOMPARE(image.size(), hchc->size() * hchc->devicePixelRatio());
        // The figure: vector arcs, anchors and labels in SVG and PDF, and a PNG.
        const QString svg = dir.filePath("layout.svg");
        QVERIFY2(panel->exportFigure(svg, 1, &error), qPrintable(error));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        const QString svgText = QString::fromUtf8(svgFile.readAll());
        for (int64_t c = 0; c < 10; ++c)
        {
            const auto* label = qobject_cast<QToolButton*>(hchc->anchorLabel(c));
            QVERIFY(label);
            QVERIFY2(svgText.contains(">" + label->text() + "<"), qPrintable(label->text()));
        }
        // Ten arcs, drawn as polylines.
        QCOMPARE(svgText.count("<polyline"), 10);
        QVERIFY(panel->exportFigure(dir.filePath("layout.pdf"), 1, &error));
        QVERIFY(QFileInfo(dir.filePath("layout.pdf")).size() > 1000);
        QVERIFY(panel->exportFigure(dir.filePath("layout2x.png"), 2, &error));
        QVERIFY(!QImage(dir.filePath("layout2x.png")).isNull());

        // Taken for the docs when asked (CLUSTERSCOPE_SHOT=dir).
        const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT");
        if (!shots.isEmpty())
        {
            w.session().setSelection({});
            w.resize(1280, 800);
            QTest::qWait(1500);
            QFile ready(shots + "/ready");
            QVERIFY(ready.open(QIODevice::WriteOnly)); // the script takes the shot now
            ready.close();
            QTest::qWait(4000);
        }
    }

    // The walkthrough's Fashion-MNIST shots, taken when CLUSTERSCOPE_SHOT names a folder (docs/
    // screenshots/hchc-fashion.sh): GLDC with its defaults on the 10,000 test images, its HCHC
    // layout coloured by true label, then a box round the layout's centre, whose rows (the
    // ambiguous ones) the embedding view shows selected.
    void fashionCentreSelectedForTheDocs()
    {
        const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT");
        const QString fashion = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
        if (shots.isEmpty() || !QFileInfo::exists(fashion))
            QSKIP("a docs screenshot: set CLUSTERSCOPE_SHOT (needs dataset-fashion-mnist)");
        MainWindow w;
        w.resize(1280, 800);
        w.move(0, 0);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({fashion})));
        QVERIFY(w.methodPanel()->selectMethod("gldc"));
        QVERIFY(w.methodPanel()->form()->setText("k", "10"));
        QVERIFY(w.methodPanel()->form()->setText("cache", "false"));
        QVERIFY(w.methodPanel()->settingsForm()->setText("scaling", "scale01"));
        QVERIFY(waitFor(w.runClustering(), 900000));
        auto* colorBy = w.findChild<QComboBox*>("colorBy");
        QVERIFY(colorBy);
        const int truth = colorBy->findText("True label", Qt::MatchStartsWith);
        QVERIFY(truth >= 0);
        colorBy->setCurrentIndex(truth);
        w.showLayout();
        LayoutPanel* panel = w.layoutPanel();
        QVERIFY(waitFor(panel->layOutCurrentRun()));
        QTRY_COMPARE(panel->shownRun(), w.session().currentRunId());
        // The layout as wide as the embedding view.
        for (auto* dock : w.findChildren<QDockWidget*>())
            if (dock->isAncestorOf(panel))
                w.resizeDocks({dock}, {560}, Qt::Horizontal);
        QTest::qWait(1500);
        const auto shoot = [&](const QString& name)
        {
            QFile ready(shots + "/" + name);
            QVERIFY(ready.open(QIODevice::WriteOnly)); // the script takes the shot now
            ready.close();
            QTest::qWait(3000);
        };
        shoot("layout");
        HchcView* hchc = panel->view();
        QWidget* gl = hchc->points()->findChild<QOpenGLWidget*>();
        const QPoint centre = hchc->points()->rect().center();
        const int r = hchc->points()->height() / 7;
        boxSelect(gl, QRect(centre - QPoint(r, r), QSize(2 * r, 2 * r)));
        QVERIFY(!w.session().selection().empty());
        QTest::qWait(1500);
        shoot("centre");
    }

    void runWithoutSoftAssignmentIsRefused()
    {
        MainWindow w;
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QVERIFY(waitFor(w.openFiles({kDemo})));
        QVERIFY(w.methodPanel()->selectMethod("agglomerative"));
        QVERIFY(w.methodPanel()->form()->setText("k", "10"));
        QVERIFY(waitFor(w.runClustering()));
        w.showLayout();
        LayoutPanel* panel = w.layoutPanel();
        QVERIFY2(panel->refusal().contains("no soft assignment"), qPrintable(panel->refusal()));
        QVERIFY(!panel->findChild<QPushButton*>("layOutRun")->isEnabled());
        QCOMPARE(panel->layOutCurrentRun(), nullptr);
        QVERIFY(panel->findChild<QLabel*>("layoutNote")->text().contains("no soft assignment"));
        QCOMPARE(panel->view()->anchorCount(), int64_t(0));
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestLayoutWindow)
#include "test_layout_window.moc"

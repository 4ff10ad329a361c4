// The Choose k window: a sweep over five planted blobs runs as a job and suggests 5, its curves
// are drawn (checked in the rendered pixels), clicking a panel picks k, and "Use this k" sets k
// in the Method panel.

#include "blobs.h"
#include "choose_k_chart.h"
#include "choose_k_dialog.h"
#include "gui_main.h"
#include "job_wait.h"
#include "main_window.h"
#include "method_panel.h"
#include "parameter_form.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>

using namespace clusterscope;

namespace
{

int64_t countColor(const QImage& image, QColor color, int tolerance = 40)
{
    int64_t count = 0;
    for (int y = 0; y < image.height(); ++y)
    {
        for (int x = 0; x < image.width(); ++x)
        {
            const QColor c = image.pixelColor(x, y);
            if (std::abs(c.red() - color.red()) + std::abs(c.green() - color.green()) +
                    std::abs(c.blue() - color.blue()) <
                tolerance)
                ++count;
        }
    }
    return count;
}

} // namespace

class TestChooseKWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sweepPickAndUse()
    {
        MainWindow w;
        w.resize(1000, 700);
        w.show();
        // Five well-separated blobs (centres 10 apart, sd 0.5): the sweep must suggest 5.
        QTemporaryDir dir;
        const QString blobs = dir.filePath("blobs5.csv");
        QVERIFY(fixtures::writeBlobsCsv(blobs, 5, 60, 4));
        QVERIFY(waitFor(w.openFiles({blobs})));
        // Start from a method without k: using a k switches to k-means.
        auto* box = w.methodPanel()->methodBox();
        box->setCurrentIndex(box->findData("hdbscan"));
        auto* dialog = w.showChooseK();
        QVERIFY(dialog->isVisible());
        QVERIFY(!dialog->useButton()->isEnabled());
        Job* job = w.sweepK(2, 9);
        QVERIFY(!dialog->sweepButton()->isEnabled());
        QVERIFY(waitFor(job));
        QCOMPARE(job->state(), Job::State::Finished);
        QTRY_VERIFY(dialog->useButton()->isEnabled());
        QVERIFY(dialog->sweepButton()->isEnabled());

        const auto& r = dialog->chart()->result();
        QCOMPARE(r.ks.size(), size_t{8});
        QCOMPARE(r.suggested, int64_t{5});
        QCOMPARE(dialog->pickedK(), r.suggested);

        // The drawing: six panels, series in blue, the picked k as a red dashed line.
        const auto rects = dialog->chart()->panelRects();
        QCOMPARE(rects.size(), 6);
        const QImage image = dialog->chart()->grab().toImage();
        if (qEnvironmentVariableIsSet("CLUSTERSCOPE_SCREENSHOT"))
            dialog->grab().save(qEnvironmentVariable("CLUSTERSCOPE_SCREENSHOT"));
        QVERIFY2(countColor(image, QColor(31, 119, 180)) > 300, "no curves drawn");
        QVERIFY2(countColor(image, QColor(214, 39, 40), 120) > 60,
                 qPrintable(QString::number(countColor(image, QColor(214, 39, 40), 120))));

        // Click the first panel at k = 7 (not the suggestion, so the click is what moves it).
        const QRectF panel = rects.first();
        const double x = dialog->chart()->xOf(dialog->chart()->plotArea(panel), 7);
        QTest::mouseClick(dialog->chart(), Qt::LeftButton, {},
                          QPoint(int(x), int(panel.center().y())));
        QCOMPARE(dialog->pickBox()->value(), 7);
        QCOMPARE(dialog->chart()->pickedK(), int64_t{7});

        dialog->useButton()->click();
        QCOMPARE(box->currentData().toString(), QString("kmeans"));
        QCOMPARE(w.methodPanel()->form()->values().integer("k"), int64_t{7});
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestChooseKWindow)
#include "test_choose_k_window.moc"

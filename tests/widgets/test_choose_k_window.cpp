// The Choose k window: a sweep over five planted blobs runs as a job and suggests 5, its curves
// are drawn (checked in the rendered pixels), clicking a panel picks k, and "Use this k" sets k
// in the Method panel.

#include "blobs.h"
#include "choose_k_chart.h"
#include "choose_k_dialog.h"
#include "figure_checks.h"
#include "gui_main.h"
#include "job_wait.h"
#include "main_window.h"
#include "method_panel.h"
#include "parameter_form.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
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

        // The drawing: six panels, series in blue, the picked k as a vermillion dashed line.
        const auto rects = dialog->chart()->panelRects();
        QCOMPARE(rects.size(), 6);
        const QImage image = dialog->chart()->grab().toImage();
        if (qEnvironmentVariableIsSet("CLUSTERSCOPE_SCREENSHOT"))
            dialog->grab().save(qEnvironmentVariable("CLUSTERSCOPE_SCREENSHOT"));
        QVERIFY2(countColor(image, QColor(0, 114, 178)) > 300, "no curves drawn");
        QVERIFY2(countColor(image, QColor(213, 94, 0), 60) > 60,
                 qPrintable(QString::number(countColor(image, QColor(213, 94, 0), 60))));

        // Axes with units, and the chart exported as the views are (vector text in SVG/PDF).
        const QString svg = dir.filePath("choose-k.svg");
        QCOMPARE(dialog->chart()->exportTo(svg), QString());
        const auto summary = figures::readSvg(svg);
        QVERIFY(summary.valid);
        for (const char* text : {"k (clusters)", "silhouette (higher is better)",
                                 "BIC and AIC (lower is better)", "BIC", "AIC"})
            QVERIFY2(summary.text.contains(text), text);
        // 8 k ticks in each of the 6 panels, and value ticks: 17 here (the chart used to print
        // only each range's two ends, 12).
        const auto numbers = summary.text.split('\n').filter(
            QRegularExpression(QString::fromUtf8("^[\u2212]?[0-9.]+(e[\u2212]?[0-9]+)?$")));
        QVERIFY2(numbers.size() >= 6 * 8 + 15, qPrintable(numbers.join(' ')));
        QCOMPARE(dialog->chart()->exportTo(dir.filePath("choose-k.pdf")), QString());
        QVERIFY(figures::pdfText(dir.filePath("choose-k.pdf")).contains("k (clusters)"));
        QCOMPARE(dialog->chart()->exportTo(dir.filePath("choose-k.png")), QString());
        QCOMPARE(QImage(dir.filePath("choose-k.png")).size(), QSize(1520, 840));
        QVERIFY(dialog->findChild<QPushButton*>("exportChooseK"));

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

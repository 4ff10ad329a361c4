// The figure dialog (File > Export Figure...): its defaults make a figure fit for a paper at 20
// and at 40 clusters (the legend beside the plot, in two and three columns), the legend on the
// data when asked, the preview is the figure, and
// each setting changes the file it writes. CLUSTERSCOPE_SHOT=<folder> keeps the dialog's grab
// and the exported PNG and PDF figures (docs/screenshots/user-guide.sh).

#include "figure_checks.h"
#include "figure_dialog.h"
#include "gui_main.h"
#include "job_wait.h"
#include "main_window.h"
#include "method_panel.h"
#include "parameter_form.h"
#include "view_sidebar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>

using namespace clusterscope;

namespace
{

const QString kDemo = CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz";

// A window with the demo clustered into `k` by k-means.
bool clustered(MainWindow& w, int k)
{
    if (!waitFor(w.openFiles({kDemo})))
        return false;
    w.methodPanel()->form()->setText("k", QString::number(k));
    w.methodPanel()->form()->setText("n_init", "2");
    return waitFor(w.runClustering());
}

// Where the exported figures go: the screenshot folder when one is named, else `dir`.
QString outFolder(const QTemporaryDir& dir)
{
    const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT");
    return shots.isEmpty() ? dir.path() : shots;
}

} // namespace

class TestFigureWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { QSettings().remove("figure"); }
    void cleanup() { QSettings().remove("figure"); }

    void defaultsMakeAPaperFigure_data()
    {
        QTest::addColumn<int>("k");
        QTest::addColumn<QString>("placement");
        QTest::newRow("20 clusters") << 20 << "right";
        QTest::newRow("40 clusters") << 40 << "right"; // in three columns
    }

    // With its defaults: 180 x 120 mm at 300 dpi, titled by the data and the method, axes that
    // fit every point, the legend beside the plot (2 columns at 20, 3 at 40), every cluster in
    // its own colour and named once.
    void defaultsMakeAPaperFigure()
    {
        QFETCH(int, k);
        QFETCH(QString, placement);
        MainWindow w;
        w.show();
        QVERIFY(clustered(w, k));
        FigureDialog* d = w.exportFigureDialog();
        QVERIFY(d);
        QVERIFY(QTest::qWaitForWindowExposed(d));
        QCOMPARE(d->findChild<QLineEdit*>("title")->text(),
                 QString("digits · k-means (k=%1)").arg(k));
        QCOMPARE(d->findChild<QComboBox*>("legend")->currentData().toString(), QString("auto"));
        const FigureScene f = d->figure();
        QCOMPARE(f.legend.size(), size_t(k));
        QCOMPARE(placementName(f.style.legend), QString("auto"));
        // The axes fit the data: every point inside the plot.
        for (int64_t r = 0; r < f.count(); ++r)
        {
            const auto at = projectToDevice(f.viewProjection, f.xyz[3 * r], f.xyz[3 * r + 1], 0);
            QVERIFY(at && std::abs(at->x()) <= 1 && std::abs(at->y()) <= 1);
        }
        // k distinct colours.
        std::set<QRgb> colours;
        for (const auto& e : f.legend)
            colours.insert(e.color.rgb());
        QCOMPARE(colours.size(), size_t(k));

        QTemporaryDir dir;
        const QString stem = outFolder(dir) + QString("/figure-k%1").arg(k);
        const QString svgPath = dir.filePath("figure.svg"); // not kept with the screenshots
        for (const QString& path : {stem + ".pdf", svgPath, stem + ".png"})
            QCOMPARE(d->exportTo(path), QString());
        const QImage png(stem + ".png");
        QCOMPARE(png.size(), QSize(2126, 1417));
        QCOMPARE(qRound(png.dotsPerMeterX() * 0.0254), 300);
        std::vector<QRgb> palette(colours.begin(), colours.end());
        QCOMPARE(figures::colorsPresent(png, palette), k);
        // Each cluster is named in the legend.
        const auto svg = figures::readSvg(svgPath);
        QVERIFY(svg.valid);
        QCOMPARE(svg.images, 0); // 1797 points: vector shapes
        const QStringList texts = svg.text.split('\n');
        for (int c = 0; c < k; ++c)
            QVERIFY2(texts.count(QString::number(c)) >= 1, qPrintable(svg.text));
        QVERIFY(texts.contains(QString("digits · k-means (k=%1)").arg(k)));
        QCOMPARE(texts.contains("Cluster"), placement == "right"); // the legend's title
        // On the data instead: each number once, on its points, and no legend title.
        auto* legend = d->findChild<QComboBox*>("legend");
        legend->setCurrentIndex(legend->findData("on data"));
        QCOMPARE(d->exportTo(svgPath), QString());
        const QStringList onData = figures::readSvg(svgPath).text.split('\n');
        for (int c = 0; c < k; ++c)
            QVERIFY2(onData.count(QString::number(c)) >= 1, qPrintable(QString::number(c)));
        QVERIFY(!onData.contains("Cluster"));
        legend->setCurrentIndex(legend->findData("auto"));
        QVERIFY(figures::pdfText(stem + ".pdf").contains(QString("k-means (k=%1)").arg(k)));
        const QString shots = qEnvironmentVariable("CLUSTERSCOPE_SHOT");
        if (!shots.isEmpty() && k == 20)
            QVERIFY(d->grab().save(shots + "/20-figure-dialog-k20.png"));
    }

    // The preview is the figure: the same pixels as the PNG written at the preview's size.
    void thePreviewIsTheFigure()
    {
        MainWindow w;
        w.show();
        QVERIFY(clustered(w, 6));
        FigureDialog* d = w.exportFigureDialog();
        const QImage preview = d->previewImage();
        QVERIFY(!preview.isNull());
        FigureOptions o = d->options();
        o.scale = preview.width() / o.size.width();
        QTemporaryDir dir;
        QCOMPARE(renderFigure(d->figure(), dir.filePath("same.png"), o), QString());
        const QImage written =
            QImage(dir.filePath("same.png")).convertToFormat(QImage::Format_RGB32);
        QCOMPARE(written.size(), preview.size());
        QVERIFY(written == preview.convertToFormat(QImage::Format_RGB32));
        // A change shows at once (after the 60 ms the preview waits for more typing).
        d->findChild<QLineEdit*>("title")->setText("Handwritten digits");
        QTRY_VERIFY(d->previewImage() != preview);
    }

    // Each setting reaches the file; the settings are kept for the next figure.
    void settingsShapeTheFile()
    {
        MainWindow w;
        w.show();
        QVERIFY(clustered(w, 4));
        FigureDialog* d = w.exportFigureDialog();
        auto* unit = d->findChild<QComboBox*>("unit");
        auto* width = d->findChild<QDoubleSpinBox*>("width");
        auto* height = d->findChild<QDoubleSpinBox*>("height");
        auto* dpi = d->findChild<QSpinBox*>("dpi");
        // Millimetres to pixels keeps the page: 180 mm at 300 dpi is 2126 px.
        unit->setCurrentIndex(unit->findData("px"));
        QCOMPARE(width->value(), 2126.0);
        QCOMPARE(height->value(), 1417.0);
        dpi->setValue(100);
        width->setValue(1000);
        height->setValue(700);
        QTemporaryDir dir;
        QCOMPARE(d->exportTo(dir.filePath("px.png")), QString());
        QCOMPARE(QImage(dir.filePath("px.png")).size(), QSize(1000, 700));
        QTRY_VERIFY(d->findChild<QLabel*>("sizeNote")->text().contains("1000 × 700 px"));

        // The legend's place and counts, the points as one PNG layer, a font size.
        auto* legend = d->findChild<QComboBox*>("legend");
        legend->setCurrentIndex(legend->findData("bottom"));
        d->findChild<QCheckBox*>("legendCounts")->setChecked(true);
        auto* points = d->findChild<QComboBox*>("points");
        points->setCurrentIndex(points->findData("raster"));
        d->findChild<QDoubleSpinBox*>("fontSize")->setValue(11);
        d->findChild<QLineEdit*>("xLabel")->setText("first principal component");
        QCOMPARE(d->exportTo(dir.filePath("styled.svg")), QString());
        auto svg = figures::readSvg(dir.filePath("styled.svg"));
        QCOMPARE(svg.images, 1); // the points, one lossless layer
        QVERIFY(svg.text.contains(
            QRegularExpression("^0 \\(\\d+\\)$", QRegularExpression::MultilineOption)));
        QVERIFY(svg.text.contains("first principal component"));
        QFile file(dir.filePath("styled.svg"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.readAll().contains("font-size=\"11\""));
        legend->setCurrentIndex(legend->findData("none"));
        QCOMPARE(d->exportTo(dir.filePath("bare.svg")), QString());
        svg = figures::readSvg(dir.filePath("bare.svg"));
        QVERIFY(!svg.text.contains("Cluster"));

        // The view's zoom instead of the data's bounds: the view's own projection.
        auto* axes = d->findChild<QComboBox*>("axes");
        axes->setCurrentIndex(axes->findData("view"));
        QVERIFY(d->figure().viewProjection == w.figureScene().viewProjection);

        // The next dialog starts where this one was left when it exported.
        const FigureSettings kept = d->settings();
        d->close();
        FigureDialog* again = w.exportFigureDialog();
        QCOMPARE(again->settings().unit, QString("px"));
        QCOMPARE(again->settings().dpi, 100);
        QCOMPARE(again->settings().style.fontSize, 11.0);
        QVERIFY(again->settings().style.legend == LegendPlacement::None);
        QVERIFY(!(again->settings() == kept)); // the last export had the data's axes
        again->findChild<QPushButton*>("resetStyle")->click();
        QVERIFY(again->settings() == FigureSettings());
    }

    // Without a dataset there is nothing to draw: an error box, no dialog.
    void noDatasetNoDialog()
    {
        MainWindow w;
        QCOMPARE(w.exportFigureDialog(), nullptr);
        QTRY_VERIFY(w.findChild<QWidget*>("errorBox"));
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestFigureWindow)
#include "test_figure_window.moc"

// Rendering regression: the embedding view draws a fixed scene, and the grabbed image is
// compared with a committed baseline (tests/data/baselines/).
//
// Tolerance: a pixel matches when every channel is within 48 of the baseline's (anti-aliasing
// and driver rounding), and at most 0.5% of the pixels may differ. A missing or failed baseline
// writes the candidate image next to the test binary for review; run the test with
// CLUSTERSCOPE_UPDATE_BASELINES=1 to accept it.

#include "embedding_view.h"
#include "gui_main.h"
#include "palette.h"

#include <QDir>

#include <cmath>

using namespace clusterscope;

namespace
{

constexpr int kChannelTolerance = 48;
constexpr double kPixelFraction = 0.005;

// Three rings of points around three centres, coloured by ring: no randomness.
void fixedScene(EmbeddingView& view, bool threeD)
{
    std::vector<float> xyz;
    std::vector<int64_t> ids;
    const float cx[3] = {-4, 3, 0};
    const float cy[3] = {-2, -1, 4};
    for (int c = 0; c < 3; ++c)
    {
        for (int i = 0; i < 400; ++i)
        {
            const double a = i * 0.157;
            const double r = 0.5 + (i % 20) * 0.08;
            xyz.push_back(cx[c] + static_cast<float>(r * std::cos(a)));
            xyz.push_back(cy[c] + static_cast<float>(r * std::sin(a)));
            xyz.push_back(threeD ? static_cast<float>((i % 40) * 0.05 * (c - 1)) : 0.0f);
            ids.push_back(i % 97 == 0 ? -1 : c); // a little noise, drawn grey
        }
    }
    view.setPoints(xyz);
    view.setThreeD(threeD);
    view.setPointSize(4);
    view.setColors(categoricalColors(ids));
}

int differingPixels(const QImage& a, const QImage& b)
{
    int bad = 0;
    for (int y = 0; y < a.height(); ++y)
    {
        for (int x = 0; x < a.width(); ++x)
        {
            const QRgb p = a.pixel(x, y);
            const QRgb q = b.pixel(x, y);
            if (std::abs(qRed(p) - qRed(q)) > kChannelTolerance ||
                std::abs(qGreen(p) - qGreen(q)) > kChannelTolerance ||
                std::abs(qBlue(p) - qBlue(q)) > kChannelTolerance)
                ++bad;
        }
    }
    return bad;
}

} // namespace

class TestEmbeddingRender : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesBaseline_data()
    {
        QTest::addColumn<bool>("threeD");
        QTest::newRow("embedding_2d") << false;
        QTest::newRow("embedding_3d") << true;
    }

    void matchesBaseline()
    {
        QFETCH(bool, threeD);
        const QString name = QTest::currentDataTag();
        EmbeddingView view;
        view.setFixedSize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        fixedScene(view, threeD);
        QTest::qWait(50);
        const QImage image = view.renderImage(1).convertToFormat(QImage::Format_RGB32);
        QCOMPARE(image.size(), QSize(400, 300));

        const QString baselinePath = CLUSTERSCOPE_TEST_DATA "/baselines/" + name + ".png";
        const QString candidate = QDir::current().filePath(name + ".candidate.png");
        if (qEnvironmentVariableIsSet("CLUSTERSCOPE_UPDATE_BASELINES"))
        {
            QVERIFY(image.save(baselinePath));
            QSKIP("baseline written");
        }
        const QImage baseline = QImage(baselinePath).convertToFormat(QImage::Format_RGB32);
        if (baseline.isNull() || baseline.size() != image.size())
        {
            image.save(candidate);
            QFAIL(qPrintable("no usable baseline " + baselinePath + "; candidate: " + candidate));
        }
        const int bad = differingPixels(image, baseline);
        const double fraction = double(bad) / (image.width() * image.height());
        qInfo("%s: %d pixels differ (%.3f%%)", qPrintable(name), bad, 100 * fraction);
        if (fraction > kPixelFraction)
        {
            image.save(candidate);
            QFAIL(qPrintable(QString("%1% of the pixels differ from the baseline; candidate: %2")
                                 .arg(100 * fraction)
                                 .arg(candidate)));
        }
    }

    void levelOfDetailWhileMoving()
    {
        EmbeddingView view;
        view.setFixedSize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const int64_t n = EmbeddingView::kLevelOfDetailThreshold + 50000;
        std::vector<float> xyz(static_cast<size_t>(n) * 3);
        for (int64_t i = 0; i < n; ++i)
        {
            xyz[static_cast<size_t>(3 * i)] = static_cast<float>(i % 500);
            xyz[static_cast<size_t>(3 * i + 1)] = static_cast<float>(i / 500);
        }
        view.setPoints(xyz);
        QVERIFY(view.hasLevelOfDetail());
        // The coarse cloud takes the same colours: all red here.
        std::vector<uint8_t> red(static_cast<size_t>(n) * 3, 0);
        for (size_t i = 0; i < red.size(); i += 3)
            red[i] = 255;
        view.setColors(red);
        view.beginInteraction();
        const QImage moving = view.renderImage(1).convertToFormat(QImage::Format_RGB32);
        view.endInteraction();
        const QImage still = view.renderImage(1).convertToFormat(QImage::Format_RGB32);
        auto redPixels = [](const QImage& image)
        {
            int count = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    count += (image.pixel(x, y) & 0xffffff) == 0xff0000 ? 1 : 0;
            return count;
        };
        QVERIFY(redPixels(moving) > 1000);
        QVERIFY(redPixels(still) >= redPixels(moving)); // full detail covers at least as much
        view.setPoints({0, 0, 0, 1, 1, 0});
        QVERIFY(!view.hasLevelOfDetail());
    }

    void aBrokenSceneIsCaught()
    {
        // The comparison itself must be able to fail: a scene with other colours differs.
        EmbeddingView view;
        view.setFixedSize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        fixedScene(view, false);
        view.setColors(std::vector<uint8_t>(static_cast<size_t>(view.pointCount()) * 3, 0));
        QTest::qWait(50);
        const QImage image = view.renderImage(1).convertToFormat(QImage::Format_RGB32);
        const QImage baseline = QImage(CLUSTERSCOPE_TEST_DATA "/baselines/embedding_2d.png")
                                    .convertToFormat(QImage::Format_RGB32);
        QVERIFY(!baseline.isNull());
        QVERIFY(double(differingPixels(image, baseline)) / (400 * 300) > kPixelFraction);
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestEmbeddingRender)
#include "test_embedding_render.moc"

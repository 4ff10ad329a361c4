// Rendering regression: the embedding view draws small scenes, one per feature (a colour per
// cluster, noise in grey, the faded rest of a selection, point size, perspective 3D, the
// level-of-detail cloud while the camera moves), and each grabbed image is compared with a
// committed baseline (tests/data/baselines/render_<scene>.png). For every scene, the scene with
// its feature broken (noise in its cluster's colour, noise or points missing, colours swapped,
// no fading, a smaller point size, flattened depth, the full cloud while moving) must fail the
// same comparison: the tolerance is tight enough to see what the scene is about.
//
// Tolerance, measured on Xvfb + Mesa llvmpipe: a scene rendered again differs from its baseline
// by 0 pixels (largest channel difference 0). A pixel counts as different when a channel differs
// by more than 8, and a scene fails when more than 12 pixels differ; the smallest breakage
// below (one point of 6 x 6 pixels missing) changes 36.
//
// Updating: a failed comparison, a missing baseline, or CLUSTERSCOPE_UPDATE_BASELINES=1 writes
// the candidate images to CLUSTERSCOPE_TEST_OUTPUT (in the build folder, never tests/data) and
// FAILS, naming the copy command. Review the candidates, copy them, and run the test again.

#include "embedding_view.h"
#include "gui_main.h"
#include "palette.h"

#include <QDir>

#include <cmath>
#include <functional>
#include <numeric>

using namespace clusterscope;

namespace
{

constexpr int kChannelTolerance = 8;
constexpr int kMaxDifferingPixels = 12;
constexpr int kWidth = 320; // the view's minimum size
constexpr int kHeight = 240;

struct Scene
{
    std::vector<float> xyz;
    std::vector<uint8_t> rgb; // N x 3
    bool threeD = false;
    double pointSize = 6;
    std::vector<int64_t> selection;
    bool moving = false; // drawn between beginInteraction and endInteraction
};

// Rings of 12 points around the given centres, one cluster per ring, then the extra points.
struct Layout
{
    std::vector<float> xyz;
    std::vector<int64_t> ids;

    void ring(float cx, float cy, float cz, int64_t id)
    {
        for (int i = 0; i < 12; ++i)
        {
            const double a = i * M_PI / 6;
            xyz.insert(xyz.end(), {cx + static_cast<float>(0.6 * std::cos(a)),
                                   cy + static_cast<float>(0.6 * std::sin(a)), cz});
            ids.push_back(id);
        }
    }
    void point(float x, float y, int64_t id)
    {
        xyz.insert(xyz.end(), {x, y, 0.0f});
        ids.push_back(id);
    }
    void remove(size_t row)
    {
        xyz.erase(xyz.begin() + static_cast<std::ptrdiff_t>(3 * row),
                  xyz.begin() + static_cast<std::ptrdiff_t>(3 * row + 3));
        ids.erase(ids.begin() + static_cast<std::ptrdiff_t>(row));
    }
    Scene scene() const
    {
        Scene s;
        s.xyz = xyz;
        s.rgb = categoricalColors(ids);
        return s;
    }
};

// Six clusters on a 3 x 2 grid. Row 12 + 3 (in the middle top ring) lies inside the bounds,
// so removing it leaves the camera where it was.
Layout sixClusters()
{
    Layout l;
    int64_t id = 0;
    for (float y : {1.0f, -1.0f})
        for (float x : {-2.5f, 0.0f, 2.5f})
            l.ring(x, y, 0, id++);
    return l;
}

// Three clusters and eight noise points between them (all inside the clusters' bounds).
Layout threeClustersWithNoise(bool noiseInClusterColour)
{
    Layout l;
    l.ring(-2, 0, 0, 0);
    l.ring(2, 0, 0, 1);
    l.ring(0, 2, 0, 2);
    const float noise[8][2] = {{-1, 0.3f}, {-1, -0.4f}, {1, 0.3f},     {1, -0.4f},
                               {0, 0.5f},  {0, -0.3f},  {-0.8f, 1.3f}, {0.8f, 1.3f}};
    for (const auto& p : noise)
        l.point(p[0], p[1], noiseInClusterColour ? (p[0] < 0 ? 0 : 1) : -1);
    return l;
}

Scene withNoise(bool noiseInClusterColour, bool noiseDrawn)
{
    Layout l = threeClustersWithNoise(noiseInClusterColour);
    if (!noiseDrawn)
    {
        while (l.ids.size() > 36)
            l.remove(l.ids.size() - 1);
    }
    return l.scene();
}

Scene selected(std::vector<int64_t> rows)
{
    Scene s = threeClustersWithNoise(false).scene();
    s.selection = std::move(rows);
    return s;
}

std::vector<int64_t> rowsOf(int64_t first, int64_t count)
{
    std::vector<int64_t> rows(static_cast<size_t>(count));
    std::iota(rows.begin(), rows.end(), first);
    return rows;
}

// Four clusters at different depths, seen in perspective.
Scene depth(bool flattened)
{
    Layout l;
    const float at[4][3] = {{-1.5f, 0, -2}, {1.5f, 0, 2}, {0, 1.5f, 0}, {0, -1.5f, 1}};
    for (int c = 0; c < 4; ++c)
        l.ring(at[c][0], at[c][1], flattened ? 0.0f : at[c][2], c);
    Scene s = l.scene();
    s.threeD = true;
    return s;
}

// 300000 points: the coarse cloud takes every 3rd row. Those rows fill the left block in red,
// the others the right block in blue, so the image says which cloud is drawn and whether the
// coarse cloud took its rows' colours.
Scene levelOfDetail(bool moving, bool strideRowsBlue)
{
    const int64_t n = 300000;
    Scene s;
    s.xyz.resize(static_cast<size_t>(n) * 3);
    s.rgb.resize(static_cast<size_t>(n) * 3);
    s.pointSize = 2;
    s.moving = moving;
    for (int64_t i = 0; i < n; ++i)
    {
        const bool onStride = i % 3 == 0;
        const int64_t j = onStride ? i / 3 : i - i / 3 - 1; // index within its block
        const auto k = static_cast<size_t>(i);
        s.xyz[3 * k] = (onStride ? -2.0f : 0.2f) + static_cast<float>(j % 400) * 0.0045f;
        s.xyz[3 * k + 1] = static_cast<float>(j / 400) * 0.005f;
        const bool red = onStride != strideRowsBlue;
        s.rgb[3 * k] = red ? 220 : 30;
        s.rgb[3 * k + 2] = red ? 30 : 220;
    }
    return s;
}

QImage render(const Scene& scene)
{
    EmbeddingView view;
    view.setFixedSize(kWidth, kHeight);
    view.show();
    if (!QTest::qWaitForWindowExposed(&view))
        return {};
    view.setPoints(scene.xyz);
    view.setThreeD(scene.threeD);
    view.setPointSize(scene.pointSize);
    view.setColors(scene.rgb);
    view.setSelection(scene.selection);
    if (scene.moving)
        view.beginInteraction();
    QTest::qWait(20);
    return view.renderImage(1).convertToFormat(QImage::Format_RGB32);
}

struct Difference
{
    int pixels = 0;     // pixels with a channel off by more than kChannelTolerance
    int maxChannel = 0; // the largest channel difference anywhere
    bool passes() const { return pixels <= kMaxDifferingPixels; }
};

Difference compare(const QImage& a, const QImage& b)
{
    Difference d;
    if (a.size() != b.size())
    {
        d.pixels = std::max(a.width() * a.height(), b.width() * b.height());
        d.maxChannel = 255;
        return d;
    }
    for (int y = 0; y < a.height(); ++y)
    {
        for (int x = 0; x < a.width(); ++x)
        {
            const QRgb p = a.pixel(x, y);
            const QRgb q = b.pixel(x, y);
            const int channel =
                std::max({std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)),
                          std::abs(qBlue(p) - qBlue(q))});
            d.maxChannel = std::max(d.maxChannel, channel);
            d.pixels += channel > kChannelTolerance ? 1 : 0;
        }
    }
    return d;
}

struct Case
{
    QString baseline; // render_<baseline>.png
    std::function<Scene()> scene;
};

// The scenes with committed baselines.
const std::vector<Case>& scenes()
{
    static const std::vector<Case> all{
        {"colours", [] { return sixClusters().scene(); }},
        {"noise", [] { return withNoise(false, true); }},
        {"selection", [] { return selected(rowsOf(12, 12)); }},
        {"point_size",
         []
         {
             Scene s = sixClusters().scene();
             s.pointSize = 9;
             return s;
         }},
        {"three_d", [] { return depth(false); }},
        {"level_of_detail", [] { return levelOfDetail(true, false); }},
    };
    return all;
}

QString baselinePath(const QString& name)
{
    return QString(CLUSTERSCOPE_TEST_DATA "/baselines/render_%1.png").arg(name);
}

QString candidatePath(const QString& name)
{
    QDir().mkpath(CLUSTERSCOPE_TEST_OUTPUT);
    return QString(CLUSTERSCOPE_TEST_OUTPUT "/render_%1.png").arg(name);
}

} // namespace

class TestEmbeddingRender : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesBaseline_data()
    {
        QTest::addColumn<int>("index");
        for (size_t i = 0; i < scenes().size(); ++i)
            QTest::newRow(qPrintable(scenes()[i].baseline)) << static_cast<int>(i);
    }

    void matchesBaseline()
    {
        QFETCH(int, index);
        const Case& c = scenes()[static_cast<size_t>(index)];
        const QImage image = render(c.scene());
        QCOMPARE(image.size(), QSize(kWidth, kHeight));
        const QString baseline = baselinePath(c.baseline);
        const QString candidate = candidatePath(c.baseline);
        const QString copy = "cp " + candidate + " " + baseline;
        if (qEnvironmentVariableIsSet("CLUSTERSCOPE_UPDATE_BASELINES"))
        {
            QVERIFY(image.save(candidate));
            QFAIL(qPrintable("CLUSTERSCOPE_UPDATE_BASELINES: candidate written; review it, then " +
                             copy + ", and run the test without the variable"));
        }
        const QImage expected = QImage(baseline).convertToFormat(QImage::Format_RGB32);
        if (expected.isNull())
        {
            QVERIFY(image.save(candidate));
            QFAIL(qPrintable("no baseline " + baseline + "; to accept the candidate: " + copy));
        }
        const Difference d = compare(image, expected);
        qInfo("%s: %d pixels differ by more than %d; largest channel difference %d",
              qPrintable(c.baseline), d.pixels, kChannelTolerance, d.maxChannel);
        if (!d.passes())
        {
            QVERIFY(image.save(candidate));
            QFAIL(qPrintable(QString("%1 pixels differ from %2 (at most %3 may); if the change is "
                                     "intended: %4")
                                 .arg(d.pixels)
                                 .arg(baseline)
                                 .arg(kMaxDifferingPixels)
                                 .arg(copy)));
        }
    }

    // Each scene with its feature broken must fail the comparison with its baseline.
    void aBrokenFeatureFails_data()
    {
        QTest::addColumn<QString>("baseline");
        QTest::addColumn<int>("mutation");
        int m = 0;
        for (const char* row :
             {"colours: clusters 1 and 2 swap colours", "colours: one point missing",
              "noise: drawn in cluster colours", "noise: not drawn", "selection: nothing selected",
              "selection: another cluster selected", "point_size: 8 instead of 9",
              "three_d: depth flattened", "three_d: drawn in 2D",
              "level_of_detail: full cloud drawn",
              "level_of_detail: coarse cloud in other rows' colours"})
        {
            const QString tag(row);
            QTest::newRow(row) << tag.left(tag.indexOf(':')) << m++;
        }
    }

    void aBrokenFeatureFails()
    {
        QFETCH(QString, baseline);
        QFETCH(int, mutation);
        Scene s;
        switch (mutation)
        {
        case 0:
        {
            Layout l = sixClusters();
            for (auto& id : l.ids)
                id = id == 1 ? 2 : id == 2 ? 1 : id;
            s = l.scene();
            break;
        }
        case 1:
        {
            Layout l = sixClusters();
            l.remove(12 + 3);
            s = l.scene();
            break;
        }
        case 2:
            s = withNoise(true, true);
            break;
        case 3:
            s = withNoise(false, false);
            break;
        case 4:
            s = selected({});
            break;
        case 5:
            s = selected(rowsOf(24, 12));
            break;
        case 6:
            s = sixClusters().scene();
            s.pointSize = 8;
            break;
        case 7:
            s = depth(true);
            break;
        case 8:
            s = depth(false);
            s.threeD = false;
            break;
        case 9:
            s = levelOfDetail(false, false);
            break;
        case 10:
            s = levelOfDetail(true, true);
            break;
        default:
            QFAIL("unknown mutation");
        }
        const QImage expected =
            QImage(baselinePath(baseline)).convertToFormat(QImage::Format_RGB32);
        QVERIFY2(!expected.isNull(), qPrintable("no baseline " + baselinePath(baseline)));
        const Difference d = compare(render(s), expected);
        qInfo("%d pixels differ; largest channel difference %d", d.pixels, d.maxChannel);
        QVERIFY2(!d.passes(), "the broken scene passes the comparison");
    }

    void levelOfDetailOnlyAboveTheThreshold()
    {
        EmbeddingView view;
        view.setPoints(levelOfDetail(false, false).xyz);
        QVERIFY(view.hasLevelOfDetail());
        view.setPoints(std::vector<float>(
            static_cast<size_t>(EmbeddingView::kLevelOfDetailThreshold) * 3, 0.0f));
        QVERIFY(!view.hasLevelOfDetail());
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestEmbeddingRender)
#include "test_embedding_render.moc"

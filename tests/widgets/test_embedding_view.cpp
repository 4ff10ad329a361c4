// The embedding view's picking and projection: hover reports the data's row whether the full
// cloud or the level-of-detail cloud is drawn; a box selection never takes a point behind the
// camera; the exported figure draws each point where the view does (one projection,
// projectToRect in figure_scene.h).

#include "coloring.h"
#include "embedding_view.h"
#include "figure_checks.h"
#include "figure_renderer.h"
#include "gui_main.h"
#include "hchc_figure.h"
#include "palette.h"
#include "rule_geometry.h"

#include <ATen/ATen.h>
#include <QOpenGLWidget>
#include <QPainter>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <optional>
#include <set>
#include <tuple>

using namespace clusterscope;

namespace
{

QWidget* glOf(EmbeddingView& view)
{
    return view.findChild<QOpenGLWidget*>();
}

// A mouse move without buttons over the view, as the pointer makes when hovering.
void hover(QWidget* gl, QPointF at)
{
    QMouseEvent move(QEvent::MouseMove, at, gl->mapToGlobal(at), Qt::NoButton, Qt::NoButton,
                     Qt::NoModifier);
    QApplication::sendEvent(gl, &move);
}

// Wheel steps forward: in 3D the camera dollies towards the focal point.
void dollyIn(QWidget* gl, int steps)
{
    const QPointF centre(gl->width() / 2.0, gl->height() / 2.0);
    for (int i = 0; i < steps; ++i)
    {
        QWheelEvent wheel(centre, gl->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton,
                          Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(gl, &wheel);
    }
}

// A cube of 11 x 11 x 11 points in [-1, 1]^3.
std::vector<float> cube()
{
    std::vector<float> xyz;
    for (int i = 0; i < 11; ++i)
        for (int j = 0; j < 11; ++j)
            for (int k = 0; k < 11; ++k)
                for (int v : {i, j, k})
                    xyz.push_back(static_cast<float>(v - 5) / 5.0F);
    return xyz;
}

// The clip-space w of a point: the test's own reading of the matrix, not the product's.
double clipW(const std::array<double, 16>& m, const float* p)
{
    return m[12] * p[0] + m[13] * p[1] + m[14] * p[2] + m[15];
}

// Where a point behind the camera would land if the perspective divide were applied anyway
// (mirrored through the camera), in widget coordinates.
QPointF mirrored(const std::array<double, 16>& m, const float* p, double w, double h)
{
    const double cw = clipW(m, p);
    const double nx = (m[0] * p[0] + m[1] * p[1] + m[2] * p[2] + m[3]) / cw;
    const double ny = (m[4] * p[0] + m[5] * p[1] + m[6] * p[2] + m[7]) / cw;
    return {(nx + 1) / 2 * w, (1 - ny) / 2 * h};
}

// The centroid of the pixels of exactly `color`, or nothing if none has it.
std::optional<QPointF> centroidOf(const QImage& image, QRgb color)
{
    double sx = 0, sy = 0;
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if ((image.pixel(x, y) & 0xffffff) == (color & 0xffffff))
            {
                sx += x + 0.5;
                sy += y + 0.5;
                ++n;
            }
    if (n == 0)
        return std::nullopt;
    return QPointF(sx / n, sy / n);
}

// A view of 400 x 300 holding the cube, in 3D, dollied until the camera is inside the cube.
void cubeFromInside(EmbeddingView& view)
{
    view.setFixedSize(400, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setPoints(cube());
    view.setThreeD(true);
    dollyIn(glOf(view), 20);
    QTest::qWait(20);
}

} // namespace

class TestEmbeddingView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A data palette colours by label code: a category no row has (scanpy keeps unused ones)
    // shifts no colour; a metadata column's palette colours it too.
    void dataPalettesFollowTheirCodes()
    {
        Dataset d;
        d.features = at::zeros({4, 2});
        d.labels = {0, 2, 2, 0}; // no row of category 1
        d.labelNames = {"B", "NK", "T"};
        d.labelColors = {"#111111", "#222222", "#333333"};
        d.labelColumn = "cell_type";
        MetadataColumn batch;
        batch.name = "batch";
        batch.codes = {1, 1, 0, -1};
        batch.categories = {"a", "b"};
        batch.colors = {"#aa0000", "#00bb00"};
        d.metadata.push_back(batch);
        FigureScene scene;
        colorScene(scene, d, {}, "truth");
        QCOMPARE(scene.legend.size(), size_t{2});
        QCOMPARE(scene.legend[0].color, QColor("#111111"));
        QCOMPARE(scene.legend[1].color, QColor("#333333")); // T's, not NK's
        QCOMPARE(QColor(scene.rgb[3], scene.rgb[4], scene.rgb[5]), QColor("#333333"));
        colorScene(scene, d, {}, "meta:0");
        QCOMPARE(QColor(scene.rgb[0], scene.rgb[1], scene.rgb[2]), QColor("#00bb00"));
        QCOMPARE(QColor(scene.rgb[6], scene.rgb[7], scene.rgb[8]), QColor("#aa0000"));
        QCOMPARE(QColor(scene.rgb[9], scene.rgb[10], scene.rgb[11]), categoricalColor(-1, 0));
        // Without a palette: the shared categorical one, which the .h5ad exports use.
        d.labelColors.clear();
        colorScene(scene, d, {}, "truth");
        QCOMPARE(scene.legend[1].color, categoricalColor(1, 2));
        QCOMPARE(categoricalColor(1, 2), QColor(QString::fromStdString(categoricalHex(1, 2))));
    }

    // HCHC's anchors of similar clusters can sit a degree apart: their labels are spread to a
    // readable gap, in their anchors' order, and joined to them; anchors far apart keep theirs.
    // A rule in the plane of two features: its half-planes there (others counted), the slice
    // of a box inside them and a boundary segment, by hand.
    void ruleGeometryByHand()
    {
        Rule rule;
        rule.conditions = {{{{0, 1.0}}, Condition::Op::LessEqual, 1},
                           {{{1, 1.0}}, Condition::Op::GreaterEqual, 2},
                           {{{2, 1.0}}, Condition::Op::LessEqual, 5}};
        int skipped = 0;
        const auto planes = halfPlanesOf(rule, 0, 1, &skipped);
        QCOMPARE(planes.size(), size_t{2});
        QCOMPARE(skipped, 1);
        QCOMPARE(planes[1].b, -1.0); // y >= 2 reads -y <= -2
        QCOMPARE(planes[1].c, -2.0);
        const auto slice = clipBox(QRectF(0, 0, 4, 4), planes); // x <= 1, y >= 2: 1 x 2
        double area = 0;
        for (size_t i = 0; i < slice.size(); ++i)
        {
            const auto& p = slice[i];
            const auto& q = slice[(i + 1) % slice.size()];
            area += p.x() * q.y() - q.x() * p.y();
        }
        QVERIFY(std::abs(std::abs(area) / 2 - 2.0) < 1e-12);
        QVERIFY(clipBox(QRectF(0, 0, 4, 4), {{1, 0, -1}}).empty()); // x <= -1: nothing
        const auto line = boundaryInBox(QRectF(0, 0, 4, 4), {1, 1, 4});
        QVERIFY(line);
        const double len =
            std::hypot(line->first.x() - line->second.x(), line->first.y() - line->second.y());
        QVERIFY(std::abs(len - std::sqrt(32.0)) < 1e-12);
        QVERIFY(!boundaryInBox(QRectF(0, 0, 4, 4), {1, 0, 9}));
    }

    void closeAnchorLabelsAreSpreadApart()
    {
        const std::vector<double> angles{-90, -89.5, -89, 0, 90, 180};
        const auto spread = hchcLabelAngles(angles, 40);
        QCOMPARE(spread.size(), angles.size());
        QVERIFY(spread[1] - spread[0] >= 40 - 1e-6 && spread[2] - spread[1] >= 40 - 1e-6);
        QVERIFY(std::abs(spread[1] - angles[1]) < 1e-6); // the middle one stays
        QCOMPARE(spread[4], 90.0);                       // far from the crowd: unmoved
        QCOMPARE(spread[5], 180.0);
        for (size_t i = 0; i + 1 < spread.size(); ++i)
            QVERIFY(spread[i] < spread[i + 1]);
        // A crowd across the seam at 180 / -180 is spread across it too.
        const auto seam = hchcLabelAngles({179.5, -179.5, 0}, 40);
        QVERIFY(std::fmod(seam[1] + 360 - seam[0], 360) >= 40 - 1e-6);
        HchcScene scene;
        scene.xy = {0, 0};
        scene.cycle = {0, 1, 2, 3, 4, 5};
        scene.anchorAngles = angles;
        const auto figure = hchcFigureScene(scene, {90, 90, 90}, 3, 10, "t");
        QCOMPARE(figure.markers.size(), size_t{6});
        QVERIFY(figure.markers[0].labelFrom && figure.markers[2].labelFrom);
        QVERIFY(!figure.markers[4].labelFrom);
    }

    void hoverReportsTheDataRowInBothClouds()
    {
        EmbeddingView view;
        view.setFixedSize(400, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // 300k points: the coarse cloud takes every 3rd. All sit in one corner but the target,
        // a row the coarse cloud holds (its point 50000).
        const int64_t n = 300000;
        const int64_t target = 150000;
        std::vector<float> xyz(static_cast<size_t>(n) * 3, -1.0F);
        for (size_t i = 0; i < xyz.size(); i += 3)
            xyz[i + 2] = 0;
        xyz[static_cast<size_t>(target) * 3] = 1;
        xyz[static_cast<size_t>(target) * 3 + 1] = 1;
        view.setPoints(xyz);
        QVERIFY(view.hasLevelOfDetail());
        QTest::qWait(50);
        QWidget* gl = glOf(view);
        QVERIFY(gl);
        const auto at = view.projectedPosition(target);
        QVERIFY(at);
        QSignalSpy hovered(&view, &EmbeddingView::pointHovered);
        const QPointF empty(gl->width() / 2.0, gl->height() / 2.0);

        hover(gl, *at); // the full cloud is drawn
        QVERIFY(!hovered.isEmpty());
        QCOMPARE(hovered.last().at(0).value<int64_t>(), target);
        hover(gl, empty);
        QCOMPARE(hovered.last().at(0).value<int64_t>(), int64_t{-1});

        view.beginInteraction(); // the coarse cloud stands in while the camera moves
        hover(gl, *at);
        QCOMPARE(hovered.last().at(0).value<int64_t>(), target);
        hover(gl, empty);
        QCOMPARE(hovered.last().at(0).value<int64_t>(), int64_t{-1});
        view.endInteraction();
    }

    void boxSelectionIgnoresPointsBehindTheCamera()
    {
        EmbeddingView view;
        cubeFromInside(view);
        QWidget* gl = glOf(view);
        const double w = gl->width();
        const double h = gl->height();
        const auto m = view.viewProjection(w / h);
        const auto xyz = cube();
        const QRectF whole(0, 0, w, h);
        // The scene must hold what the check is about: points behind the camera that a
        // projection without clipping would mirror into the view, and points in front.
        int mirroredIntoView = 0;
        int inFront = 0;
        for (size_t i = 0; i < xyz.size(); i += 3)
        {
            if (clipW(m, &xyz[i]) <= 0)
                mirroredIntoView += whole.contains(mirrored(m, &xyz[i], w, h)) ? 1 : 0;
            else
                ++inFront;
        }
        QVERIFY2(mirroredIntoView > 0, "the camera did not get inside the cube");
        QVERIFY(inFront > 0);

        QSignalSpy boxed(&view, &EmbeddingView::selectionDrawn);
        QTest::mousePress(gl, Qt::LeftButton, Qt::ShiftModifier, QPoint(1, 1));
        QTest::mouseMove(gl, QPoint(gl->width() / 2, gl->height() / 2));
        QTest::mouseRelease(gl, Qt::LeftButton, Qt::ShiftModifier,
                            QPoint(gl->width() - 2, gl->height() - 2));
        QCOMPARE(boxed.count(), 1);
        const auto& chosen = view.selection();
        QVERIFY(!chosen.empty());
        for (int64_t r : chosen)
        {
            QVERIFY2(clipW(m, &xyz[static_cast<size_t>(r) * 3]) > 0,
                     qPrintable(QString("row %1 is behind the camera").arg(r)));
            QVERIFY(view.projectedPosition(r));
        }
        for (size_t i = 0; i < xyz.size(); i += 3)
        {
            if (clipW(m, &xyz[i]) <= 0)
                QVERIFY(!view.projectedPosition(static_cast<int64_t>(i / 3)));
        }
        QVERIFY(!view.projectedPosition(-1));
        QVERIFY(!view.projectedPosition(view.pointCount()));
    }

    void theFigureDrawsPointsWhereTheViewDoes()
    {
        EmbeddingView view;
        cubeFromInside(view);
        const double w = glOf(view)->width();
        const double h = glOf(view)->height();
        const auto m = view.viewProjection(w / h);
        const auto xyz = cube();
        // Probes in distinct colours, drawn last so nothing covers them: three points in front,
        // far apart on screen, and one behind the camera that would mirror into the view.
        const std::vector<QRgb> frontColors{qRgb(255, 0, 0), qRgb(0, 200, 0), qRgb(0, 0, 255)};
        const QRgb behindColor = qRgb(255, 0, 255);
        std::vector<int64_t> front;
        int64_t behind = -1;
        for (int64_t r = 0; r < view.pointCount(); ++r)
        {
            const float* p = &xyz[static_cast<size_t>(r) * 3];
            if (clipW(m, p) <= 0)
            {
                if (behind < 0 && QRectF(0, 0, w, h).contains(mirrored(m, p, w, h)))
                    behind = r;
                continue;
            }
            const auto at = view.projectedPosition(r);
            if (!at || !QRectF(20, 20, w - 40, h - 40).contains(*at) ||
                front.size() == frontColors.size())
                continue;
            bool apart = true;
            for (int64_t f : front)
                apart = apart && QLineF(*view.projectedPosition(f), *at).length() > 30;
            if (apart)
                front.push_back(r);
        }
        QCOMPARE(front.size(), frontColors.size());
        QVERIFY(behind >= 0);

        FigureScene scene;
        scene.xyz = xyz;
        scene.rgb.assign(xyz.size(), 160);
        auto probe = [&](int64_t row, QRgb c)
        {
            scene.xyz.insert(scene.xyz.end(), &xyz[static_cast<size_t>(row) * 3],
                             &xyz[static_cast<size_t>(row) * 3] + 3);
            scene.rgb.insert(scene.rgb.end(),
                             {static_cast<uint8_t>(qRed(c)), static_cast<uint8_t>(qGreen(c)),
                              static_cast<uint8_t>(qBlue(c))});
        };
        for (size_t i = 0; i < front.size(); ++i)
            probe(front[i], frontColors[i]);
        probe(behind, behindColor);
        scene.viewProjection = m;
        scene.aspect = w / h;
        scene.showAxes = false;
        scene.pointSize = 8;
        // Without axes, title or legend the plot is the canvas less 16 on each side: the
        // view's own size here, so a view position maps to the figure shifted by (16, 16).
        QImage image(static_cast<int>(w) + 32, static_cast<int>(h) + 32, QImage::Format_RGB32);
        image.fill(Qt::white);
        {
            QPainter painter(&image);
            paintFigure(painter, scene, QSizeF(image.size()), true);
        }
        for (size_t i = 0; i < front.size(); ++i)
        {
            const auto drawn = centroidOf(image, frontColors[i]);
            QVERIFY2(drawn, qPrintable(QString("row %1 is not in the figure").arg(front[i])));
            const QPointF expected = *view.projectedPosition(front[i]) + QPointF(16, 16);
            QVERIFY2(QLineF(*drawn, expected).length() < 1.0,
                     qPrintable(QString("row %1: figure (%2, %3), view (%4, %5)")
                                    .arg(front[i])
                                    .arg(drawn->x())
                                    .arg(drawn->y())
                                    .arg(expected.x())
                                    .arg(expected.y())));
        }
        QVERIFY2(!centroidOf(image, behindColor), "a point behind the camera is in the figure");
    }

    // 40 clusters: every one is in the legend (in columns), none cut to "... more".
    void fortyClustersFitTheLegend()
    {
        FigureScene scene;
        std::vector<int64_t> ids;
        for (int64_t i = 0; i < 400; ++i)
        {
            scene.xyz.insert(scene.xyz.end(), {float(i % 20), float(i / 20), 0});
            ids.push_back(i % 40);
        }
        Dataset d;
        d.features = at::zeros({400, 2});
        colorScene(scene, d, ids, "cluster");
        QCOMPARE(scene.legend.size(), size_t{40});
        scene.viewProjection = fitOrthographic(scene.xyz, scene.aspect);
        QTemporaryDir dir;
        const QString svg = dir.filePath("forty.svg");
        QCOMPARE(renderFigure(scene, svg, {}), QString());
        const auto summary = figures::readSvg(svg);
        QVERIFY(summary.valid);
        QVERIFY2(summary.text.contains("39 (10)"), qPrintable(summary.text));
        QVERIFY(!summary.text.contains("more"));
        // Forty distinct colours: Glasbey's, not a 20-colour set repeated.
        std::set<std::tuple<uint8_t, uint8_t, uint8_t>> colours;
        for (size_t i = 0; i < 40; ++i)
            colours.insert({scene.rgb[3 * i], scene.rgb[3 * i + 1], scene.rgb[3 * i + 2]});
        QCOMPARE(colours.size(), size_t{40});
    }

    // Noise is drawn first and faint: a cluster's point on top of it keeps its colour.
    void noiseIsDrawnFaintAndBehind()
    {
        FigureScene scene;
        scene.xyz = {0, 0, 0, 1, 1, 0, 0, 0, 0}; // row 2 (noise) lies on row 0
        Dataset d;
        d.features = at::zeros({3, 2});
        colorScene(scene, d, {0, 1, -1}, "cluster");
        scene.showAxes = false;
        scene.legend.clear();
        scene.pointSize = 20;
        scene.viewProjection = fitOrthographic(scene.xyz, scene.aspect);
        QTemporaryDir dir;
        const QString png = dir.filePath("noise.png");
        QCOMPARE(renderFigure(scene, png, {}), QString());
        const QImage image(png);
        const QColor cluster = categoricalColor(0, 2);
        int clusterPixels = 0, greyPixels = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
            {
                const QColor c = image.pixelColor(x, y);
                clusterPixels += c == cluster ? 1 : 0;
                greyPixels += c == categoricalColor(-1, 0) ? 1 : 0;
            }
        QVERIFY2(clusterPixels > 100, qPrintable(QString::number(clusterPixels)));
        QCOMPARE(greyPixels, 0); // faint: never the full grey, and under the cluster
    }

    // Past kVectorPointLimit points a PDF embeds one raster layer, losslessly (never JPEG).
    void theRasterLayerIsLossless()
    {
        FigureScene scene;
        std::vector<int64_t> ids;
        for (int64_t i = 0; i < kVectorPointLimit + 10; ++i)
        {
            scene.xyz.insert(scene.xyz.end(), {float(i % 300), float(i / 300), 0});
            ids.push_back(i % 12);
        }
        Dataset d;
        d.features = at::zeros({static_cast<int64_t>(ids.size()), 2});
        colorScene(scene, d, ids, "cluster");
        scene.viewProjection = fitOrthographic(scene.xyz, scene.aspect);
        QTemporaryDir dir;
        const QString pdf = dir.filePath("many.pdf");
        QCOMPARE(renderFigure(scene, pdf, {}), QString());
        QProcess list;
        list.start("pdfimages", {"-list", pdf});
        QVERIFY(list.waitForFinished(30000));
        const QString images = QString::fromUtf8(list.readAllStandardOutput());
        const QStringList lines = images.split('\n', Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 3, qPrintable(images)); // a header, a rule, the layer
        for (const QString& line : lines.mid(2))
            QVERIFY2(!line.contains("jpeg"), qPrintable(images));
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestEmbeddingView)
#include "test_embedding_view.moc"

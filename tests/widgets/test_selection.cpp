// Selections drawn in the embedding view: a box or a lasso, Shift replacing the selection,
// Ctrl adding to it, Alt taking from it, Escape dropping the shape being drawn; a click with a
// modifier takes the nearest point; a small selection is ringed, so one selected point shows.
// The points a lasso holds are checked against Qt's own polygon test, not the product's mask.

#include "embedding_view.h"
#include "gui_main.h"
#include "selection_gesture.h"

#include <QOpenGLWidget>
#include <QPolygonF>
#include <QSignalSpy>

#include <limits>
#include <random>
#include <set>

using namespace clusterscope;

namespace
{

QWidget* glOf(EmbeddingView& view)
{
    return view.findChild<QOpenGLWidget*>();
}

void send(QWidget* gl, QEvent::Type type, QPoint at, Qt::KeyboardModifiers modifiers)
{
    const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
    const Qt::MouseButtons held =
        type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::MouseButtons(Qt::LeftButton);
    QMouseEvent event(type, QPointF(at), gl->mapToGlobal(QPointF(at)), button, held, modifiers);
    QApplication::sendEvent(gl, &event);
}

// A drag through `path` with `modifiers` held.
void drag(QWidget* gl, const QPolygon& path, Qt::KeyboardModifiers modifiers)
{
    send(gl, QEvent::MouseButtonPress, path.first(), modifiers);
    for (const QPoint& p : path)
        send(gl, QEvent::MouseMove, p, modifiers);
    send(gl, QEvent::MouseButtonRelease, path.last(), modifiers);
}

// A 2D grid of 21 x 21 points in [-1, 1]^2, in a shown 400 x 300 view.
void grid(EmbeddingView& view)
{
    std::vector<float> xyz;
    for (int i = 0; i <= 20; ++i)
        for (int j = 0; j <= 20; ++j)
            xyz.insert(xyz.end(),
                       {static_cast<float>(i - 10) / 10, static_cast<float>(j - 10) / 10, 0});
    view.setFixedSize(400, 300);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setPoints(xyz);
    view.setColors(std::vector<uint8_t>(xyz.size(), 200));
    QTest::qWait(20);
}

// The rows whose drawn point lies inside `polygon` by Qt's odd-even polygon test.
std::vector<int64_t> insideByQt(EmbeddingView& view, const QPolygonF& polygon)
{
    std::vector<int64_t> rows;
    for (int64_t r = 0; r < view.pointCount(); ++r)
        if (auto at = view.projectedPosition(r); at && polygon.containsPoint(*at, Qt::OddEvenFill))
            rows.push_back(r);
    return rows;
}

// How far `p` lies from the nearest edge of the closed `polygon`, in pixels.
double distanceToEdges(const QPolygonF& polygon, QPointF p)
{
    double nearest = std::numeric_limits<double>::infinity();
    for (int i = 0; i < polygon.size(); ++i)
    {
        const QPointF a = polygon[i], d = polygon[(i + 1) % polygon.size()] - a;
        const double t =
            std::clamp(QPointF::dotProduct(p - a, d) / QPointF::dotProduct(d, d), 0.0, 1.0);
        const QPointF q = a + t * d;
        nearest = std::min(nearest, std::hypot(p.x() - q.x(), p.y() - q.y()));
    }
    return nearest;
}

// Rows inside the polygon but more than `margin` pixels from every edge: a rasteriser must
// take them, whatever it does on the edge itself.
std::vector<int64_t> clearlyInside(EmbeddingView& view, const QPolygonF& polygon, double margin)
{
    std::vector<int64_t> rows;
    for (int64_t r : insideByQt(view, polygon))
        if (distanceToEdges(polygon, *view.projectedPosition(r)) > margin)
            rows.push_back(r);
    return rows;
}

} // namespace

class TestSelection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modifiersChooseTheMode()
    {
        QCOMPARE(selectionModeFor(Qt::NoModifier), std::nullopt);
        QCOMPARE(*selectionModeFor(Qt::ShiftModifier), SelectionMode::Replace);
        QCOMPARE(*selectionModeFor(Qt::ControlModifier), SelectionMode::Add);
        QCOMPARE(*selectionModeFor(Qt::AltModifier), SelectionMode::Remove);
        QCOMPARE(*selectionModeFor(Qt::ControlModifier | Qt::ShiftModifier), SelectionMode::Add);
    }

    void combiningByHand()
    {
        const std::vector<int64_t> current = {7, 1, 3, 3};
        QCOMPARE(combineSelection(current, {5, 2, 5}, SelectionMode::Replace),
                 (std::vector<int64_t>{2, 5}));
        QCOMPARE(combineSelection(current, {5, 3}, SelectionMode::Add),
                 (std::vector<int64_t>{1, 3, 5, 7}));
        QCOMPARE(combineSelection(current, {3, 9}, SelectionMode::Remove),
                 (std::vector<int64_t>{1, 7}));
        QCOMPARE(combineSelection({}, {}, SelectionMode::Add), std::vector<int64_t>{});
    }

    // The rasterised shape agrees with Qt's polygon test on random points away from its edges,
    // for a concave, self-crossing lasso.
    void theMaskAgreesWithThePolygonTest()
    {
        const QPolygonF star({{200, 20}, {240, 260}, {40, 100}, {360, 100}, {160, 260}});
        std::mt19937 random(5);
        std::uniform_real_distribution<double> x(0, 400), y(0, 300);
        std::vector<std::optional<QPointF>> points;
        for (int i = 0; i < 5000; ++i)
            points.emplace_back(QPointF(x(random), y(random)));
        points.emplace_back(std::nullopt); // a point not drawn is never chosen
        QPainterPath path;
        path.addPolygon(star);
        path.closeSubpath();
        const auto rows = rowsInShape(path, QSize(400, 300), points);
        const std::set<int64_t> chosen(rows.begin(), rows.end());
        int inside = 0, disagree = 0;
        for (size_t i = 0; i + 1 < points.size(); ++i)
        {
            const bool in = star.containsPoint(*points[i], Qt::OddEvenFill);
            inside += in;
            if (in != static_cast<bool>(chosen.count(static_cast<int64_t>(i))))
            {
                // Only a point within 1.5 px of an edge may go either way.
                const QPointF p = *points[i];
                QVERIFY2(distanceToEdges(star, p) <= 1.5,
                         qPrintable(QString("point (%1, %2)").arg(p.x()).arg(p.y())));
                ++disagree;
            }
        }
        QVERIFY(inside > 500);  // the star holds real points, and the odd-even centre is
        QVERIFY(inside < 4500); // empty, so not everything is inside
        QVERIFY(disagree < 50);
        QVERIFY(!chosen.count(static_cast<int64_t>(points.size() - 1)));
    }

    void aLassoSelectsWhatItEncloses()
    {
        EmbeddingView view;
        grid(view);
        view.setSelectionTool(SelectionTool::Lasso);
        QWidget* gl = glOf(view);
        // A concave "L" drawn free-hand, several pixels per move.
        const QPolygon lasso({{80, 60}, {150, 60}, {150, 180}, {300, 180}, {300, 240}, {80, 240}});
        QPolygon path;
        for (int i = 0; i < lasso.size(); ++i)
        {
            const QPoint a = lasso[i], b = lasso[(i + 1) % lasso.size()];
            for (int s = 0; s < 10; ++s)
                path << a + (b - a) * s / 10;
        }
        QSignalSpy drawn(&view, &EmbeddingView::selectionDrawn);
        drag(gl, path, Qt::ShiftModifier);
        QCOMPARE(drawn.count(), 1);
        const auto chosen = view.selection();
        const auto expected = insideByQt(view, QPolygonF(lasso));
        QVERIFY(expected.size() > 20);
        const std::set<int64_t> got(chosen.begin(), chosen.end());
        for (int64_t r : clearlyInside(view, QPolygonF(lasso), 2))
            QVERIFY2(got.count(r), qPrintable(QString("row %1 is inside the lasso").arg(r)));
        for (int64_t r : chosen)
        {
            // Nothing far outside: every chosen point is inside or on an edge.
            const QPointF p = *view.projectedPosition(r);
            QVERIFY(QPolygonF(lasso).boundingRect().adjusted(-2, -2, 2, 2).contains(p));
        }
        // The inner corner of the L is empty: a box over the lasso's extent would take it.
        const auto corner = view.pointsInRect(QRect(QPoint(170, 70), QPoint(290, 160)));
        QVERIFY(!corner.empty());
        for (int64_t r : corner)
            QVERIFY(!got.count(r));
        QCOMPARE(drawn.first().at(0).value<std::vector<int64_t>>(), chosen);
    }

    void ctrlAddsAltRemovesAndEscapeCancels()
    {
        EmbeddingView view;
        grid(view);
        QWidget* gl = glOf(view);
        const QRect left(QPoint(40, 40), QPoint(190, 260));
        const QRect right(QPoint(210, 40), QPoint(360, 260));
        drag(gl, QPolygon({left.topLeft(), left.bottomRight()}), Qt::ShiftModifier);
        const auto a = view.pointsInRect(left);
        const auto b = view.pointsInRect(right);
        QVERIFY(!a.empty() && !b.empty());
        QCOMPARE(view.selection(), a);
        drag(gl, QPolygon({right.topLeft(), right.bottomRight()}), Qt::ControlModifier);
        QCOMPARE(view.selection(), combineSelection(a, b, SelectionMode::Add));
        QCOMPARE(view.selection().size(), a.size() + b.size());
        drag(gl, QPolygon({left.topLeft(), left.bottomRight()}), Qt::AltModifier);
        QCOMPARE(view.selection(), b);
        // Shift replaces again.
        drag(gl, QPolygon({left.topLeft(), left.bottomRight()}), Qt::ShiftModifier);
        QCOMPARE(view.selection(), a);

        // Escape while drawing drops the shape: nothing changes, nothing is emitted.
        QSignalSpy drawn(&view, &EmbeddingView::selectionDrawn);
        gl->setFocus();
        send(gl, QEvent::MouseButtonPress, right.topLeft(), Qt::ShiftModifier);
        send(gl, QEvent::MouseMove, right.bottomRight(), Qt::ShiftModifier);
        QTest::keyClick(gl, Qt::Key_Escape);
        send(gl, QEvent::MouseButtonRelease, right.bottomRight(), Qt::ShiftModifier);
        QCOMPARE(drawn.count(), 0);
        QCOMPARE(view.selection(), a);
        // A plain drag after it moves the camera, selecting nothing.
        drag(gl, QPolygon({right.topLeft(), right.bottomRight()}), Qt::NoModifier);
        QCOMPARE(drawn.count(), 0);
    }

    void modifierClicksTakeTheNearestPoint()
    {
        EmbeddingView view;
        grid(view);
        QWidget* gl = glOf(view);
        const int64_t target = 10 * 21 + 10; // the centre of the grid
        const QPoint at = view.projectedPosition(target)->toPoint() + QPoint(1, 1);
        drag(gl, QPolygon({at}), Qt::ControlModifier);
        QCOMPARE(view.selection(), std::vector<int64_t>{target});
        const int64_t other = 3 * 21 + 4;
        drag(gl, QPolygon({view.projectedPosition(other)->toPoint()}), Qt::ControlModifier);
        QCOMPARE(view.selection(), (std::vector<int64_t>{other, target}));
        drag(gl, QPolygon({at}), Qt::AltModifier);
        QCOMPARE(view.selection(), std::vector<int64_t>{other});
        // Ctrl on empty space keeps the selection; Shift there clears it.
        drag(gl, QPolygon({QPoint(2, 2)}), Qt::ControlModifier);
        QCOMPARE(view.selection(), std::vector<int64_t>{other});
        drag(gl, QPolygon({QPoint(2, 2)}), Qt::ShiftModifier);
        QVERIFY(view.selection().empty());
    }

    // One selected point among hundreds is ringed in near black; hundreds selected are not.
    void aSingleSelectedPointIsRinged()
    {
        EmbeddingView view;
        grid(view);
        view.setPointSize(4);
        const int64_t target = 10 * 21 + 10;
        const QPointF at = *view.projectedPosition(target);
        auto darkNear = [&](const QImage& image)
        {
            int dark = 0;
            for (int dy = -6; dy <= 6; ++dy)
                for (int dx = -6; dx <= 6; ++dx)
                {
                    const QColor c = image.pixelColor(int(at.x()) + dx, int(at.y()) + dy);
                    dark += c.red() < 60 && c.green() < 60 && c.blue() < 60;
                }
            return dark;
        };
        QCOMPARE(darkNear(view.renderImage()), 0);
        view.setSelection({target});
        QVERIFY2(darkNear(view.renderImage()) >= 8, "no ring round the selected point");
        std::vector<int64_t> many(EmbeddingView::kRingedSelection + 1);
        std::iota(many.begin(), many.end(), int64_t{0});
        many.back() = target;
        view.setSelection(many);
        QCOMPARE(darkNear(view.renderImage()), 0);
        view.setSelection({target});
        view.setPointSize(8); // the ring grows with the points
        QVERIFY(darkNear(view.renderImage()) >= 8);
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestSelection)
#include "test_selection.moc"

#pragma once
// Small multiples of the choose-k curves: one panel per criterion (silhouette, Calinski-Harabasz,
// Davies-Bouldin, BIC and AIC together, gap with its error bars), each criterion's preferred k
// marked, and the picked k as a line through every panel. Each panel has its k axis, value ticks
// and, where it holds two curves, a legend. Clicking a panel picks the k under the pointer.
// Painted with QPainter, the same on screen and in exported files (exportTo: PNG, SVG, PDF); a
// right-click offers Export Chart... (exportRequested).

#include <clusterscope/cluster/choose_k.h>

#include <QWidget>

namespace clusterscope
{

class ChooseKChart : public QWidget
{
    Q_OBJECT

public:
    explicit ChooseKChart(QWidget* parent = nullptr);

    void setResult(ChooseKResult result);
    const ChooseKResult& result() const { return result_; }
    int64_t pickedK() const { return picked_; }
    void setPickedK(int64_t k);
    QSize sizeHint() const override { return {760, 420}; }

    // The panel rectangles in widget coordinates, in drawing order (for tests), and in a
    // canvas of `size`.
    QList<QRectF> panelRects() const;
    QList<QRectF> panelRects(QSizeF size) const;
    // Paints the chart over `size`; writes it at 760 x 420 points, the format by the extension
    // (renderPainting: "" or the problem).
    void paint(QPainter& p, QSizeF size) const;
    QString exportTo(const QString& path, int scale = 2) const;
    // A panel's plotting area, and the x of k inside it.
    QRectF plotArea(const QRectF& panel) const;
    double xOf(const QRectF& plot, int64_t k) const;

Q_SIGNALS:
    void kPicked(qint64 k);
    // Export Chart... was chosen from the context menu.
    void exportRequested();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    struct Panel
    {
        QString title;
        std::vector<std::string> series; // curve names drawn in this panel
    };
    std::vector<Panel> panels() const;
    void paintPanel(QPainter& p, const QRectF& rect, const Panel& panel) const;

    ChooseKResult result_;
    int64_t picked_ = 0;
};

} // namespace clusterscope

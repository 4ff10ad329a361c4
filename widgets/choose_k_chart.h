#pragma once
// Small multiples of the choose-k curves: one panel per criterion (silhouette, Calinski-Harabasz,
// Davies-Bouldin, BIC and AIC together, gap with its error bars), each criterion's preferred k
// marked, and the picked k as a line through every panel. Clicking a panel picks the k under the
// pointer. Painted with QPainter, so it also renders into images for tests and exports.

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

    // The panel rectangles in widget coordinates, in drawing order (for tests).
    QList<QRectF> panelRects() const;
    // A panel's plotting area, and the x of k inside it.
    QRectF plotArea(const QRectF& panel) const;
    double xOf(const QRectF& plot, int64_t k) const;

Q_SIGNALS:
    void kPicked(qint64 k);

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

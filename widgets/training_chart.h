#pragma once
// Live training curves of a deep job, in two panels with axes, units and legends: the
// autoencoder's reconstruction loss (mean squared error) per pretraining epoch; and per
// target-distribution update, the clustering loss on the left axis and, on the right axis as
// fractions of the rows, the labels changed and (when labels are known) ACC. Painted with
// QPainter, the same on screen and in exported files (renderPainting: PNG, SVG, PDF); a
// right-click offers Export Chart... (exportRequested).

#include <QSizeF>
#include <QWidget>

#include <map>
#include <string>
#include <vector>

class QPainter;

namespace clusterscope
{

class TrainingChart : public QWidget
{
    Q_OBJECT

public:
    using History = std::map<std::string, std::vector<double>>;

    explicit TrainingChart(QWidget* parent = nullptr);
    void setHistory(History history);
    const History& history() const { return history_; }
    void clear();
    QSize sizeHint() const override { return {560, 220}; }

    // Paints the chart over `size` (points on paper, pixels on screen).
    void paint(QPainter& p, QSizeF size) const;
    // Writes the chart at 720 x 300 points; the format follows the extension. Returns "" or
    // the problem (renderPainting's).
    QString exportTo(const QString& path, int scale = 2) const;

Q_SIGNALS:
    // Export Chart... was chosen from the context menu.
    void exportRequested();

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    // A series with at least one value, or null.
    const std::vector<double>* values(const std::string& name) const;
    void paintPretraining(QPainter& p, const QRectF& rect) const;
    void paintClustering(QPainter& p, const QRectF& rect) const;

    History history_;
};

} // namespace clusterscope

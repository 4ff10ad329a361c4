#pragma once
// Beside the embedding view: what colours the points, 2D or 3D, point size, the legend, and
// the inspector that shows the hovered row (with its image for image datasets).

#include "figure_scene.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;

namespace clusterscope
{

class ViewSidebar : public QWidget
{
    Q_OBJECT

public:
    explicit ViewSidebar(QWidget* parent = nullptr);

    QComboBox* colorBy() const { return colorBy_; }
    QCheckBox* threeD() const { return threeD_; }
    QDoubleSpinBox* pointSize() const { return pointSize_; }
    QListWidget* legend() const { return legend_; }

    // Legend entries: a swatch and a text each.
    void setLegend(const std::vector<LegendEntry>& entries, const QString& title);
    // A continuous colouring: a colour bar from lo to hi instead of legend entries.
    void setColorBar(double lo, double hi, const QString& title);
    QLabel* colorBar() const { return colorBar_; }
    void inspect(const QString& text, const QImage& thumbnail);

private:
    QComboBox* colorBy_;
    QCheckBox* threeD_;
    QDoubleSpinBox* pointSize_;
    QLabel* legendTitle_;
    QListWidget* legend_;
    QLabel* colorBar_;
    QLabel* inspector_;
    QLabel* thumbnail_;
};

} // namespace clusterscope

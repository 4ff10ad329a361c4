#pragma once
// A cluster's description seen in the plane of two features: the rows as points (x and y are
// the two features, each scaled to [0, 1] over the rows: their units differ), coloured as given,
// the rule's half-planes on those two features drawn as lines and the polyhedron's slice shaded.
// Conditions on other features cannot be drawn in this plane: the caption says how many. Plain C++
// arrays in.

#include "figure_scene.h"

#include <clusterscope/core/explanation.h>

#include <QColor>
#include <QWidget>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

class QComboBox;
class QLabel;

namespace clusterscope
{

class EmbeddingView;

class RuleView : public QWidget
{
    Q_OBJECT

public:
    explicit RuleView(QWidget* parent = nullptr);

    // `features`: N x D values, row-major; `names`: D; `rgb`: N x 3 colours of the points.
    void setData(std::vector<float> features, int64_t d, std::vector<std::string> names,
                 std::vector<uint8_t> rgb);
    // The rule to draw (null: none), in `colour`; the features shown become the first two its
    // conditions use (or, for a rule on one feature, that one and `fallback`).
    void setRule(const Rule* rule, const QColor& colour, int64_t fallback = -1);
    void setFeatures(int64_t x, int64_t y);
    int64_t featureX() const;
    int64_t featureY() const;
    int drawnConditions() const { return drawn_; }
    int hiddenConditions() const { return hidden_; }
    EmbeddingView* points() const { return view_; }
    // The view as a figure (PNG, SVG, PDF through figure_renderer): the points in the features'
    // own units (each axis fitted to its range) and the boundary lines as vector paths; the
    // title says how many conditions are drawn when some are not.
    FigureScene figureScene(const QString& title) const;

Q_SIGNALS:
    void pointHovered(int64_t row); // -1: none

private:
    void redraw();

    QComboBox* x_;
    QComboBox* y_;
    QLabel* caption_;
    EmbeddingView* view_;
    std::vector<float> features_;
    int64_t d_ = 0;
    std::vector<std::string> names_;
    std::vector<uint8_t> rgb_;
    std::optional<Rule> rule_;
    QColor colour_;
    int drawn_ = 0;
    int hidden_ = 0;
    std::vector<std::vector<QPointF>> lines_;      // boundaries and the slice's outline, world x-y
    std::vector<std::vector<QPointF>> boundaries_; // the boundary segments alone
    std::array<double, 4> range_{0, 1, 0, 1};      // x0, x1, y0, y1 of the shown features
};

} // namespace clusterscope

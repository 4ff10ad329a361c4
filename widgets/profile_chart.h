#pragma once
// A cluster's profile as a bar chart: for each of its most distinguishing features, how far the
// cluster's mean lies from the mean of all rows, in standard deviations of the feature (bars to
// the right: higher in the cluster). Painted with QPainter; plain values in.

#include <QString>
#include <QWidget>

#include <utility>
#include <vector>

namespace clusterscope
{

class ProfileChart : public QWidget
{
    Q_OBJECT

public:
    explicit ProfileChart(QWidget* parent = nullptr);

    // (feature name, standardised difference), drawn top to bottom in the given order (as many
    // as fit the height legibly).
    void setBars(std::vector<std::pair<QString, double>> bars, const QColor& colour);
    const std::vector<std::pair<QString, double>>& bars() const { return bars_; }

    QSize sizeHint() const override { return {320, 240}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<std::pair<QString, double>> bars_;
    QColor colour_;
};

// The features of `rows` (N x D, row-major) that set the rows marked in `member` apart most:
// (cluster mean - overall mean) / overall standard deviation, the `top` largest in magnitude,
// largest first; constant features are left out.
std::vector<std::pair<int64_t, double>> standardisedDifferences(const std::vector<float>& rows,
                                                                size_t d,
                                                                const std::vector<char>& member,
                                                                size_t top);

} // namespace clusterscope

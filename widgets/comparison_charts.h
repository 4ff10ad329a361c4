#pragma once
// How runs agree, drawn with QPainter (plain values in, so the session layer's comparison and
// the tests feed them directly):
//   AgreementChart: a heat map of a runs x runs matrix (ARI or NMI), each cell's value written
//   in it, the runs named on both axes;
//   AlluvialChart: two runs' clusters as two columns of stacked blocks (sized by their rows),
//   joined by bands whose width is the rows the two clusters share (an alluvial, or Sankey,
//   diagram: how clusters split and merge).
// Both paint the same way on screen and into exported files (renderPainting).

#include <QString>
#include <QWidget>

#include <cstdint>
#include <vector>

namespace clusterscope
{

class AgreementChart : public QWidget
{
    Q_OBJECT

public:
    explicit AgreementChart(QWidget* parent = nullptr);

    // `values` is names.size() squared, row-major, in [0, 1] (ARI below 0 is drawn as 0).
    void setMatrix(std::vector<QString> names, std::vector<double> values, const QString& title);
    const std::vector<double>& values() const { return values_; }
    void paint(QPainter& painter, QSizeF size) const;
    // PNG, SVG or PDF by the extension; "" on success, else the reason.
    QString exportTo(const QString& path, int scale = 2) const;

    QSize sizeHint() const override { return {520, 420}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<QString> names_;
    std::vector<double> values_;
    QString title_;
};

class AlluvialChart : public QWidget
{
    Q_OBJECT

public:
    explicit AlluvialChart(QWidget* parent = nullptr);

    // counts: left.size() x right.size(), row-major (Contingency's); the labels name each
    // column's clusters ("0 (52)", a cluster's name).
    void setFlows(std::vector<QString> left, std::vector<QString> right,
                  std::vector<int64_t> counts, const QString& leftTitle, const QString& rightTitle);
    void paint(QPainter& painter, QSizeF size) const;
    QString exportTo(const QString& path, int scale = 2) const;
    // The bands drawn: (left cluster, right cluster, rows), largest first; empty cells skipped.
    struct Band
    {
        size_t left = 0;
        size_t right = 0;
        int64_t rows = 0;
    };
    std::vector<Band> bands() const;

    QSize sizeHint() const override { return {520, 420}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<QString> left_;
    std::vector<QString> right_;
    std::vector<int64_t> counts_;
    QString leftTitle_;
    QString rightTitle_;
};

} // namespace clusterscope

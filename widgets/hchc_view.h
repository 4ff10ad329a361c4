#pragma once
// The view of a layout of clusters (HCHC: clusters on a Hamiltonian cycle): the unit circle,
// its arcs between consecutive anchors along the cycle, each anchor marked and labelled, and
// the samples placed among the anchors, outliers ringed. An EmbeddingView draws the samples, so
// picking, box selection and colouring work as in the embedding view. Plain C++ arrays in.

#include "hchc_figure.h"

#include <QString>
#include <QWidget>
#include <vtkSmartPointer.h>

#include <cstdint>
#include <vector>

class vtkActor;

namespace clusterscope
{

class EmbeddingView;

class HchcView : public QWidget
{
    Q_OBJECT

public:
    explicit HchcView(QWidget* parent = nullptr);
    ~HchcView() override;

    void setScene(const HchcScene& scene);
    void clear();
    int64_t sampleCount() const { return samples_; }
    int64_t anchorCount() const { return static_cast<int64_t>(labels_.size()); }
    void setColors(const std::vector<uint8_t>& rgb); // N x 3
    void setSelection(const std::vector<int64_t>& samples);
    // Rings one sample (the row hovered in another view); -1: none.
    void setHighlighted(int64_t sample);
    int64_t highlighted() const { return highlighted_; }
    const std::vector<int64_t>& selection() const;
    // The anchor label of cluster `cluster` (a flat button; clicking it emits anchorClicked).
    QWidget* anchorLabel(int64_t cluster) const;
    // Samples whose points project inside `rect` (widget coordinates of points()).
    std::vector<int64_t> samplesInRect(const QRect& rect) const;
    EmbeddingView* points() const { return view_; }
    // The view as it is on screen, labels included (PNG export).
    QImage renderImage();
    // The view as a figure (renderFigure: PNG, SVG, PDF): the samples as points in their
    // colours, the arcs as paths and the anchors as markers with their labels, all vector.
    FigureScene figureScene(const QString& title = {}) const;

Q_SIGNALS:
    void sampleHovered(int64_t sample); // -1: none
    void sampleClicked(int64_t sample); // -1: the background
    void boxSelected(const std::vector<int64_t>& samples);
    void anchorClicked(int64_t cluster);

protected:
    void resizeEvent(QResizeEvent* e) override;

private:
    void placeLabels();

    EmbeddingView* view_;
    int64_t samples_ = 0;
    std::vector<double> angles_;
    std::vector<double> labelAngles_; // where the labels go (hchcLabelAngles)
    std::vector<QWidget*> labels_;
    std::vector<uint8_t> outliers_;
    std::vector<float> xy_;
    std::vector<int64_t> cycle_;
    std::vector<uint8_t> anchorRgb_;
    int64_t highlighted_ = -1;
    vtkSmartPointer<vtkActor> ring_;
};

} // namespace clusterscope

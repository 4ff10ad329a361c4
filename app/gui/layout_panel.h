#pragma once
// The Layout dock: a layout of the registry (HCHC, ...) with its parameter form, the button
// that lays out the current run's soft assignment (or the reason it cannot), and the HchcView
// of the result. Selection is the session's (loaded rows), so it is shared with the embedding
// view both ways; clicking an anchor selects its cluster's rows.

#include <QWidget>

#include <cstdint>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;

namespace clusterscope
{

class EmbeddingView;
class HchcView;
class Job;
class LayoutController;
class ParameterForm;
class Session;

class LayoutPanel : public QWidget
{
    Q_OBJECT

public:
    // `colours`: the embedding view whose colouring the samples share.
    LayoutPanel(Session& session, LayoutController& controller, EmbeddingView* colours,
                QWidget* parent = nullptr);

    // Lays out the current run with the form's layout and parameters; nullptr, with the reason
    // in the panel (refusal()), when it cannot.
    Job* layOutCurrentRun();
    QString refusal() const;
    HchcView* view() const { return view_; }
    int shownRun() const { return shownRun_; }
    // The loaded row of each sample the view shows.
    const std::vector<int64_t>& shownRows() const { return rows_; }
    // Rings the samples of these loaded rows (an explanation's errors); empty: none.
    void markRows(const std::vector<int64_t>& rows);
    // PNG of the view as on screen, labels included.
    bool exportPng(const QString& path, QString* error = nullptr);
    // The view as a figure: PNG (at `scale`), SVG or PDF by the extension; the arcs, anchors
    // and labels stay vector (figure_renderer.h).
    bool exportFigure(const QString& path, int scale = 1, QString* error = nullptr);

Q_SIGNALS:
    void rowHovered(int64_t row); // -1: none

private:
    void showCurrentRun();
    void updateRefusal();
    void recolor();
    void showSelection();

    Session& session_;
    LayoutController& controller_;
    EmbeddingView* colours_;
    QComboBox* layout_;
    ParameterForm* form_;
    QPushButton* run_;
    QLabel* note_;
    QComboBox* colouring_;
    QPushButton* export_;
    HchcView* view_;
    int shownRun_ = 0;
    std::vector<int64_t> rows_;        // sample -> loaded row
    std::vector<int64_t> sampleOfRow_; // loaded row -> sample, or -1
};

} // namespace clusterscope

#pragma once
// Shows the session in the embedding view and its sidebar: the points of the data view, of
// the picked embedding (UMAP, ...), of the current run's own view (when its preparation
// differs) or of its learned embedding; the
// colouring chosen in the sidebar; the hovered row in the inspector; the selection.

#include "figure_scene.h"

#include <QObject>
#include <QStringList>

#include <set>
#include <vector>

class QAction;

namespace clusterscope
{

class EmbeddingView;
class Session;
class ViewSidebar;

class ViewPresenter : public QObject
{
    Q_OBJECT

public:
    // `showLearned`: the checkable action that picks the learned embedding's view.
    ViewPresenter(Session& session, EmbeddingView* view, ViewSidebar* sidebar, QAction* showLearned,
                  QObject* parent = nullptr);

    // N x 3, what the view shows now.
    const std::vector<float>& shownXyz() const { return shown_; }
    // The current run's labels on the loaded rows (live during training), or empty.
    const std::vector<int64_t>& clusters() const;
    // What the view shows, as a figure description independent of widgets.
    FigureScene figureScene(const QString& title) const;
    // The inspector shows loaded row `row` (hovered here or in another view); -1: none.
    void showRow(int64_t row);
    // Colours the points again (the palettes changed, setPalettes).
    void recolor();
    // The legend entries hidden in the view and its figures (LegendEntry::id of the current
    // colouring); a new colouring shows every entry again.
    const std::set<int64_t>& hiddenEntries() const { return hidden_; }
    void setHiddenEntries(std::set<int64_t> ids);

private:
    void showDataset();
    void showCurrentRun();
    void runChanged(int id);
    void updatePoints();
    void selectClusterColouring();
    void toggleEntry(int64_t id, bool shown);
    void askForName(int64_t id);
    void applyHidden();

    Session& session_;
    EmbeddingView* view_;
    ViewSidebar* sidebar_;
    QAction* showLearned_;
    std::vector<float> shown_;
    const void* shownSource_ = nullptr; // which coordinates `shown_` holds
    QStringList shownAxes_;             // their axes' titles, for figures
    FigureScene coloring_;
    std::set<int64_t> hidden_;
    QString hiddenMode_; // the colouring hidden_ belongs to
};

} // namespace clusterscope

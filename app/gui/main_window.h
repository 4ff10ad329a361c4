#pragma once
// The ClusterScope main window: open or drop a dataset, cluster it in the background, explore
// the result in the embedding view, export labels and figures.

#include "figure_scene.h"
#include "job_runner.h"
#include "method_panel.h"

#include <clusterscope/core/dataset.h>

#include <QMainWindow>

#include <map>
#include <memory>
#include <optional>
#include <vector>

class QAction;
class QLabel;
class QMenu;

namespace clusterscope
{

class ChooseKDialog;
class TrainingChart;
class DatasetPanel;
class EmbeddingView;
class JobsPanel;
class MethodPanel;
class ViewSidebar;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads the files in the background (several files: concatenated, or IDX images + labels).
    Job* openFiles(const QStringList& paths, const QString& labelColumn = {});
    Job* runClustering();
    // Opens the Choose k window; its Sweep button starts sweepK.
    ChooseKDialog* showChooseK();
    Job* sweepK(int64_t kMin, int64_t kMax);
    bool exportLabels(const QString& path, QString* error = nullptr);
    // PNG (at 1x, 2x or 4x), SVG or PDF, by the extension; text, axes and legend stay vector.
    bool exportFigure(const QString& path, int scale, QString* error = nullptr);
    // What the view shows, as a figure description independent of widgets.
    FigureScene figureScene() const;

    const Dataset* dataset() const { return dataset_.get(); }
    const std::vector<int64_t>& clusters() const { return clusters_; }
    const std::map<std::string, double>& metrics() const { return metrics_; }
    JobRunner& runner() { return runner_; }
    TrainingChart* trainingChart() const { return training_; }
    QAction* learnedEmbeddingAction() const { return showLearned_; }
    const std::vector<float>& shownXyz() const { return embedding_; }
    EmbeddingView* view() const { return view_; }
    ViewSidebar* sidebar() const { return sidebar_; }
    MethodPanel* methodPanel() const { return methodPanel_; }
    DatasetPanel* datasetPanel() const { return datasetPanel_; }

protected:
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;
    void closeEvent(QCloseEvent* e) override;

private:
    void buildMenus();
    static QString autoencoderCacheDir();
    // The Method panel's request, or nothing (with an error shown) when there is no data or
    // the form is invalid.
    std::optional<RunRequest> readyRequest();
    void buildDocks();
    void setDataset(std::shared_ptr<const Dataset> loaded, std::vector<float> xyz,
                    const QStringList& paths);
    void recolor();
    void setLearnedView(std::vector<float> xyz);
    void showRow(int64_t row);
    void showError(const QString& title, const QString& text);
    void updateStatus();
    void rememberRecent(const QStringList& paths);
    void rebuildRecentMenu();
    void showAbout();
    void exportLabelsDialog();
    void exportFigureDialog();

    JobRunner runner_;
    std::shared_ptr<const Dataset> dataset_;
    QStringList paths_;
    std::vector<int64_t> clusters_;
    std::vector<float> confidence_;
    at::Tensor soft_; // N x K soft assignments of the last run, or undefined
    std::map<std::string, double> metrics_;
    std::vector<float> embedding_;  // N x 3, what the view shows
    std::vector<float> dataXyz_;    // N x 3, the data's principal components
    std::vector<float> learnedXyz_; // N x 3, the last deep run's embedding, or empty
    QAction* showLearned_ = nullptr;
    FigureScene coloring_; // colours, legend or colour bar of what the view shows

    EmbeddingView* view_;
    ViewSidebar* sidebar_;
    DatasetPanel* datasetPanel_;
    MethodPanel* methodPanel_;
    JobsPanel* jobsPanel_;
    TrainingChart* training_;
    ChooseKDialog* chooseK_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QLabel* shapeLabel_;
    QLabel* deviceLabel_;
    QLabel* memoryLabel_;
};

} // namespace clusterscope

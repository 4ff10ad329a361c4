#pragma once
// The ClusterScope main window: a shell that builds the panels and wires them to the session
// layer (app/session). The state (dataset, runs, selection, views) lives in the Session; the
// controllers load, cluster, sweep k and export; the panels and the ViewPresenter show it.

#include "choose_k_controller.h"
#include "clustering_controller.h"
#include "dataset_loader.h"
#include "embedding_controller.h"
#include "explanation_controller.h"
#include "export_controller.h"
#include "figure_scene.h"
#include "import_choices.h"
#include "job_runner.h"
#include "layout_controller.h"
#include "preferences.h"
#include "session.h"

#include <clusterscope/core/dataset.h>

#include <QMainWindow>

#include <map>
#include <set>
#include <string>
#include <vector>

class QAction;
class QDockWidget;

namespace clusterscope
{

class ChooseKDialog;
class CompareDialog;
class FigureDialog;
class HistoryDialog;
class PreferencesDialog;
class DatasetPanel;
class EmbeddingPanel;
class EmbeddingView;
class JobsPanel;
class ExplanationPanel;
class LayoutPanel;
class MethodPanel;
class RecentFiles;
class RunsPanel;
class SelectionMenu;
class SessionActions;
class StatusIndicators;
class TrainingChart;
class ViewPresenter;
class ViewSidebar;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Loads the files in the background (several files: concatenated, or IDX images + labels),
    // with the Dataset panel's Load settings; one session file (.clusterscope) is opened as a
    // session (SessionActions::open). A load refused for missing values offers the
    // other missing-value policies (a box named "missingValuesBox"). `array`: the matrix of a
    // file that holds several (an AnnData layer, an HDF5 dataset's path); a plain HDF5 file
    // with several 2-D datasets and none named asks which first (a QInputDialog named
    // "matrixChooser") and returns nullptr: the load starts once one is picked.
    Job* openFiles(const QStringList& paths, const QString& labelColumn = {},
                   const QString& idColumn = {}, const QString& array = {});
    // File > Open, Open Folder, Open Recent, Open Demo and a drop: openFiles, after asking
    // (SessionActions::confirmReplace) when the session has runs that are not saved.
    void openAsked(const QStringList& paths);
    // A CSV/TSV table the user opens goes through the import step (an ImportDialog named
    // "importDialog") unless its remembered choices say to load as before; the demo and the
    // other formats open at once. Table-only Load settings (lines to skip, metadata and
    // ignored columns) belong to one file: another starts without them.
    void openOrImport(const QStringList& paths);
    // The import step for the table at `path`, starting from `start`.
    void showImportDialog(const QString& path, const ImportChoices& start);
    // Run > Cancel All Jobs: cancels the running jobs at once when none has run for
    // kConfirmCancelAfterMs, and otherwise asks first (a box named "confirmCancelAll").
    void cancelAllJobs();
    static constexpr qint64 kConfirmCancelAfterMs = 5000;
    // Starts the Method panel's request as a new run (nullptr, with an error shown, when there
    // is no data or the form is invalid).
    Job* runClustering();
    // Run > Re-cluster Selection: the Method panel's method on the selected rows alone, kept
    // as a sub-clustering of the current run (nullptr, with an error shown, without a
    // selection or data).
    Job* reclusterSelection();
    // Run > Merge Into Parent: the current run, a re-clustered selection, merged into the run
    // it split (Session::mergeIntoParent); 0, with the reason shown, when it is not one.
    int mergeIntoParent();
    // Starts the Embedding panel's reducer on its input (nullptr, with an error shown, when
    // there is no data or the form is invalid). The new embedding is shown when it is done.
    Job* computeEmbedding();
    // Runs the Method panel's method on the embedding's coordinates (nullptr on an error).
    Job* clusterEmbedding(int embeddingId);
    // Embedding > Load Coordinates / Coordinates from Columns: a map made elsewhere, from a
    // file (.npy, .npz, CSV/TSV) or from the loaded table's columns, kept and shown as an
    // embedding. 0, with an error shown, when it does not fit the loaded rows.
    int loadCoordinates(const QString& path);
    int coordinatesFromColumns(const std::vector<std::string>& columns);
    // Run > Compare Runs: the agreement of the finished runs, and two runs' contingency table
    // and alluvial diagram (compare_dialog.h).
    CompareDialog* showCompareRuns();
    // Run > Run History: every run kept, from this window, others and the CLI; filter,
    // re-run and compare, delete (history_dialog.h).
    HistoryDialog* showHistory();
    // File > Preferences: a non-modal dialog (preferences_dialog.h); OK saves its choices in
    // QSettings and applies them (applyPreferences).
    PreferencesDialog* showPreferences();
    const Preferences& preferences() const { return preferences_; }
    ClusteringController& clustering() { return clustering_; }
    // Opens the Choose k window; its Sweep button starts sweepK.
    ChooseKDialog* showChooseK();
    Job* sweepK(int64_t kMin, int64_t kMax);
    // The current run's labels, and its record beside them (<name>.run.json).
    bool exportLabels(const QString& path, QString* error = nullptr);
    // PNG (at 1x, 2x or 4x), SVG or PDF, by the extension; text, axes and legend stay vector.
    bool exportFigure(const QString& path, int scale, QString* error = nullptr);
    // What the view shows, as a figure description independent of widgets, titled by
    // figureTitle.
    FigureScene figureScene() const;
    // The dataset and what colours it: "digits · k-means (k=10)", "digits · true labels".
    QString figureTitle() const;
    // File > Export Figure...: the figure dialog on the view as it is (null, and an error box,
    // without a dataset).
    FigureDialog* exportFigureDialog();

    Session& session() { return session_; }
    const Dataset* dataset() const { return session_.dataset().get(); }
    // The current run's labels (one per loaded row) and metrics; empty without a run.
    const std::vector<int64_t>& clusters() const;
    const std::map<std::string, double>& metrics() const;
    JobRunner& runner() { return runner_; }
    TrainingChart* trainingChart() const { return training_; }
    QAction* learnedEmbeddingAction() const { return showLearned_; }
    const std::vector<float>& shownXyz() const;
    EmbeddingView* view() const { return view_; }
    ViewSidebar* sidebar() const { return sidebar_; }
    MethodPanel* methodPanel() const { return methodPanel_; }
    DatasetPanel* datasetPanel() const { return datasetPanel_; }
    EmbeddingPanel* embeddingPanel() const { return embeddingPanel_; }
    JobsPanel* jobsPanel() const { return jobsPanel_; }
    RunsPanel* runsPanel() const { return runsPanel_; }
    LayoutPanel* layoutPanel() const { return layoutPanel_; }
    ExplanationPanel* explanationPanel() const { return explanationPanel_; }
    // Session files: open, save, autosave, recovery.
    SessionActions* sessionActions() const { return sessionActions_; }
    // The Select menu: box or lasso, clear, name as a cluster.
    SelectionMenu* selectionMenu() const { return selectionMenu_; }
    // View > Cluster Layout of Run: shows the Layout dock (the layout of the current run's
    // soft assignment) beside the view.
    void showLayout();
    void showExplanation();

protected:
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;
    void closeEvent(QCloseEvent* e) override;

private:
    // Opens the table at `path` with `choices`; with `askOnFailure`, a load that fails (the
    // file changed since the choices were remembered) shows the import step again.
    Job* openImported(const QString& path, const ImportChoices& choices, bool askOnFailure);
    // The choices the shown table was read with, for Import Settings...
    ImportChoices loadedImportChoices() const;
    // The cache folder and history of new runs, and the Method panel's device and threads.
    void applyPreferences();
    // The loaded dataset's label and row-id choices, to read its files again with them.
    QString loadedLabelColumn() const;
    QString loadedIdColumn() const;
    QString loadedArray() const;
    void buildDocks();
    void buildMenus();
    void wireSession();
    void datasetShown();
    // The Dataset panel as the loaded data were read (labels, ids, Load settings).
    void showDatasetPanel();
    // Reads the dataset again with the Dataset panel's choices; when runs would be dropped,
    // asks first (a box named "readAgainBox": "readAgain", or "keepRuns" undoes the edit).
    void readAgain(const QString& labelColumn, const QString& idColumn, const QString& array);
    void runChanged(int id);
    void useChosenK(qint64 k);
    void showError(const QString& title, const QString& text);
    void offerMissingPolicies(const QStringList& paths, const QString& labelColumn,
                              const QString& idColumn, const QString& array,
                              const RunSettings& tried, const QString& error);
    // A plain HDF5 file with several 2-D datasets: which one to read (see openFiles).
    bool askForMatrix(const QStringList& paths, const QString& labelColumn,
                      const QString& idColumn);
    void exportLabelsDialog();
    void exportSelectionDialog();
    void exportProjectorDialog();

    // Declared first, destroyed last: the runner's destructor waits for its workers, whose
    // deliveries reach the session.
    Session session_;
    JobRunner runner_;
    DatasetLoader loader_;
    ClusteringController clustering_;
    ChooseKController chooseKController_;
    EmbeddingController embedder_;
    ExportController exporter_;
    LayoutController layouts_;
    ExplanationController explanations_;

    EmbeddingView* view_;
    ViewSidebar* sidebar_;
    DatasetPanel* datasetPanel_;
    MethodPanel* methodPanel_;
    EmbeddingPanel* embeddingPanel_;
    JobsPanel* jobsPanel_;
    RunsPanel* runsPanel_;
    LayoutPanel* layoutPanel_ = nullptr;
    QDockWidget* layoutDock_ = nullptr;
    ExplanationPanel* explanationPanel_ = nullptr;
    QDockWidget* explanationDock_ = nullptr;
    TrainingChart* training_;
    QAction* showLearned_;
    ViewPresenter* presenter_;
    StatusIndicators* status_;
    RecentFiles* recent_ = nullptr;
    ChooseKDialog* chooseK_ = nullptr;
    CompareDialog* compare_ = nullptr;
    HistoryDialog* history_ = nullptr;
    Preferences preferences_;
    std::set<int> runningHere_; // runs started in this window that have not finished yet
    SessionActions* sessionActions_;
    SelectionMenu* selectionMenu_;
    // The warnings the import dialog showed before Open: the load does not repeat them.
    std::set<std::string> warningsSeen_;
};

} // namespace clusterscope

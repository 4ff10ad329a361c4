#pragma once
// Run > Run History: every run the CLI and the GUI have kept (run_history.h), newest first,
// filtered as you type. A run's record shows beside the list; Re-run repeats it with the same
// data (read again if the window holds other data), method, parameters and settings, and says
// whether the labels came back identical; Delete removes runs and their labels. It follows the
// session: finished runs appear as they end.

#include <QDialog>

#include <map>
#include <run_history.h>
#include <vector>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace clusterscope
{

class ClusteringController;
class DatasetLoader;
class Session;

class HistoryDialog : public QDialog
{
    Q_OBJECT

public:
    HistoryDialog(Session& session, DatasetLoader& loader, ClusteringController& clustering,
                  QWidget* parent = nullptr);

    QLineEdit* filter() const { return filter_; }
    QTableWidget* table() const { return table_; }
    QPlainTextEdit* details() const { return details_; }
    // What the dialog last said: a re-run's agreement, or why it could not act.
    QLabel* status() const { return status_; }
    // The ids shown, in table order (newest first).
    std::vector<int64_t> shownIds() const;
    // Picks the row of run `id` (false when it is not shown).
    bool select(int64_t id);

    // Repeats the selected run (see the class comment); false, with the reason in status(),
    // when it cannot start. Its comparison appears in status() when the run ends.
    bool rerunSelected();
    // Asks, then deletes the selected runs (a box named "deleteHistoryBox", its button
    // "deleteRuns").
    void deleteSelected();
    // Reads the history again.
    void refresh();

private:
    void showDetails();
    bool startRerun(const HistoryRun& stored);
    void compareRerun(int runId);
    void say(const QString& text);

    Session& session_;
    DatasetLoader& loader_;
    ClusteringController& clustering_;
    QLineEdit* filter_;
    QLabel* where_;
    QTableWidget* table_;
    QPlainTextEdit* details_;
    QPushButton* rerun_;
    QPushButton* delete_;
    QLabel* status_;
    std::map<int, HistoryRun> reruns_; // session run id -> the history run it repeats
    // The loaded dataset's content hash, computed once per dataset.
    const void* hashedDataset_ = nullptr;
    std::string datasetHash_;
};

} // namespace clusterscope

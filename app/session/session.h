#pragma once
// The headless state of a ClusterScope window (after 3D Slicer's split of logic from widgets):
// the loaded dataset, every run as its own entry, the current run, the selection and the views'
// coordinates. QtCore only; widgets observe it through its signals, controllers change it, and
// the tests drive it without a window. Lives on the GUI thread: workers reach it only through
// their job's delivery closure or a queued call.

#include "embedding_entry.h"
#include "run_entry.h"

#include <clusterscope/core/dataset.h>
#include <clusterscope/metrics/color_slots.h>
#include <clusterscope/pipeline/run_record.h>

#include <QObject>
#include <QStringList>

#include <memory>
#include <vector>

namespace clusterscope
{

// The data view: the loaded features, scaled as chosen on import, by their first three
// principal components (or the columns themselves when there are at most three).
struct DataView
{
    std::vector<float> xyz;       // rows x 3 floats, row-major
    std::string scaling = "none"; // applyScaling's method, applied before the projection
    QStringList axes;             // "PC 1 (42.3 %)", ... or the column names (viewAxisTitles)
};

class Session : public QObject
{
    Q_OBJECT

public:
    explicit Session(QObject* parent = nullptr);
    ~Session() override;

    // A newly loaded dataset, with its view and where it came from. The runs of the previous
    // dataset are dropped, and so is the selection.
    void setDataset(std::shared_ptr<const Dataset> dataset, DataView view, RunSources sources);
    const std::shared_ptr<const Dataset>& dataset() const { return dataset_; }
    const DataView& dataView() const { return dataView_; }
    const std::vector<float>& dataXyz() const { return dataView_.xyz; }
    const RunSources& sources() const { return sources_; }
    QStringList paths() const;

    // A new run of `request` on the current dataset, Running; it becomes the current run.
    // `parentRun`: the run whose selection it re-clusters (0: none). Returns its id.
    int addRun(const RunRequest& request, int parentRun = 0);
    // The run with this id, or nullptr (never was, or dropped with its dataset).
    const RunEntry* run(int id) const;
    std::vector<int> runIds() const; // oldest first

    // These change the run `id` alone and return false when it no longer exists (its dataset
    // was replaced meanwhile), so a late delivery is dropped, never applied to another run.
    // A training update of a running run: its curves and, when given, its labels.
    bool updateTraining(int id, const TrainingUpdate& update, const std::vector<int64_t>& rows);
    // The finished result; `rows` maps the outcome's rows to loaded rows.
    bool finishRun(int id, RunOutcome outcome, std::vector<int64_t> rows, nlohmann::json record,
                   std::vector<float> viewXyz, std::vector<float> learnedXyz);
    // The embedding run `id` clusters (set as it starts).
    bool setRunEmbedding(int id, int embeddingId);
    // The layout of run `id`'s soft assignment (replacing an earlier one); emits layoutChanged.
    bool setRunLayout(int id, std::shared_ptr<const RunLayout> layout);
    // Names cluster `cluster` of run `id` (empty: back to its number); emits runChanged.
    bool renameCluster(int id, int64_t cluster, const QString& name);
    // Names typed in for the dataset's true labels, by label code, over the data's own ("0".."9"
    // or a names file's); an empty name takes the data's back. Dropped with the dataset; emits
    // labelNamesChanged.
    void renameLabel(int64_t label, const QString& name);
    const std::map<int64_t, QString>& labelNames() const { return labelNames_; }
    // The explanation of run `id`'s clusters (replacing an earlier one); emits
    // explanationChanged.
    bool setRunExplanation(int id, std::shared_ptr<const RunExplanation> explanation);
    // Failed or Cancelled, with the reason.
    bool endRun(int id, RunEntry::Status status, const QString& error = {});
    // A new finished run: the parent of run `childId` (a selection re-clustered) with the
    // selection's rows relabelled by the child (mergeSubclusters: the child's clusters take
    // the ids the split freed, then new ones); every other row keeps its cluster and name. Its
    // ACC, NMI, ARI and AMI are computed when the data have labels. It becomes the current
    // run; returns its id. Throws ParameterError saying why when the child is not a finished
    // re-clustered selection or its parent is gone or unfinished.
    int mergeIntoParent(int childId);
    // A new finished run: run `id` with the selected rows it clustered moved into a new cluster
    // named `name` (labelsWithNewCluster), every other row keeping its cluster and name; its
    // metrics are computed again as for a merge, and its record names the edit. It becomes the
    // current run; returns its id. Throws ParameterError saying why when the run is not a
    // finished one of the loaded data, or no selected row is one it clustered.
    int nameSelectionAsCluster(int id, const QString& name);

    // The run the window shows (0: none). Unknown ids are ignored.
    void setCurrentRun(int id);
    int currentRunId() const { return current_; }
    const RunEntry* currentRun() const { return run(current_); }

    // The dataset's embeddings (dropped with it). addEmbedding gives the entry its id and a name
    // unique among them ("UMAP (...) 2" for a second of the same), and returns the id.
    int addEmbedding(EmbeddingEntry entry);
    const EmbeddingEntry* embedding(int id) const; // nullptr: never was, or dropped
    std::vector<int> embeddingIds() const;         // oldest first
    // The embedding the view shows (0: the data view, PCA). Unknown ids are ignored.
    void setCurrentEmbedding(int id);
    int currentEmbeddingId() const { return currentEmbedding_; }
    const EmbeddingEntry* currentEmbedding() const { return embedding(currentEmbedding_); }

    // Selected loaded rows.
    void setSelection(std::vector<int64_t> rows);
    const std::vector<int64_t>& selection() const { return selection_; }

    // What the window shows besides the entries (the camera, what colours the points), kept
    // with the session so that a session file reopens on the same view. Opaque here: the
    // window writes and reads it.
    void setViewState(nlohmann::json state) { viewState_ = std::move(state); }
    const nlohmann::json& viewState() const { return viewState_; }

    // Replaces the dataset's runs, embeddings, selection and current choices with those of a
    // session file (session_file.h), keeping their ids; later ids continue after the largest.
    // Emits runAdded (and layoutChanged, explanationChanged) for each run, embeddingAdded for
    // each embedding, then the current choices and the selection. The entries' rows must be
    // the loaded dataset's (readSessionFile checks them against its row count).
    void restore(std::vector<RunEntry> runs, std::vector<EmbeddingEntry> embeddings,
                 std::vector<int64_t> selection, int currentRun, int currentEmbedding,
                 std::map<int64_t, QString> labelNames = {});

    // Counts changes (every signal above): the autosave writes when it has moved.
    uint64_t revision() const { return revision_; }

Q_SIGNALS:
    void datasetChanged();
    void runAdded(int id);
    void runChanged(int id); // training update, result or end
    void currentRunChanged(int id);
    void selectionChanged();
    void embeddingAdded(int id);
    void currentEmbeddingChanged(int id);
    void layoutChanged(int runId);
    void explanationChanged(int runId);
    void labelNamesChanged();

private:
    RunEntry* find(int id);
    // A finished run of `parent`'s request, rows and view with `labels` (one per loaded row):
    // its outcome's labels, cluster count and (with true labels) ACC, NMI, ARI and AMI, and the
    // names of the parent's clusters that kept a row outside `relabelled`. Given the next id.
    std::unique_ptr<RunEntry> relabelledRun(const RunEntry& parent, std::vector<int64_t> labels,
                                            const std::vector<uint8_t>& relabelled);
    int addFinished(std::unique_ptr<RunEntry> entry);

    std::shared_ptr<const Dataset> dataset_;
    DataView dataView_;
    RunSources sources_;
    std::vector<std::unique_ptr<RunEntry>> runs_;
    int nextId_ = 1;
    int current_ = 0;
    std::vector<int64_t> selection_;
    std::map<int64_t, QString> labelNames_;
    std::vector<std::unique_ptr<EmbeddingEntry>> embeddings_;
    int nextEmbeddingId_ = 1;
    int currentEmbedding_ = 0;
    nlohmann::json viewState_ = nlohmann::json::object();
    uint64_t revision_ = 0;
};

// The palette slots of `run`'s clusters as the view colours them: matched to the loaded
// dataset's true labels when it has them (metrics/color_slots.h). A run made by editing another
// (a selection named as a cluster, a split merged back) keeps its clusters' colours.
ColorSlots viewColorSlots(const Session& session, const RunEntry& run);

} // namespace clusterscope

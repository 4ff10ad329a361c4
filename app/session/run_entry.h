#pragma once
// One clustering run of the session: what was asked, where it stands, and what it produced.
// Every run keeps its own result; nothing of one run is ever written into another.

#include <clusterscope/pipeline/run.h>
#include <clusterscope/pipeline/run_record.h>

#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace clusterscope
{

// A layout (HCHC, any the registry has) of a finished run's soft assignment.
struct RunLayout
{
    const LayoutInfo* layout = nullptr; // the registry's entry
    ParamSet params;                    // over its schema
    uint64_t seed = 0;
    QString name; // "HCHC of run #3 (GMM (k=10))"
    // The layout of the run's clustered rows: row i of result.coordinates is loaded row rows[i].
    LayoutResult result;
    std::vector<int64_t> rows;
    // Each cluster's size (rows whose largest membership is that cluster), K of them.
    std::vector<int64_t> clusterSizes;
    // Each laid-out row's cluster: its largest membership.
    std::vector<int64_t> clusters;
};

// An explanation (polyhedral descriptions, threshold trees, profiles) of a finished run's
// clusters over the loaded features, in the file's units.
struct RunExplanation
{
    const ExplainerInfo* explainer = nullptr; // the registry's entry
    ParamSet params;                          // over its schema
    uint64_t seed = 0;
    QString name; // "Polyhedral descriptions of run #3 (k-means (k=3))"
    Explanation result;
    std::vector<int64_t> rows; // the explained rows (the run's clustered rows), loaded indices
    // coveredBy()'s answer: covered[i * K + c] is 1 when rows[i] satisfies the description of
    // result.clusters[c].
    std::vector<uint8_t> covered;
};

struct RunEntry
{
    enum class Status
    {
        Running,
        Finished,
        Failed,
        Cancelled,
    };

    int id = 0;         // unique in the session's life, never reused
    RunRequest request; // method, params, settings (its callbacks are not kept)
    Status status = Status::Running;
    QString error; // why it failed
    // Training curves so far (training methods), from its updates and then its result.
    std::map<std::string, std::vector<double>> history;
    // One cluster id per LOADED row: the latest labels of a training run, then the result's.
    // Rows the run did not cluster (a subset, dropped rows) hold -1. Empty before any labels.
    std::vector<int64_t> labels;
    RunOutcome outcome;              // when Finished: labels, soft, embedding, metrics, ...
    std::vector<int64_t> sourceRows; // each clustered row's index in the loaded dataset
    nlohmann::json record;           // the run record, as the CLI writes it (run_record.h)
    // N x 3 coordinates of the features the run clustered, when its preparation (scaling, PCA)
    // makes them differ from the data view's; empty: the data view shows this run truthfully.
    std::vector<float> viewXyz;
    // N x 3, the first principal components of a learned embedding (deep methods), or empty.
    std::vector<float> learnedXyz;
    // A re-clustered selection: the run whose rows it split (its rows are sourceRows). A
    // merged run: the parent, with mergedFrom the re-clustered selection merged into it.
    int parentRun = 0;
    int mergedFrom = 0;
    // A selection named as a new cluster: the run it edited (its record says which cluster).
    int editedFrom = 0;
    int embeddingId = 0;   // the embedding it clustered (0: the loaded features)
    QString embeddingName; // and its name, kept if the embedding is dropped
    // The latest layout of its soft assignment (LayoutController), or null.
    std::shared_ptr<const RunLayout> layout;
    // Names the user gave its clusters (renamed in the Explanation dock), by cluster id.
    std::map<int64_t, QString> clusterNames;
    // The latest explanation of its clusters (ExplanationController), or null.
    std::shared_ptr<const RunExplanation> explanation;

    bool finished() const { return status == Status::Finished; }
    bool running() const { return status == Status::Running; }
};

// "k-means (k=10)": the method's name and, where it has one, its cluster count.
QString describeRun(const RunRequest& request);

// A dataset as a figure's title names it: the folder of IDX files, image folders and of
// several files (fashion-mnist), else the file's name without its extensions (wine data, with
// underscores as spaces); "" without paths.
QString describeDataset(const RunSources& sources);

// A run as lists show it: describeRun, then "on 120 rows of #3" for a re-clustered selection,
// or "#3 with #5 merged in" for a merged run, "#3 with 120 rows as “outliers”" for a selection
// named as a cluster, and "on <embedding>" when it clustered one.
QString describeEntry(const RunEntry& run);

// "acc 0.812, nmi 0.760, ari 0.700, silhouette 0.180": the metrics a person reads first.
QString describeMetrics(const std::map<std::string, double>& metrics);

} // namespace clusterscope

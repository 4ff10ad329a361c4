#pragma once
// The registry of operations: every clusterer and reducer (and, as they land, layouts and
// explainers), with its parameter schema, its capabilities and its entry point.

#include <clusterscope/core/dataset.h>
#include <clusterscope/core/explanation.h>
#include <clusterscope/core/parameters.h>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

// What a training method reports as it learns: its curves so far and, at each target update,
// the current labels (empty during pretraining).
struct TrainingUpdate
{
    std::map<std::string, std::vector<double>> history;
    std::vector<int64_t> labels;
};

struct RunContext
{
    RunContext() = default;
    RunContext(c10::Device d, uint64_t s, Progress* p) : device(d), seed(s), progress(p) {}

    c10::Device device = c10::Device(c10::kCPU);
    uint64_t seed = 0;
    Progress* progress = nullptr; // never null inside a run
    // Ground truth, when known: deep methods record ACC/NMI in their history with it.
    const std::vector<int64_t>* truth = nullptr;
    // The shape of image rows, when the data are images (methods that need square images).
    const ImageShape* imageShape = nullptr;
    // Deep methods: where to save and resume training, and where pretrained autoencoders are
    // cached (empty: no checkpoint, no cache).
    std::string checkpointPath;
    std::string cacheDir;
    // Called on the worker thread after each pretraining epoch and target update.
    std::function<void(const TrainingUpdate&)> onTrainingUpdate;
};

struct ClusteringResult
{
    std::vector<int64_t> labels;   // N cluster ids; -1 is noise
    std::vector<float> confidence; // N values in [0, 1], or empty when the method has none
    at::Tensor soft; // N x K soft assignments (rows sum to 1, or less where a point may be noise)
    std::map<std::string, double> stats; // e.g. "inertia", "iterations"
    at::Tensor embedding; // N x d learned representation (deep methods), or undefined
    std::map<std::string, std::vector<double>> history; // training curves (deep methods)
    // What the method itself found wrong but could carry on from (a damaged cache entry it
    // retrained, a parameter that left the result meaningless), each with what to do.
    std::vector<std::string> warnings;
};

// The kinds of operation the registry holds. Each kind has its own entry point; all share the
// schema and the capabilities.
enum class OperationKind
{
    Clusterer, // features -> labels (and soft assignments, an embedding, noise)
    Reducer,   // features -> N x d coordinates
    Layout,    // soft assignments -> a 2-D layout of clusters (HCHC)
    Explainer, // features + labels -> descriptions of the clusters
};

std::string kindName(OperationKind kind); // "clusterer", "reducer", "layout", "explainer"

// What input an operation accepts.
enum class InputKind
{
    AnyTable,       // any N x D table of finite values
    SquareImages,   // N images of one square shape (Dataset::imageShape with height == width)
    SoftAssignment, // an N x K soft assignment (a layout's input): rows summing to at most 1
    Partition,      // a table and one cluster id per row (an explainer's input)
};

// What an operation can do and needs; the CLI, the GUI, the docs and the common checks read
// these instead of special-casing methods by name.
struct Capabilities
{
    InputKind input = InputKind::AnyTable;
    bool cuda = true;      // also runs on CUDA; false: the CPU only, whatever --device says
    bool trains = false;   // learns a network: curves, checkpoints, a pretraining cache
    bool canPause = false; // Progress::pauseRequested holds it still
    int64_t maxRows = 0;   // the most rows it accepts (0: no limit)
    // Inputs of a larger magnitude break it (0: any); the pipeline refuses them and names the
    // scaling that fixes it.
    double maxInputMagnitude = 0;
    std::string clusterCount; // the parameter that sets the number of clusters ("k"), or ""
    // Where clusterCount is "": the parameters that steer how many clusters are found, each
    // with the direction that gives more. Advice for a degenerate result names them.
    struct CountSteering
    {
        std::string param;           // "resolution"
        bool higherGivesMore = true; // false: lowering it gives more (a minimum cluster size)
    };
    std::vector<CountSteering> moreClustersBy;
    bool softAssignments = false; // fills ClusteringResult::soft
    bool learnsEmbedding = false; // fills ClusteringResult::embedding
    bool marksNoise = false;      // may label rows -1
    // The same seed gives the same labels at any thread count (false: approximate kNN).
    bool threadInvariant = true;
    // A reducer that places new rows into a map it made (ReducerInfo::model and ::transform
    // set): `embed --save-model`, then `embed --transform-from`.
    bool placesNewRows = false;
    // Permuting the rows permutes the labels, up to renaming (false: the order of the rows
    // steers the result, e.g. the mini-batches a network trains on).
    bool orderInvariant = true;
};

// What every operation shares: its names, its schema and its capabilities.
struct OperationInfo
{
    std::string id;          // "kmeans"
    std::string displayName; // "k-means"
    std::string summary;     // one line for lists and --help
    std::vector<ParamSpec> params;
    Capabilities caps;
};

// A clusterer.
struct AlgorithmInfo : OperationInfo
{
    std::function<ClusteringResult(const at::Tensor& features, const ParamSet& params,
                                   const RunContext& context)>
        run;
};

// What a reducer returns.
struct Reduction
{
    at::Tensor coordinates;              // N x d float32 on the CPU
    std::map<std::string, double> stats; // e.g. "epochs"
    std::vector<std::string> warnings;   // what the user should know, with what to do
};

// What placing new rows into a reducer's map needs, kept from the run that made the map: named
// float32 arrays on the CPU (e.g. the training rows and their coordinates) and the parameters
// and seed the map was made with. The pipeline writes it to one file and reads it back
// (pipeline/reducer_model.h); the reducer alone knows what its arrays mean.
struct ReducerModel
{
    std::map<std::string, at::Tensor> arrays;
    ParamSet params; // over the reducer's schema
    uint64_t seed = 0;
};

// A reducer: N x D float32 features -> N x d float32 coordinates on the CPU.
struct ReducerInfo : OperationInfo
{
    std::function<Reduction(const at::Tensor& features, const ParamSet& params,
                            const RunContext& context)>
        reduce;
    // Reducers that can place new rows into a map they made (UMAP's transform) set both; the
    // others leave them empty and `embed --save-model` refuses them.
    // model: what `reduce` made of `features`, as a model for `transform`.
    std::function<ReducerModel(const at::Tensor& features, const Reduction& reduction,
                               const ParamSet& params, const RunContext& context)>
        model;
    // transform: M x D new rows -> M x d coordinates in the model's map. Throws ParameterError
    // when D is not the model's (naming both counts) or the model's arrays do not fit together.
    std::function<Reduction(const ReducerModel& model, const at::Tensor& features,
                            const RunContext& context)>
        transform;
};

// What a layout returns: the clusters placed on a 2-D figure and each sample placed among them.
struct LayoutResult
{
    std::vector<int64_t> cycle;       // the K cluster ids in the order of the layout's cycle
    double length = 0;                // the cycle's summed dissimilarity
    bool exact = false;               // true when the cycle is proven the shortest
    std::vector<double> anchorAngles; // K angles in degrees, indexed by cluster id
    at::Tensor coordinates;           // N x 2 float32 on the CPU
    at::Tensor outlierScores;         // N float32 on the CPU (higher: farther from every cluster)
    std::vector<uint8_t> outliers;    // N flags: 1 where the score exceeds the threshold
    std::map<std::string, double> stats;
    std::vector<std::string> warnings; // what the user should know, with what to do
};

// A layout: an N x K soft assignment (float32, non-negative, rows summing to at most 1; any
// device, laid out on the CPU) -> the LayoutResult.
struct LayoutInfo : OperationInfo
{
    std::function<LayoutResult(const at::Tensor& soft, const ParamSet& params,
                               const RunContext& context)>
        layout;
};

// What an explainer describes: a partition of the rows over the original features.
struct ExplainInput
{
    at::Tensor features;                   // N x D float32 on the CPU, the original units
    std::vector<std::string> featureNames; // D names
    std::vector<int64_t> labels;           // N cluster ids, -1 for noise (never described)
    std::vector<std::string> labelNames;   // names of the true labels' codes (may be empty)
};

// An explainer: a partition -> descriptions of its clusters (Explanation in core/explanation.h).
// Ground truth, when known, comes in RunContext::truth (automatic names use it).
struct ExplainerInfo : OperationInfo
{
    std::function<Explanation(const ExplainInput& input, const ParamSet& params,
                              const RunContext& context)>
        explain;
};

class Registry
{
public:
    // Throws ParameterError when the id is taken by an operation of any kind.
    void add(AlgorithmInfo info);
    void add(ReducerInfo info);
    void add(LayoutInfo info);
    void add(ExplainerInfo info);

    // Clusterers (the methods of `run`).
    const AlgorithmInfo* find(const std::string& id) const;
    const AlgorithmInfo& get(const std::string& id) const; // throws ParameterError
    const std::vector<AlgorithmInfo>& all() const { return algorithms_; }

    const ReducerInfo* findReducer(const std::string& id) const;
    const ReducerInfo& getReducer(const std::string& id) const; // throws ParameterError
    const std::vector<ReducerInfo>& reducers() const { return reducers_; }

    const LayoutInfo* findLayout(const std::string& id) const;
    const LayoutInfo& getLayout(const std::string& id) const; // throws ParameterError
    const std::vector<LayoutInfo>& layouts() const { return layouts_; }

    const ExplainerInfo* findExplainer(const std::string& id) const;
    const ExplainerInfo& getExplainer(const std::string& id) const; // throws ParameterError
    const std::vector<ExplainerInfo>& explainers() const { return explainers_; }

    // Every operation of every kind: clusterers, then reducers, layouts and explainers.
    std::vector<std::pair<OperationKind, const OperationInfo*>> operations() const;

private:
    bool taken(const std::string& id) const;

    std::vector<AlgorithmInfo> algorithms_;
    std::vector<ReducerInfo> reducers_;
    std::vector<LayoutInfo> layouts_;
    std::vector<ExplainerInfo> explainers_;
};

} // namespace clusterscope

#pragma once
// The algorithm registry: every clustering method, its parameter schema and its entry point.

#include <clusterscope/core/parameters.h>

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

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
};

struct AlgorithmInfo
{
    std::string id;          // "kmeans"
    std::string displayName; // "k-means"
    std::string summary;     // one line for lists and --help
    std::vector<ParamSpec> params;
    std::function<ClusteringResult(const at::Tensor& features, const ParamSet& params,
                                   const RunContext& context)>
        run;
};

class Registry
{
public:
    void add(AlgorithmInfo info);
    const AlgorithmInfo* find(const std::string& id) const;
    const AlgorithmInfo& get(const std::string& id) const; // throws ParameterError
    const std::vector<AlgorithmInfo>& all() const { return algorithms_; }

private:
    std::vector<AlgorithmInfo> algorithms_;
};

} // namespace clusterscope

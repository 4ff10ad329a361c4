#pragma once
// The run pipeline every front end uses (the CLI's `run`, the GUI's jobs, the tests): validate
// the prepared data against the method, run it on a device it supports, score it, and say when
// the result is degenerate. prepare.h comes before it and run_record.h after it.

#include <clusterscope/core/registry.h>
#include <clusterscope/pipeline/prepare.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace clusterscope
{

struct RunRequest
{
    const AlgorithmInfo* method = nullptr;
    ParamSet params; // over method->params
    RunSettings settings;
    std::string checkpointPath; // training methods: save and resume there ("" : none)
    std::string cacheDir;       // training methods: pretrained autoencoders ("" : no cache)
    // Training methods: called on the worker thread after each epoch and target update.
    std::function<void(const TrainingUpdate&)> onTrainingUpdate;
};

struct RunOutcome
{
    ClusteringResult result;
    std::map<std::string, double> metrics; // acc/nmi/ari/ami with labels, internal ones always
    std::string deviceUsed;                // "cpu", "cuda:0": where the method really ran
    std::vector<std::string> notes;        // e.g. a CPU-only method asked for CUDA
    // What the method warned of (ClusteringResult::warnings), then degenerate results (fewer
    // clusters than asked, one cluster holding most rows, every row noise), each with its
    // likely cause and what to do. Empty for a healthy result.
    std::vector<std::string> warnings;
    int64_t clustersFound = 0; // distinct labels other than noise
    int64_t distinctRows = 0;  // distinct rows of the features (identical rows count once)
    double runSeconds = 0;
    double metricSeconds = 0;
};

// Throws what validateInput throws, before the method starts; then whatever the method throws
// (CancelledError when `progress` asks to stop). The method runs on the device of
// request.settings.device when its capabilities include it, else on the CPU (a note says so).
// Thread settings are not touched here: the front end applies them (see device.h).
RunOutcome runMethod(const PreparedData& data, const RunRequest& request, Progress& progress);

// The warnings of runMethod for a finished result (exposed for tests and other front ends).
std::vector<std::string> diagnose(const ClusteringResult& result, const AlgorithmInfo& method,
                                  const ParamSet& params, int64_t* clustersFound = nullptr);

} // namespace clusterscope

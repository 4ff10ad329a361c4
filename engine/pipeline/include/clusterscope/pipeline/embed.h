#pragma once
// The run pipeline of the reducers (the CLI's `embed`, the GUI's embeddings): validate the
// prepared data against the reducer, run it on a device it supports, and measure how well the
// map keeps the input's neighbourhoods. The same RunSettings and validation as run.h.

#include <clusterscope/core/registry.h>
#include <clusterscope/pipeline/prepare.h>
#include <clusterscope/pipeline/run_record.h>

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace clusterscope
{

struct EmbedRequest
{
    const ReducerInfo* reducer = nullptr;
    ParamSet params; // over reducer->params
    RunSettings settings;
    // Query rows for trustworthiness and k-NN preservation (0: skip them).
    int64_t qualitySample = 1000;
};

struct EmbedOutcome
{
    Reduction reduction;                   // N x d coordinates, stats, warnings
    std::string deviceUsed;                // where the reducer really ran
    std::vector<std::string> notes;        // e.g. a CPU-only reducer asked for CUDA
    std::map<std::string, double> quality; // trustworthiness, knn_preserved (k = 15)
    double runSeconds = 0;
    double qualitySeconds = 0;
};

// Throws what validateInput throws before the reducer starts, then what the reducer throws
// (CancelledError when `progress` asks to stop). Quality is measured when the data have more
// than 30 rows (k = 15 must be below half of them).
EmbedOutcome runReducer(const PreparedData& data, const EmbedRequest& request, Progress& progress);

// The record of an embedding, as runRecord's for a clustering.
nlohmann::json embedRecord(const EmbedRequest& request, const PreparedData& prepared,
                           const EmbedOutcome& outcome, const RunSources& sources);

} // namespace clusterscope

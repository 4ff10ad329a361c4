#pragma once
// The run pipeline of the reducers (the CLI's `embed`, the GUI's embeddings): validate the
// prepared data against the reducer, run it on a device it supports, and measure how well the
// map keeps the input's neighbourhoods. The same RunSettings and validation as run.h.

#include <clusterscope/core/registry.h>
#include <clusterscope/pipeline/prepare.h>
#include <clusterscope/pipeline/reducer_model.h>
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
    // Set: place the rows into this saved model's map (its reducer's transform) instead of
    // making a new one; `reducer` and `params` must then be the model's.
    const SavedReducerModel* transformFrom = nullptr;
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
// (CancelledError when `progress` asks to stop). With `transformFrom`, throws ParameterError
// naming the model file and both counts when the rows have another feature count than the
// model's; the rows' column offsets (Dataset::featureOffsets) are matched to the model's. Quality
// is measured when the data have more than 30 rows (k = 15 must be below half of them).
EmbedOutcome runReducer(const PreparedData& data, const EmbedRequest& request, Progress& progress);

// The model of `outcome` for `embed --save-model` (reducer_model.h's file bytes). Throws
// ParameterError when the reducer or the settings cannot make one (whyNoReducerModel).
std::string embedModelFile(const EmbedRequest& request, const PreparedData& prepared,
                           const EmbedOutcome& outcome);

// The record of an embedding, as runRecord's for a clustering (with the model file's path,
// method and training rows when the rows were placed into a saved model's map).
nlohmann::json embedRecord(const EmbedRequest& request, const PreparedData& prepared,
                           const EmbedOutcome& outcome, const RunSources& sources);

} // namespace clusterscope

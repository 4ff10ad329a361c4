#include "seconds_since.h"

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/metrics/embedding_quality.h>
#include <clusterscope/pipeline/embed.h>
#include <clusterscope/pipeline/validate.h>

#include <ATen/ATen.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <variant>

namespace clusterscope
{
namespace
{

constexpr int64_t kQualityNeighbours = 15; // umap-learn's and scikit-learn's usual k

} // namespace

EmbedOutcome runReducer(const PreparedData& data, const EmbedRequest& request, Progress& progress)
{
    if (!request.reducer)
        throw ParameterError("no reducer was chosen");
    const ReducerInfo& reducer = *request.reducer;
    const auto* model = request.transformFrom;
    if (model)
    {
        if (model->reducer != &reducer || !reducer.transform)
            throw ParameterError("the reducer must be the model's, and able to place rows");
        if (data.data.cols() != model->features)
            throw ParameterError(
                model->path + ": the new rows have " + std::to_string(data.data.cols()) +
                " features but the model was trained on " + std::to_string(model->features));
    }
    else
        validateInput(data.data, reducer, request.params);
    EmbedOutcome out;
    auto device = resolveDevice(request.settings.device);
    if (device.is_cuda() && !reducer.caps.cuda)
    {
        out.notes.push_back(reducer.displayName + " runs on the CPU only, so it ran there");
        device = c10::Device(c10::kCPU);
    }
    out.notes.insert(out.notes.end(), data.centringNotes.begin(), data.centringNotes.end());
    out.deviceUsed = device.str();

    auto x = data.data.features;
    if (model && (!model->featureOffsets.empty() || !data.data.featureOffsets.empty()))
    {
        // Both sets of rows are their file's values minus per-column offsets: bring the new
        // rows to the model's offsets, in float64.
        const auto cols = static_cast<size_t>(data.data.cols());
        std::vector<double> shift(cols, 0.0);
        for (size_t c = 0; c < cols; ++c)
            shift[c] = (data.data.featureOffsets.empty() ? 0.0 : data.data.featureOffsets[c]) -
                       (model->featureOffsets.empty() ? 0.0 : model->featureOffsets[c]);
        x = (x.to(at::kDouble) + at::tensor(shift, at::kDouble).unsqueeze(0))
                .to(at::kFloat)
                .contiguous();
    }
    const auto t0 = std::chrono::steady_clock::now();
    {
        ProgressRange running(progress, 0.0, 0.9);
        RunContext context{device, request.settings.seed, &running};
        if (model)
        {
            try
            {
                out.reduction = reducer.transform(model->model, x, context);
            }
            catch (const ParameterError& e)
            {
                throw ParameterError(model->path + ": " + e.what());
            }
        }
        else
            out.reduction = reducer.reduce(x, request.params, context);
    }
    out.runSeconds = secondsSince(t0);
    throwIfCancelled(progress);

    if (request.qualitySample > 0 && x.size(0) > 2 * kQualityNeighbours)
    {
        const auto t1 = std::chrono::steady_clock::now();
        ProgressRange scoring(progress, 0.9, 1.0);
        EmbeddingQualityOptions q;
        q.k = kQualityNeighbours;
        q.sample = request.qualitySample;
        q.seed = request.settings.seed;
        const auto quality = embeddingQuality(x, out.reduction.coordinates, q, &scoring);
        out.quality["trustworthiness"] = quality.trustworthiness;
        out.quality["knn_preserved"] = quality.knnPreserved;
        out.quality["quality_queries"] = static_cast<double>(quality.queries);
        out.qualitySeconds = secondsSince(t1);
    }
    progress.report(1.0, "done");
    return out;
}

std::string embedModelFile(const EmbedRequest& request, const PreparedData& prepared,
                           const EmbedOutcome& outcome)
{
    const ReducerInfo& reducer = *request.reducer;
    if (const auto why = whyNoReducerModel(reducer, request.settings); !why.empty())
        throw ParameterError("--save-model: " + why);
    RunContext context{c10::Device(c10::kCPU), request.settings.seed, &nullProgress()};
    const auto model =
        reducer.model(prepared.data.features, outcome.reduction, request.params, context);
    return reducerModelFile(reducer, model, prepared, request.settings);
}

nlohmann::json embedRecord(const EmbedRequest& request, const PreparedData& prepared,
                           const EmbedOutcome& outcome, const RunSources& sources)
{
    const auto& d = prepared.data;
    nlohmann::json record = {
        {"reducer", request.reducer->id},
        {"params", paramsJson(request.params)},
        {"settings", paramsJson(toParamSet(request.settings))},
        {"seed", request.settings.seed},
        {"device_requested", request.settings.device},
        {"device", outcome.deviceUsed},
        {"notes", outcome.notes},
        {"data",
         {{"paths", sources.paths},
          {"format", sources.format},
          {"input_hash", prepared.inputHash},
          {"loaded_rows", prepared.loadedRows},
          {"rows", d.rows()},
          {"features", d.cols()},
          {"dropped_rows", prepared.droppedRows},
          {"imputed_values", prepared.imputedValues},
          {"load_warnings", d.warnings}}},
        {"environment", environmentRecord(outcome.deviceUsed)},
        {"timings",
         {{"load_seconds", sources.loadSeconds},
          {"run_seconds", outcome.runSeconds},
          {"quality_seconds", outcome.qualitySeconds}}},
        {"output_dimensions", outcome.reduction.coordinates.size(1)},
        {"warnings", outcome.reduction.warnings},
        {"stats", outcome.reduction.stats},
        {"quality", outcome.quality},
    };
    if (const auto* model = request.transformFrom)
        record["transform_from"] = {{"path", model->path},
                                    {"method", model->reducer->id},
                                    {"format_version", model->formatVersion},
                                    {"training_rows", model->trainingRows},
                                    {"model_seed", model->model.seed}};
    return record;
}

} // namespace clusterscope

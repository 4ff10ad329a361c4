#include <clusterscope/core/device.h>
#include <clusterscope/core/parameters.h>
#include <clusterscope/pipeline/run_record.h>

#include <filesystem>
#include <nlohmann/json.hpp>

namespace clusterscope
{

nlohmann::json paramsJson(const ParamSet& params)
{
    auto out = nlohmann::json::object();
    for (const auto& [name, value] : params.values())
        std::visit([&out, &n = name](const auto& v) { out[n] = v; }, value);
    return out;
}

RunSources loadedSources(const std::vector<std::string>& paths, const Dataset& loaded,
                         const RunSettings& settings, double loadSeconds)
{
    RunSources out;
    for (const auto& p : paths)
    {
        // weakly_canonical: the file may be gone by now; what exists of its path is resolved.
        std::error_code error;
        auto canonical = std::filesystem::weakly_canonical(std::filesystem::absolute(p), error);
        out.paths.push_back(error ? p : canonical.string());
    }
    out.format = loaded.format;
    out.labelColumn = loaded.labelColumn;
    out.missing = settings.missing;
    out.imageSize = settings.imageSize;
    out.loadSeconds = loadSeconds;
    return out;
}

std::string clusterscopeVersion()
{
    const std::string commit = CLUSTERSCOPE_COMMIT;
    return std::string(CLUSTERSCOPE_VERSION) + (commit.empty() ? "" : " (" + commit + ")");
}

nlohmann::json environmentRecord(const std::string& deviceUsed)
{
    return {{"clusterscope", clusterscopeVersion()},
            {"libtorch", torchVersion()},
            {"blas", blasName()},
            {"blas_kernels", blasCoreName()},
            {"cpu", cpuModel()},
            {"device", deviceUsed},
            {"torch_threads", currentTorchThreads()},
            {"blas_threads", currentBlasThreads()}};
}

nlohmann::json runRecord(const RunRequest& request, const PreparedData& prepared,
                         const RunOutcome& outcome, const RunSources& sources)
{
    const auto& d = prepared.data;
    nlohmann::json history = nlohmann::json::object();
    nlohmann::json data = {{"paths", sources.paths},
                           {"format", sources.format},
                           {"label_column", sources.labelColumn},
                           {"input_hash", prepared.inputHash},
                           {"loaded_rows", prepared.loadedRows},
                           {"rows", d.rows()},
                           {"distinct_rows", outcome.distinctRows},
                           {"features", d.cols()},
                           {"dropped_rows", prepared.droppedRows},
                           {"imputed_values", prepared.imputedValues},
                           {"load_warnings", d.warnings},
                           {"centred_on_load", prepared.centringNotes}};
    // Left out without a PCA, as a metric that was not computed is left out of "metrics".
    if (prepared.pcaVarianceKept >= 0)
        data["pca_variance_kept"] = prepared.pcaVarianceKept;
    for (const auto& [name, values] : outcome.result.history)
        history[name] = values;
    return {
        {"method", request.method->id},
        {"params", paramsJson(request.params)},
        {"settings", paramsJson(toParamSet(request.settings))},
        {"seed", request.settings.seed},
        {"device_requested", request.settings.device},
        {"device", outcome.deviceUsed},
        {"notes", outcome.notes},
        {"data", data},
        {"environment", environmentRecord(outcome.deviceUsed)},
        {"timings",
         {{"load_seconds", sources.loadSeconds},
          {"run_seconds", outcome.runSeconds},
          {"metric_seconds", outcome.metricSeconds}}},
        {"silhouette_sample", request.settings.silhouetteSample},
        {"clusters_found", outcome.clustersFound},
        {"degenerate", !outcome.warnings.empty()},
        {"warnings", outcome.warnings},
        {"stats", outcome.result.stats},
        {"metrics", outcome.metrics},
        {"history", history},
    };
}

std::string dumpJson(const nlohmann::json& document)
{
    return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace clusterscope

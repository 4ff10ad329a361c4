#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/parameters.h>
#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/json_values.h>
#include <clusterscope/pipeline/run_record.h>

#include <algorithm>
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
    copyLoadSettings(settings, out.loadSettings);
    out.loadSeconds = loadSeconds;
    return out;
}

// The commit the sources were at when this was built (cmake/WriteBuildCommit.cmake).
extern const char* const kBuildCommit;

std::string clusterscopeVersion()
{
    const std::string commit = kBuildCommit;
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
    if (!sources.array.empty()) // the matrix of a file that holds several (HDF5, .npz)
        data["array"] = sources.array;
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

namespace
{

// Strict, unlike a session file's reader: a value left at its default would not repeat the run.
ParamSet paramSetFromJson(const nlohmann::json& values, const std::vector<ParamSpec>& schema,
                          const std::string& what)
{
    ParamSet out(schema);
    if (!values.is_object())
        throw ParameterError("the record has no " + what + " object");
    for (const auto& [name, value] : values.items())
    {
        const auto spec = std::find_if(schema.begin(), schema.end(),
                                       [&n = name](const ParamSpec& s) { return s.name == n; });
        if (spec == schema.end())
            throw ParameterError("the record's " + what + " " + name +
                                 " is not in this version: run it with the version that made it");
        try
        {
            out.set(name, paramValueFromJson(*spec, value));
        }
        catch (const nlohmann::json::exception&)
        {
            throw ParameterError("the record's " + what + " " + name + " = " + value.dump() +
                                 " is not a " + spec->typeName());
        }
    }
    return out;
}

} // namespace

RunRequest requestFromRecord(const nlohmann::json& record)
{
    const auto method = record.value("method", std::string());
    RunRequest out;
    out.method = builtinRegistry().find(method);
    if (!out.method)
        throw ParameterError("the record's method '" + method +
                             "' is not in this version: run it with the version that made it");
    out.params =
        paramSetFromJson(record.value("params", nlohmann::json()), out.method->params, "parameter");
    out.settings = runSettingsFrom(paramSetFromJson(record.value("settings", nlohmann::json()),
                                                    runSettingsSchema(), "setting"));
    return out;
}

std::string dumpJson(const nlohmann::json& document)
{
    return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace clusterscope

// Saved reducer models: one .npz with model.json and one .npy per array (reducer_model.h).

#include <clusterscope/core/errors.h>
#include <clusterscope/io/npz_archive.h>
#include <clusterscope/io/output.h>
#include <clusterscope/pipeline/json_values.h>
#include <clusterscope/pipeline/reducer_model.h>
#include <clusterscope/pipeline/run_record.h>

#include <ATen/ATen.h>

#include <nlohmann/json.hpp>

namespace clusterscope
{
namespace
{

constexpr const char* kModelFormat = "clusterscope-reducer-model";
constexpr const char* kModelJson = "model.json";

ParamSet modelParams(const ReducerInfo& reducer, const nlohmann::json& given,
                     const std::string& path)
{
    ParamSet params(reducer.params);
    if (!given.is_object())
        throw DataError(path + ": model.json's 'params' is not an object");
    for (const auto& [name, value] : given.items())
    {
        const auto spec = std::find_if(reducer.params.begin(), reducer.params.end(),
                                       [&n = name](const ParamSpec& s) { return s.name == n; });
        if (spec == reducer.params.end())
            throw DataError(path + ": model.json names parameter '" + name + "', which " +
                            reducer.displayName + " does not have");
        try
        {
            params.set(name, paramValueFromJson(*spec, value));
        }
        catch (const std::exception& e)
        {
            throw DataError(path + ": model.json's parameter '" + name +
                            "' is not valid: " + e.what());
        }
    }
    return params;
}

} // namespace

std::string whyNoReducerModel(const ReducerInfo& reducer, const RunSettings& settings)
{
    if (!reducer.model || !reducer.transform)
        return reducer.displayName + " cannot place new rows into its map, so it saves no model";
    // scale01 divides by 255 whatever the rows; the other scalings and PCA are fitted.
    if ((settings.scaling != "none" && settings.scaling != "scale01") || settings.pca > 0)
        return "the model would not hold the scaling or PCA fitted on the training rows, which "
               "new rows would need: save a model without --scaling " +
               settings.scaling +
               " and --pca (scale or reduce the data beforehand, the same way for the new "
               "rows; --scaling scale01 is fixed and allowed)";
    return {};
}

std::string reducerModelFile(const ReducerInfo& reducer, const ReducerModel& model,
                             const PreparedData& trained, const RunSettings& settings)
{
    if (const auto why = whyNoReducerModel(reducer, settings); !why.empty())
        throw ParameterError("--save-model: " + why);
    const auto& d = trained.data;
    nlohmann::json arrays = nlohmann::json::object();
    std::vector<std::pair<std::string, std::string>> members;
    for (const auto& [name, array] : model.arrays)
    {
        if (!array.defined() || array.dim() != 2)
            throw Error("reducer model: array '" + name + "' is not a 2-D table");
        arrays[name] = {array.size(0), array.size(1)};
    }
    nlohmann::json doc = {
        {"format", kModelFormat},
        {"format_version", kReducerModelFormatVersion},
        {"method", reducer.id},
        {"params", paramsJson(model.params)},
        {"seed", model.seed},
        {"features", d.cols()},
        {"feature_names", d.featureNames},
        {"feature_offsets", d.featureOffsets},
        {"training_rows", d.rows()},
        {"settings", paramsJson(toParamSet(settings))},
        {"input_hash", trained.inputHash},
        {"arrays", arrays},
        {"clusterscope_version", clusterscopeVersion()},
    };
    members.emplace_back(kModelJson, doc.dump(2) + "\n");
    for (const auto& [name, array] : model.arrays)
        members.emplace_back(name + ".npy", matrixNpy(array.to(at::kCPU).to(at::kFloat)));
    return npzArchive(members);
}

SavedReducerModel readReducerModel(const std::string& path, const Registry& registry)
{
    const auto members = readNpzMembers(path);
    const auto json = members.find(kModelJson);
    if (json == members.end())
        throw DataError(path + ": not a ClusterScope model (it has no model.json member); save "
                               "one with embed --method NAME --save-model PATH");
    nlohmann::json doc;
    try
    {
        doc = nlohmann::json::parse(json->second);
    }
    catch (const nlohmann::json::exception& e)
    {
        throw DataError(path + ": model.json is not valid JSON (" + e.what() + ")");
    }
    SavedReducerModel out;
    out.path = path;
    try
    {
        if (!doc.is_object() || doc.value("format", std::string()) != kModelFormat)
            throw DataError(path + ": model.json is not a ClusterScope reducer model (format '" +
                            std::string(kModelFormat) + "' expected)");
        out.formatVersion = doc.at("format_version").get<int>();
        if (out.formatVersion < 1 || out.formatVersion > kReducerModelFormatVersion)
            throw DataError(path + ": model format_version " + std::to_string(out.formatVersion) +
                            " is not one this build reads (1 to " +
                            std::to_string(kReducerModelFormatVersion) +
                            "); it was written by another ClusterScope");
        const auto method = doc.at("method").get<std::string>();
        out.reducer = registry.findReducer(method);
        if (!out.reducer)
            throw DataError(path + ": a model of '" + method + "', which is not a reducer here");
        if (!out.reducer->transform)
            throw DataError(path + ": a model of " + out.reducer->displayName +
                            ", which cannot place new rows");
        out.model.params = modelParams(*out.reducer, doc.at("params"), path);
        out.model.seed = doc.at("seed").get<uint64_t>();
        out.features = doc.at("features").get<int64_t>();
        out.trainingRows = doc.at("training_rows").get<int64_t>();
        out.featureNames = doc.value("feature_names", std::vector<std::string>{});
        out.featureOffsets = doc.value("feature_offsets", std::vector<double>{});
        out.scaling = doc.at("settings").at("scaling").get<std::string>();
        if (out.scaling != "none" && out.scaling != "scale01")
            throw DataError(path + ": the model was trained with --scaling " + out.scaling +
                            ", which a model cannot repeat on new rows");
        if (!out.featureOffsets.empty() &&
            static_cast<int64_t>(out.featureOffsets.size()) != out.features)
            throw DataError(path + ": model.json has " + std::to_string(out.featureOffsets.size()) +
                            " feature offsets for " + std::to_string(out.features) + " features");
        for (const auto& [name, shape] : doc.at("arrays").items())
        {
            const auto member = members.find(name + ".npy");
            if (member == members.end())
                throw DataError(path + ": the array '" + name +
                                ".npy' that model.json lists is "
                                "missing");
            auto array = npyFloat32Matrix(member->second, path + ": " + name + ".npy");
            const auto expected = shape.get<std::vector<int64_t>>();
            if (expected.size() != 2 || array.size(0) != expected[0] ||
                array.size(1) != expected[1])
                throw DataError(path + ": " + name + ".npy is " + std::to_string(array.size(0)) +
                                " x " + std::to_string(array.size(1)) +
                                ", not the shape model.json gives");
            if (!at::isfinite(array).all().item<bool>())
                throw DataError(path + ": " + name + ".npy holds NaN or infinite values");
            out.model.arrays[name] = array;
        }
    }
    catch (const nlohmann::json::exception& e)
    {
        throw DataError(path + ": model.json lacks a field or has one of the wrong type (" +
                        e.what() + ")");
    }
    return out;
}

} // namespace clusterscope

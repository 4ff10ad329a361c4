#pragma once
// A reducer's saved model (`embed --save-model`, read by `embed --transform-from`): one NumPy
// .npz archive, written atomically, that numpy.load opens:
//   model.json      {"format": "clusterscope-reducer-model", "format_version": 1,
//                    "method": the reducer's id, "params": its parameters, "seed",
//                    "features": D, "feature_names", "feature_offsets" (Dataset::featureOffsets
//                    of the training rows; [] when none), "training_rows", "settings",
//                    "arrays": {name: [rows, columns]}, "clusterscope_version"}
//   <name>.npy      each of ReducerModel::arrays, float32, e.g. UMAP's training_data.npy and
//                   embedding.npy
// Only reducers with a transform (ReducerInfo::model and ::transform) save one.

#include <clusterscope/core/registry.h>
#include <clusterscope/pipeline/prepare.h>
#include <clusterscope/pipeline/run_settings.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

inline constexpr int kReducerModelFormatVersion = 1;

struct SavedReducerModel
{
    std::string path;
    const ReducerInfo* reducer = nullptr; // from the registry the model was read against
    ReducerModel model;
    int formatVersion = 0;
    int64_t features = 0;
    int64_t trainingRows = 0;
    std::vector<std::string> featureNames;
    std::vector<double> featureOffsets; // empty: the columns were not centred on load
    std::string scaling = "none";       // the training's --scaling: none or scale01 (fixed)
};

// Why `reducer` run with `settings` cannot save a model that places new rows, or "": a reducer
// without a transform, or a scaling or PCA fitted on the training rows (the new rows would need
// the same fit, which the model does not hold); scale01 (a fixed division by 255) is allowed,
// and the new rows must then be given it too.
std::string whyNoReducerModel(const ReducerInfo& reducer, const RunSettings& settings);

// The bytes of the model file of `model`, made by `reducer` from `trained` with `settings`.
// Throws ParameterError with whyNoReducerModel's reason, Error when an array is not a 2-D table.
std::string reducerModelFile(const ReducerInfo& reducer, const ReducerModel& model,
                             const PreparedData& trained, const RunSettings& settings);

// Reads and checks the model file at `path` against `registry`'s reducers. Throws DataError
// naming the path and what is wrong: not a readable zip archive, no model.json (not a model),
// invalid JSON, another format or a newer format_version, an unknown method or one that cannot
// place rows, parameters outside the reducer's schema, an array that is missing, not float32
// 2-D, or of another shape than model.json says.
SavedReducerModel readReducerModel(const std::string& path, const Registry& registry);

} // namespace clusterscope

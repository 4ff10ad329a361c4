#pragma once
// The settings around a method, in the same typed schema as the methods' parameters: how the
// data are prepared (missing values, subset, scaling, PCA), where and how it computes (device,
// seed, threads) and what the metrics cost (the silhouette sample). The CLI's flags, the GUI's
// form and the run record are generated from `runSettingsSchema()`.

#include <clusterscope/core/device.h>
#include <clusterscope/core/parameters.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

struct LoadOptions;

struct RunSettings
{
    std::string missing = "error";   // error | drop | impute-mean (any format, not only CSV)
    std::string imageSize;           // folders of images: "28x28" resizes them ("": keep)
    int64_t skipLines = 0;           // tables: lines before the header (a title line)
    std::string metadataColumns;     // tables: columns kept as metadata ("a,b" or indices)
    std::string ignoreColumns;       // tables: columns not read
    int64_t subset = 0;              // keep a seeded random sample of this many rows (0: all)
    std::string scaling = "none";    // none | standardize | minmax | scale01
    int64_t pca = 0;                 // reduce to this many components (0: keep the features)
    std::string pcaSolver = "exact"; // exact | randomized
    std::string device = "auto";     // auto | cpu | cuda | cuda:N
    uint64_t seed = 0;
    ThreadSettings threads;
    // Silhouette is O(N^2 D): it is computed on a seeded sample of this many rows (0: all rows).
    // 2000 rows cost about 0.3 s at D = 784, less than a k-means of Fashion-MNIST; the
    // sample's own error (about 0.01) dwarfs what more rows would add.
    int64_t silhouetteSample = 2000;
};

// The schema: one ParamSpec per field, named as the CLI flags are (--scaling, --pca-solver...).
const std::vector<ParamSpec>& runSettingsSchema();

// When a setting takes effect. The CLI takes them all as flags of one command; the GUI offers
// the Load settings with the dataset (changing one reloads it) and the Run settings with each
// run, and sets the Process settings once at start (OpenBLAS's thread count is process-wide).
enum class SettingStage
{
    Load,    // applied by the loaders as they read (the missing-value policy)
    Run,     // preparation, device, seed and metrics of one run
    Process, // shared by every job in the process
};
SettingStage settingStage(const std::string& name); // ParameterError for an unknown name
// The schema's settings of one stage, in the schema's order.
std::vector<ParamSpec> runSettingsSchema(SettingStage stage);

// The Load-stage settings, as the loaders take them (`to`'s other options stay).
void applyLoadSettings(const RunSettings& from, LoadOptions& to);
// Copies the Load-stage settings (those the loaders applied to the data) into `to`.
void copyLoadSettings(const RunSettings& from, RunSettings& to);
// "a, b,c" as {"a", "b", "c"}: a setting's list of column names (blanks around each dropped).
std::vector<std::string> columnList(const std::string& text);

// Throws ParameterError naming the setting when a value is out of its schema.
RunSettings runSettingsFrom(const ParamSet& values);
ParamSet toParamSet(const RunSettings& settings);

} // namespace clusterscope

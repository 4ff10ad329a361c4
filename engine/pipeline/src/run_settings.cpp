#include <clusterscope/core/errors.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/pipeline/run_settings.h>

#include <algorithm>
#include <map>

namespace clusterscope
{

const std::vector<ParamSpec>& runSettingsSchema()
{
    static const std::vector<ParamSpec> schema = {
        ParamSpec::choice("missing", "error", missingPolicyNames(),
                          "Empty, NA, NaN or infinite feature values: stop, drop their rows, or "
                          "impute the column mean or median (the run record counts them)"),
        ParamSpec::integer("skip_lines", 0, 0, 1'000'000,
                           "Tables: lines to skip before the header, such as a title line"),
        ParamSpec::text("metadata_columns", "",
                        "Tables: columns kept beside the data, not clustered (names or 0-based "
                        "indices, comma-separated; e.g. island,sex)"),
        ParamSpec::text("ignore_columns", "",
                        "Tables: columns not read at all (names or 0-based indices, "
                        "comma-separated; e.g. notes)"),
        ParamSpec::text("image_size", "",
                        "Folders of images: HEIGHTxWIDTH (e.g. 28x28) resizes every image as it "
                        "loads; empty keeps the sizes, which must then agree"),
        ParamSpec::integer("subset", 0, 0, int64_t{1} << 40,
                           "Keep a seeded random sample of this many rows (0: all)"),
        ParamSpec::choice("scaling", "none", scalingNames(),
                          "none; standardize (zero mean, unit variance); minmax (each column to "
                          "[0, 1]); scale01 (images: divide by 255)"),
        ParamSpec::integer("pca", 0, 0, 1'000'000,
                           "Reduce to this many principal components (0: keep the features)"),
        ParamSpec::choice("pca_solver", "exact", {"exact", "randomized"},
                          "Exact eigendecomposition, or Halko et al.'s randomized range finder"),
        ParamSpec::text("device", "auto",
                        "auto (CUDA when available), cpu, cuda or cuda:N; a method that runs on "
                        "the CPU only runs there, and the record says so"),
        ParamSpec::integer("seed", 0, 0, 2'000'000'000,
                           "Random seed: the same seed on the same device gives the same labels"),
        ParamSpec::integer("torch_threads", 1, 0, 4096,
                           "LibTorch intra-op threads, 0: all cores (docs/performance.md)"),
        ParamSpec::integer("blas_threads", 0, 0, 4096, "OpenBLAS threads, 0: all cores"),
        ParamSpec::integer("silhouette_sample", 2000, 0, int64_t{1} << 40,
                           "Rows sampled for the O(N^2) silhouette (0: all rows)"),
    };
    return schema;
}

SettingStage settingStage(const std::string& name)
{
    // Beside the schema, so a new setting is given its stage where it is declared.
    static const std::map<std::string, SettingStage> stages = {
        {"missing", SettingStage::Load},
        {"image_size", SettingStage::Load},
        {"skip_lines", SettingStage::Load},
        {"metadata_columns", SettingStage::Load},
        {"ignore_columns", SettingStage::Load},
        {"subset", SettingStage::Run},
        {"scaling", SettingStage::Run},
        {"pca", SettingStage::Run},
        {"pca_solver", SettingStage::Run},
        {"device", SettingStage::Run},
        {"seed", SettingStage::Run},
        {"torch_threads", SettingStage::Run}, // set on each worker thread (device.h)
        {"blas_threads", SettingStage::Process},
        {"silhouette_sample", SettingStage::Run},
    };
    const auto it = stages.find(name);
    if (it == stages.end())
        throw ParameterError("unknown run setting '" + name + "'");
    return it->second;
}

std::vector<ParamSpec> runSettingsSchema(SettingStage stage)
{
    std::vector<ParamSpec> out;
    for (const auto& spec : runSettingsSchema())
        if (settingStage(spec.name) == stage)
            out.push_back(spec);
    return out;
}

std::vector<std::string> columnList(const std::string& text)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size())
    {
        const size_t end = std::min(text.find(',', start), text.size());
        const auto first = text.find_first_not_of(" \t", start);
        const auto last = text.find_last_not_of(" \t", end == 0 ? 0 : end - 1);
        if (first < end && last != std::string::npos && last >= first)
            out.push_back(text.substr(first, last - first + 1));
        start = end + 1;
    }
    return out;
}

void applyLoadSettings(const RunSettings& from, LoadOptions& to)
{
    to.missing = parseMissingPolicy(from.missing);
    to.imageSize = from.imageSize;
    to.skipLines = from.skipLines;
    to.metadataColumns = columnList(from.metadataColumns);
    to.ignoreColumns = columnList(from.ignoreColumns);
}

void copyLoadSettings(const RunSettings& from, RunSettings& to)
{
    to.missing = from.missing;
    to.imageSize = from.imageSize;
    to.skipLines = from.skipLines;
    to.metadataColumns = from.metadataColumns;
    to.ignoreColumns = from.ignoreColumns;
}

RunSettings runSettingsFrom(const ParamSet& v)
{
    RunSettings s;
    s.missing = v.choice("missing");
    s.imageSize = v.text("image_size");
    s.skipLines = v.integer("skip_lines");
    s.metadataColumns = v.text("metadata_columns");
    s.ignoreColumns = v.text("ignore_columns");
    s.subset = v.integer("subset");
    s.scaling = v.choice("scaling");
    s.pca = v.integer("pca");
    s.pcaSolver = v.choice("pca_solver");
    s.device = v.text("device");
    s.seed = static_cast<uint64_t>(v.integer("seed"));
    s.threads.torchThreads = static_cast<int>(v.integer("torch_threads"));
    s.threads.blasThreads = static_cast<int>(v.integer("blas_threads"));
    s.silhouetteSample = v.integer("silhouette_sample");
    return s;
}

ParamSet toParamSet(const RunSettings& s)
{
    ParamSet v(runSettingsSchema());
    v.set("missing", s.missing);
    v.set("image_size", s.imageSize);
    v.set("skip_lines", s.skipLines);
    v.set("metadata_columns", s.metadataColumns);
    v.set("ignore_columns", s.ignoreColumns);
    v.set("subset", s.subset);
    v.set("scaling", s.scaling);
    v.set("pca", s.pca);
    v.set("pca_solver", s.pcaSolver);
    v.set("device", s.device);
    v.set("seed", static_cast<int64_t>(s.seed));
    v.set("torch_threads", int64_t{s.threads.torchThreads});
    v.set("blas_threads", int64_t{s.threads.blasThreads});
    v.set("silhouette_sample", s.silhouetteSample);
    return v;
}

} // namespace clusterscope

#pragma once
// The options every command shares: which data (--data, --label-column, --id-column,
// --array) and the run settings (preparation, device, seed, threads), whose flags come from
// runSettingsSchema().

#include "schema_flags.h"

#include <clusterscope/core/dataset.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/output.h>
#include <clusterscope/pipeline/prepare.h>
#include <clusterscope/pipeline/run_record.h>

#include <c10/core/Device.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace clusterscope::cli
{

struct DataOptions
{
    std::vector<std::string> paths;
    LoadOptions load;
    RunSettings settings;

    static std::string help();
    nlohmann::json describe() const;
    // Applies the thread settings (this process runs one job) and resolves the device.
    c10::Device applyCompute() const;
};

// The flags behind DataOptions on a command: --data (repeatable), --label-column, --array
// (--dataset) and
// one flag per run setting. Stays where it is made: CLI11 writes into it while parsing.
class DataFlags
{
public:
    explicit DataFlags(CLI::App& command);
    DataFlags(const DataFlags&) = delete;
    DataFlags& operator=(const DataFlags&) = delete;

    // What the command line said, once parsed. Throws ParameterError naming the flag of a
    // setting outside its schema (--scaling maybe, --seed -1).
    DataOptions options() const;

private:
    std::vector<std::string> paths_;
    CLI::Option* labelColumn_;
    CLI::Option* idColumn_;
    CLI::Option* array_;
    CLI::Option* dataset_;
    SchemaFlags settings_;
};

// The matrix --array or --dataset (its alias for HDF5 files) names ("": the default);
// ParameterError when both are given.
std::string arrayOption(const CLI::Option* array, const CLI::Option* dataset);

struct LoadedData
{
    Dataset dataset;
    RunSources sources;
};

// Loads the files and says on stderr where the labels came from (unless quiet).
LoadedData loadData(const DataOptions& options, bool verbose);

// Loads and prepares the data as the options say (prepare.h).
PreparedData loadAndPrepare(const DataOptions& options, bool verbose,
                            RunSources* sources = nullptr);

// labels.csv -> labels.run.json, coords.npy -> coords.run.json: a run's record lives beside the
// output it describes.
std::string recordPathFor(const std::string& outputPath);

// Writes a report to `out` (atomically) or, without a path, to standard output.
void emitReport(const nlohmann::json& report, const std::optional<std::string>& out);

} // namespace clusterscope::cli

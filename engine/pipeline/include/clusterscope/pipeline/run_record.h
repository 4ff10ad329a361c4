#pragma once
// The run record: everything needed to tell what a run did and to do it again (the method, its
// parameters and settings, the seed, the device it really ran on, the input's fingerprint, the
// environment that can change the numbers, timings, statistics, metrics and warnings). The CLI
// writes it beside the labels (labels.run.json) and the GUI beside exported labels.

#include <clusterscope/pipeline/run.h>

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace clusterscope
{

// Where the data came from, as the front end loaded them.
struct RunSources
{
    std::vector<std::string> paths; // absolute and canonical (see loadedSources)
    std::string format;             // "csv", "idx", ...
    std::string labelColumn;        // where the ground truth came from ("" : none)
    double loadSeconds = 0;
    // The Load-stage settings the loaders applied (missing-value policy, image size, skipped
    // lines, metadata and ignored columns); its other settings are not used.
    RunSettings loadSettings;
    std::string idColumn = ""; // the row-id option asked for ("": found by name, "none")
    std::string array = "";    // the matrix asked for (--array, --dataset; "": default)
};

// The sources of `loaded`, read from `paths` under the Load-stage `settings`. The paths are made
// absolute and canonical (symbolic links, "." and ".." resolved), so the CLI, given a relative
// path, and the GUI, given an absolute one, record the same file.
RunSources loadedSources(const std::vector<std::string>& paths, const Dataset& loaded,
                         const RunSettings& settings, double loadSeconds);

// "0.1.0 (a1b2c3d)": the version and, in a git checkout, the commit it was built from.
std::string clusterscopeVersion();

// A parameter set's values as a JSON object (name: number, text or boolean), for the records.
nlohmann::json paramsJson(const ParamSet& params);

// What can change the numbers besides the settings: versions, CPU model, BLAS and its kernel
// set, thread counts, and the device used.
nlohmann::json environmentRecord(const std::string& deviceUsed);

nlohmann::json runRecord(const RunRequest& request, const PreparedData& prepared,
                         const RunOutcome& outcome, const RunSources& sources);

// The request a run record describes (its method, parameters and settings), to run it again
// as it ran. Throws ParameterError naming what this version cannot repeat: a method it does not
// have, a parameter or setting it does not know, or a value outside its range.
RunRequest requestFromRecord(const nlohmann::json& record);

// Two-space indented JSON; text that is not valid UTF-8 (a file name, say) is written with
// U+FFFD in place of its invalid bytes, so the document stays valid JSON.
std::string dumpJson(const nlohmann::json& document);

} // namespace clusterscope

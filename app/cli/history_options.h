#pragma once
// The run history (run_history.h) as the CLI's commands use it: where it is (--history), how a
// run's entry says to read its data again, and keeping a run in it without failing the run.

#include "data_options.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <run_history.h>
#include <string>

namespace clusterscope::cli
{

// "--history PATH" on `command` ("off": keep nothing).
CLI::Option* addHistoryFlag(CLI::App& command);
// The history `flag` names, else defaultHistoryPath(); "" when it says off.
std::string historyPath(const CLI::Option* flag);

// HistoryRun::load of these options: the paths (absolute, canonical) and the loaders' choices.
nlohmann::json historyLoad(const DataOptions& data, const RunSources& sources);
// The data options a history entry read its data with, under its record's `settings`.
DataOptions dataOptionsFrom(const HistoryRun& run, const RunSettings& settings);

// Keeps `run` in the history at `path` ("": nowhere) and says its id on stderr unless quiet.
// A history that cannot be written is a warning naming it; the run itself has succeeded.
// Returns the id, 0 when it was not kept.
int64_t keepInHistory(const std::string& path, const HistoryRun& run, bool quiet);

} // namespace clusterscope::cli

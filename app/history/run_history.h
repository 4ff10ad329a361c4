#pragma once
// The run history: every finished run of the CLI and the GUI, kept in one SQLite database with
// its record (parameters, seed, device, versions, input hash, metrics, timings) and its labels,
// so that runs can be listed, filtered, run again, compared and deleted (docs/runs.md). Several
// processes may write at once: the journal is SQLite's write-ahead log, and a writer waits up
// to 5 s for another. One RunHistory per thread (each is one SQLite connection).

#include "history_run.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace clusterscope
{

// Where runs are kept: $CLUSTERSCOPE_HISTORY when it is set ("" or "off": nowhere, and then ""
// is returned), else $XDG_DATA_HOME/clusterscope/history.sqlite, else
// ~/.local/share/clusterscope/history.sqlite (also the GUI's: both write one history).
std::string defaultHistoryPath();

// Which runs list() returns, newest first.
struct HistoryFilter
{
    // Runs whose method (its id or name), dataset, device, origin, parameters or settings
    // contain it (any case).
    std::string text;
    std::string method; // this registry id only ("": any)
    int64_t limit = 0;  // at most this many (0: all)
};

class RunHistory
{
public:
    // Opens the history at `path`, creating it (and its folder) when absent. Throws DataError
    // naming the path and what to do: a file that is not a run history, one a later version
    // wrote (format newer than 1), a folder that cannot be written.
    explicit RunHistory(const std::string& path);
    ~RunHistory();
    RunHistory(const RunHistory&) = delete;
    RunHistory& operator=(const RunHistory&) = delete;

    const std::string& path() const { return path_; }

    // Keeps `run` (its id is ignored) and returns the id given to it. Throws DataError naming
    // the path when the write fails (disk full, a lock held beyond the timeout).
    int64_t add(const HistoryRun& run);
    // The runs `filter` asks for, newest first, without their labels (list views need none).
    std::vector<HistoryRun> list(const HistoryFilter& filter = {}) const;
    // One run with its labels, or nothing when there is no such id.
    std::optional<HistoryRun> find(int64_t id) const;
    // Deletes the run `id`; false when there was none.
    bool remove(int64_t id);

private:
    std::string path_;
    sqlite3* db_ = nullptr;
};

} // namespace clusterscope

#pragma once
// Session files (.clusterscope): a window's whole workspace in one file, to reopen later or to
// recover after a crash. The file is a zip archive that numpy.load opens: "session.json" holds
// the dataset's reference (its paths, load options and content hash), every run's request,
// status, metrics, record, curves, cluster names, layout and explanation, every embedding's
// request, the selection, the current run and embedding and the view's state; the arrays
// (labels, soft assignments, coordinates, ...) are .npy members beside it. The dataset itself
// is not copied: it is read again from its files and must have the same content hash.
//
// The format carries its version. This version reads versions up to kSessionFormatVersion and
// refuses later ones with a message saying so; members and fields it does not know are ignored,
// so later versions can add them.

#include "embedding_entry.h"
#include "run_entry.h"

#include <clusterscope/pipeline/run_record.h>

#include <QString>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace clusterscope
{

class Session;

inline constexpr int kSessionFormatVersion = 1;
inline constexpr const char* kSessionSuffix = "clusterscope"; // file name extension

// What a session file holds besides the dataset's values, decoded and checked.
struct SessionContents
{
    RunSources sources; // the dataset's paths and load options, as the session had them
    std::string viewScaling = "none"; // the data view's (DataView::scaling)
    std::string contentHash;          // contentHash() of the dataset the runs belong to
    int64_t rows = 0;                 // its loaded rows and features
    int64_t features = 0;
    std::vector<RunEntry> runs; // ids as saved; a run saved while it ran is Cancelled
    std::vector<EmbeddingEntry> embeddings;
    std::vector<int64_t> selection;        // loaded rows
    std::map<int64_t, QString> labelNames; // Session::labelNames
    int currentRun = 0;
    int currentEmbedding = 0;
    nlohmann::json view;               // Session::viewState
    std::string writtenBy;             // the version that wrote it
    std::string savedAt;               // ISO 8601, UTC
    std::vector<std::string> warnings; // what was left out (a method this version lacks)
};

// The bytes of a session file holding `session`'s state (its dataset must be loaded; throws
// std::logic_error otherwise). GUI thread (it reads the session). A run of N rows and K clusters
// costs about N x (24 + 4K) bytes (labels, result labels and source rows as int64, the soft
// assignment as float32). Write them with writeFileAtomically (output.h).
std::string sessionFileBytes(const Session& session);

// The contents of the session file at `path`. Throws DataError naming the path (and the member
// or field) when the file cannot be read, is not a session file, is damaged, was written by a
// later format version, or its arrays do not fit its dataset's row count. Any thread.
SessionContents readSessionFile(const std::string& path);

} // namespace clusterscope

#pragma once
// Files the engine writes for users: labels CSV, matrices as CSV or .npy, and the atomic write
// that every file goes through (JSON documents are written with dumpJson, run_record.h). Every
// write is atomic: the target holds either its old content or the whole new one, never a part.

#include <clusterscope/core/registry.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace clusterscope
{

// Writes `content` (any bytes) to `path` atomically. The content goes to an anonymous file
// (O_TMPFILE) in the target's folder, reaches the disk (fsync), gets a hidden name beside the
// target and is renamed over it, so a process killed while writing leaves nothing behind.
// Filesystems without anonymous files get a named hidden temporary instead, which only a kill
// can leave behind. Replacing a file keeps its mode, and its owner where we may change it;
// a symbolic link stays a link and the file it points to is replaced. Devices and pipes
// (/dev/null, /dev/stdout) are written in place.
// Throws Error naming the path when its folder is missing or not writable, when it is a
// folder, or when writing fails (disk full, file size limit); the old file is then untouched
// and no temporary file is left.
void writeFileAtomically(const std::string& path, const std::string& content);

// Outputs that replace their targets all together or not at all: a run that fails to write
// its metrics must not have replaced the labels already.
//   OutputSet outputs;
//   outputs.stage("labels.csv", labelsCsv(result));   // written in full, fsynced, not visible
//   outputs.stage("metrics.json", dumpJson(metrics));
//   outputs.commit();                                  // only now are the targets replaced
// stage() writes the content to an anonymous file (O_TMPFILE) beside its target, as
// writeFileAtomically does, and throws Error naming the path as it does (missing folder,
// disk full, file size limit, a folder); the targets of this and of every earlier stage()
// are then untouched. commit() first writes devices and pipes (/dev/stdout), then gives every
// staged file a hidden name and then renames them over their targets; a failure before the
// renames (a device that refuses, e.g. /dev/full) throws Error naming the path and saying
// that no output was replaced. Only a rename that fails (the folder removed or made read-only
// since staging) can leave some targets replaced: the Error then names those.
// Destroying a set that was not committed removes every temporary and changes no target.
// Not thread-safe; stage() after commit() starts a new set.
class OutputSet
{
public:
    OutputSet();
    ~OutputSet();
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;

    void stage(const std::string& path, std::string content);
    void commit();

private:
    struct Staged;
    std::vector<std::unique_ptr<Staged>> staged_;
};

// "id,cluster[,confidence][,p0,...,pK-1]" with a header: noise is -1, and the soft assignments
// follow when the method has them. `ids` holds each row's id, its 0-based data row in the input
// (Dataset::inputRows), so labels join back to the file when rows were dropped or subsampled;
// empty: the ids are 0..N-1. Throws std::invalid_argument when `ids` is neither empty nor one
// per label.
std::string labelsCsv(const ClusteringResult& result, const std::vector<int64_t>& ids = {});

// A matrix as CSV: "id,<prefix>0,<prefix>1,..." then one row per row; `ids` as labelsCsv's
// (empty: 0..N-1). Throws std::invalid_argument when `ids` is neither empty nor one per row.
std::string matrixCsv(const at::Tensor& matrix, const std::string& prefix,
                      const std::vector<int64_t>& ids = {});

// A copy of the AnnData file `inputPath` (bytes, for OutputSet::stage) with a run's results
// added, as scanpy keeps its own: obs[key] a categorical column of the cluster ids ("0", "1",
// ...; noise is "-1"; input rows the run did not see, Dataset::inputRows, are missing, code -1),
// obsm[key + "_proba"] the soft assignments (N x K float32, NaN for rows not seen) when the
// method has them, uns[key + "_colors"] one "#rrggbb" per category (`colors` of its cluster id:
// give the view's, metrics/color_slots.h; an id it lacks takes categoricalHex of the id) and
// uns["clusterscope_run"] the run record JSON `recordJson`. An
// existing entry under those names is replaced. `inputRows`: as labelsCsv's ids (empty: row i is
// input row i). The copy goes through a temporary file; the whole result is returned in memory.
// Throws DataError naming the file when it is not an AnnData file or HDF5 refuses a write.
std::string annDataWithLabels(const std::string& inputPath, const ClusteringResult& result,
                              const std::vector<int64_t>& inputRows, const std::string& key,
                              const std::string& recordJson,
                              const std::map<int64_t, std::string>& colors = {});

// A matrix as the bytes of a NumPy .npy file (format 1.0, little-endian float32, C order).
std::string matrixNpy(const at::Tensor& matrix);

// Integers as the bytes of a 1-D NumPy .npy file (format 1.0, little-endian int64).
std::string integersNpy(const std::vector<int64_t>& values);

// Bytes (flags) as a 1-D NumPy .npy file of dtype uint8.
std::string bytesNpy(const std::vector<uint8_t>& values);

// `values` (rows x values.size() / rows, row-major) as a 2-D float32 .npy file. Throws
// std::invalid_argument when rows does not divide the count (rows 0 needs no values).
std::string floatsNpy(const std::vector<float>& values, int64_t rows);

} // namespace clusterscope

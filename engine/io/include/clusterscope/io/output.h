#pragma once
// Files the engine writes for users: labels CSV, matrices as CSV or .npy, and the atomic write
// that every file goes through (JSON documents are written with dumpJson, run_record.h). Every
// write is atomic: the target holds either its old content or the whole new one, never a part.

#include <clusterscope/core/registry.h>

#include <cstdint>
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

// "id,cluster[,confidence][,p0,...,pK-1]" with a header: noise is -1, and the soft assignments
// follow when the method has them. `ids` holds each row's id, its 0-based data row in the input
// (Dataset::inputRows), so labels join back to the file when rows were dropped or subsampled;
// empty: the ids are 0..N-1. Throws std::invalid_argument when `ids` is neither empty nor one
// per label.
std::string labelsCsv(const ClusteringResult& result, const std::vector<int64_t>& ids = {});

// A matrix as CSV: "id,<prefix>0,<prefix>1,..." then one row per row.
std::string matrixCsv(const at::Tensor& matrix, const std::string& prefix);

// A matrix as the bytes of a NumPy .npy file (format 1.0, little-endian float32, C order).
std::string matrixNpy(const at::Tensor& matrix);

} // namespace clusterscope

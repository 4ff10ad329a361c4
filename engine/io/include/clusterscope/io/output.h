#pragma once
// Files the engine writes for users: labels CSV and JSON records. Every write is atomic: the
// target holds either its old content or the whole new one, never a part.

#include <clusterscope/core/registry.h>

#include <map>
#include <string>
#include <variant>
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
// follow when the method has them.
std::string labelsCsv(const ClusteringResult& result);

// A matrix as CSV: "id,<prefix>0,<prefix>1,..." then one row per row.
std::string matrixCsv(const at::Tensor& matrix, const std::string& prefix);

// A matrix as the bytes of a NumPy .npy file (format 1.0, little-endian float32, C order).
std::string matrixNpy(const at::Tensor& matrix);

// A small JSON document builder: enough for flat metric objects and benchmark records.
// dump() always gives valid UTF-8 JSON: control characters are escaped, and each invalid UTF-8
// sequence in a string (a Latin-1 file name, say) becomes U+FFFD, the replacement character,
// one per maximal invalid subpart as Unicode recommends. The original bytes are then lost; the
// alternative, Python's surrogateescape, writes lone surrogates, which JSON does not allow.
// Non-finite numbers are written as null.
class Json
{
public:
    using Object = std::vector<std::pair<std::string, Json>>;
    using Array = std::vector<Json>;

    Json() : value_(nullptr) {}
    Json(double v) : value_(v) {}
    Json(int v) : value_(static_cast<double>(v)) {}
    Json(int64_t v) : value_(static_cast<double>(v)) {}
    Json(uint64_t v) : value_(static_cast<double>(v)) {}
    Json(bool v) : value_(v) {}
    Json(const char* v) : value_(std::string(v)) {}
    Json(std::string v) : value_(std::move(v)) {}
    Json(Object v) : value_(std::move(v)) {}
    Json(Array v) : value_(std::move(v)) {}

    static Json object(const std::map<std::string, double>& values);
    std::string dump(int indent = 2) const;

private:
    void write(std::string& out, int indent, int depth) const;
    std::variant<std::nullptr_t, double, bool, std::string, Object, Array> value_;
};

} // namespace clusterscope

#pragma once
// Files the engine writes for users: labels CSV and JSON records. Every write is atomic: the
// content goes to a temporary file beside the target, which is then renamed over it.

#include <clusterscope/core/registry.h>

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace clusterscope
{

// Throws Error naming the path when the directory is not writable or the disk is full.
void writeFileAtomically(const std::string& path, const std::string& content);

// "id,cluster[,confidence][,p0,...,pK-1]" with a header: noise is -1, and the soft assignments
// follow when the method has them.
std::string labelsCsv(const ClusteringResult& result);

// A matrix as CSV: "id,<prefix>0,<prefix>1,..." then one row per row.
std::string matrixCsv(const at::Tensor& matrix, const std::string& prefix);

// A matrix as the bytes of a NumPy .npy file (format 1.0, little-endian float32, C order).
std::string matrixNpy(const at::Tensor& matrix);

// A small JSON document builder: enough for flat metric objects and benchmark records.
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

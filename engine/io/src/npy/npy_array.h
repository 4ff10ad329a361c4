#pragma once
// One NumPy array read from .npy bytes: the file of loadNpy, or a member of an .npz archive.

#include <clusterscope/core/dataset.h>

#include <ATen/core/Tensor.h>

#include <memory>
#include <string>
#include <vector>

namespace clusterscope
{

struct NpyArray
{
    at::Tensor values;          // NumPy's dtype and shape (views `owner`'s bytes when it can)
    std::vector<int64_t> shape; // as the header gives it
};

struct NpyShape
{
    std::vector<int64_t> shape;
    std::string dtype; // kind and item size, e.g. "f4", "i8", "U5"; "O", "M8[D]", "structured"
    size_t dataOffset; // where the data starts: the header's length
};

// Parses `bytes` (header and data); `owner` keeps them alive while the tensor views them.
// uint16/32 arrays are widened to int32/64, uint64 to float64. Throws DataError naming `path`
// for a damaged header, an unsupported dtype (unsupportedNpyDtype's message), a shape whose
// byte count wraps, or fewer data bytes than the header announces.
NpyArray readNpyArray(std::shared_ptr<const void> owner, const char* bytes, size_t size,
                      const std::string& path);

// A 1-D array of strings (NumPy's 'U' and 'S' dtypes), as UTF-8.
std::vector<std::string> readNpyStrings(const char* bytes, size_t size, const std::string& path);

// What is wrong with an array of `dtype` (NpyShape::dtype) that the loaders cannot read, and
// the NumPy call that re-saves it readably (objects, complex, dates, records, long double):
// "<path>: the array holds pickled Python objects ...".
std::string unsupportedNpyDtype(const std::string& dtype, const std::string& path);

// Whether readNpyArray reads arrays of `dtype` (NpyShape::dtype, e.g. "f4", "u2").
bool isSupportedNpyDtype(const std::string& dtype);

// The header alone, from the first bytes of an array (at least its dataOffset).
NpyShape peekNpyShape(const char* bytes, size_t size, const std::string& path);

// N x D float32 features from an array of one or more dimensions; 3-D and 4-D arrays keep their
// image shape. The values are not checked (see applyValuePolicy). Throws DataError naming
// `where` for a scalar or an empty array.
Dataset datasetFromArray(const NpyArray& array, const std::string& path, const std::string& format,
                         const std::string& where);

} // namespace clusterscope

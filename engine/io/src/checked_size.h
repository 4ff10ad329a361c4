#pragma once
// Sizes computed from untrusted headers (NPY shapes and item sizes, IDX dimensions, zip
// directories). Every product and sum is checked for wrap-around, so a crafted header cannot
// pass a size check with a wrapped number and then be read past its end.

#include <clusterscope/core/errors.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

// a * b, or false when it does not fit in size_t.
inline bool checkedMultiply(size_t a, size_t b, size_t& product)
{
    return !__builtin_mul_overflow(a, b, &product);
}

// a + b, or false when it does not fit in size_t.
inline bool checkedAdd(size_t a, size_t b, size_t& sum)
{
    return !__builtin_add_overflow(a, b, &sum);
}

inline std::string shapeText(const std::vector<int64_t>& dims)
{
    std::string out;
    for (size_t i = 0; i < dims.size(); ++i)
    {
        out += (i ? " x " : "") + std::to_string(dims[i]);
    }
    return out.empty() ? "scalar" : out;
}

// The element count of `dims` (each >= 0). Throws DataError naming `where` when it wraps.
inline size_t elementCount(const std::vector<int64_t>& dims, const std::string& where)
{
    size_t count = 1;
    for (int64_t d : dims)
    {
        if (d < 0 || !checkedMultiply(count, static_cast<size_t>(d), count) ||
            count > static_cast<size_t>(INT64_MAX))
        {
            throw DataError(where + ": the header's shape (" + shapeText(dims) +
                            ") has more elements than any file can hold; the header is damaged");
        }
    }
    return count;
}

// The bytes of `dims` items of `itemSize` bytes. Throws DataError naming `where` when it wraps.
inline size_t byteCount(const std::vector<int64_t>& dims, size_t itemSize, const std::string& where)
{
    size_t bytes = 0;
    if (!checkedMultiply(elementCount(dims, where), itemSize, bytes) ||
        bytes > static_cast<size_t>(INT64_MAX))
    {
        throw DataError(where + ": the header's shape (" + shapeText(dims) + ") of " +
                        std::to_string(itemSize) +
                        "-byte items needs more bytes than any file can hold; the header is "
                        "damaged");
    }
    return bytes;
}

} // namespace clusterscope

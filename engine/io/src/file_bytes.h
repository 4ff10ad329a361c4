#pragma once
// The whole content of a file, transparently gunzipped when it starts with the gzip magic.

#include <cstddef>
#include <string>
#include <vector>

namespace clusterscope
{

// Throws DataError naming the file when it cannot be read (see RegularFile), the gzip stream is
// corrupt, or it inflates beyond gzipInflateLimit.
std::vector<unsigned char> readFileBytes(const std::string& path);

// Whether the file starts with the gzip magic. Throws DataError like RegularFile.
bool isGzipFile(const std::string& path);

// The most bytes a gzip file of `compressedBytes` may inflate to (see kGzipInflateRatio).
size_t gzipInflateLimit(size_t compressedBytes);

} // namespace clusterscope

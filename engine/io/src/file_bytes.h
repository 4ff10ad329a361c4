#pragma once
// The whole content of a file, transparently gunzipped when it starts with the gzip magic.

#include <string>
#include <vector>

namespace clusterscope
{

// Throws DataError naming the file when it cannot be read or the gzip stream is corrupt.
std::vector<unsigned char> readFileBytes(const std::string& path);

bool isGzipFile(const std::string& path);

} // namespace clusterscope

#pragma once
// A content fingerprint of a dataset: its features (shape and values) and its labels. Runs and
// sessions record it, so a result can be matched to the data it came from. It detects changed
// data, it is no cryptographic hash.

#include <clusterscope/core/dataset.h>

#include <string>

namespace clusterscope
{

// 16 hexadecimal digits of a 64-bit FNV-1a over 8-byte words. About 1 GB/s on one core.
std::string contentHash(const Dataset& data);

} // namespace clusterscope

#pragma once
// A content fingerprint of a dataset: its features (shape and values) and its labels. Runs and
// sessions record it, so a result can be matched to the data it came from. It detects changed
// data, it is no cryptographic hash.

#include <clusterscope/core/dataset.h>

#include <ATen/core/Tensor.h>

#include <string>

namespace clusterscope
{

// 16 hexadecimal digits of a 64-bit FNV-1a over 8-byte words. About 1 GB/s on one core.
std::string contentHash(const Dataset& data);

// The same over a tensor's shape, dtype and values (any dtype; copied to the CPU when it is on
// a GPU). An undefined tensor gives "". The run history keeps the soft assignments' hash, so a
// run repeated under its seed shows they came back bit for bit.
std::string tensorHash(const at::Tensor& values);

} // namespace clusterscope

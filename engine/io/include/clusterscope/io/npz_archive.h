#pragma once
// .npz archives written for users (numpy.load opens them) and read back member by member: the
// saved models of reducers that place new rows (pipeline/reducer_model.h).

#include <ATen/core/Tensor.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace clusterscope
{

// The bytes of a zip archive holding `members` (name, bytes) in that order, stored
// uncompressed with their CRC-32, as numpy.savez writes them. Write them with
// writeFileAtomically or OutputSet (output.h). Throws Error when a name repeats or is empty,
// or when a member or the whole archive reaches 4 GiB (this writer has no ZIP64).
std::string npzArchive(const std::vector<std::pair<std::string, std::string>>& members);

// Every member of the zip archive at `path`, by name, CRC-checked. Throws DataError naming the
// path (and the member) when it cannot be read, is not a zip archive, or is damaged or
// truncated.
std::map<std::string, std::string> readNpzMembers(const std::string& path);

// The N x D float32 matrix of the .npy bytes `bytes` (C order, little-endian '<f4'), as a CPU
// tensor that owns its values. Throws DataError naming `where` when the bytes are not such an
// array (another dtype or rank, a damaged header, too few bytes).
at::Tensor npyFloat32Matrix(const std::string& bytes, const std::string& where);

// The values of a 1-D int64 ('<i8') or uint8 ('|u1') array in .npy bytes, as integersNpy and
// bytesNpy (output.h) write them. Throws DataError naming `where` for another dtype or rank, a
// damaged header or too few bytes.
std::vector<int64_t> npyInt64Vector(const std::string& bytes, const std::string& where);
std::vector<uint8_t> npyUint8Vector(const std::string& bytes, const std::string& where);

} // namespace clusterscope

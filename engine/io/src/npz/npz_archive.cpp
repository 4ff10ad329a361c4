// Writing a stored (uncompressed) zip, as numpy.savez does, and reading one back member by
// member through the loader's zip reader.

#include "../npy/npy_array.h"
#include "zip_archive.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/npz_archive.h>

#include <ATen/ATen.h>

#include <cstdint>
#include <set>
#include <zlib.h>

namespace clusterscope
{
namespace
{

void putLittleEndian(std::string& out, uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out += static_cast<char>((value >> (8 * i)) & 0xff);
}

} // namespace

std::string npzArchive(const std::vector<std::pair<std::string, std::string>>& members)
{
    constexpr uint64_t kLimit = 0xFFFFFFFFu;
    std::string out, directory;
    std::set<std::string> names;
    for (const auto& [name, bytes] : members)
    {
        if (name.empty() || !names.insert(name).second)
            throw Error("npz archive: member name '" + name + "' is empty or repeated");
        if (bytes.size() >= kLimit || out.size() + bytes.size() + name.size() + 30 >= kLimit)
            throw Error("npz archive: member '" + name +
                        "' would take the archive past 4 GiB, which this writer cannot hold");
        const auto crc = static_cast<uint32_t>(
            crc32_z(0, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
        const auto offset = out.size();
        // Local header: version 2.0, no flags, stored, a fixed DOS time (1980-01-01 00:00).
        putLittleEndian(out, 0x04034b50, 4);
        putLittleEndian(out, 20, 2);
        putLittleEndian(out, 0, 2);
        putLittleEndian(out, 0, 2);
        putLittleEndian(out, 0, 2);
        putLittleEndian(out, 0x21, 2);
        putLittleEndian(out, crc, 4);
        putLittleEndian(out, bytes.size(), 4);
        putLittleEndian(out, bytes.size(), 4);
        putLittleEndian(out, name.size(), 2);
        putLittleEndian(out, 0, 2);
        out += name;
        out += bytes;
        // Central directory entry.
        putLittleEndian(directory, 0x02014b50, 4);
        putLittleEndian(directory, 20, 2); // made by
        putLittleEndian(directory, 20, 2); // needed
        putLittleEndian(directory, 0, 2);
        putLittleEndian(directory, 0, 2);
        putLittleEndian(directory, 0, 2);
        putLittleEndian(directory, 0x21, 2);
        putLittleEndian(directory, crc, 4);
        putLittleEndian(directory, bytes.size(), 4);
        putLittleEndian(directory, bytes.size(), 4);
        putLittleEndian(directory, name.size(), 2);
        putLittleEndian(directory, 0, 2); // extra
        putLittleEndian(directory, 0, 2); // comment
        putLittleEndian(directory, 0, 2); // disk
        putLittleEndian(directory, 0, 2); // internal attributes
        putLittleEndian(directory, 0, 4); // external attributes
        putLittleEndian(directory, offset, 4);
        directory += name;
    }
    if (members.size() >= 0xFFFF || out.size() + directory.size() + 22 >= kLimit)
        throw Error("npz archive: too many members or bytes for a zip without ZIP64");
    const auto directoryOffset = out.size();
    out += directory;
    putLittleEndian(out, 0x06054b50, 4);
    putLittleEndian(out, 0, 2);
    putLittleEndian(out, 0, 2);
    putLittleEndian(out, members.size(), 2);
    putLittleEndian(out, members.size(), 2);
    putLittleEndian(out, directory.size(), 4);
    putLittleEndian(out, directoryOffset, 4);
    putLittleEndian(out, 0, 2);
    return out;
}

std::map<std::string, std::string> readNpzMembers(const std::string& path)
{
    ZipArchive zip(path);
    std::map<std::string, std::string> out;
    for (const auto& name : zip.entries())
    {
        const auto bytes = zip.read(name);
        out[name] = std::string(bytes->begin(), bytes->end());
    }
    return out;
}

at::Tensor npyFloat32Matrix(const std::string& bytes, const std::string& where)
{
    const auto header = peekNpyShape(bytes.data(), bytes.size(), where);
    if (header.dtype != "f4" || header.shape.size() != 2)
        throw DataError(where + ": expected a 2-D float32 array, found " +
                        std::to_string(header.shape.size()) + "-D of dtype " + header.dtype);
    auto owner = std::make_shared<std::string>(bytes);
    const auto array = readNpyArray(owner, owner->data(), owner->size(), where);
    return array.values.to(at::kFloat).reshape({header.shape[0], header.shape[1]}).clone();
}

namespace
{

// The values of a 1-D array of dtype `dtype` ("i8", "u1") as T.
template <typename T>
std::vector<T> npyVector(const std::string& bytes, const std::string& where, const char* dtype)
{
    const auto header = peekNpyShape(bytes.data(), bytes.size(), where);
    if (header.dtype != dtype || header.shape.size() != 1)
        throw DataError(where + ": expected a 1-D array of dtype " + dtype + ", found " +
                        std::to_string(header.shape.size()) + "-D of dtype " + header.dtype);
    auto owner = std::make_shared<std::string>(bytes);
    const auto array = readNpyArray(owner, owner->data(), owner->size(), where);
    const auto values = array.values.contiguous();
    const T* first = static_cast<const T*>(values.data_ptr());
    return std::vector<T>(first, first + values.numel());
}

} // namespace

std::vector<int64_t> npyInt64Vector(const std::string& bytes, const std::string& where)
{
    return npyVector<int64_t>(bytes, where, "i8");
}

std::vector<uint8_t> npyUint8Vector(const std::string& bytes, const std::string& where)
{
    return npyVector<uint8_t>(bytes, where, "u1");
}

} // namespace clusterscope

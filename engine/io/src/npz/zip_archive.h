#pragma once
// A zip archive's members (an .npz), read from the mapped file: minizip lists the directory;
// the members, stored or deflated, ZIP64 or not, are read here with every size the directory
// claims checked first, and CRC-checked. Shared by the .npz loader and the reducer models.

#include "../checked_size.h"
#include "../file_bytes.h"
#include "../mapped_file.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>
#include <unzip.h>
#include <vector>

namespace clusterscope
{

// Deflate cannot expand data more than about 1032 times (RFC 1951's longest match per bit).
inline constexpr size_t kDeflateMaxRatio = 1032;
// A member's buffer grows with what it really inflates to, not with what the directory claims.
inline constexpr size_t kFirstChunk = size_t{1} << 20;

// The members of one archive; every read names the archive and the member in its errors.
class ZipArchive
{
public:
    explicit ZipArchive(const std::string& path)
        : path_(path), map_(path), zip_(unzOpen64(path.c_str()))
    {
        if (!zip_)
            throw DataError(path + ": not a readable .npz archive (its zip directory is missing "
                                   "or damaged)");
    }
    ~ZipArchive() { unzClose(zip_); }
    ZipArchive(const ZipArchive&) = delete;
    ZipArchive& operator=(const ZipArchive&) = delete;

    std::vector<std::string> entries()
    {
        std::vector<std::string> names;
        int status = unzGoToFirstFile(zip_);
        for (; status == UNZ_OK; status = unzGoToNextFile(zip_))
        {
            unz_file_info64 info{};
            std::array<char, 1024> name{};
            if (unzGetCurrentFileInfo64(zip_, &info, name.data(), name.size(), nullptr, 0, nullptr,
                                        0) != UNZ_OK)
                throw DataError(path_ + ": the zip directory is damaged");
            names.emplace_back(name.data(), strnlen(name.data(), name.size())); // may fill it
        }
        if (status != UNZ_END_OF_LIST_OF_FILE)
            throw DataError(path_ + ": the zip directory is damaged (entry " +
                            std::to_string(names.size() + 1) + " cannot be read)");
        return names;
    }

    // The member's first `limit` bytes (all of it by default), CRC-checked when read whole.
    // `most`: the bytes the member can hold by what it is (an .npy's header and shape); a
    // directory claiming more is refused before anything is inflated.
    // minizip reads the directory; the member's data are read here from the mapped archive,
    // because minizip 1.1 cannot read a member whose sizes or offset are in ZIP64 fields.
    std::shared_ptr<std::vector<char>> read(const std::string& entry, size_t limit = SIZE_MAX,
                                            size_t most = SIZE_MAX)
    {
        const std::string where = path_ + ": " + entry;
        unz_file_info64 info{};
        std::vector<char> extra(64 * 1024);
        if (unzLocateFile(zip_, entry.c_str(), 1) != UNZ_OK ||
            unzGetCurrentFileInfo64(zip_, &info, nullptr, 0, extra.data(),
                                    static_cast<uLong>(extra.size()), nullptr, 0) != UNZ_OK)
            throw DataError(where + ": the member cannot be opened (a damaged archive)");
        extra.resize(std::min<size_t>(extra.size(), info.size_file_extra));
        // The local header's offset, from the member's central directory entry.
        const uint64_t central = unzGetOffset64(zip_);
        if (central > map_.size() || map_.size() - central < 46)
            throw DataError(where + ": the zip directory is damaged");
        ZPOS64_T local = littleEndian(central + 42, 4);
        applyZip64Fields(extra, info, local);
        checkClaimedSizes(info, where);
        if (info.uncompressed_size > most)
            throw DataError(where + ": the member holds " + std::to_string(info.uncompressed_size) +
                            " bytes, more than the " + std::to_string(most) +
                            " its .npy header declares; the archive is damaged or was not "
                            "written by numpy");
        if (local > map_.size() || map_.size() - local < 30 || littleEndian(local, 4) != 0x04034b50)
            throw DataError(where + ": the member's local header is missing; the archive is "
                                    "damaged");
        const uint64_t start =
            local + 30 + littleEndian(local + 26, 2) + littleEndian(local + 28, 2);
        if (start > map_.size() || info.compressed_size > map_.size() - start)
            throw DataError(where + ": the member's data run past the end of the archive; the "
                                    "file is truncated");
        const size_t size = std::min<uint64_t>(info.uncompressed_size, limit);
        // np.savez_compressed of a few MB can declare (truthfully) gigabytes of zeros: the same
        // inflation limit as a .gz file, checked before anything is inflated.
        if (info.compression_method != 0 && size > gzipInflateLimit(info.compressed_size))
            throw DataError(where + ": the member inflates to " + std::to_string(size) +
                            " bytes from " + std::to_string(info.compressed_size) +
                            " (the limit is " + std::to_string(kGzipInflateRatio) +
                            " times the compressed size, at least " +
                            std::to_string(kGzipInflateFloor >> 20) +
                            " MiB); a damaged or hostile file? If the data are real, save them "
                            "with np.savez (uncompressed) or np.save");
        const char* data = map_.data() + start;
        auto bytes = info.compression_method == 0
                         ? std::make_shared<std::vector<char>>(data, data + size)
                         : inflateMember(data, info.compressed_size, size, where);
        if (size == info.uncompressed_size &&
            crc32_z(0, reinterpret_cast<const Bytef*>(bytes->data()), bytes->size()) != info.crc)
            throw DataError(where + ": the member is damaged (its CRC does not match)");
        return bytes;
    }

private:
    uint64_t littleEndian(uint64_t at, int bytes) const
    {
        const auto* p = reinterpret_cast<const unsigned char*>(map_.data()) + at;
        uint64_t v = 0;
        for (int i = bytes - 1; i >= 0; --i)
            v = (v << 8) | p[i];
        return v;
    }

    // The 64-bit sizes and offset of a ZIP64 extra field (id 1) stand where the directory says
    // 0xFFFFFFFF. minizip 1.1 compares them with (unsigned long)-1, which never matches on 64-bit
    // Linux, so it cannot read such members itself.
    static void applyZip64Fields(const std::vector<char>& extra, unz_file_info64& info,
                                 ZPOS64_T& localOffset)
    {
        constexpr uint64_t kInZip64 = 0xFFFFFFFF;
        const auto* p = reinterpret_cast<const unsigned char*>(extra.data());
        const auto read = [p](size_t at, int bytes)
        {
            uint64_t v = 0;
            for (int i = bytes - 1; i >= 0; --i)
                v = (v << 8) | p[at + static_cast<size_t>(i)];
            return v;
        };
        for (size_t at = 0; at + 4 <= extra.size();)
        {
            const auto id = read(at, 2);
            const auto length = static_cast<size_t>(read(at + 2, 2));
            const size_t end = std::min(extra.size(), at + 4 + length);
            if (id == 1)
            {
                size_t field = at + 4;
                for (ZPOS64_T* value :
                     {&info.uncompressed_size, &info.compressed_size, &localOffset})
                    if (*value == kInZip64 && field + 8 <= end)
                    {
                        *value = read(field, 8);
                        field += 8;
                    }
                return;
            }
            at = end;
        }
    }

    // The first `size` bytes a raw deflate stream inflates to; the buffer grows with what really
    // comes out, so a directory's claim allocates nothing.
    static std::shared_ptr<std::vector<char>> inflateMember(const char* data, size_t compressed,
                                                            size_t size, const std::string& where)
    {
        z_stream stream{};
        if (inflateInit2(&stream, -MAX_WBITS) != Z_OK)
            throw DataError(where + ": cannot start the deflate decoder");
        auto bytes = std::make_shared<std::vector<char>>(std::min(size, kFirstChunk));
        stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data));
        size_t remaining = compressed;
        size_t done = 0;
        int status = Z_OK;
        while (done < size && status != Z_STREAM_END)
        {
            if (done == bytes->size())
                bytes->resize(std::min(size, 2 * bytes->size()));
            const auto in = static_cast<uInt>(std::min<size_t>(remaining, 1u << 30));
            const auto out = static_cast<uInt>(std::min<size_t>(bytes->size() - done, 1u << 30));
            stream.avail_in = in;
            stream.next_out = reinterpret_cast<Bytef*>(bytes->data() + done);
            stream.avail_out = out;
            status = inflate(&stream, Z_NO_FLUSH);
            done += out - stream.avail_out;
            remaining -= in - stream.avail_in;
            if ((status != Z_OK && status != Z_STREAM_END) ||
                (remaining == 0 && stream.avail_out != 0 && status != Z_STREAM_END))
            {
                inflateEnd(&stream);
                throw DataError(where + ": the member is truncated or damaged (" +
                                std::to_string(done) + " of " + std::to_string(size) +
                                " bytes could be read)");
            }
        }
        inflateEnd(&stream);
        if (done < size)
            throw DataError(where + ": the member is truncated (" + std::to_string(done) + " of " +
                            std::to_string(size) + " bytes could be read)");
        return bytes;
    }

    // The directory's sizes are untrusted: they must fit the archive and what its compression
    // can produce, so that a damaged entry cannot claim gigabytes.
    void checkClaimedSizes(const unz_file_info64& info, const std::string& where) const
    {
        const auto fail = [&](const std::string& why)
        { throw DataError(where + ": " + why + "; the archive is damaged"); };
        if (info.compressed_size > map_.size())
            fail("the zip directory claims " + std::to_string(info.compressed_size) +
                 " compressed bytes, more than the archive's " + std::to_string(map_.size()));
        size_t most = 0;
        if (info.compression_method == 0)
            most = info.compressed_size; // stored
        else if (info.compression_method == Z_DEFLATED)
        {
            if (!checkedMultiply(info.compressed_size, kDeflateMaxRatio, most) ||
                !checkedAdd(most, 1024, most))
                most = SIZE_MAX;
        }
        else
        {
            throw DataError(where + ": compression method " +
                            std::to_string(info.compression_method) +
                            " is not supported; save the arrays with numpy.savez or "
                            "numpy.savez_compressed");
        }
        if (info.uncompressed_size > most)
            fail("the zip directory claims " + std::to_string(info.uncompressed_size) +
                 " bytes, more than its " + std::to_string(info.compressed_size) +
                 (info.compression_method == 0 ? " stored" : " deflated") + " bytes can hold");
    }

    std::string path_;
    MappedFile map_;
    unzFile zip_;
};

} // namespace clusterscope

#include "file_bytes.h"

#include "checked_size.h"
#include "file_access.h"
#include "mapped_file.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>

#include <algorithm>
#include <cstring>

#ifdef CLUSTERSCOPE_HAVE_ZLIB
#include <zlib.h>
#endif

namespace clusterscope
{

bool isGzipFile(const std::string& path)
{
    const auto magic = readFileHead(path, 2);
    return magic.size() == 2 && static_cast<unsigned char>(magic[0]) == 0x1f &&
           static_cast<unsigned char>(magic[1]) == 0x8b;
}

size_t gzipInflateLimit(size_t compressedBytes)
{
    size_t scaled = 0;
    if (!checkedMultiply(compressedBytes, kGzipInflateRatio, scaled))
    {
        scaled = SIZE_MAX;
    }
    return std::max(scaled, kGzipInflateFloor);
}

namespace
{

#ifdef CLUSTERSCOPE_HAVE_ZLIB
std::vector<unsigned char> gunzip(const MappedFile& file)
{
    z_stream stream{};
    // 16 + MAX_WBITS: expect a gzip wrapper. Concatenated members are handled in the loop.
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK)
    {
        throw DataError(file.path() + ": cannot start the gzip decoder");
    }
    // A few bytes can inflate to gigabytes: stop one byte past the limit.
    const size_t limit = gzipInflateLimit(file.size());
    const size_t cap = limit + 1;
    std::vector<unsigned char> out(std::min(cap, std::max<size_t>(file.size() * 4, 1 << 16)));
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(file.data()));
    size_t remaining = file.size();
    size_t produced = 0;
    int status = Z_OK;
    while (true)
    {
        if (produced == out.size())
        {
            out.resize(std::min(cap, out.size() * 2));
        }
        const auto inChunk = static_cast<uInt>(std::min<size_t>(remaining, 1u << 30));
        stream.avail_in = inChunk;
        const auto outChunk = static_cast<uInt>(std::min<size_t>(out.size() - produced, 1u << 30));
        stream.next_out = out.data() + produced;
        stream.avail_out = outChunk;
        status = inflate(&stream, Z_NO_FLUSH);
        produced += outChunk - stream.avail_out;
        remaining -= inChunk - stream.avail_in;
        if (produced > limit)
        {
            inflateEnd(&stream);
            throw DataError(file.path() + ": inflates to more than " + std::to_string(limit) +
                            " bytes (the limit is " + std::to_string(kGzipInflateRatio) +
                            " times the compressed size, at least " +
                            std::to_string(kGzipInflateFloor >> 20) +
                            " MiB); a damaged or hostile file? If the data are real, gunzip the "
                            "file and load the plain file");
        }
        if (status == Z_STREAM_END)
        {
            if (remaining == 0)
            {
                break;
            }
            inflateReset(&stream); // another gzip member follows
            continue;
        }
        if (status != Z_OK && status != Z_BUF_ERROR)
        {
            const std::string why = stream.msg ? stream.msg : "corrupt data";
            inflateEnd(&stream);
            throw DataError(file.path() + ": the gzip stream is corrupt (" + why + ")");
        }
        if (remaining == 0 && stream.avail_out != 0)
        {
            inflateEnd(&stream);
            throw DataError(file.path() + ": the gzip stream ends early; the file is truncated");
        }
    }
    inflateEnd(&stream);
    out.resize(produced);
    return out;
}
#endif

} // namespace

std::vector<unsigned char> readFileBytes(const std::string& path)
{
    MappedFile file(path);
    const auto* begin = reinterpret_cast<const unsigned char*>(file.data());
    if (file.size() >= 2 && begin[0] == 0x1f && begin[1] == 0x8b)
    {
#ifdef CLUSTERSCOPE_HAVE_ZLIB
        return gunzip(file);
#else
        throw DataError(path + ": is gzip-compressed, but this build has no zlib; gunzip it first");
#endif
    }
    return {begin, begin + file.size()};
}

} // namespace clusterscope

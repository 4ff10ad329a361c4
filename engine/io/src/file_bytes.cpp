#include "file_bytes.h"

#include "mapped_file.h"

#include <clusterscope/core/errors.h>

#include <cstring>
#include <fstream>

#ifdef CLUSTERSCOPE_HAVE_ZLIB
#include <zlib.h>
#endif

namespace clusterscope
{

bool isGzipFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    unsigned char magic[2] = {0, 0};
    in.read(reinterpret_cast<char*>(magic), 2);
    return in.gcount() == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
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
    std::vector<unsigned char> out(std::max<size_t>(file.size() * 4, 1 << 16));
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(file.data()));
    size_t remaining = file.size();
    size_t produced = 0;
    int status = Z_OK;
    while (true)
    {
        if (produced == out.size())
        {
            out.resize(out.size() * 2);
        }
        const auto inChunk = static_cast<uInt>(std::min<size_t>(remaining, 1u << 30));
        stream.avail_in = inChunk;
        const auto outChunk = static_cast<uInt>(std::min<size_t>(out.size() - produced, 1u << 30));
        stream.next_out = out.data() + produced;
        stream.avail_out = outChunk;
        status = inflate(&stream, Z_NO_FLUSH);
        produced += outChunk - stream.avail_out;
        remaining -= inChunk - stream.avail_in;
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

#include "jpeg_decoder.h"

#include <clusterscope/core/errors.h>

#include <memory>
#include <turbojpeg.h>

namespace clusterscope
{

namespace
{

struct JpegDecompressor
{
    tjhandle handle = tjInitDecompress();
    ~JpegDecompressor()
    {
        if (handle)
            tjDestroy(handle);
    }
};

[[noreturn]] void failJpeg(const std::string& file, tjhandle handle)
{
    throw DataError(file + ": not a readable JPEG image (" +
                    std::string(handle ? tjGetErrorStr2(handle) : "libjpeg-turbo did not start") +
                    "); it may be truncated or damaged: remove it or replace it");
}

JpegImage readJpegHeader(const std::string& bytes, const std::string& file, tjhandle handle)
{
    if (!handle)
        failJpeg(file, handle);
    int subsampling = 0;
    int colorspace = 0;
    JpegImage out;
    if (tjDecompressHeader3(handle, reinterpret_cast<const unsigned char*>(bytes.data()),
                            static_cast<unsigned long>(bytes.size()), &out.width, &out.height,
                            &subsampling, &colorspace) != 0)
        failJpeg(file, handle);
    out.channels = colorspace == TJCS_GRAY ? 1 : 3;
    return out;
}

} // namespace

bool looksLikeJpeg(const std::string& bytes)
{
    return bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
           static_cast<unsigned char>(bytes[1]) == 0xD8 &&
           static_cast<unsigned char>(bytes[2]) == 0xFF;
}

JpegImage jpegHeader(const std::string& bytes, const std::string& file)
{
    const JpegDecompressor d;
    return readJpegHeader(bytes, file, d.handle);
}

JpegImage decodeJpeg(const std::string& bytes, const std::string& file, int channels, int maxSide)
{
    const JpegDecompressor d;
    JpegImage out = readJpegHeader(bytes, file, d.handle);
    if (out.width < 1 || out.height < 1 || out.width > maxSide || out.height > maxSide)
        throw DataError(file + ": " + std::to_string(out.height) + " x " +
                        std::to_string(out.width) + " pixels; images up to " +
                        std::to_string(maxSide) +
                        " pixels on a side are read: shrink it or leave it out");
    out.channels = channels;
    out.pixels.resize(static_cast<size_t>(out.width) * static_cast<size_t>(out.height) *
                      static_cast<size_t>(channels));
    const int status =
        tjDecompress2(d.handle, reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<unsigned long>(bytes.size()), out.pixels.data(), out.width, 0,
                      out.height, channels == 1 ? TJPF_GRAY : TJPF_RGB, TJFLAG_ACCURATEDCT);
    if (status != 0 && tjGetErrorCode(d.handle) != TJERR_WARNING)
        failJpeg(file, d.handle);
    return out;
}

} // namespace clusterscope

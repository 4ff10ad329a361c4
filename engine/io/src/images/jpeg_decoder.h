#pragma once
// JPEG images through libjpeg-turbo (its TurboJPEG API): Debian's stb_image (2018) reads out of
// bounds on some damaged JPEGs (a fuzz finding), libjpeg-turbo is the decoder fuzzed upstream.

#include <string>
#include <vector>

namespace clusterscope
{

// Whether `bytes` start like a JPEG file (FF D8 FF).
bool looksLikeJpeg(const std::string& bytes);

struct JpegImage
{
    int width = 0;
    int height = 0;
    int channels = 0;                  // 1 for greyscale files, else 3
    std::vector<unsigned char> pixels; // height x width x the channels asked for; empty for
                                       // a header
};

// The size and channels from the header, nothing decoded. Throws DataError naming `file` when
// the header cannot be read.
JpegImage jpegHeader(const std::string& bytes, const std::string& file);

// The pixels as `channels` (1: grey, 3: RGB) bytes each, converted as needed; sides over
// `maxSide` are refused before decoding. Damage that libjpeg-turbo only warns about (bytes
// after the end, a short last scan) keeps what it decoded; errors throw DataError naming `file`.
JpegImage decodeJpeg(const std::string& bytes, const std::string& file, int channels, int maxSide);

} // namespace clusterscope

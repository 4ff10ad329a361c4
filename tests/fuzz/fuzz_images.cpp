// Folders of PNG (stb_image) and JPEG (libjpeg-turbo) images: the header checks, the size and
// channel rules, resizing, and decoding of whatever bytes a .png or .jpg holds. Options bit 0 names
// the file .jpg instead of .png, bit 1 asks --image-size 5x7, bit 2 puts a valid 2 x 3 grey PNG
// beside it (sizes then disagree unless resized), bit 3 puts the file in a class subfolder.
#include "fuzz_input.h"

#include <filesystem>

namespace
{

// A 2 x 3 8-bit greyscale PNG (stored, uncompressed deflate block), built once.
const std::string& smallPng()
{
    static const std::string png = []
    {
        auto be = [](uint32_t v)
        {
            return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                               static_cast<char>(v >> 8), static_cast<char>(v)};
        };
        auto chunk = [&](const std::string& kind, const std::string& body)
        {
            const std::string typed = kind + body;
            const auto crc = static_cast<uint32_t>(crc32(
                0, reinterpret_cast<const Bytef*>(typed.data()), static_cast<uInt>(typed.size())));
            return be(static_cast<uint32_t>(body.size())) + typed + be(crc);
        };
        const std::string raw("\x00\x10\x20\x30\x00\x40\x50\x60", 8); // filter 0, 3 pixels, x 2
        uLongf size = compressBound(raw.size());
        std::string packed(size, '\0');
        compress(reinterpret_cast<Bytef*>(packed.data()), &size,
                 reinterpret_cast<const Bytef*>(raw.data()), raw.size());
        packed.resize(size);
        return std::string("\x89PNG\r\n\x1a\n", 8) +
               chunk("IHDR", be(3) + be(2) + std::string("\x08\x00\x00\x00\x00", 5)) +
               chunk("IDAT", packed) + chunk("IEND", "");
    }();
    return png;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    namespace fs = std::filesystem;
    if (size == 0)
        return 0;
    const uint8_t bits = data[0];
    const std::string_view content(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string dir = clusterscope::fuzz::scratchDir() + "/images";
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    const std::string folder = dir + ((bits & 8) ? "/class" : "");
    fs::create_directories(folder);
    clusterscope::fuzz::writeFile(fs::relative(folder, clusterscope::fuzz::scratchDir()).string() +
                                      ((bits & 1) ? "/a.jpg" : "/a.png"),
                                  content);
    if (bits & 4)
        clusterscope::fuzz::writeFile(
            fs::relative(folder, clusterscope::fuzz::scratchDir()).string() + "/b.png", smallPng());
    clusterscope::LoadOptions options;
    if (bits & 2)
        options.imageSize = "5x7";
    clusterscope::fuzz::load(dir, options);
    return 0;
}

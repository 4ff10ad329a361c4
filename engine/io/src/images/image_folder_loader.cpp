// Folders of PNG and JPEG images, decoded by stb_image (Debian's libstb), resized by
// stb_image_resize when asked. Class subfolders become labels, as torchvision's ImageFolder
// and Keras' image_dataset_from_directory read them.

#include "../checked_size.h"
#include "image_folder.h"
#include "jpeg_decoder.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

namespace fs = std::filesystem;

namespace clusterscope
{

namespace
{

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Regular files and folders of `dir`, hidden ones (".git", "._x.png") left out, sorted.
void listFolder(const fs::path& dir, std::vector<fs::path>& images, std::vector<fs::path>& folders,
                int64_t* others)
{
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec))
    {
        const auto name = it->path().filename().string();
        if (name.empty() || name[0] == '.')
            continue;
        std::error_code typeError;
        if (it->is_directory(typeError))
            folders.push_back(it->path());
        else if (it->is_regular_file(typeError) && isImageFileName(name))
            images.push_back(it->path());
        else if (others)
            ++*others;
    }
    if (ec)
        throw DataError(dir.string() + ": cannot list the folder (" + ec.message() + ")");
    std::sort(images.begin(), images.end());
    std::sort(folders.begin(), folders.end());
}

struct Decoded
{
    int width = 0;
    int height = 0;
    std::vector<stbi_uc> pixels; // height x width x the channels asked for
};

std::string readBytes(const std::string& file)
{
    std::ifstream in(file, std::ios::binary);
    std::string bytes(std::istreambuf_iterator<char>(in), {});
    if (!in && !in.eof())
        throw DataError(file + ": cannot be read");
    if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()))
        throw DataError(file + ": over 2 GiB; no image of a folder may be that large");
    return bytes;
}

[[noreturn]] void notAnImage(const std::string& file)
{
    const char* why = stbi_failure_reason();
    throw DataError(file + ": not a readable PNG or JPEG image (" +
                    (why ? std::string(why) : std::string("unknown error")) +
                    "); it may be truncated or damaged: remove it or replace it");
}

// Width, height and channels from the header: JPEG through libjpeg-turbo (whose header may
// follow long metadata segments, so the file is read), anything else through stb, which reads
// only the header from the file.
void readImageHeader(const std::string& file, int& width, int& height, int& channels)
{
    std::string magic(3, '\0');
    std::ifstream(file, std::ios::binary).read(magic.data(), 3);
    if (looksLikeJpeg(magic))
    {
        const JpegImage header = jpegHeader(readBytes(file), file);
        width = header.width;
        height = header.height;
        channels = header.channels;
    }
    else if (!stbi_info(file.c_str(), &width, &height, &channels))
        notAnImage(file);
}

// stb_image grows its buffer to a chunk's declared length before reading it, so a few bytes
// claiming a 500 MB chunk cost 500 MB: PNG chunks must fit in the file they are in.
void checkPngChunks(const std::string& bytes, const std::string& file)
{
    static const std::string signature("\x89PNG\r\n\x1a\n", 8);
    if (bytes.compare(0, signature.size(), signature) != 0)
        return; // a JPEG (or not an image: stb_image says so)
    size_t at = signature.size();
    while (at + 12 <= bytes.size())
    {
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + at);
        const size_t length = size_t{p[0]} << 24 | size_t{p[1]} << 16 | size_t{p[2]} << 8 | p[3];
        if (length > bytes.size() - at - 12)
            throw DataError(file + ": a PNG chunk of " + std::to_string(length) +
                            " bytes runs past the end of the file; it is truncated or damaged: "
                            "remove it or replace it");
        if (bytes.compare(at + 4, 4, "IEND") == 0)
            return;
        at += 12 + length;
    }
}

Decoded decode(const std::string& file, int channels)
{
    const std::string bytes = readBytes(file);
    Decoded out;
    if (looksLikeJpeg(bytes))
    {
        JpegImage image = decodeJpeg(bytes, file, channels, static_cast<int>(kMaxImageSide));
        out.width = image.width;
        out.height = image.height;
        out.pixels = std::move(image.pixels);
        return out;
    }
    checkPngChunks(bytes, file);
    int stored = 0;
    const std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                              static_cast<int>(bytes.size()), &out.width, &out.height, &stored,
                              channels),
        stbi_image_free);
    if (!pixels)
        notAnImage(file);
    out.pixels.assign(pixels.get(), pixels.get() + static_cast<size_t>(out.width) *
                                                       static_cast<size_t>(out.height) *
                                                       static_cast<size_t>(channels));
    return out;
}

} // namespace

bool isImageFileName(const std::string& name)
{
    const auto extension = lower(fs::path(name).extension().string());
    return extension == ".png" || extension == ".jpg" || extension == ".jpeg";
}

bool holdsImages(const std::string& dir)
{
    std::vector<fs::path> images, folders;
    listFolder(dir, images, folders, nullptr);
    if (!images.empty())
        return true;
    for (const auto& f : folders)
    {
        std::vector<fs::path> inner, innerFolders;
        listFolder(f, inner, innerFolders, nullptr);
        if (!inner.empty())
            return true;
    }
    return false;
}

ImageSize parseImageSize(const std::string& text)
{
    ImageSize out;
    if (text.empty())
        return out;
    const auto x = lower(text).find('x');
    try
    {
        if (x == std::string::npos)
            throw std::invalid_argument(text);
        size_t used = 0;
        out.height = std::stoll(text.substr(0, x), &used);
        const bool heightWhole = used == x;
        out.width = std::stoll(text.substr(x + 1), &used);
        if (!heightWhole || used != text.size() - x - 1)
            throw std::invalid_argument(text);
    }
    catch (const std::logic_error&)
    {
        throw ParameterError("image_size '" + text +
                             "': give HEIGHTxWIDTH in pixels, e.g. 28x28 (empty: keep sizes)");
    }
    if (out.height < 1 || out.width < 1 || out.height > kMaxImageSide || out.width > kMaxImageSide)
        throw ParameterError("image_size '" + text + "': each side from 1 to " +
                             std::to_string(kMaxImageSide) + " pixels");
    return out;
}

Dataset loadImageFolder(const std::string& dir, const LoadOptions& options, Progress& progress)
{
    const ImageSize asked = parseImageSize(options.imageSize);
    // Class subfolders (images one level down) or a flat folder.
    std::vector<fs::path> top, folders;
    int64_t skipped = 0;
    listFolder(dir, top, folders, &skipped);
    std::vector<std::pair<fs::path, int64_t>> files; // (image, class or -1)
    std::vector<std::string> classes;
    std::vector<std::string> warnings;
    for (const auto& folder : folders)
    {
        std::vector<fs::path> images, inner;
        listFolder(folder, images, inner, &skipped);
        if (images.empty())
        {
            warnings.push_back(folder.string() + ": holds no PNG or JPEG images; left out");
            continue;
        }
        for (const auto& image : images)
            files.emplace_back(image, static_cast<int64_t>(classes.size()));
        classes.push_back(folder.filename().string());
        if (!inner.empty())
            warnings.push_back(folder.string() + ": its subfolders were not read (one level of "
                                                 "class folders is)");
    }
    if (classes.empty())
        for (const auto& image : top)
            files.emplace_back(image, -1);
    else if (!top.empty())
        warnings.push_back(dir + ": " + std::to_string(top.size()) +
                           " images beside the class folders were left out (they have no class)");
    if (skipped > 0)
        warnings.push_back(dir + ": " + std::to_string(skipped) +
                           " files that are not .png, .jpg or .jpeg were left out");
    if (files.empty())
        throw DataError(dir + ": no PNG or JPEG images in the folder or in its subfolders");

    // Headers first: the shape, the channels, and sizes checked before any pixel is decoded.
    int channels = 1;
    int height = 0;
    int width = 0;
    std::string first;
    for (size_t i = 0; i < files.size(); ++i)
    {
        if (i % 256 == 0)
            throwIfCancelled(progress);
        const std::string file = files[i].first.string();
        int w = 0, h = 0, stored = 0;
        readImageHeader(file, w, h, stored);
        if (w < 1 || h < 1 || w > kMaxImageSide || h > kMaxImageSide)
            throw DataError(file + ": " + std::to_string(h) + " x " + std::to_string(w) +
                            " pixels; images up to " + std::to_string(kMaxImageSide) +
                            " pixels on a side are read: shrink it or leave it out");
        if (stored >= 3)
            channels = 3; // colour; a grey + alpha image (2) stays grey
        if (first.empty())
        {
            first = file;
            height = h;
            width = w;
        }
        else if (!asked.height && (h != height || w != width))
            throw DataError(file + ": " + std::to_string(h) + " x " + std::to_string(w) +
                            " pixels, but " + first + " has " + std::to_string(height) + " x " +
                            std::to_string(width) +
                            "; every image needs one size: resize them as they load with "
                            "--image-size " +
                            std::to_string(height) + "x" + std::to_string(width) +
                            " (the Dataset panel's image_size)");
    }
    if (asked.height)
    {
        height = static_cast<int>(asked.height);
        width = static_cast<int>(asked.width);
    }
    const auto n = static_cast<int64_t>(files.size());
    const int64_t d = int64_t{height} * width * channels;
    size_t total = 0;
    if (!checkedMultiply(static_cast<size_t>(n), static_cast<size_t>(d) * sizeof(float), total) ||
        total > kMaxImageFolderBytes)
        throw DataError(dir + ": " + std::to_string(n) + " images of " + std::to_string(height) +
                        " x " + std::to_string(width) + " x " + std::to_string(channels) +
                        " values need more than " + std::to_string(kMaxImageFolderBytes >> 30) +
                        " GiB as float32; resize them smaller with --image-size");

    Dataset out;
    float* values = nullptr;
    std::vector<stbi_uc> resized;
    for (int64_t i = 0; i < n; ++i)
    {
        progress.poll(
            static_cast<double>(i) / static_cast<double>(n),
            [&] { return "decoding image " + std::to_string(i + 1) + " of " + std::to_string(n); });
        const std::string file = files[static_cast<size_t>(i)].first.string();
        const Decoded image = decode(file, channels);
        const stbi_uc* pixels = image.pixels.data();
        if (image.width != width || image.height != height)
        {
            if (!asked.height) // the header said otherwise: the file changed meanwhile
                throw DataError(file + ": its size changed while the folder was read");
            resized.resize(static_cast<size_t>(d));
            if (!stbir_resize_uint8(pixels, image.width, image.height, 0, resized.data(), width,
                                    height, 0, channels))
                throw DataError(file + ": could not be resized to " + options.imageSize);
            pixels = resized.data();
        }
        if (!values) // allocated once the first image decoded: a header alone proves nothing
        {
            out.features = at::empty({n, d}, at::kFloat);
            values = out.features.data_ptr<float>();
        }
        float* row = values + i * d;
        for (int64_t j = 0; j < d; ++j)
            row[j] = static_cast<float>(pixels[j]); // 0..255, as IDX images: scale01 divides
    }
    progress.report(1.0, "decoded " + std::to_string(n) + " images");

    out.featureNames.reserve(static_cast<size_t>(d));
    for (int64_t j = 0; j < d; ++j)
        out.featureNames.push_back("pixel" + std::to_string(j));
    out.imageShape = ImageShape{height, width, channels};
    if (!classes.empty() && !wantsNoLabels(options.labelColumn))
    {
        out.labels.reserve(static_cast<size_t>(n));
        for (const auto& f : files)
            out.labels.push_back(f.second);
        out.labelNames = classes;
        out.labelColumn = "folder";
    }
    // Each row's file, relative to the folder, for the inspector and the exports.
    MetadataColumn names;
    names.name = "file";
    for (int64_t i = 0; i < n; ++i)
    {
        names.codes.push_back(static_cast<int32_t>(i));
        names.categories.push_back(
            fs::relative(files[static_cast<size_t>(i)].first, dir).generic_string());
    }
    out.metadata.push_back(std::move(names));
    out.source = dir;
    out.format = "images";
    out.warnings = std::move(warnings);
    return out;
}

} // namespace clusterscope

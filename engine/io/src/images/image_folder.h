#pragma once
// What the folder detection and the image-folder loader share (image_folder_loader.cpp).

#include <cstdint>
#include <string>

namespace clusterscope
{

// The largest side read, and the most float32 bytes a folder may decode to.
inline constexpr int64_t kMaxImageSide = 8192;
inline constexpr size_t kMaxImageFolderBytes = size_t{16} << 30;

// .png, .jpg or .jpeg, in any case.
bool isImageFileName(const std::string& name);

// Whether `dir` holds PNG or JPEG images, or class subfolders that do.
bool holdsImages(const std::string& dir);

struct ImageSize
{
    int64_t height = 0; // 0: keep each image's size
    int64_t width = 0;
};

// "28x28" (HEIGHTxWIDTH); "" keeps the sizes. Throws ParameterError naming image_size.
ImageSize parseImageSize(const std::string& text);

} // namespace clusterscope

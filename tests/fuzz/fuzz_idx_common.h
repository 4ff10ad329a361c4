#pragma once
// IDX images with their labels file: after the options byte, a 4-byte little-endian length of
// the images file, its bytes, then the labels file's bytes (none: no labels file is written, so
// the loader finds no companion). Both are named as Fashion-MNIST's are, so the labels are
// found beside the images; `gz` gzips both (or, with the options byte's bit 6, takes both as
// raw gzip streams).
#include "fuzz_input.h"

#include <algorithm>
#include <cstring>

namespace clusterscope::fuzz
{

inline void loadIdxPair(const uint8_t* data, size_t size, bool gz)
{
    const auto in = splitInput(data, size);
    if (in.content.size() < 4)
    {
        return;
    }
    uint32_t imagesSize = 0;
    std::memcpy(&imagesSize, in.content.data(), 4);
    const auto rest = in.content.substr(4);
    const auto images = rest.substr(0, std::min<size_t>(imagesSize, rest.size()));
    const auto labels = rest.substr(images.size());
    const auto encode = [&](std::string_view bytes)
    { return gz && !in.rawGzip ? gzip(bytes) : std::string(bytes); };
    const std::string suffix = gz ? ".gz" : "";
    const auto imagesPath = writeFile("train-images-idx3-ubyte" + suffix, encode(images));
    if (labels.empty())
    {
        removeFile("train-labels-idx1-ubyte" + suffix);
    }
    else
    {
        writeFile("train-labels-idx1-ubyte" + suffix, encode(labels));
    }
    load(imagesPath, in.options);
}

} // namespace clusterscope::fuzz

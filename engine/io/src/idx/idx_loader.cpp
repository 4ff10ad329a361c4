// MNIST-style IDX files, plain or gzipped: an images file (idx3) and its labels file (idx1).

#include "../array_values.h"
#include "../checked_size.h"
#include "../file_bytes.h"
#include "../float32_features.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <numeric>

namespace clusterscope
{

namespace
{

struct IdxArray
{
    at::ScalarType type = at::kByte;
    std::vector<int64_t> dims;
    std::vector<unsigned char> bytes; // the whole file, decompressed
    size_t offset = 0;                // where the values start
};

IdxArray readIdx(const std::string& path)
{
    IdxArray a;
    a.bytes = readFileBytes(path);
    const auto& b = a.bytes;
    if (b.size() < 4 || b[0] != 0 || b[1] != 0)
    {
        throw DataError(path + ": not an IDX file (the first two bytes must be zero)");
    }
    int64_t itemSize = 1;
    switch (b[2])
    {
    case 0x08:
        a.type = at::kByte;
        break;
    case 0x09:
        a.type = at::kChar;
        break;
    case 0x0B:
        a.type = at::kShort;
        itemSize = 2;
        break;
    case 0x0C:
        a.type = at::kInt;
        itemSize = 4;
        break;
    case 0x0D:
        a.type = at::kFloat;
        itemSize = 4;
        break;
    case 0x0E:
        a.type = at::kDouble;
        itemSize = 8;
        break;
    default:
    {
        char code[8];
        std::snprintf(code, sizeof code, "0x%02X", b[2]);
        throw DataError(path + ": unknown IDX value type " + code +
                        "; expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E");
    }
    }
    const int ndims = b[3];
    a.offset = 4 + 4 * static_cast<size_t>(ndims);
    if (ndims < 1 || b.size() < a.offset)
    {
        throw DataError(path + ": the IDX header is truncated or has no dimensions (" +
                        std::to_string(ndims) + " dimensions announced, " +
                        std::to_string(b.size()) + " bytes in the file)");
    }
    for (int d = 0; d < ndims; ++d)
    {
        const unsigned char* p = b.data() + 4 + 4 * d;
        const int64_t dim =
            (int64_t{p[0]} << 24) | (int64_t{p[1]} << 16) | (int64_t{p[2]} << 8) | p[3];
        a.dims.push_back(dim);
    }
    const size_t expected = byteCount(a.dims, static_cast<size_t>(itemSize), path);
    if (b.size() - a.offset < expected)
    {
        throw DataError(path + ": the file is truncated: the header announces " +
                        std::to_string(expected) + " bytes of values but " +
                        std::to_string(b.size() - a.offset) + " follow");
    }
    return a;
}

// IDX values are big-endian; returns them as a tensor of the file's type in host order.
at::Tensor values(IdxArray& a)
{
    const int64_t n =
        std::accumulate(a.dims.begin(), a.dims.end(), int64_t{1}, std::multiplies<>());
    if (n > 0 && c10::elementSize(a.type) == 1)
    {
        // Bytes need no alignment and no byte swap: a view of `a`'s buffer, valid while `a`
        // lives, saves a copy of the file (47 MB for Fashion-MNIST) on the way to float32.
        return at::from_blob(a.bytes.data() + a.offset, {n}, at::TensorOptions().dtype(a.type));
    }
    // Copied byte-wise: after a header of 4 + 4 * dims bytes, 8-byte values may be misaligned.
    auto t = at::empty({n}, at::TensorOptions().dtype(a.type));
    if (n > 0) // an empty tensor's data pointer is null
    {
        std::memcpy(t.data_ptr(), a.bytes.data() + a.offset,
                    static_cast<size_t>(n * t.element_size()));
    }
    if (t.element_size() > 1)
    {
        // Reverse the bytes of each element.
        auto raw = t.view(at::kByte).view({n, t.element_size()}).flip(1).contiguous();
        t = raw.view(a.type).view({n});
    }
    return t;
}

} // namespace

std::string findIdxLabels(const std::string& imagesPath)
{
    namespace fs = std::filesystem;
    const fs::path p(imagesPath);
    std::string name = p.filename().string();
    auto replace = [&](const std::string& from, const std::string& to)
    {
        const auto at = name.find(from);
        if (at != std::string::npos)
        {
            name.replace(at, from.size(), to);
        }
    };
    replace("images", "labels");
    replace("idx3", "idx1");
    for (const std::string& suffix : {std::string(), std::string(".gz")})
    {
        std::string candidate = name;
        if (suffix.empty() && candidate.ends_with(".gz"))
        {
            candidate.resize(candidate.size() - 3);
        }
        else if (!suffix.empty() && !candidate.ends_with(".gz"))
        {
            candidate += suffix;
        }
        const auto full = p.parent_path() / candidate;
        if (candidate != p.filename().string() && fs::exists(full))
        {
            return full.string();
        }
    }
    return {};
}

namespace
{

// The class names in a text file beside the labels file (classes.txt or class_names.txt, one
// name per line in label order, as torchvision lists Fashion-MNIST's), when they cover every
// label; a file that does not is named in a warning.
std::vector<std::string> classNamesBeside(const std::string& labelsPath,
                                          const std::vector<int64_t>& labels,
                                          std::vector<std::string>& warnings)
{
    namespace fs = std::filesystem;
    for (const char* name : {"classes.txt", "class_names.txt"})
    {
        const auto file = fs::path(labelsPath).parent_path() / name;
        std::ifstream in(file);
        if (!in)
            continue;
        std::vector<std::string> names;
        for (std::string line; std::getline(in, line) && names.size() <= 100000;)
        {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
                line.pop_back();
            names.push_back(line);
        }
        while (!names.empty() && names.back().empty())
            names.pop_back();
        const auto [lo, hi] = std::minmax_element(labels.begin(), labels.end());
        if (!names.empty() &&
            (labels.empty() || (*lo >= 0 && *hi < static_cast<int64_t>(names.size()))))
            return names;
        warnings.push_back(file.string() + ": lists " + std::to_string(names.size()) +
                           " class names, but the labels run from " +
                           (labels.empty() ? std::string("nothing")
                                           : std::to_string(*lo) + " to " + std::to_string(*hi)) +
                           "; the labels are shown as numbers (one name per line, label 0 "
                           "first)");
        return {};
    }
    return {};
}

} // namespace

Dataset loadIdx(const std::string& imagesPath, const std::string& labelsPath,
                const LoadOptions& options)
{
    IdxArray images = readIdx(imagesPath);
    if (images.dims.size() < 2)
    {
        throw DataError(imagesPath + ": an IDX images file needs at least 2 dimensions; this one "
                                     "has 1 (is it a labels file?)");
    }
    const int64_t n = images.dims[0];
    if (elementCount(images.dims, imagesPath) == 0)
    {
        throw DataError(imagesPath + ": the IDX file holds no values (dimensions " +
                        shapeText(images.dims) + ")");
    }
    const auto raw = values(images); // may view `images`' bytes: used within this scope only
    const auto table = raw.reshape({n, -1});
    Dataset out;
    out.source = imagesPath;
    out.format = "idx";
    if (images.dims.size() == 3 || images.dims.size() == 4)
    {
        out.imageShape = ImageShape{images.dims[1], images.dims[2],
                                    images.dims.size() == 4 ? images.dims[3] : 1};
    }
    for (int64_t c = 0; c < table.size(1); ++c)
    {
        out.featureNames.push_back("pixel" + std::to_string(c));
    }
    out.features = toFloat32Features(table, imagesPath, out.featureNames, out.featureOffsets);
    std::vector<uint8_t> labelMissing;
    if (!labelsPath.empty())
    {
        IdxArray labels = readIdx(labelsPath);
        if (labels.dims.size() != 1 || labels.dims[0] != n)
        {
            throw DataError(labelsPath + ": expected " + std::to_string(n) + " labels to match " +
                            imagesPath + ", found " +
                            (labels.dims.size() == 1
                                 ? std::to_string(labels.dims[0])
                                 : "an array of shape " + shapeText(labels.dims)) +
                            "; give the labels file that belongs to these images, or load no "
                            "labels with --label-column none");
        }
        out.labels = labelsFromArray(values(labels), labelsPath, labelMissing);
        out.labelColumn = "label"; // the file itself is named in `source`
        out.labelNames = classNamesBeside(labelsPath, out.labels, out.warnings);
        out.source += " + " + labelsPath;
    }
    applyValuePolicy(out, raw, labelMissing, options.missing, imagesPath,
                     labelsPath.empty() ? imagesPath : labelsPath);
    return out;
}

} // namespace clusterscope

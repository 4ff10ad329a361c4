// NumPy .npz archives (numpy.savez, savez_compressed): a zip of .npy members, read through
// zlib's minizip (ZIP64, stored and deflated members, CRC checks). One array holds the features;
// 1-D arrays as long as it are the labels (y, labels, target, ...) and per-row metadata.

#include "../category_builder.h"
#include "../npy/npy_array.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <memory>
#include <sstream>
#include <unzip.h>

namespace clusterscope
{

namespace
{

constexpr std::array kFeatureNames{"X",         "x",          "data", "features",
                                   "embedding", "embeddings", "Z",    "z"};
constexpr std::array kLabelNames{"y", "labels", "label", "target", "targets", "class", "classes"};
// Enough for any header of a plain numeric or string array.
constexpr size_t kHeaderBytes = 64 * 1024;

struct Member
{
    std::string name; // without ".npy"
    NpyShape header;
};

// The members of one archive; every read names the archive and the member in its errors.
class ZipArchive
{
public:
    explicit ZipArchive(const std::string& path) : path_(path), zip_(unzOpen64(path.c_str()))
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
        for (int status = unzGoToFirstFile(zip_); status == UNZ_OK; status = unzGoToNextFile(zip_))
        {
            unz_file_info64 info{};
            std::array<char, 1024> name{};
            if (unzGetCurrentFileInfo64(zip_, &info, name.data(), name.size(), nullptr, 0, nullptr,
                                        0) != UNZ_OK)
                throw DataError(path_ + ": the zip directory is damaged");
            names.emplace_back(name.data(), strnlen(name.data(), name.size())); // may fill it
        }
        return names;
    }

    // The member's first `limit` bytes (all of it by default), CRC-checked when read whole.
    std::shared_ptr<std::vector<char>> read(const std::string& entry, size_t limit = SIZE_MAX)
    {
        const std::string where = path_ + ": " + entry;
        unz_file_info64 info{};
        if (unzLocateFile(zip_, entry.c_str(), 1) != UNZ_OK ||
            unzGetCurrentFileInfo64(zip_, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK ||
            unzOpenCurrentFile(zip_) != UNZ_OK)
            throw DataError(where + ": the member cannot be opened (unsupported compression or "
                                    "a damaged archive)");
        const size_t size = std::min<uint64_t>(info.uncompressed_size, limit);
        auto bytes = std::make_shared<std::vector<char>>(size);
        size_t done = 0;
        while (done < size)
        {
            const auto chunk = static_cast<unsigned>(std::min<size_t>(size - done, 1u << 30));
            const int got = unzReadCurrentFile(zip_, bytes->data() + done, chunk);
            if (got <= 0)
            {
                unzCloseCurrentFile(zip_);
                throw DataError(where + ": the member is truncated or damaged (" +
                                std::to_string(done) + " of " + std::to_string(size) +
                                " bytes could be read)");
            }
            done += static_cast<size_t>(got);
        }
        const int closed = unzCloseCurrentFile(zip_);
        if (size == info.uncompressed_size && closed == UNZ_CRCERROR)
            throw DataError(where + ": the member is damaged (its CRC does not match)");
        return bytes;
    }

private:
    std::string path_;
    unzFile zip_;
};

std::string describe(const Member& m)
{
    std::string dims;
    for (size_t i = 0; i < m.header.shape.size(); ++i)
        dims += (i ? " x " : "") + std::to_string(m.header.shape[i]);
    return m.name + " (" + (dims.empty() ? "scalar" : dims) + ", " + m.header.dtype + ")";
}

std::string listing(const std::vector<Member>& members)
{
    std::string out;
    for (const auto& m : members)
        out += (out.empty() ? "" : ", ") + describe(m);
    return out;
}

const Member* find(const std::vector<Member>& members, const std::string& name)
{
    const auto it = std::find_if(members.begin(), members.end(),
                                 [&](const Member& m) { return m.name == name; });
    return it == members.end() ? nullptr : &*it;
}

const Member& chooseFeatures(const std::vector<Member>& members, const LoadOptions& options,
                             const std::string& path)
{
    if (!options.array.empty())
    {
        if (const auto* m = find(members, options.array))
            return *m;
        throw DataError(path + ": no array '" + options.array + "'; the archive holds " +
                        listing(members));
    }
    if (members.size() == 1)
        return members.front();
    for (const char* name : kFeatureNames)
        if (const auto* m = find(members, name))
            return *m;
    std::vector<const Member*> tables;
    for (const auto& m : members)
        if (m.header.shape.size() >= 2)
            tables.push_back(&m);
    if (tables.size() == 1)
        return *tables.front();
    throw DataError(path + ": cannot tell which array holds the features among " +
                    listing(members) + "; name it with --array NAME, or call it X");
}

bool isText(const NpyShape& h)
{
    return !h.dtype.empty() && (h.dtype[0] == 'U' || h.dtype[0] == 'S');
}

bool isPerRow(const Member& m, int64_t rows)
{
    const auto& s = m.header.shape;
    return (s.size() == 1 && s[0] == rows) || (s.size() == 2 && s[0] == rows && s[1] == 1);
}

// Integer class labels, or text labels as codes into `names`.
std::vector<int64_t> readLabels(ZipArchive& zip, const Member& m, const std::string& where,
                                std::vector<std::string>& names)
{
    const auto bytes = zip.read(m.name + ".npy");
    if (isText(m.header))
    {
        CategoryBuilder text;
        text.raw = readNpyStrings(bytes->data(), bytes->size(), where);
        std::vector<int32_t> codes;
        text.finish(codes, names);
        return {codes.begin(), codes.end()};
    }
    const auto values =
        readNpyArray(bytes, bytes->data(), bytes->size(), where).values.reshape({-1});
    const auto asDouble = values.to(at::kDouble).contiguous();
    const double* v = asDouble.data_ptr<double>();
    std::vector<int64_t> labels(static_cast<size_t>(asDouble.numel()));
    for (size_t i = 0; i < labels.size(); ++i)
    {
        if (!std::isfinite(v[i]) || v[i] != std::floor(v[i]))
        {
            std::ostringstream value;
            value << v[i];
            throw DataError(where + ": entry " + std::to_string(i) + " is " + value.str() +
                            ", not an integer class label");
        }
        labels[i] = static_cast<int64_t>(v[i]);
    }
    return labels;
}

MetadataColumn readMetadata(ZipArchive& zip, const Member& m, const std::string& where)
{
    MetadataColumn column;
    column.name = m.name;
    const auto bytes = zip.read(m.name + ".npy");
    if (isText(m.header))
    {
        CategoryBuilder text;
        text.raw = readNpyStrings(bytes->data(), bytes->size(), where);
        text.finish(column.codes, column.categories);
        return column;
    }
    const auto values = readNpyArray(bytes, bytes->data(), bytes->size(), where)
                            .values.reshape({-1})
                            .to(at::kDouble)
                            .contiguous();
    column.numbers.assign(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
    return column;
}

} // namespace

Dataset loadNpz(const std::string& path, const LoadOptions& options)
{
    ZipArchive zip(path);
    std::vector<Member> members;
    for (const auto& entry : zip.entries())
    {
        if (entry.size() <= 4 || !entry.ends_with(".npy"))
            continue; // not an array: numpy.load hands such members back as bytes
        const auto head = zip.read(entry, kHeaderBytes);
        members.push_back({entry.substr(0, entry.size() - 4),
                           peekNpyShape(head->data(), head->size(), path + ": " + entry)});
    }
    if (members.empty())
        throw DataError(path + ": the archive holds no .npy arrays");

    const Member& featureMember = chooseFeatures(members, options, path);
    if (isText(featureMember.header))
        throw DataError(path + ": array '" + featureMember.name +
                        "' holds text; the features must be numbers");
    const std::string featureWhere = path + ": " + featureMember.name + ".npy";
    const auto featureBytes = zip.read(featureMember.name + ".npy");
    Dataset out = datasetFromArray(
        readNpyArray(featureBytes, featureBytes->data(), featureBytes->size(), featureWhere), path,
        "npz");
    const int64_t rows = out.rows();

    const Member* labels = nullptr;
    const bool noLabels = options.labelColumn == "-none-";
    if (!options.labelColumn.empty() && !noLabels)
    {
        labels = find(members, options.labelColumn);
        if (!labels)
            throw DataError(path + ": no array '" + options.labelColumn +
                            "' for the labels; the archive holds " + listing(members));
    }
    else if (!noLabels)
    {
        for (const char* name : kLabelNames)
            if ((labels = find(members, name)))
                break;
    }
    if (labels == &featureMember)
        throw DataError(path + ": array '" + labels->name +
                        "' cannot be both the features and the labels");
    if (labels && !isPerRow(*labels, rows))
        throw DataError(path + ": the labels array " + describe(*labels) +
                        " needs one entry per row; the features array '" + featureMember.name +
                        "' has " + std::to_string(rows) + " rows");
    if (labels)
    {
        out.labels = readLabels(zip, *labels, path + ": " + labels->name + ".npy", out.labelNames);
        out.labelColumn = labels->name;
    }
    for (const auto& m : members)
        if (&m != &featureMember && &m != labels && isPerRow(m, rows))
            out.metadata.push_back(readMetadata(zip, m, path + ": " + m.name + ".npy"));
    return out;
}

} // namespace clusterscope

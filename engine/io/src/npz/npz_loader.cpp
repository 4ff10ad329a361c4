// NumPy .npz archives (numpy.savez, savez_compressed): a zip of .npy members. zlib's minizip
// reads the directory; the members (stored or deflated, ZIP64 or not) are read and CRC-checked
// here, with every size the directory claims checked first. One array holds the features; 1-D
// arrays as long as it are the labels (y, labels, target, ...) and per-row metadata.

#include "../array_values.h"
#include "../category_builder.h"
#include "../checked_size.h"
#include "../csv/csv_tokenizer.h"
#include "../mapped_file.h"
#include "../npy/npy_array.h"
#include "../row_identifiers.h"
#include "scipy_sparse.h"
#include "zip_archive.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <memory>
#include <sstream>

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
    size_t bytes = SIZE_MAX; // what the member holds by its header (SIZE_MAX: not known)
};

// An .npy member's bytes by its header: the header, then shape x item size ("f4": 4, "U5": 5
// UCS-4 characters). SIZE_MAX where the item size is not plain (objects, records) or the
// product wraps (readNpyArray says why).
size_t npyMemberBytes(const NpyShape& h)
{
    size_t total = 0;
    size_t at = 1;
    for (; at < h.dtype.size() && std::isdigit(static_cast<unsigned char>(h.dtype[at])); ++at)
        if (!checkedMultiply(total, 10, total) ||
            !checkedAdd(total, static_cast<size_t>(h.dtype[at] - '0'), total))
            return SIZE_MAX;
    if (at == 1 || (h.dtype[0] == 'U' && !checkedMultiply(total, 4, total)))
        return SIZE_MAX;
    for (int64_t d : h.shape)
        if (d < 0 || !checkedMultiply(total, static_cast<size_t>(d), total))
            return SIZE_MAX;
    return checkedAdd(total, h.dataOffset, total) ? total : SIZE_MAX;
}

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

// Integer class labels, or text labels as codes into `names` (read by cleanLabel: trimmed, and
// missing when empty or spelled as a missing value, NA, nan, None, ..., as in the CSV and .h5ad
// loaders). A NaN is a missing label too; missing ones are flagged in `missing`.
std::vector<int64_t> readLabels(ZipArchive& zip, const Member& m, const std::string& where,
                                std::vector<std::string>& names, std::vector<uint8_t>& missing)
{
    const auto bytes = zip.read(m.name + ".npy", SIZE_MAX, m.bytes);
    if (isText(m.header))
    {
        CategoryBuilder text;
        text.raw = readNpyStrings(bytes->data(), bytes->size(), where);
        for (auto& label : text.raw)
            label = cleanLabel(label);
        std::vector<int32_t> codes;
        text.finish(codes, names);
        missing.clear();
        for (int32_t c : codes)
            missing.push_back(c < 0 ? 1 : 0);
        return {codes.begin(), codes.end()};
    }
    return labelsFromArray(readNpyArray(bytes, bytes->data(), bytes->size(), where).values, where,
                           missing);
}

MetadataColumn readMetadata(ZipArchive& zip, const Member& m, const std::string& where)
{
    MetadataColumn column;
    column.name = m.name;
    const auto bytes = zip.read(m.name + ".npy", SIZE_MAX, m.bytes);
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
        const auto shape = peekNpyShape(head->data(), head->size(), path + ": " + entry);
        members.push_back({entry.substr(0, entry.size() - 4), shape, npyMemberBytes(shape)});
    }
    if (members.empty())
        throw DataError(path + ": the archive holds no .npy arrays");
    std::vector<std::string> names;
    for (const auto& m : members)
        names.push_back(m.name);
    if (isScipySparseArchive(names))
    {
        if (!options.labelColumn.empty() && !wantsNoLabels(options.labelColumn))
            throw DataError(path + ": a SciPy sparse matrix holds no labels ('" +
                            options.labelColumn + "'); give --label-column none");
        const auto matrix = readScipySparse(zip, path);
        Dataset out = datasetFromArray(matrix, path, "npz", path);
        out.warnings.push_back(path + ": read as a SciPy sparse matrix (scipy.sparse.save_npz), " +
                               std::to_string(matrix.shape[0]) + " x " +
                               std::to_string(matrix.shape[1]) + ", made dense");
        applyValuePolicy(out, matrix.values, {}, options.missing, path, path);
        separateRowIdentifiers(out, options.idColumn, path);
        return out;
    }

    const Member& featureMember = chooseFeatures(members, options, path);
    if (isText(featureMember.header))
        throw DataError(path + ": array '" + featureMember.name +
                        "' holds text; the features must be numbers");
    const std::string featureWhere = path + ": " + featureMember.name + ".npy";
    const auto featureBytes = zip.read(featureMember.name + ".npy", SIZE_MAX, featureMember.bytes);
    const auto featureArray =
        readNpyArray(featureBytes, featureBytes->data(), featureBytes->size(), featureWhere);
    Dataset out = datasetFromArray(featureArray, path, "npz", featureWhere);
    const int64_t rows = out.rows();

    const Member* labels = nullptr;
    const bool noLabels = wantsNoLabels(options.labelColumn);
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
    std::vector<uint8_t> labelMissing;
    const std::string labelWhere = labels ? path + ": " + labels->name + ".npy" : path;
    if (labels)
    {
        out.labels = readLabels(zip, *labels, labelWhere, out.labelNames, labelMissing);
        out.labelColumn = labels->name;
    }
    for (const auto& m : members)
    {
        if (&m == &featureMember || &m == labels || !isPerRow(m, rows))
            continue;
        const auto where = path + ": " + m.name + ".npy";
        if (!isText(m.header) && !isSupportedNpyDtype(m.header.dtype))
        {
            // A per-row array the run does not need (names as objects, timestamps) must not
            // stop the load; it is left out, with the re-save that keeps it.
            out.warnings.push_back(unsupportedNpyDtype(m.header.dtype, where) +
                                   "; it is left out of the metadata");
            continue;
        }
        out.metadata.push_back(readMetadata(zip, m, where));
    }
    applyValuePolicy(out, featureArray.values, labelMissing, options.missing, featureWhere,
                     labelWhere);
    separateRowIdentifiers(out, options.idColumn, featureWhere);
    return out;
}

} // namespace clusterscope

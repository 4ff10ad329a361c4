// HDF5 files through the HDF5 C library (Debian's libhdf5-dev): AnnData's .h5ad layout (X dense
// or CSR/CSC sparse, obs columns, the var index, obsm embeddings, layers) and any 2-D numeric
// dataset of a plain .h5/.hdf5 file. AnnData's on-disk format is described at
// https://anndata.readthedocs.io/en/latest/fileformat-prose.html. The library's own error stack
// printing is switched off; every failed call becomes a DataError naming the file and the HDF5
// path. The serial libhdf5 is not thread-safe, so one mutex guards every load.

#include "../array_values.h"
#include "../category_builder.h"
#include "../csv/csv_tokenizer.h"
#include "../file_bytes.h"
#include "../float32_features.h"
#include "../row_identifiers.h"
#include "hdf5_library.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <hdf5.h>
#include <map>
#include <mutex>
#include <utility>

namespace clusterscope
{

namespace
{

// A handle closed on scope exit by the matching H5?close.
class H5Handle
{
public:
    H5Handle() = default;
    H5Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    H5Handle(const H5Handle&) = delete;
    H5Handle& operator=(const H5Handle&) = delete;
    H5Handle(H5Handle&& o) noexcept : id_(std::exchange(o.id_, -1)), close_(o.close_) {}
    H5Handle& operator=(H5Handle&& o) noexcept
    {
        std::swap(id_, o.id_);
        std::swap(close_, o.close_);
        return *this;
    }
    ~H5Handle()
    {
        if (id_ >= 0 && close_)
            close_(id_);
    }
    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }

private:
    hid_t id_ = -1;
    herr_t (*close_)(hid_t) = nullptr;
};

// What the loader knows about the file, for messages.
struct H5File
{
    std::string path;
    H5Handle file;
    [[noreturn]] void fail(const std::string& object, const std::string& what) const
    {
        throw DataError(path + ": " + (object.empty() ? "" : object + ": ") + what);
    }
};

bool h5Exists(hid_t loc, const std::string& name)
{
    if (name.empty() || name == "/")
        return !name.empty();
    // Each component must exist before H5Lexists is asked about the next.
    size_t start = name.front() == '/' ? 1 : 0;
    while (start <= name.size())
    {
        const auto slash = name.find('/', start);
        const auto prefix = name.substr(0, slash);
        if (H5Lexists(loc, prefix.c_str(), H5P_DEFAULT) <= 0)
            return false;
        if (slash == std::string::npos)
            return true;
        start = slash + 1;
    }
    return true;
}

H5O_type_t h5ObjectType(const H5File& f, const std::string& name)
{
    H5O_info_t info{};
    if (H5Oget_info_by_name(f.file.get(), name.c_str(), &info, H5P_DEFAULT) < 0)
        f.fail(name, "cannot be read (the file may be damaged or truncated)");
    return info.type;
}

H5Handle h5OpenDataset(const H5File& f, const std::string& name)
{
    H5Handle d(H5Dopen2(f.file.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!d.valid())
        f.fail(name, "cannot open the dataset (the file may be damaged or truncated)");
    return d;
}

std::vector<int64_t> h5Shape(const H5File& f, hid_t dataset, const std::string& name)
{
    H5Handle space(H5Dget_space(dataset), H5Sclose);
    const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank < 0)
        f.fail(name, "cannot read the dataset's shape");
    std::vector<hsize_t> dims(static_cast<size_t>(rank));
    if (rank > 0 && H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr) < 0)
        f.fail(name, "cannot read the dataset's shape");
    return {dims.begin(), dims.end()};
}

std::string h5ShapeText(const std::vector<int64_t>& shape)
{
    std::string out;
    for (size_t i = 0; i < shape.size(); ++i)
        out += (i ? " x " : "") + std::to_string(shape[i]);
    return out.empty() ? "scalar" : out;
}

H5T_class_t h5TypeClass(hid_t dataset)
{
    H5Handle type(H5Dget_type(dataset), H5Tclose);
    return type.valid() ? H5Tget_class(type.get()) : H5T_NO_CLASS;
}

size_t h5TypeSize(hid_t dataset)
{
    H5Handle type(H5Dget_type(dataset), H5Tclose);
    return type.valid() ? H5Tget_size(type.get()) : 0;
}

bool h5IsNumeric(H5T_class_t c)
{
    return c == H5T_INTEGER || c == H5T_FLOAT;
}

// A numeric dataset's declared values against the bytes the file stores for it: a 1 KB file
// can declare a 10^6 x 10^3 dataset it never wrote (HDF5 reads it as fill values), or a
// compressed chunk can inflate without bound. The .gz limit (kGzipInflateRatio) applies.
void h5CheckStored(const H5File& f, hid_t dataset, const std::string& name)
{
    if (!h5IsNumeric(h5TypeClass(dataset)))
        return;
    H5Handle space(H5Dget_space(dataset), H5Sclose);
    const hssize_t elements = space.valid() ? H5Sget_simple_extent_npoints(space.get()) : -1;
    if (elements <= 0)
        return;
    const double declared =
        static_cast<double>(elements) * static_cast<double>(h5TypeSize(dataset));
    const auto stored = static_cast<size_t>(H5Dget_storage_size(dataset));
    if (declared > static_cast<double>(gzipInflateLimit(stored)))
        f.fail(name, "declares " + std::to_string(static_cast<long long>(declared)) +
                         " bytes of values but the file stores " + std::to_string(stored) +
                         (stored == 0 ? " (they were never written)"
                                      : " (compressed more than " +
                                            std::to_string(kGzipInflateRatio) + " times)") +
                         "; a damaged or hostile file? If the data are real, save them without "
                         "compression");
}

// Reads `count` elements of a 1-D dataset starting at `start` (or all when count < 0) into
// `buffer` as `memType` (HDF5 converts between integer and float types).
void h5ReadSlice(const H5File& f, hid_t dataset, const std::string& name, hid_t memType,
                 void* buffer, int64_t start, int64_t count)
{
    H5Handle fileSpace(H5Dget_space(dataset), H5Sclose);
    if (!fileSpace.valid())
        f.fail(name, "cannot read the dataset");
    h5CheckStored(f, dataset, name);
    herr_t status = 0;
    if (count < 0)
    {
        status = H5Dread(dataset, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
    }
    else
    {
        if (count == 0)
            return;
        const hsize_t off[1] = {static_cast<hsize_t>(start)};
        const hsize_t cnt[1] = {static_cast<hsize_t>(count)};
        H5Handle memSpace(H5Screate_simple(1, cnt, nullptr), H5Sclose);
        if (H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, off, nullptr, cnt, nullptr) < 0)
            f.fail(name, "cannot select elements " + std::to_string(start) + ".." +
                             std::to_string(start + count));
        status = H5Dread(dataset, memType, memSpace.get(), fileSpace.get(), H5P_DEFAULT, buffer);
    }
    if (status < 0)
        f.fail(name, "cannot read the values (the file may be damaged or truncated, or the type "
                     "does not convert to a number)");
}

// A count of elements read from a damaged header must not become a huge allocation.
void h5CheckReadable(const H5File& f, const std::string& name, double elements, double bytesEach)
{
    if (elements * bytesEach > static_cast<double>(kMaxHdf5DenseBytes))
        f.fail(name, "claims " + std::to_string(static_cast<long long>(elements)) +
                         " elements, more than the loader reads (damaged?)");
}

// A 1-D integer array; `expected` >= 0: it must hold that many entries (checked before reading).
std::vector<int64_t> h5ReadIntegers(const H5File& f, const std::string& name, int64_t expected = -1,
                                    const std::string& why = {})
{
    auto d = h5OpenDataset(f, name);
    const auto shape = h5Shape(f, d.get(), name);
    if (shape.size() != 1)
        f.fail(name, "expected a 1-D integer array, found shape " + h5ShapeText(shape));
    if (expected >= 0 && shape[0] != expected)
        f.fail(name, "holds " + std::to_string(shape[0]) + " entries; " + why + " needs " +
                         std::to_string(expected));
    h5CheckReadable(f, name, static_cast<double>(shape[0]), 8);
    if (h5TypeClass(d.get()) != H5T_INTEGER)
        f.fail(name, "expected integers");
    std::vector<int64_t> out(static_cast<size_t>(shape[0]));
    h5ReadSlice(f, d.get(), name, H5T_NATIVE_INT64, out.data(), 0, -1);
    return out;
}

// Strings of a 1-D (or scalar) dataset or attribute: variable-length or fixed-length.
std::vector<std::string> h5ReadStringsFrom(const H5File& f, hid_t object, bool attribute,
                                           const std::string& name)
{
    H5Handle type(attribute ? H5Aget_type(object) : H5Dget_type(object), H5Tclose);
    H5Handle space(attribute ? H5Aget_space(object) : H5Dget_space(object), H5Sclose);
    if (!type.valid() || !space.valid())
        f.fail(name, "cannot read the strings");
    if (H5Tget_class(type.get()) != H5T_STRING)
        f.fail(name, "expected strings");
    const hssize_t n = H5Sget_simple_extent_npoints(space.get());
    if (n < 0)
        f.fail(name, "cannot read the strings");
    h5CheckReadable(f, name, static_cast<double>(n),
                    static_cast<double>(std::max<size_t>(H5Tget_size(type.get()), 16)));
    std::vector<std::string> out;
    out.reserve(static_cast<size_t>(n));
    const auto read = [&](hid_t memType, void* buffer)
    {
        return attribute ? H5Aread(object, memType, buffer)
                         : H5Dread(object, memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer);
    };
    if (H5Tis_variable_str(type.get()) > 0)
    {
        H5Handle memType(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(memType.get(), H5T_VARIABLE);
        H5Tset_cset(memType.get(), H5Tget_cset(type.get()));
        std::vector<char*> ptrs(static_cast<size_t>(n), nullptr);
        if (n > 0 && read(memType.get(), ptrs.data()) < 0)
            f.fail(name, "cannot read the strings (the file may be damaged or truncated)");
        for (char* p : ptrs)
            out.emplace_back(p ? p : "");
        if (n > 0)
            H5Dvlen_reclaim(memType.get(), space.get(), H5P_DEFAULT, ptrs.data());
        return out;
    }
    const size_t width = H5Tget_size(type.get());
    if (width == 0)
        f.fail(name, "cannot read the strings");
    H5Handle memType(H5Tcopy(type.get()), H5Tclose);
    std::vector<char> buffer(width * static_cast<size_t>(n));
    if (n > 0 && read(memType.get(), buffer.data()) < 0)
        f.fail(name, "cannot read the strings (the file may be damaged or truncated)");
    for (hssize_t i = 0; i < n; ++i)
    {
        const char* p = buffer.data() + static_cast<size_t>(i) * width;
        out.emplace_back(p, strnlen(p, width));
    }
    return out;
}

std::vector<std::string> h5ReadStrings(const H5File& f, const std::string& name)
{
    auto d = h5OpenDataset(f, name);
    return h5ReadStringsFrom(f, d.get(), false, name);
}

// A string attribute of `object` (a scalar string, or a 1-element array), or "" when absent.
std::string h5StringAttribute(const H5File& f, const std::string& object, const char* attr)
{
    if (H5Aexists_by_name(f.file.get(), object.c_str(), attr, H5P_DEFAULT) <= 0)
        return {};
    H5Handle a(H5Aopen_by_name(f.file.get(), object.c_str(), attr, H5P_DEFAULT, H5P_DEFAULT),
               H5Aclose);
    if (!a.valid())
        f.fail(object, std::string("cannot read the attribute '") + attr + "'");
    const auto values = h5ReadStringsFrom(f, a.get(), true, object + " attribute " + attr);
    return values.empty() ? std::string() : values.front();
}

// Children of a group, in the group's name order.
std::vector<std::string> h5Children(const H5File& f, const std::string& group)
{
    H5Handle g(H5Gopen2(f.file.get(), group.c_str(), H5P_DEFAULT), H5Gclose);
    if (!g.valid())
        f.fail(group, "cannot open the group (the file may be damaged or truncated)");
    H5G_info_t info{};
    if (H5Gget_info(g.get(), &info) < 0)
        f.fail(group, "cannot list the group");
    std::vector<std::string> names;
    for (hsize_t i = 0; i < info.nlinks; ++i)
    {
        const ssize_t len = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr,
                                               0, H5P_DEFAULT);
        if (len < 0)
            f.fail(group, "cannot list the group");
        std::string name(static_cast<size_t>(len) + 1, '\0');
        H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), name.size(),
                           H5P_DEFAULT);
        name.resize(static_cast<size_t>(len));
        names.push_back(name);
    }
    return names;
}

// --- X: dense or sparse, densified into float32 -------------------------------------------

struct H5Matrix
{
    at::Tensor values; // N x D: float64 when the file held float64 dense values, else float32
    std::vector<int64_t> shape;
};

void h5CheckDenseFits(const H5File& f, const std::string& name, int64_t rows, int64_t cols,
                      size_t elementBytes)
{
    if (rows <= 0 || cols <= 0)
        f.fail(name, "the matrix is empty (shape " + h5ShapeText({rows, cols}) +
                         "); expected at least one row and one column");
    const double bytes =
        static_cast<double>(rows) * static_cast<double>(cols) * static_cast<double>(elementBytes);
    if (bytes > static_cast<double>(kMaxHdf5DenseBytes))
    {
        char gib[32];
        std::snprintf(gib, sizeof gib, "%.1f", bytes / double(1 << 30));
        f.fail(name, "the matrix (" + h5ShapeText({rows, cols}) + ") would need " + gib +
                         " GiB as dense values, more than the loader's limit of " +
                         std::to_string(kMaxHdf5DenseBytes >> 30) +
                         " GiB; select genes or cells first (e.g. with scanpy) and save a smaller "
                         "file");
    }
}

H5Matrix h5ReadDense(const H5File& f, const std::string& name)
{
    auto d = h5OpenDataset(f, name);
    const auto shape = h5Shape(f, d.get(), name);
    if (shape.size() != 2)
        f.fail(name, "expected a 2-D matrix (cells x features), found shape " + h5ShapeText(shape));
    const auto cls = h5TypeClass(d.get());
    if (!h5IsNumeric(cls))
        f.fail(name, "the matrix does not hold numbers");
    const bool wide = cls == H5T_FLOAT && h5TypeSize(d.get()) > 4;
    h5CheckDenseFits(f, name, shape[0], shape[1], wide ? 8 : 4);
    h5CheckStored(f, d.get(), name);
    H5Matrix m{at::empty({shape[0], shape[1]}, wide ? at::kDouble : at::kFloat), shape};
    if (H5Dread(d.get(), wide ? H5T_NATIVE_DOUBLE : H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                m.values.data_ptr()) < 0)
        f.fail(name, "cannot read the values (the file may be damaged or truncated)");
    return m;
}

// A sparse matrix group's shape: its 2-element integer attribute.
std::vector<int64_t> h5SparseShape(const H5File& f, const std::string& name)
{
    if (H5Aexists_by_name(f.file.get(), name.c_str(), "shape", H5P_DEFAULT) <= 0)
        f.fail(name, "the sparse matrix has no 'shape' attribute");
    H5Handle a(H5Aopen_by_name(f.file.get(), name.c_str(), "shape", H5P_DEFAULT, H5P_DEFAULT),
               H5Aclose);
    H5Handle space(a.valid() ? H5Aget_space(a.get()) : -1, H5Sclose);
    if (!space.valid() || H5Sget_simple_extent_npoints(space.get()) != 2)
        f.fail(name, "the 'shape' attribute must hold two integers");
    std::vector<int64_t> shape(2);
    if (H5Aread(a.get(), H5T_NATIVE_INT64, shape.data()) < 0)
        f.fail(name, "cannot read the 'shape' attribute");
    return shape;
}

H5Matrix h5ReadSparse(const H5File& f, const std::string& name, const std::string& encoding)
{
    const bool csr = encoding == "csr_matrix";
    if (!csr && encoding != "csc_matrix")
        f.fail(name,
               "unknown sparse encoding '" + encoding + "' (expected csr_matrix or csc_matrix)");
    for (const char* part : {"data", "indices", "indptr"})
        if (!h5Exists(f.file.get(), name + "/" + part))
            f.fail(name, std::string("the sparse matrix has no '") + part + "' array");
    const auto shape = h5SparseShape(f, name);
    const int64_t rows = shape[0];
    const int64_t cols = shape[1];
    h5CheckDenseFits(f, name, rows, cols, 4);
    const int64_t major = csr ? rows : cols;
    const int64_t minor = csr ? cols : rows;
    const auto indptr =
        h5ReadIntegers(f, name + "/indptr", major + 1, "a " + h5ShapeText(shape) + " " + encoding);
    if (indptr.front() != 0)
        f.fail(name + "/indptr", "must start at 0, found " + std::to_string(indptr.front()));
    for (int64_t i = 0; i < major; ++i)
        if (indptr[static_cast<size_t>(i + 1)] < indptr[static_cast<size_t>(i)])
            f.fail(name + "/indptr", "is not monotone: entry " + std::to_string(i + 1) + " (" +
                                         std::to_string(indptr[static_cast<size_t>(i + 1)]) +
                                         ") is below entry " + std::to_string(i) + " (" +
                                         std::to_string(indptr[static_cast<size_t>(i)]) + ")");
    const int64_t nnz = indptr.back();
    auto dataSet = h5OpenDataset(f, name + "/data");
    auto indexSet = h5OpenDataset(f, name + "/indices");
    const auto dataShape = h5Shape(f, dataSet.get(), name + "/data");
    const auto indexShape = h5Shape(f, indexSet.get(), name + "/indices");
    if (dataShape.size() != 1 || indexShape.size() != 1 || dataShape[0] != nnz ||
        indexShape[0] != nnz)
        f.fail(name, "data (" + h5ShapeText(dataShape) + ") and indices (" +
                         h5ShapeText(indexShape) + ") must both hold indptr's last entry, " +
                         std::to_string(nnz) + " values");
    if (!h5IsNumeric(h5TypeClass(dataSet.get())))
        f.fail(name + "/data", "does not hold numbers");
    if (h5TypeClass(indexSet.get()) != H5T_INTEGER)
        f.fail(name + "/indices", "must hold integers");

    H5Matrix m{at::zeros({rows, cols}, at::kFloat), shape};
    float* out = m.values.data_ptr<float>();
    // Major slices in chunks of about a million stored values, so the index and value buffers
    // stay small whatever the matrix.
    constexpr int64_t kChunkValues = int64_t{1} << 20;
    std::vector<int64_t> index;
    std::vector<float> value;
    int64_t first = 0;
    while (first < major)
    {
        int64_t last = first + 1;
        while (last < major &&
               indptr[static_cast<size_t>(last + 1)] - indptr[static_cast<size_t>(first)] <=
                   kChunkValues)
            ++last;
        const int64_t begin = indptr[static_cast<size_t>(first)];
        const int64_t count = indptr[static_cast<size_t>(last)] - begin;
        index.resize(static_cast<size_t>(count));
        value.resize(static_cast<size_t>(count));
        h5ReadSlice(f, indexSet.get(), name + "/indices", H5T_NATIVE_INT64, index.data(), begin,
                    count);
        h5ReadSlice(f, dataSet.get(), name + "/data", H5T_NATIVE_FLOAT, value.data(), begin, count);
        for (int64_t r = first; r < last; ++r)
        {
            for (int64_t k = indptr[static_cast<size_t>(r)]; k < indptr[static_cast<size_t>(r + 1)];
                 ++k)
            {
                const int64_t j = index[static_cast<size_t>(k - begin)];
                if (j < 0 || j >= minor)
                    f.fail(name + "/indices", "entry " + std::to_string(k) + " is " +
                                                  std::to_string(j) + ", out of range for " +
                                                  std::to_string(minor) +
                                                  (csr ? " columns" : " rows"));
                const float v = value[static_cast<size_t>(k - begin)];
                if (csr)
                    out[r * cols + j] += v; // duplicates add up, as scipy's toarray does
                else
                    out[j * cols + r] += v;
            }
        }
        first = last;
    }
    return m;
}

// A matrix stored at `name`: a 2-D dataset, or a group encoded as a sparse matrix.
H5Matrix h5ReadMatrix(const H5File& f, const std::string& name)
{
    if (!h5Exists(f.file.get(), name))
        f.fail(name, "not found");
    if (h5ObjectType(f, name) == H5O_TYPE_DATASET)
        return h5ReadDense(f, name);
    const auto encoding = h5StringAttribute(f, name, "encoding-type");
    if (encoding.empty())
        f.fail(name, "a group without an 'encoding-type' attribute; expected a dense array or a "
                     "csr_matrix/csc_matrix group");
    return h5ReadSparse(f, name, encoding);
}

// --- obs and var ----------------------------------------------------------------------------

// One obs column: numbers, or text as category codes.
MetadataColumn h5ReadObsColumn(const H5File& f, const std::string& group, const std::string& name,
                               int64_t rows)
{
    const std::string path = group + "/" + name;
    MetadataColumn column;
    column.name = name;
    const auto checkRows = [&](size_t n, const std::string& where)
    {
        if (static_cast<int64_t>(n) != rows)
            f.fail(where, "holds " + std::to_string(n) + " entries; X has " + std::to_string(rows) +
                              " rows");
    };
    if (h5ObjectType(f, path) == H5O_TYPE_GROUP)
    {
        const auto encoding = h5StringAttribute(f, path, "encoding-type");
        if (encoding != "categorical")
            f.fail(path, "unknown column encoding '" + encoding + "' (expected categorical)");
        const auto codes = h5ReadIntegers(f, path + "/codes", rows, "X's row count");
        column.categories = h5ReadStrings(f, path + "/categories");
        for (int64_t c : codes)
        {
            if (c < -1 || c >= static_cast<int64_t>(column.categories.size()))
                f.fail(path + "/codes", "code " + std::to_string(c) + " is out of range for " +
                                            std::to_string(column.categories.size()) +
                                            " categories");
            column.codes.push_back(static_cast<int32_t>(c));
        }
        return column;
    }
    auto d = h5OpenDataset(f, path);
    const auto cls = h5TypeClass(d.get());
    // The old encoding (anndata < 0.8): integer codes with an object reference to the
    // categories in a '__categories' group.
    if (cls == H5T_INTEGER && H5Aexists(d.get(), "categories") > 0)
    {
        H5Handle a(H5Aopen(d.get(), "categories", H5P_DEFAULT), H5Aclose);
        hobj_ref_t ref{};
        if (!a.valid() || H5Aread(a.get(), H5T_STD_REF_OBJ, &ref) < 0)
            f.fail(path, "cannot read the 'categories' reference");
        H5Handle cats(H5Rdereference2(d.get(), H5P_DEFAULT, H5R_OBJECT, &ref), H5Oclose);
        if (!cats.valid())
            f.fail(path, "the 'categories' reference points nowhere");
        column.categories = h5ReadStringsFrom(f, cats.get(), false, path + " categories");
        const auto codes = h5ReadIntegers(f, path, rows, "X's row count");
        for (int64_t c : codes)
        {
            if (c < -1 || c >= static_cast<int64_t>(column.categories.size()))
                f.fail(path, "code " + std::to_string(c) + " is out of range for " +
                                 std::to_string(column.categories.size()) + " categories");
            column.codes.push_back(static_cast<int32_t>(c));
        }
        return column;
    }
    if (cls == H5T_STRING)
    {
        const auto shape = h5Shape(f, d.get(), path);
        if (shape.size() != 1)
            f.fail(path, "expected a 1-D column, found shape " + h5ShapeText(shape));
        checkRows(static_cast<size_t>(shape[0]), path);
        CategoryBuilder text;
        text.raw = h5ReadStrings(f, path);
        checkRows(text.raw.size(), path);
        text.finish(column.codes, column.categories);
        return column;
    }
    if (!h5IsNumeric(cls))
        f.fail(path, "a column of an unsupported type (bool, compound, ...)");
    const auto shape = h5Shape(f, d.get(), path);
    if (shape.size() != 1)
        f.fail(path, "expected a 1-D column, found shape " + h5ShapeText(shape));
    checkRows(static_cast<size_t>(shape[0]), path);
    column.numbers.resize(static_cast<size_t>(shape[0]));
    h5ReadSlice(f, d.get(), path, H5T_NATIVE_DOUBLE, column.numbers.data(), 0, -1);
    return column;
}

std::string h5Lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool isHexColor(const std::string& c)
{
    const bool digits = std::all_of(c.begin() + (c.empty() ? 0 : 1), c.end(),
                                    [](unsigned char x) { return std::isxdigit(x) != 0; });
    return !c.empty() && c[0] == '#' && digits && (c.size() == 4 || c.size() == 7 || c.size() == 9);
}

// "#rgb" and "#rrggbbaa" (matplotlib writes both) as "#rrggbb".
std::string rrggbb(const std::string& c)
{
    if (c.size() == 4)
        return h5Lower(std::string{'#', c[1], c[1], c[2], c[2], c[3], c[3]});
    return h5Lower(c.substr(0, 7));
}

// scanpy's palette of a categorical obs column: uns['<name>_colors'], one colour per category.
// A palette that does not fit (another count, a colour that is not hex) is left out with a
// warning saying why, so the categorical palette colours the column instead.
void h5AttachPalette(const H5File& f, MetadataColumn& column, std::vector<std::string>& warnings)
{
    const std::string path = "uns/" + column.name + "_colors";
    if (column.isNumeric() || !h5Exists(f.file.get(), "uns") || !h5Exists(f.file.get(), path) ||
        h5ObjectType(f, path) != H5O_TYPE_DATASET)
        return;
    std::vector<std::string> colors;
    try
    {
        colors = h5ReadStrings(f, path);
    }
    catch (const DataError& e)
    {
        warnings.push_back(std::string(e.what()) + "; its palette is left out");
        return;
    }
    const auto bad = std::find_if_not(colors.begin(), colors.end(), isHexColor);
    if (colors.size() != column.categories.size() || bad != colors.end())
    {
        warnings.push_back(f.path + ": " + path + " " +
                           (bad != colors.end()
                                ? "holds '" + *bad + "', not a #rrggbb colour"
                                : "holds " + std::to_string(colors.size()) + " colours for " +
                                      std::to_string(column.categories.size()) + " categories") +
                           "; its palette is left out");
        return;
    }
    for (auto& c : colors)
        c = rrggbb(c);
    column.colors = std::move(colors);
}

void h5ApplyLabelColumn(Dataset& out, const H5File& f, MetadataColumn column,
                        std::vector<uint8_t>& missing)
{
    out.labelColumn = column.name;
    missing.assign(static_cast<size_t>(out.rows()), 0);
    if (column.isNumeric())
    {
        const auto values = at::from_blob(
            column.numbers.data(), {static_cast<int64_t>(column.numbers.size())}, at::kDouble);
        out.labels = labelsFromArray(values, f.path + ": obs/" + column.name, missing);
        return;
    }
    // Category names become the label names (codes into them), read as every loader reads a
    // text label (cleanLabel: ' A' is 'A'; '', 'nan', 'NA', 'None' are missing). A missing label
    // is also code -1 (pandas' NaN).
    std::vector<int64_t> recode(column.categories.size(), -1);
    std::map<std::string, int64_t> codeOf;
    for (size_t c = 0; c < column.categories.size(); ++c)
    {
        const auto name = cleanLabel(column.categories[c]);
        if (name.empty())
            continue;
        const auto [it, added] = codeOf.emplace(name, static_cast<int64_t>(out.labelNames.size()));
        if (added)
            out.labelNames.push_back(name);
        recode[c] = it->second;
        if (added && !column.colors.empty()) // categories merged by name keep the first colour
            out.labelColors.push_back(column.colors[c]);
    }
    for (size_t i = 0; i < column.codes.size(); ++i)
    {
        const int64_t code = column.codes[i];
        const int64_t label = code >= 0 && static_cast<size_t>(code) < recode.size()
                                  ? recode[static_cast<size_t>(code)]
                                  : -1;
        out.labels.push_back(label);
        if (label < 0)
            missing[i] = 1;
    }
}

Dataset h5LoadAnnData(const H5File& f, const LoadOptions& options)
{
    // The features: X, or the matrix --array names (a layer's name, "layers/NAME", or "X").
    std::string xPath = "X";
    if (!options.array.empty())
    {
        xPath = options.array;
        if (!xPath.empty() && xPath.front() == '/')
            xPath.erase(0, 1);
        if (!h5Exists(f.file.get(), xPath) && h5Exists(f.file.get(), "layers/" + xPath))
            xPath = "layers/" + xPath;
        if (!h5Exists(f.file.get(), xPath))
        {
            std::string layers;
            if (h5Exists(f.file.get(), "layers"))
                for (const auto& l : h5Children(f, "layers"))
                    layers += (layers.empty() ? "" : ", ") + l;
            f.fail(xPath, "not found; --array takes X or a layer (" +
                              (layers.empty() ? std::string("the file has none") : layers) + ")");
        }
    }
    else if (!h5Exists(f.file.get(), "X"))
    {
        f.fail("X", "the AnnData file has no X matrix");
    }
    auto matrix = h5ReadMatrix(f, xPath);
    const int64_t rows = matrix.shape[0];
    const int64_t cols = matrix.shape[1];
    const std::string where = f.path + ": " + xPath;

    Dataset out;
    out.source = f.path;
    out.format = "h5ad";
    // Feature names: var's index (the column its '_index' attribute names).
    if (h5Exists(f.file.get(), "var"))
    {
        auto indexName = h5StringAttribute(f, "var", "_index");
        if (indexName.empty() && h5Exists(f.file.get(), "var/_index"))
            indexName = "_index";
        if (!indexName.empty() && h5Exists(f.file.get(), "var/" + indexName))
        {
            auto names = h5ReadStrings(f, "var/" + indexName);
            if (static_cast<int64_t>(names.size()) != cols)
                f.fail("var/" + indexName, "holds " + std::to_string(names.size()) +
                                               " names; X has " + std::to_string(cols) +
                                               " columns");
            out.featureNames = std::move(names);
        }
    }
    if (out.featureNames.empty())
        for (int64_t c = 0; c < cols; ++c)
            out.featureNames.push_back("f" + std::to_string(c));
    out.features = toFloat32Features(matrix.values, where, out.featureNames, out.featureOffsets);
    const auto raw = matrix.values;

    // obs columns: the labels, the rest metadata.
    std::vector<uint8_t> labelMissing;
    std::string labelWhere = f.path;
    const bool noLabels = wantsNoLabels(options.labelColumn);
    std::vector<std::string> obsNames;
    if (h5Exists(f.file.get(), "obs") && h5ObjectType(f, "obs") == H5O_TYPE_GROUP)
    {
        const auto indexName = h5StringAttribute(f, "obs", "_index");
        for (const auto& name : h5Children(f, "obs"))
            if (name != indexName && name != "__categories")
                obsNames.push_back(name);
    }
    std::string labelName;
    if (!noLabels && !options.labelColumn.empty())
    {
        if (std::find(obsNames.begin(), obsNames.end(), options.labelColumn) == obsNames.end())
        {
            std::string list;
            for (const auto& n : obsNames)
                list += (list.empty() ? "" : ", ") + n;
            f.fail("obs/" + options.labelColumn,
                   "no such obs column for the labels; obs holds " +
                       (list.empty() ? std::string("no columns") : list));
        }
        labelName = options.labelColumn;
    }
    else if (!noLabels)
    {
        for (const auto& n : obsNames)
        {
            const auto l = h5Lower(n);
            if (labelName.empty() &&
                (l == "label" || l == "labels" || l == "class" || l == "target"))
                labelName = n;
        }
    }
    for (const auto& name : obsNames)
    {
        if (name == labelName)
        {
            labelWhere = f.path + ": obs/" + name;
            auto column = h5ReadObsColumn(f, "obs", name, rows);
            h5AttachPalette(f, column, out.warnings);
            h5ApplyLabelColumn(out, f, std::move(column), labelMissing);
            continue;
        }
        // A metadata column the run does not need (bools, a type we do not read) must not stop
        // the load: it is left out with a warning that says why.
        try
        {
            auto column = h5ReadObsColumn(f, "obs", name, rows);
            h5AttachPalette(f, column, out.warnings);
            out.metadata.push_back(std::move(column));
        }
        catch (const DataError& e)
        {
            out.warnings.push_back(std::string(e.what()) + "; the column is left out");
        }
    }

    // obsm: 2-D numeric arrays with one row per cell are kept as embeddings.
    if (h5Exists(f.file.get(), "obsm") && h5ObjectType(f, "obsm") == H5O_TYPE_GROUP)
    {
        for (const auto& name : h5Children(f, "obsm"))
        {
            const std::string path = "obsm/" + name;
            if (h5ObjectType(f, path) != H5O_TYPE_DATASET)
            {
                out.warnings.push_back("obsm/" + name + " is not a plain array; it is left out");
                continue;
            }
            auto d = h5OpenDataset(f, path);
            const auto shape = h5Shape(f, d.get(), path);
            if (shape.size() != 2 || shape[0] != rows || !h5IsNumeric(h5TypeClass(d.get())) ||
                static_cast<double>(shape[0]) * static_cast<double>(shape[1]) * 4 >
                    static_cast<double>(kMaxHdf5DenseBytes))
            {
                out.warnings.push_back("obsm/" + name + " (" + h5ShapeText(shape) +
                                       ") is not a numeric cells x k array; it is left out");
                continue;
            }
            h5CheckStored(f, d.get(), path);
            auto values = at::empty({shape[0], shape[1]}, at::kFloat);
            if (H5Dread(d.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                        values.data_ptr()) < 0)
                f.fail(path, "cannot read the values (the file may be damaged or truncated)");
            out.embeddings.push_back({name, values});
        }
    }
    applyValuePolicy(out, raw, labelMissing, options.missing, where, labelWhere);
    return out;
}

// --- plain HDF5 -----------------------------------------------------------------------------

struct H5Candidate
{
    std::string path;
    std::vector<int64_t> shape;
};

herr_t h5CollectDatasets(hid_t loc, const char* name, const H5O_info_t* info, void* data)
{
    if (info->type != H5O_TYPE_DATASET)
        return 0;
    auto& found = *static_cast<std::vector<H5Candidate>*>(data);
    H5Handle d(H5Dopen2(loc, name, H5P_DEFAULT), H5Dclose);
    if (!d.valid())
        return 0;
    H5Handle space(H5Dget_space(d.get()), H5Sclose);
    const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank != 2 || !h5IsNumeric(h5TypeClass(d.get())))
        return 0;
    hsize_t dims[2] = {0, 0};
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    found.push_back(
        {std::string("/") + name, {static_cast<int64_t>(dims[0]), static_cast<int64_t>(dims[1])}});
    return 0;
}

std::vector<H5Candidate> h5Candidates(const H5File& f)
{
    std::vector<H5Candidate> found;
    if (H5Ovisit(f.file.get(), H5_INDEX_NAME, H5_ITER_INC, h5CollectDatasets, &found) < 0)
        f.fail("/", "cannot list the datasets (the file may be damaged or truncated)");
    return found;
}

// "/a (100 x 5), /grp/b (100 x 8)"
std::string h5CandidateText(const std::vector<H5Candidate>& found)
{
    std::string list;
    for (const auto& c : found)
        list += (list.empty() ? "" : ", ") + c.path + " (" + h5ShapeText(c.shape) + ")";
    return list;
}

Dataset h5LoadPlain(const H5File& f, const LoadOptions& options)
{
    std::string path = options.array;
    if (path.empty())
    {
        const auto found = h5Candidates(f);
        if (found.size() != 1)
            f.fail("", found.empty() ? std::string("the file holds no 2-D numeric dataset")
                                     : "the file holds several 2-D numeric datasets: " +
                                           h5CandidateText(found) +
                                           "; choose one with --dataset PATH (in the app: the "
                                           "Dataset panel's Matrix list)");
        path = found.front().path;
    }
    if (!h5Exists(f.file.get(), path) || h5ObjectType(f, path) != H5O_TYPE_DATASET)
    {
        const auto found = h5Candidates(f);
        f.fail(path,
               "no such dataset" +
                   (found.empty() ? std::string() : "; the file holds " + h5CandidateText(found)));
    }
    auto matrix = h5ReadDense(f, path);
    Dataset out;
    out.source = f.path;
    out.format = "hdf5";
    for (int64_t c = 0; c < matrix.shape[1]; ++c)
        out.featureNames.push_back("f" + std::to_string(c));
    const std::string where = f.path + ": " + path;
    out.features = toFloat32Features(matrix.values, where, out.featureNames, out.featureOffsets);
    applyValuePolicy(out, matrix.values, {}, options.missing, where, where);
    separateRowIdentifiers(out, options.idColumn, where);
    return out;
}

// A matrix's shape without reading it: a dataset's dimensions or a sparse group's attribute.
std::vector<int64_t> h5MatrixShape(const H5File& f, const std::string& name)
{
    if (h5ObjectType(f, name) == H5O_TYPE_DATASET)
        return h5Shape(f, h5OpenDataset(f, name).get(), name);
    return h5SparseShape(f, name);
}

H5File h5Open(const std::string& path)
{
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); // our messages, not the library's stack
    if (H5Fis_hdf5(path.c_str()) <= 0)
        throw DataError(path + ": not an HDF5 file (no HDF5 signature; damaged or truncated?)");
    H5File f{path, H5Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose)};
    if (!f.file.valid())
        throw DataError(path + ": cannot open the HDF5 file (damaged or truncated?)");
    return f;
}

// AnnData: an encoding-type "anndata" on the root, or an X beside obs, or the .h5ad name.
bool h5IsAnnData(const H5File& f)
{
    const auto& path = f.path;
    const bool h5adName = path.size() >= 5 && h5Lower(path.substr(path.size() - 5)) == ".h5ad";
    return h5adName || h5StringAttribute(f, "/", "encoding-type") == "anndata" ||
           (h5Exists(f.file.get(), "obs") &&
            (h5Exists(f.file.get(), "X") || h5Exists(f.file.get(), "layers")));
}

} // namespace

std::mutex& hdf5LibraryMutex()
{
    static std::mutex m;
    return m;
}

Dataset loadHdf5(const std::string& path, const LoadOptions& options)
{
    std::lock_guard lock(hdf5LibraryMutex());
    const H5File f = h5Open(path);
    return h5IsAnnData(f) ? h5LoadAnnData(f, options) : h5LoadPlain(f, options);
}

std::vector<ArrayChoice> hdf5Arrays(const std::string& path)
{
    std::lock_guard lock(hdf5LibraryMutex());
    const H5File f = h5Open(path);
    std::vector<ArrayChoice> out;
    if (!h5IsAnnData(f))
    {
        for (auto& c : h5Candidates(f))
            out.push_back({std::move(c.path), std::move(c.shape)});
        return out;
    }
    std::vector<std::string> names;
    if (h5Exists(f.file.get(), "X"))
        names.push_back("X");
    if (h5Exists(f.file.get(), "layers") && h5ObjectType(f, "layers") == H5O_TYPE_GROUP)
        for (const auto& layer : h5Children(f, "layers"))
            names.push_back("layers/" + layer);
    for (const auto& name : names)
    {
        try
        {
            out.push_back({name, h5MatrixShape(f, name)});
        }
        catch (const DataError&) // not a matrix: nothing to offer (loading it would say why)
        {
        }
    }
    return out;
}

} // namespace clusterscope

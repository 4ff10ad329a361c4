// A copy of an AnnData file with a run's labels, soft assignments, colours and record added
// (output.h's annDataWithLabels), written through the HDF5 C library in anndata 0.8's encoding.

#include "hdf5_library.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/palette.h>
#include <clusterscope/io/output.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <hdf5.h>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>
#include <unistd.h>

namespace clusterscope
{

namespace
{

struct H5wCloser
{
    hid_t id;
    herr_t (*close)(hid_t);
    ~H5wCloser()
    {
        if (id >= 0)
            close(id);
    }
};

struct H5wTarget
{
    std::string path; // the input, for messages
    hid_t file = -1;
    void check(bool ok, const std::string& what) const
    {
        if (!ok)
            throw DataError(path + ": cannot write " + what + " into the copy");
    }
    void remove(const std::string& name) const
    {
        if (H5Lexists(file, name.c_str(), H5P_DEFAULT) > 0)
            check(H5Ldelete(file, name.c_str(), H5P_DEFAULT) >= 0, name);
    }
};

void h5wStringAttribute(const H5wTarget& t, hid_t object, const char* name,
                        const std::string& value)
{
    if (H5Aexists(object, name) > 0)
        H5Adelete(object, name);
    H5wCloser type{H5Tcopy(H5T_C_S1), H5Tclose};
    H5Tset_size(type.id, H5T_VARIABLE);
    H5Tset_cset(type.id, H5T_CSET_UTF8);
    H5wCloser space{H5Screate(H5S_SCALAR), H5Sclose};
    H5wCloser a{H5Acreate2(object, name, type.id, space.id, H5P_DEFAULT, H5P_DEFAULT), H5Aclose};
    const char* p = value.c_str();
    t.check(a.id >= 0 && H5Awrite(a.id, type.id, &p) >= 0, std::string("attribute ") + name);
}

void h5wEncoding(const H5wTarget& t, hid_t object, const std::string& type,
                 const std::string& version)
{
    h5wStringAttribute(t, object, "encoding-type", type);
    h5wStringAttribute(t, object, "encoding-version", version);
}

// A 1-D variable-length UTF-8 string dataset (or attribute when `attribute`).
void h5wStrings(const H5wTarget& t, hid_t loc, const std::string& name,
                const std::vector<std::string>& values, bool attribute = false)
{
    H5wCloser type{H5Tcopy(H5T_C_S1), H5Tclose};
    H5Tset_size(type.id, H5T_VARIABLE);
    H5Tset_cset(type.id, H5T_CSET_UTF8);
    const hsize_t n[1] = {values.size()};
    H5wCloser space{H5Screate_simple(1, n, nullptr), H5Sclose};
    std::vector<const char*> ptrs;
    for (const auto& v : values)
        ptrs.push_back(v.c_str());
    if (attribute)
    {
        if (H5Aexists(loc, name.c_str()) > 0)
            H5Adelete(loc, name.c_str());
        H5wCloser a{H5Acreate2(loc, name.c_str(), type.id, space.id, H5P_DEFAULT, H5P_DEFAULT),
                    H5Aclose};
        t.check(a.id >= 0 && (values.empty() || H5Awrite(a.id, type.id, ptrs.data()) >= 0),
                "attribute " + name);
        return;
    }
    H5wCloser d{
        H5Dcreate2(loc, name.c_str(), type.id, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose};
    t.check(d.id >= 0 && (values.empty() ||
                          H5Dwrite(d.id, type.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()) >= 0),
            name);
    h5wEncoding(t, d.id, "string-array", "0.2.0");
}

// The strings of an attribute (variable or fixed length), or nothing when it is not strings.
std::vector<std::string> h5wReadStringAttribute(hid_t object, const char* name)
{
    std::vector<std::string> out;
    if (H5Aexists(object, name) <= 0)
        return out;
    H5wCloser a{H5Aopen(object, name, H5P_DEFAULT), H5Aclose};
    H5wCloser type{H5Aget_type(a.id), H5Tclose};
    H5wCloser space{H5Aget_space(a.id), H5Sclose};
    if (type.id < 0 || H5Tget_class(type.id) != H5T_STRING)
        return out;
    const auto n =
        static_cast<size_t>(std::max<hssize_t>(0, H5Sget_simple_extent_npoints(space.id)));
    if (H5Tis_variable_str(type.id) > 0)
    {
        H5wCloser mem{H5Tcopy(H5T_C_S1), H5Tclose};
        H5Tset_size(mem.id, H5T_VARIABLE);
        std::vector<char*> ptrs(n, nullptr);
        if (n > 0 && H5Aread(a.id, mem.id, ptrs.data()) >= 0)
        {
            for (char* p : ptrs)
                out.emplace_back(p ? p : "");
            H5Dvlen_reclaim(mem.id, space.id, H5P_DEFAULT, ptrs.data());
        }
        return out;
    }
    const size_t width = H5Tget_size(type.id);
    std::vector<char> buffer(width * n);
    if (n > 0 && H5Aread(a.id, type.id, buffer.data()) >= 0)
        for (size_t i = 0; i < n; ++i)
            out.emplace_back(buffer.data() + i * width, strnlen(buffer.data() + i * width, width));
    return out;
}

hid_t h5wGroup(const H5wTarget& t, const std::string& name, const char* encoding)
{
    if (H5Lexists(t.file, name.c_str(), H5P_DEFAULT) > 0)
        return H5Gopen2(t.file, name.c_str(), H5P_DEFAULT);
    const hid_t g = H5Gcreate2(t.file, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    t.check(g >= 0, name);
    h5wEncoding(t, g, encoding, "0.1.0");
    return g;
}

std::string h5wReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    if (!in.good() && !in.eof())
        throw DataError(path + ": cannot read the file");
    return out.str();
}

} // namespace

std::string annDataWithLabels(const std::string& inputPath, const ClusteringResult& result,
                              const std::vector<int64_t>& inputRows, const std::string& key,
                              const std::string& recordJson,
                              const std::map<int64_t, std::string>& clusterColors)
{
    std::lock_guard lock(hdf5LibraryMutex());
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    const std::string original = h5wReadFile(inputPath);
    char tmpl[] = "/tmp/clusterscope-h5ad-XXXXXX";
    const int fd = mkstemp(tmpl);
    if (fd < 0)
        throw Error("cannot create a temporary file for the .h5ad copy");
    const std::string tmp = tmpl;
    struct Unlink
    {
        std::string path;
        ~Unlink() { ::unlink(path.c_str()); }
    } unlinkTmp{tmp};
    const bool written =
        ::write(fd, original.data(), original.size()) == static_cast<ssize_t>(original.size());
    ::close(fd);
    if (!written)
        throw Error("cannot write the temporary .h5ad copy " + tmp);

    // Every object is closed, and the file with them, before the copy is read back: HDF5 writes
    // the superblock's final state (and clears its open-for-writing flag) only then.
    {
        H5wTarget t{inputPath, H5Fopen(tmp.c_str(), H5F_ACC_RDWR, H5P_DEFAULT)};
        if (t.file < 0)
            throw DataError(inputPath + ": cannot open it as HDF5 to copy the results into");
        H5wCloser file{t.file, H5Fclose};
        if (H5Lexists(t.file, "obs", H5P_DEFAULT) <= 0)
            throw DataError(inputPath + ": not an AnnData file (no obs); --out .h5ad needs one");

        // The number of input rows: obs' index length.
        H5wCloser obs{H5Gopen2(t.file, "obs", H5P_DEFAULT), H5Gclose};
        t.check(obs.id >= 0, "obs");
        auto indexName = h5wReadStringAttribute(obs.id, "_index");
        const std::string index = indexName.empty() ? "_index" : indexName.front();
        int64_t n = 0;
        {
            H5wCloser d{H5Dopen2(obs.id, index.c_str(), H5P_DEFAULT), H5Dclose};
            H5wCloser space{d.id >= 0 ? H5Dget_space(d.id) : -1, H5Sclose};
            t.check(space.id >= 0, "obs (its index '" + index + "' is unreadable)");
            n = H5Sget_simple_extent_npoints(space.id);
        }
        const auto rows = static_cast<int64_t>(result.labels.size());
        const auto inputRow = [&](int64_t r)
        { return inputRows.empty() ? r : inputRows[static_cast<size_t>(r)]; };
        for (int64_t r = 0; r < rows; ++r)
            if (inputRow(r) < 0 || inputRow(r) >= n)
                throw DataError(inputPath + ": the run's row " + std::to_string(r) +
                                " is beyond obs' " + std::to_string(n) + " rows");

        // obs[key]: categorical.
        std::map<int64_t, int32_t> codeOf;
        for (int64_t l : result.labels)
            codeOf.emplace(l, 0);
        std::vector<std::string> categories;
        for (auto& [label, code] : codeOf)
        {
            code = static_cast<int32_t>(categories.size());
            categories.push_back(std::to_string(label));
        }
        std::vector<int32_t> codes(static_cast<size_t>(n), -1);
        for (int64_t r = 0; r < rows; ++r)
            codes[static_cast<size_t>(inputRow(r))] = codeOf[result.labels[static_cast<size_t>(r)]];
        t.remove("obs/" + key);
        {
            H5wCloser g{H5Gcreate2(obs.id, key.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
                        H5Gclose};
            t.check(g.id >= 0, "obs/" + key);
            h5wEncoding(t, g.id, "categorical", "0.2.0");
            {
                // A bool as h5py writes one (an int8 enum FALSE/TRUE), which anndata needs.
                H5wCloser boolType{H5Tenum_create(H5T_NATIVE_INT8), H5Tclose};
                const int8_t no = 0;
                const int8_t yes = 1;
                H5Tenum_insert(boolType.id, "FALSE", &no);
                H5Tenum_insert(boolType.id, "TRUE", &yes);
                H5wCloser space{H5Screate(H5S_SCALAR), H5Sclose};
                H5wCloser a{
                    H5Acreate2(g.id, "ordered", boolType.id, space.id, H5P_DEFAULT, H5P_DEFAULT),
                    H5Aclose};
                t.check(a.id >= 0 && H5Awrite(a.id, boolType.id, &no) >= 0, "obs/" + key);
            }
            const hsize_t dims[1] = {static_cast<hsize_t>(n)};
            H5wCloser space{H5Screate_simple(1, dims, nullptr), H5Sclose};
            H5wCloser d{H5Dcreate2(g.id, "codes", H5T_STD_I32LE, space.id, H5P_DEFAULT, H5P_DEFAULT,
                                   H5P_DEFAULT),
                        H5Dclose};
            t.check(d.id >= 0 && H5Dwrite(d.id, H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                          codes.data()) >= 0,
                    "obs/" + key + "/codes");
            h5wEncoding(t, d.id, "array", "0.2.0");
            h5wStrings(t, g.id, "categories", categories);
        }
        auto order = h5wReadStringAttribute(obs.id, "column-order");
        if (std::find(order.begin(), order.end(), key) == order.end())
            order.push_back(key);
        h5wStrings(t, obs.id, "column-order", order, true);

        // obsm[key_proba]
        if (result.soft.defined() && result.soft.dim() == 2 && result.soft.size(0) == rows)
        {
            H5wCloser obsm{h5wGroup(t, "obsm", "dict"), H5Gclose};
            const auto soft = result.soft.to(at::kFloat).contiguous();
            const int64_t k = soft.size(1);
            std::vector<float> values(static_cast<size_t>(n * k),
                                      std::numeric_limits<float>::quiet_NaN());
            const float* s = soft.data_ptr<float>();
            for (int64_t r = 0; r < rows; ++r)
                std::copy(s + r * k, s + (r + 1) * k, values.begin() + inputRow(r) * k);
            const std::string name = key + "_proba";
            t.remove("obsm/" + name);
            const hsize_t dims[2] = {static_cast<hsize_t>(n), static_cast<hsize_t>(k)};
            H5wCloser space{H5Screate_simple(2, dims, nullptr), H5Sclose};
            H5wCloser d{H5Dcreate2(obsm.id, name.c_str(), H5T_IEEE_F32LE, space.id, H5P_DEFAULT,
                                   H5P_DEFAULT, H5P_DEFAULT),
                        H5Dclose};
            t.check(d.id >= 0 && H5Dwrite(d.id, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                          values.data()) >= 0,
                    "obsm/" + name);
            h5wEncoding(t, d.id, "array", "0.2.0");
        }

        // uns: the colours and the run record.
        H5wCloser uns{h5wGroup(t, "uns", "dict"), H5Gclose};
        std::vector<std::string> colors; // the view's colour of each cluster id
        const int64_t count = codeOf.empty() ? 0 : codeOf.rbegin()->first + 1;
        for (const auto& [label, code] : codeOf)
        {
            const auto given = clusterColors.find(label);
            colors.push_back(given != clusterColors.end() ? given->second
                                                          : categoricalHex(label, count));
        }
        t.remove("uns/" + key + "_colors");
        h5wStrings(t, uns.id, key + "_colors", colors);
        t.remove("uns/clusterscope_run");
        {
            H5wCloser type{H5Tcopy(H5T_C_S1), H5Tclose};
            H5Tset_size(type.id, H5T_VARIABLE);
            H5Tset_cset(type.id, H5T_CSET_UTF8);
            H5wCloser space{H5Screate(H5S_SCALAR), H5Sclose};
            H5wCloser d{H5Dcreate2(uns.id, "clusterscope_run", type.id, space.id, H5P_DEFAULT,
                                   H5P_DEFAULT, H5P_DEFAULT),
                        H5Dclose};
            const char* p = recordJson.c_str();
            t.check(d.id >= 0 && H5Dwrite(d.id, type.id, H5S_ALL, H5S_ALL, H5P_DEFAULT, &p) >= 0,
                    "uns/clusterscope_run");
            h5wEncoding(t, d.id, "string", "0.2.0");
        }
        t.check(H5Fflush(t.file, H5F_SCOPE_GLOBAL) >= 0, "the file");
    }
    return h5wReadFile(tmp);
}

} // namespace clusterscope

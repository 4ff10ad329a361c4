#include "scipy_sparse.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <set>

namespace clusterscope
{

namespace
{

at::Tensor readMember(ZipArchive& zip, const std::string& name, const std::string& path)
{
    const auto bytes = zip.read(name + ".npy");
    return readNpyArray(bytes, bytes->data(), bytes->size(), path + ": " + name + ".npy")
        .values.reshape({-1});
}

} // namespace

bool isScipySparseArchive(const std::vector<std::string>& arrayNames)
{
    // Every format's members (CSR/CSC/BSR: indices, indptr; COO: row, col; DIA: offsets).
    static const std::set<std::string> scipy{
        "data", "format", "shape",   "indices",   "indptr",
        "row",  "col",    "offsets", "blocksize", "has_canonical_format"};
    const std::set<std::string> names(arrayNames.begin(), arrayNames.end());
    return names.count("format") && names.count("shape") && names.count("data") &&
           std::all_of(names.begin(), names.end(),
                       [](const std::string& n) { return scipy.count(n) > 0; });
}

NpyArray readScipySparse(ZipArchive& zip, const std::string& path)
{
    const auto formatBytes = zip.read("format.npy");
    const auto format = readNpyStrings(formatBytes->data(), formatBytes->size(), path);
    const std::string kind = format.size() == 1 ? format[0] : std::string();
    if (kind != "csr" && kind != "csc")
        throw DataError(path + ": a SciPy sparse matrix in the '" + kind +
                        "' format; save it as CSR (scipy.sparse.save_npz(path, X.tocsr())) or "
                        "dense (numpy.save(path, X.toarray()))");
    const auto shape = readMember(zip, "shape", path).to(at::kLong);
    if (shape.numel() != 2 || shape[0].item<int64_t>() <= 0 || shape[1].item<int64_t>() <= 0)
        throw DataError(path + ": shape.npy must hold two positive sizes");
    const int64_t rows = shape[0].item<int64_t>();
    const int64_t cols = shape[1].item<int64_t>();
    const auto data = readMember(zip, "data", path);
    const bool doubles = data.scalar_type() == at::kDouble;
    const double bytes =
        static_cast<double>(rows) * static_cast<double>(cols) * (doubles ? 8.0 : 4.0);
    if (bytes > static_cast<double>(kMaxHdf5DenseBytes))
        throw DataError(
            path + ": the sparse matrix (" + std::to_string(rows) + " x " + std::to_string(cols) +
            ") would need " + std::to_string(static_cast<int64_t>(bytes / double(1 << 30))) +
            " GiB as dense values, more than the loader's limit of " +
            std::to_string(kMaxHdf5DenseBytes >> 30) + " GiB; select rows or columns first");
    const auto indices = readMember(zip, "indices", path).to(at::kLong).contiguous();
    const auto indptr = readMember(zip, "indptr", path).to(at::kLong).contiguous();
    const bool csr = kind == "csr";
    const int64_t major = csr ? rows : cols;
    const int64_t minor = csr ? cols : rows;
    if (indptr.numel() != major + 1)
        throw DataError(path + ": indptr holds " + std::to_string(indptr.numel()) + " entries; a " +
                        std::to_string(rows) + " x " + std::to_string(cols) + " " + kind +
                        " matrix needs " + std::to_string(major + 1));
    const int64_t* ptr = indptr.data_ptr<int64_t>();
    if (ptr[0] != 0 || ptr[major] != indices.numel() || ptr[major] != data.numel())
        throw DataError(path + ": indptr, indices and data do not fit together (indptr ends at " +
                        std::to_string(ptr[major]) + ", indices hold " +
                        std::to_string(indices.numel()) + " and data " +
                        std::to_string(data.numel()) + ")");
    const auto values = data.to(doubles ? at::kDouble : at::kFloat).contiguous();
    auto dense = at::zeros({rows, cols}, values.options());
    const int64_t* index = indices.data_ptr<int64_t>();
    AT_DISPATCH_FLOATING_TYPES(
        values.scalar_type(), "scipy_sparse",
        [&]
        {
            const auto* v = values.data_ptr<scalar_t>();
            auto* out = dense.data_ptr<scalar_t>();
            for (int64_t m = 0; m < major; ++m)
            {
                if (ptr[m + 1] < ptr[m])
                    throw DataError(path + ": indptr is not monotone at entry " +
                                    std::to_string(m + 1));
                for (int64_t k = ptr[m]; k < ptr[m + 1]; ++k)
                {
                    const int64_t j = index[k];
                    if (j < 0 || j >= minor)
                        throw DataError(path + ": indices entry " + std::to_string(k) + " is " +
                                        std::to_string(j) + ", out of range for " +
                                        std::to_string(minor) + (csr ? " columns" : " rows"));
                    // Duplicates add up, as scipy's toarray does.
                    (csr ? out[m * cols + j] : out[j * cols + m]) += v[k];
                }
            }
        });
    return {dense, {rows, cols}};
}

} // namespace clusterscope

#pragma once
// scipy.sparse.save_npz archives: the members data, indices, indptr, format and shape of one
// CSR or CSC matrix (SciPy's _matrix_io.save_npz). Without this, `data` alone (the stored
// values, 1-D) was taken for the features: a silently wrong table.

#include "../npy/npy_array.h"
#include "zip_archive.h"

#include <string>
#include <vector>

namespace clusterscope
{

// Whether the archive's arrays (names without .npy) are save_npz's: format, shape and data,
// and the others of some scipy.sparse format (indices and indptr, row and col, offsets).
bool isScipySparseArchive(const std::vector<std::string>& arrayNames);

// The matrix as a dense N x D array (float32, or float64 when SciPy stored float64), with its
// shape. Throws DataError naming `path` for a format other than CSR or CSC (with the call that
// converts it), an indptr that is not monotone, an index out of range, arrays whose lengths do
// not fit, or a dense size above kMaxHdf5DenseBytes.
NpyArray readScipySparse(ZipArchive& zip, const std::string& path);

} // namespace clusterscope

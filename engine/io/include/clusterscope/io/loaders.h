#pragma once
// Dataset loaders, chosen by content and extension: CSV/TSV, NPY, NPZ, IDX (plain or .gz) and
// HDF5 (AnnData .h5ad, plain .h5/.hdf5).

#include <clusterscope/core/dataset.h>
#include <clusterscope/core/errors.h>

#include <cstddef>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class MissingPolicy
{
    Error,        // stop with a message naming the row and the column
    Drop,         // drop rows that have a missing feature
    ImputeMean,   // replace a missing feature by its column mean
    ImputeMedian, // replace a missing feature by its column median (robust to outliers)
};

// A missing or infinite value (or a missing label) that the policy in force refuses, where
// another policy (--missing drop or impute-mean) would load the data: front ends can offer
// those policies instead of a dead end. A number out of range is a plain DataError.
class MissingValueError : public DataError
{
public:
    using DataError::DataError;
};

// "error", "drop", "impute-mean", "impute-median"; parsing throws ParameterError naming
// --missing.
std::vector<std::string> missingPolicyNames();
MissingPolicy parseMissingPolicy(const std::string& text);

// Limits that keep a damaged or hostile file from taking all memory; each is refused with a
// DataError that names the file and the limit.
// A .gz file, and a deflated .npz member, may inflate to kGzipInflateRatio times its compressed
// size, or to kGzipInflateFloor bytes when that is more (real tables and images compress 3-10
// times).
inline constexpr size_t kGzipInflateRatio = 64;
inline constexpr size_t kGzipInflateFloor = size_t{256} << 20;
// A CSV/TSV table has at most this many columns.
inline constexpr size_t kMaxCsvColumns = 1'000'000;
// A float ground-truth label must be an integer no larger than this in magnitude (2^53, where
// doubles stop holding every integer); integer arrays keep any int64 value.
inline constexpr double kMaxFloatLabel = 9007199254740992.0;
// An HDF5 matrix (AnnData's X, sparse or dense, or a plain dataset) is densified in memory; one
// that would need more than this many bytes is refused with a DataError naming its shape and
// the memory it needs.
inline constexpr size_t kMaxHdf5DenseBytes = size_t{8} << 30;

// Values the loaders refuse or treat as missing, in every format:
// - NaN, in any spelling (NaN, nan, -nan, NA, N/A, null, ?, an empty CSV cell; NaN in a float
//   array) is a missing value and follows `missing`.
// - An infinity (inf, Infinity, -inf in text; +-inf in an array) is a missing value for
//   MissingPolicy::Drop and the imputing ones, and a DataError under MissingPolicy::Error.
// - A number beyond double's range (1e400) or beyond float32's (1e39) is a DataError naming the
//   first such row and column.
// - In a CSV numeric column, a cell shaped like a number that does not parse (1.2.3, 1,5) is a
//   DataError naming the line, the column and the text.
// - A missing label (an empty cell or string, NaN) is a DataError, or its row is dropped with
//   MissingPolicy::Drop. A label that is not an integer is a DataError.
struct LoadOptions
{
    // A column name, or a 0-based index ("0", "-1" for the last), or "last". "none" (or the
    // GUI's "-none-") loads no labels, so every column is data. Empty: a column named label,
    // labels, class or target (any case) is used when there is one; nothing else is guessed.
    std::string labelColumn;
    // The column that identifies the rows, kept out of the features as metadata: a name, a
    // 0-based index or "last" (in an array, f0, f1, ... or the index). "none": no column is
    // taken for one, every numeric column is a feature. Empty: a numeric column whose values
    // are the row numbers (0..n-1 or 1..n in file order, at least 10 rows), or
    // that holds distinct integers under an identifier's name (id, index, row, an empty name,
    // pandas' "Unnamed: 0", sample_id, ...), is one, with a warning naming it.
    std::string idColumn;
    MissingPolicy missing = MissingPolicy::Error;
    // For IDX images: look for the labels file beside the images file.
    bool findCompanionLabels = true;
    // For .npz archives: the array that holds the features. Empty: the only array, else one
    // named X/data/features/embedding, else the only one with two or more dimensions. The labels
    // are `labelColumn` (an array name) or an array named y/labels/label/target/targets/class/
    // classes (np.savez(X=..., y=...) is NumPy's convention).
    // For AnnData .h5ad files: "X" (the default) or a layer, as "NAME" or "layers/NAME".
    // For plain HDF5 files: the path of a 2-D numeric dataset ("/group/matrix"). Empty: the
    // file's only 2-D numeric dataset, else a DataError listing the candidates and shapes.
    std::string array;
    // For folders of images: HEIGHTxWIDTH ("28x28") resizes every image to that size as it
    // loads; empty keeps the sizes, which must then all be equal.
    std::string imageSize;
    // For CSV/TSV tables: lines to skip before the header (or the first row), such as a title
    // or a line of metadata. Blank lines count as lines.
    int64_t skipLines = 0;
    // For CSV/TSV tables: columns kept beside the data as metadata rather than clustered, and
    // columns not read at all. Each entry is a name or a 0-based index (as labelColumn); a
    // name that is not a column is a ParameterError listing the columns, and a column named in
    // both is a ParameterError. The labels and a named row identifier keep their roles when
    // listed here too (a guessed label column that is listed is not taken).
    std::vector<std::string> metadataColumns;
    std::vector<std::string> ignoreColumns;
};

// Replaces each NaN of x (N x D float32) by its column's mean (ImputeMean) or median
// (ImputeMedian, the average of the two middle values for an even count, as NumPy and
// scikit-learn's SimpleImputer take it) over the values present, in float64; returns how many
// were replaced. Other policies leave x as it is and return 0. Throws MissingValueError naming
// `where` and the column when a column has no value at all. CPU tensors only.
int64_t imputeMissingValues(at::Tensor& x, MissingPolicy policy, const std::string& where);

// Whether `labelColumn` asks for no labels at all ("none", or the GUI's "-none-").
bool wantsNoLabels(const std::string& labelColumn);

// Names of the formats the loaders understand, as `detectFormat` returns them: by magic bytes
// first (\x93NUMPY, a zip, IDX, HDF5's \x89HDF\r\n\x1a\n), then by name (.npy, .npz,
// .h5ad, .h5, .hdf5, *-idx3-ubyte, *idx1*), else CSV/TSV. An HDF5 file is "h5ad" when named
// *.h5ad, else "hdf5" (the loader then recognises AnnData's layout by its content).
// A file named as a binary format goes to that format's loader, which says what is wrong with it.
// Throws DataError when the path cannot be read: no such file, permission denied, a symbolic
// link loop, not a regular file (a FIFO, a pipe, a device: never blocks on them), an empty file,
// a folder without IDX images, a .gz that is neither IDX nor CSV/TSV.
// "csv", "tsv", "npy", "npz", "idx", "idx-dir", "images" (a folder of PNG/JPEG), "h5ad",
// "hdf5"
std::string detectFormat(const std::string& path);

// Loads one file, or a folder of IDX files (e.g. Fashion-MNIST: train and t10k concatenated).
// The features are N x D float32 with no NaN or infinity. Rows the missing-value policy dropped
// and values it imputed are counted in Dataset::droppedRows/imputedValues, and inputRows says
// which input row each row is. Dataset::warnings holds what a person should check:
// - CSV/TSV: with ';' or a tab as the delimiter, a column of numbers written with a decimal
//   comma (2,041) and no '.' is read as numbers, with a warning naming it.
// - CSV/TSV: when the labels column was guessed (no --label-column), other columns named label,
//   labels, class or target are kept out of the features as metadata, with a warning.
// - Every loader of tables (CSV/TSV, 2-D .npy/.npz arrays): columns taken for row identifiers
//   (see LoadOptions::idColumn) are named, with the option that makes them features.
// - CSV/TSV: scikit-learn's bundled layout (a first line "n_samples,n_features,class names..."
//   that matches the file, the integer target last, as sklearn.datasets.load_csv_data reads
//   it) loads the last column, named "target", as the labels with the class names, and says so.
// - CSV/TSV without a header and without labels: a last (else first) column of a few distinct
//   small non-negative integers is named as a likely class label, with --label-column advice.
// - CSV/TSV: a file with control bytes (NUL, ...), or mostly high bytes that are not UTF-8, is a
//   DataError "does not look like a text table".
// - CSV/TSV: a column most of whose values are numbers is numeric: a cell in it that is not a
//   number (a word, 12abc, 1e400) is a DataError naming the line, column and text, unless the
//   column is the labels, the row identifier (--id-column) or named like one. Missing values
//   are empty cells, NaN in any spelling, ? and pandas' na_values (NA, N/A, #N/A, <NA>, NULL,
//   None, ...); LoadOptions::missing decides what happens to them.
// Every failure is a DataError naming the file and what is wrong (ParameterError for a bad
// option); nothing else escapes.
Dataset loadDataset(const std::string& path, const LoadOptions& options = {},
                    Progress* progress = nullptr);

// Loads several files and concatenates their rows (e.g. train and test parts). An IDX labels
// file in the list is attached to the images file it belongs to. Throws like loadDataset, and
// DataError when the parts' columns differ (see concatenateRows).
Dataset loadDatasets(const std::vector<std::string>& paths, const LoadOptions& options = {},
                     Progress* progress = nullptr);

// The loaders of each format; they throw DataError as loadDataset does.
Dataset loadCsv(const std::string& path, const LoadOptions& options, Progress& progress);
Dataset loadNpy(const std::string& path, const LoadOptions& options = {});
Dataset loadNpz(const std::string& path, const LoadOptions& options);
Dataset loadIdx(const std::string& imagesPath, const std::string& labelsPath,
                const LoadOptions& options = {});

// A folder of PNG (stb_image) and JPEG (libjpeg-turbo) images: in class subfolders, whose names
// become the labels (sorted by name; Dataset::labelNames) unless options.labelColumn is "none", or
// flat, without labels. Greyscale images load as H x W values, colour ones (any image with three or
// four channels makes every image RGB, alpha dropped) as H x W x 3 interleaved, each value 0..255
// as float32 (scaling scale01 divides by 255); Dataset::imageShape keeps the shape and a "file"
// metadata column each row's path relative to `dir`. Images load in name order. options.imageSize
// resizes them all (stb_image_resize); without it, sizes must agree. Throws DataError naming the
// file for one that does not decode (truncated, not an image), is over 8192 pixels on a side, or
// differs in size from the first (with the --image-size that fixes it); naming the folder when it
// holds no images or more than 16 GiB of values; ParameterError for a malformed image size;
// CancelledError when `progress` asks.
Dataset loadImageFolder(const std::string& dir, const LoadOptions& options, Progress& progress);

// HDF5 through the HDF5 C library. AnnData (.h5ad, or any HDF5 file with obs beside X, or an
// encoding-type "anndata" root): the features are X (or the layer LoadOptions::array names),
// dense or a csr_matrix/csc_matrix group (any integer index type, float or integer values),
// densified into float32; feature names are var's index; obs columns (categorical in the
// current group encoding or the old codes-with-a-reference encoding, strings, numbers) are
// metadata, except the one `labelColumn` names (else one named label/labels/class/target),
// whose categories or strings become label names; obsm's numeric cells x k arrays become
// Dataset::embeddings. Plain HDF5: one 2-D numeric dataset (LoadOptions::array). Every
// failure (a damaged or truncated file, a missing X, a 3-D X, an indptr that is not monotone,
// an index out of range, an unknown encoding, more than kMaxHdf5DenseBytes) is a DataError
// naming the file and the HDF5 path. Known limit: Debian's libhdf5 1.10.8 reads the heap of
// variable-length strings without bounds checks, so a few damaged files crash or hang inside
// the library itself (tests/fuzz/h5ad_flip_smoke.py, docs/testing.md).
Dataset loadHdf5(const std::string& path, const LoadOptions& options = {});

// A matrix an HDF5 file offers as the features, for LoadOptions::array.
struct ArrayChoice
{
    std::string name;           // "X", "layers/spliced", "/group/matrix"
    std::vector<int64_t> shape; // rows x columns
};
// The matrices of an HDF5 file, without reading their values: an AnnData file's X and its
// layers (as "layers/NAME"), or a plain file's 2-D numeric datasets by path. For a chooser
// (the GUI's Dataset panel). Throws DataError naming the file when it is no HDF5 file or
// cannot be opened; CPU, any thread (the HDF5 library is serialised).
std::vector<ArrayChoice> hdf5Arrays(const std::string& path);

// For "train-images-idx3-ubyte.gz", the path of "train-labels-idx1-ubyte.gz" when it exists.
std::string findIdxLabels(const std::string& imagesPath);

} // namespace clusterscope

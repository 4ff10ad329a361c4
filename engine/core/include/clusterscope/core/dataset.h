#pragma once
// An in-memory dataset: N x D float32 features plus what describes the rows and columns.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace clusterscope
{

// One per-row column that is not a feature: numbers, or categories (codes into `categories`).
struct MetadataColumn
{
    std::string name;
    std::vector<double> numbers; // filled for numeric columns (NaN where missing)
    std::vector<int32_t> codes;  // filled for categorical columns (-1 where missing)
    std::vector<std::string> categories;
    // Each category's colour as "#rrggbb" (AnnData's uns['<name>_colors']), or empty: the
    // categorical palette.
    std::vector<std::string> colors;

    bool isNumeric() const { return codes.empty() && !numbers.empty(); }
    std::string text(int64_t row) const;
};

struct ImageShape
{
    int64_t height = 0;
    int64_t width = 0;
    int64_t channels = 1;
};

// A named per-row matrix that came with the data, e.g. AnnData's obsm["X_umap"] (N x 2) or
// obsm["X_pca"] (N x 50): a precomputed embedding the front ends may show or compare against.
struct NamedMatrix
{
    std::string name;
    at::Tensor values; // N x k, float32, CPU, contiguous; rows follow the Dataset's rows
};

struct Dataset
{
    at::Tensor features;                   // N x D, float32, CPU, contiguous
    std::vector<std::string> featureNames; // D names
    // D float64 offsets the loader subtracted from columns float32 could not hold at their
    // offset (0: the column is as in the file; empty: none was). A value in the file's frame is
    // feature + offset.
    std::vector<double> featureOffsets;
    std::vector<int64_t> labels;          // N ground-truth labels, or empty
    std::vector<std::string> labelNames;  // names for label codes, when labels were text
    std::vector<std::string> labelColors; // "#rrggbb" per label code (uns colours), or empty
    std::string labelColumn;              // the column or array the labels came from; or empty
    std::vector<MetadataColumn> metadata;
    // Precomputed embeddings stored with the data (AnnData's obsm), one row per Dataset row;
    // selectRows and concatenateRows keep them in step (concatenation keeps those both parts
    // hold under the same name and width).
    std::vector<NamedMatrix> embeddings;
    std::optional<ImageShape> imageShape; // for image data, to show thumbnails
    std::string source;                   // file(s) it came from
    std::string format;                   // detected format, e.g. "csv", "npy", "idx"
    // Each row's 0-based data row in the input (header lines not counted; several files are
    // counted one after the other). Empty: row i is input row i, nothing was dropped.
    std::vector<int64_t> inputRows;
    int64_t droppedRows = 0;   // input rows the loader's missing-value policy dropped
    int64_t imputedValues = 0; // values (NaN, infinities) the loader's policy imputed
    // What the loader decided that a person should know: a column read as text though it looks
    // numeric, a second label-like column kept out of the features, a decimal comma.
    std::vector<std::string> warnings;

    int64_t rows() const;
    int64_t cols() const;
    bool hasLabels() const { return !labels.empty(); }
    // How to show a label: its name when the labels were text and `label` is a code into
    // labelNames, else the number (so a -1 or any other code never indexes past the names).
    std::string labelText(int64_t label) const;
    // Whether a column was centred on load (featureOffsets holds a nonzero entry).
    bool hasCentredColumns() const;
    // Row `row`'s 0-based data row in the input (see inputRows).
    int64_t inputRow(int64_t row) const;
};

// One sentence per centred column, for `info` and the run record: "column 'x' was centred on
// load by 1e+08: float32 cannot hold its spread at that offset".
std::vector<std::string> centringNotes(const Dataset& data);

// Appends `b` below `a` (e.g. train and test parts); `b`'s rows are moved into `a`'s frame when
// their loaders centred columns by different offsets. Throws DataError naming both sources when
// their feature counts, feature names, image shapes, presence of labels, label names or
// metadata columns differ. `b`'s input rows are numbered after all of `a`'s (its rows and its
// dropped rows); counts and warnings add up.
Dataset concatenateRows(const Dataset& a, const Dataset& b);

// Keeps the listed rows, in order; labels, metadata and input rows follow.
Dataset selectRows(const Dataset& data, const std::vector<int64_t>& rows);

// True when an N x D matrix has at least one row and every row equals the first (by ==, so
// 0 and -0 match and a NaN matches nothing). Stops at the first row that differs.
bool allRowsIdentical(const at::Tensor& x);

} // namespace clusterscope

#pragma once
// The import step's view of a CSV/TSV table before it loads: each column's type, its role
// under the given options (feature, label, metadata, ignore) and why, the missing values the
// features hold, the first rows as written, and what the load would warn about or refuse.
// After Orange's File widget and spreadsheet import dialogs: every choice is shown, none is
// silent, and all of them are LoadOptions the CLI takes as flags too.

#include <clusterscope/io/loaders.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

enum class ColumnRole
{
    Feature,  // clustered
    Label,    // the ground truth, compared with the clusters
    Metadata, // kept beside the data (shown on hover, exported), not clustered
    Ignore,   // not read
};

const char* columnRoleName(ColumnRole role); // "feature", "label", "metadata", "ignore"

struct ColumnPreview
{
    std::string name;
    // "numbers", "integers" (every value a whole number), "text", or "empty" (no value at all).
    std::string type;
    int64_t missing = 0;   // empty, NA, NaN, ... cells
    int64_t distinct = -1; // distinct values, -1 when more than 100
    ColumnRole role = ColumnRole::Feature;
    std::string why; // one line: why the loader gives it this role ("text with 3 values")
};

struct TablePreview
{
    std::string delimiter; // "," ";" "\t" ...
    bool header = false;   // the first line (after the skipped ones) names the columns
    // scikit-learn's bundled layout: a first line of counts and class names, then rows whose
    // last column is the class number (header is true: that line is no data).
    bool countsLine = false;
    int64_t rows = 0; // data rows in the file
    std::vector<ColumnPreview> columns;
    std::vector<std::vector<std::string>> firstRows; // up to 20 rows, cells as written
    // Rows with a missing value in a feature column or the label column, and the feature
    // columns that have one: what the missing-value policy applies to. -1: more than 8 million
    // missing cells, not counted by row.
    int64_t rowsWithMissing = 0;
    int64_t columnsWithMissing = 0;
    // The label column proposed when options.labelColumn is empty and no column is named like
    // the labels: a text column with few distinct values, one whose name says it holds
    // classes (species, category, diagnosis, ...), or, in a table without a header, a last
    // (else first) column of a few small whole numbers. Empty: none. The options to load the table
    // as previewed have it as their labelColumn (see `options`).
    std::string proposedLabel;
    std::string proposedLabelWhy;
    // Lines proposed to skip above the table, when it cannot be read from its first line but
    // can below one to three (a line of notes above the header, as in scikit-learn's
    // boston_house_prices.csv); the preview and `options` have them skipped. 0: none.
    int64_t proposedSkipLines = 0;
    // A regression target set apart as metadata (options.metadataColumns), when the line skipped
    // above the header counts the samples and the features and one column is past those (as in
    // boston_house_prices.csv's MEDV): it then colours the view instead of being clustered.
    // Why, in one line. Empty: none.
    std::string proposedTarget;
    std::string proposedTargetWhy;
    // The scaling proposed for the runs: "standardize" when one feature's spread swamps the
    // others (grams beside millimetres: a PCA of the raw features is then a line), that is when
    // the largest column variance is over half of the total and over 100 times the smallest
    // nonzero one; "" otherwise. Why, in one line, naming the two columns.
    std::string proposedScaling;
    std::string proposedScalingWhy;
    LoadOptions options;               // the options the preview describes (the proposals in)
    std::vector<std::string> warnings; // what the load will say (Dataset::warnings)
    std::string error;                 // why the load would fail with these options ("": it loads)
    bool missingValueError = false;    // the failure is a missing value another policy accepts
};

// Reads the whole table at `path` (a CSV/TSV, plain or .gz) as loadDataset would with
// `options`, and describes it. A table the options cannot load is still previewed: `error`
// says why (the columns' roles then show what was found before the failure), so that a person
// can change a role or the policy and look again. Throws DataError when the file is not a
// readable text table at all (no such file, binary, unclosed quote), ParameterError for a bad
// option (a column that is not there). CPU only. The table is loaded once, or again for a
// proposed label column or to place the columns when a missing value stops the load: a
// 100 MB table takes a few seconds.
TablePreview previewTable(const std::string& path, const LoadOptions& options);

} // namespace clusterscope

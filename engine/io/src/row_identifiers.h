#pragma once
// Columns that number or name the rows are not features: a pandas index written by to_csv, an
// "id" column. Their values grow with the row's place in the file, so they dominate every
// distance and the clustering groups rows by position. The loaders keep them as per-row
// metadata, with a warning, unless LoadOptions::idColumn says otherwise.

#include <clusterscope/core/dataset.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace clusterscope
{

// Fewer rows than this are not taken for row numbers by their values alone: in a tiny table
// 1, 2, 3 is as likely a feature.
inline constexpr int64_t kMinRowNumberRows = 10;

// Whether one column's values, fed in file order, are the row numbers 0..n-1 or 1..n.
class RowNumberRun
{
public:
    void add(double value, bool isNumber);
    // The value of a row before the first one added (a CSV's first record, read last).
    void prepend(double value, bool isNumber);
    bool isRowNumbers(int64_t rows) const
    {
        return ok_ && count_ == rows && rows >= kMinRowNumberRows && (first_ == 0 || first_ == 1);
    }
    double first() const { return first_; }
    double last() const { return last_; }

private:
    bool ok_ = true;
    int64_t count_ = 0;
    double first_ = 0;
    double last_ = 0;
};

// A whole number that double holds exactly.
bool isExactInteger(double value);

// Names that say "row identifier": id, index, row, an empty name, pandas' "Unnamed: 0", and
// names ending in _id, " id", -id or Id/ID after a lower-case letter (sample_id, sampleId).
bool isIdentifierName(std::string_view name);

// Every value an integer (no NaN) and no two alike.
bool allDistinctIntegers(std::vector<double> values);

// LoadOptions::idColumn resolved against the columns: automatic (empty), none, or one column
// by name, 0-based index (negative from the end) or "last". Throws DataError naming `path`
// and the columns when no column matches.
struct IdColumnChoice
{
    bool automatic = true;
    int64_t column = -1; // the named column; -1 for automatic or none
};
// `option` names the flag in the error for a column that is not there.
IdColumnChoice resolveIdColumn(const std::string& wanted, const std::vector<std::string>& names,
                               const std::string& path, const std::string& option = "--id-column");

// "PATH: column 'id' holds the row numbers 1..300 ...": the warning for a column kept out of
// the features; `why` says what gave it away.
std::string idColumnWarning(const std::string& path, const std::string& column,
                            const std::string& why);

// Why a column counts as a row identifier, or "" when it does not: its values (in file order)
// are the row numbers, or its name is an identifier's and its values are distinct integers.
std::string rowNumbersReason(const RowNumberRun& run, int64_t rows);

// For arrays (NPY, NPZ), after the missing-value policy: moves the feature columns that are
// row identifiers into numeric metadata, with a warning naming them: the column `idColumn`
// names (LoadOptions::idColumn, by feature name f0, f1, ... or index), or when it is empty,
// every column whose value at each row is that row's input row, counted from 0 or 1
// (dropped rows keep their numbers). Images (data.imageShape) keep every pixel. Throws
// DataError naming `where` when no feature would be left, or for an unknown column.
void separateRowIdentifiers(Dataset& data, const std::string& idColumn, const std::string& where);

} // namespace clusterscope

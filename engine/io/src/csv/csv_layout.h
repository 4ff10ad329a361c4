#pragma once
// What the CSV/TSV loader found out about a table's layout, for the import preview
// (table_preview.h): the table's columns, what is in them, and its first rows.

#include <clusterscope/core/dataset.h>
#include <clusterscope/io/loaders.h>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace clusterscope
{

class Progress;

struct CsvColumnCells
{
    int64_t numbers = 0;  // cells that are numbers (infinities included)
    int64_t integers = 0; // of those, whole numbers
    int64_t text = 0;     // cells that are not numbers and not missing
    int64_t missing = 0;  // empty, NA, NaN, ... cells
    // The distinct values, up to kDistinctLimit of them; `manyDistinct` beyond.
    std::set<std::string> distinct;
    bool manyDistinct = false;
    static constexpr size_t kDistinctLimit = 100;
};

struct CsvLayout
{
    char delimiter = ',';
    bool header = false;
    bool sklearnLayout = false;
    int64_t dataRows = 0;
    std::vector<std::string> names; // every column, in file order, as the loader names them
    std::vector<CsvColumnCells> columns;
    std::vector<std::vector<std::string>> firstRows; // raw cells of the first data rows
    std::vector<std::string> skippedRecord;          // the cells of the last line skipped, if any
    // (data row, column) of each missing cell, up to kMaxMissingCells; `missingCellsCapped`
    // when there were more.
    std::vector<std::pair<int32_t, int32_t>> missingCells;
    bool missingCellsCapped = false;
    static constexpr size_t kMaxMissingCells = size_t{1} << 23;
    static constexpr size_t kFirstRows = 20;
};

// A count written in a cell ("506", " 13 "): a whole number of 1 or more, else nullopt. Read
// from scikit-learn's first lines of counts.
std::optional<int64_t> exactCount(std::string_view cell);

// Whether a column's name says it holds classes (species, category, diagnosis, quality, any
// name with class, label or target in it), beyond the loader's label/labels/class/target.
bool soundsLikeClasses(const std::string& name);

// loadCsv, also filling `layout` (when not null) as soon as the columns are known, so that it
// is there even when the load throws later on (a missing value, a bad cell).
Dataset loadCsvTable(const std::string& path, const LoadOptions& options, Progress& progress,
                     CsvLayout* layout);

} // namespace clusterscope

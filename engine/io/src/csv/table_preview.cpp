// The import preview: the CSV loader's own reading of a table (csv_layout.h), laid out by
// column, with a proposed label column when the loader would take none.

#include "csv_layout.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/io/table_preview.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <exception>
#include <set>

namespace clusterscope
{

namespace
{

std::string lowered(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Proposes standardize when one column's variance swamps the others' (TablePreview).
void proposeScaling(const Dataset& data, TablePreview& out)
{
    const at::Tensor& x = data.features;
    if (!x.defined() || x.dim() != 2 || x.size(0) < 2 || x.size(1) < 2)
        return;
    const at::Tensor d = x.to(at::kDouble);
    const at::Tensor variance = at::nanmean((d - at::nanmean(d, 0, true)).pow(2), 0).contiguous();
    const double* v = variance.data_ptr<double>();
    double total = 0;
    int64_t largest = -1, smallest = -1;
    for (int64_t c = 0; c < variance.size(0); ++c)
    {
        if (!std::isfinite(v[c]) || v[c] <= 0)
            continue; // a constant column has no spread to weigh
        total += v[c];
        if (largest < 0 || v[c] > v[largest])
            largest = c;
        if (smallest < 0 || v[c] < v[smallest])
            smallest = c;
    }
    if (largest < 0 || v[largest] <= 0.5 * total || v[largest] < 100 * v[smallest])
        return;
    char why[160];
    std::snprintf(why, sizeof why, "' varies %.0f times as much as '", // standard deviations
                  std::sqrt(v[largest] / v[smallest]));
    char share[64];
    std::snprintf(share, sizeof share, "' and holds %.0f%% of the variance",
                  100 * v[largest] / total);
    out.proposedScaling = "standardize";
    out.proposedScalingWhy = "'" + data.featureNames[static_cast<size_t>(largest)] + why +
                             data.featureNames[static_cast<size_t>(smallest)] + share;
}

struct Attempt
{
    std::optional<Dataset> data;
    std::string error;
    bool missingValue = false;
};

Attempt attempt(const std::string& path, const LoadOptions& options, CsvLayout& layout)
{
    Attempt out;
    NullProgress progress;
    try
    {
        out.data = loadCsvTable(path, options, progress, &layout);
    }
    catch (const MissingValueError& e)
    {
        out.error = e.what();
        out.missingValue = true;
    }
    catch (const Error& e)
    {
        if (layout.names.empty())
            throw; // not a table these options can read at all
        out.error = e.what();
    }
    return out;
}

// The loaded dataset under a policy that accepts missing values, to say where each column went.
Attempt rolesOf(const std::string& path, const LoadOptions& options, CsvLayout& layout)
{
    Attempt tried = attempt(path, options, layout);
    // Rows with a missing label or feature dropped, else features imputed: the roles are the
    // same under every policy.
    for (auto policy : {MissingPolicy::Drop, MissingPolicy::ImputeMean})
    {
        if (!tried.missingValue || tried.data)
            break;
        LoadOptions lenient = options;
        lenient.missing = policy;
        CsvLayout again;
        tried.data = attempt(path, lenient, again).data;
    }
    return tried;
}

// Whole numbers from 0 to 999 only, as class numbers are.
bool smallClassNumbers(const CsvColumnCells& cells)
{
    return std::all_of(cells.distinct.begin(), cells.distinct.end(),
                       [](const std::string& v)
                       {
                           return !v.empty() && v.size() <= 3 &&
                                  std::all_of(v.begin(), v.end(),
                                              [](unsigned char c) { return std::isdigit(c); });
                       });
}

// Names of free text, codes and identifiers: not classes, however few their values.
bool soundsLikeText(const std::string& name)
{
    const auto key = lowered(name);
    for (const char* part : {"note", "comment", "remark", "descr", "text", "name", "code"})
        if (key.find(part) != std::string::npos)
            return true;
    return key == "id" || key.starts_with("id_") || key.ends_with("_id");
}

// The columns that may hold the classes, best first: a text column with a few distinct values,
// a column named like classes, or a headerless table's last (else first) column of class
// numbers. Named ones first, then complete ones (a missing class is rare), then the last column.
std::vector<size_t> labelCandidates(const CsvLayout& layout, const LoadOptions& options)
{
    std::vector<std::pair<int, size_t>> scored;
    const int64_t rows = layout.dataRows;
    for (size_t c = 0; c < layout.names.size(); ++c)
    {
        const auto& cells = layout.columns[c];
        const auto& name = layout.names[c];
        const bool setApart =
            std::count(options.metadataColumns.begin(), options.metadataColumns.end(), name) +
                std::count(options.ignoreColumns.begin(), options.ignoreColumns.end(), name) >
            0;
        const auto distinct = static_cast<int64_t>(cells.distinct.size());
        const bool fewValues =
            !cells.manyDistinct && distinct >= 2 && distinct <= 50 && rows >= 3 * distinct;
        const bool named = layout.header && soundsLikeClasses(name);
        const bool text = cells.text > 0 && cells.numbers == 0;
        const bool integers =
            cells.numbers > 0 && cells.integers == cells.numbers && cells.text == 0;
        const bool last = c + 1 == layout.names.size();
        const bool classNumbers = integers && !layout.header && (c == 0 || last) &&
                                  layout.names.size() > 2 && smallClassNumbers(cells);
        if (setApart || !fewValues || !(text || (integers && named) || classNumbers) ||
            (layout.header && !named && soundsLikeText(name)))
            continue;
        scored.emplace_back((named ? 4 : 0) + (cells.missing == 0 ? 2 : 0) + (last ? 1 : 0), c);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<size_t> out;
    for (const auto& [score, c] : scored)
        out.push_back(c);
    return out;
}

std::string typeOf(const CsvColumnCells& cells)
{
    if (cells.text > 0)
        return "text";
    if (cells.numbers == 0)
        return "empty";
    return cells.integers == cells.numbers ? "integers" : "numbers";
}

std::string valuesText(const CsvColumnCells& cells)
{
    const auto n = cells.distinct.size();
    return cells.manyDistinct ? "more than 100 values"
                              : std::to_string(n) + (n == 1 ? " value" : " values");
}

bool listed(const std::vector<std::string>& list, const std::string& name, size_t index)
{
    return std::any_of(list.begin(), list.end(),
                       [&](const std::string& entry)
                       { return entry == name || entry == std::to_string(index); });
}

// scikit-learn's regression tables (boston_house_prices.csv) begin with a line of two counts,
// "n_samples,n_features" (padded with empty cells), above the header: the one column past the
// n_features is the target. Its name, when `layout` (read below that line) is so; "" if not.
std::string countedTarget(const CsvLayout& layout)
{
    const auto& counts = layout.skippedRecord;
    if (counts.size() < 2 || layout.names.size() < 2)
        return {};
    const auto samples = exactCount(counts[0]);
    const auto features = exactCount(counts[1]);
    if (!samples || !features)
        return {};
    for (size_t c = 2; c < counts.size(); ++c)
        if (!counts[c].empty())
            return {};
    const bool matches =
        *samples == layout.dataRows && *features + 1 == static_cast<int64_t>(layout.names.size());
    return matches && layout.columns.back().text == 0 ? layout.names.back() : std::string();
}

} // namespace

bool soundsLikeClasses(const std::string& name)
{
    // Words of the name (variety_name, cell type, tumourKind is one word) that name classes.
    static const std::array<const char*, 15> words = {
        "species", "category", "categories", "diagnosis", "outcome", "variety",  "genre", "group",
        "cluster", "kind",     "type",       "grade",     "quality", "celltype", "y"};
    const auto key = lowered(name);
    for (const char* part : {"class", "label", "target"})
        if (key.find(part) != std::string::npos)
            return true;
    size_t start = 0;
    while (start < key.size())
    {
        const auto end = std::find_if(key.begin() + static_cast<std::ptrdiff_t>(start), key.end(),
                                      [](unsigned char c) { return !std::isalnum(c); }) -
                         key.begin();
        const auto word = key.substr(start, static_cast<size_t>(end) - start);
        // "y" only as the whole name: as a word it is more often a coordinate (y_pos).
        if (std::find(words.begin(), words.end(), word) != words.end() &&
            (word != "y" || word == key))
            return true;
        start = static_cast<size_t>(end) + 1;
    }
    return false;
}

const char* columnRoleName(ColumnRole role)
{
    switch (role)
    {
    case ColumnRole::Feature:
        return "feature";
    case ColumnRole::Label:
        return "label";
    case ColumnRole::Metadata:
        return "metadata";
    case ColumnRole::Ignore:
        return "ignore";
    }
    return "feature";
}

TablePreview previewTable(const std::string& path, const LoadOptions& options)
{
    const auto format = detectFormat(path);
    if (format != "csv" && format != "tsv")
        throw DataError(path + ": the import preview reads CSV/TSV tables, and this is " + format);
    TablePreview out;
    out.options = options;
    CsvLayout layout;
    Attempt tried;
    std::exception_ptr unreadable; // the table cannot be read from its first line at all
    try
    {
        tried = rolesOf(path, options, layout);
    }
    catch (const Error&)
    {
        if (options.skipLines != 0)
            throw;
        unreadable = std::current_exception();
    }
    // Unreadable from its first line: a line or three of notes above the table?
    for (int64_t skip = 1; skip <= 3 && options.skipLines == 0 && !tried.data; ++skip)
    {
        LoadOptions below = options;
        below.skipLines = skip;
        CsvLayout again;
        try
        {
            Attempt t = rolesOf(path, below, again);
            if (t.data && !t.data->featureNames.empty())
            {
                out.options = below;
                out.proposedSkipLines = skip;
                tried = std::move(t);
                layout = std::move(again);
            }
        }
        catch (const Error&) // not with these lines skipped either
        {
        }
    }
    if (!tried.data && unreadable)
        std::rethrow_exception(unreadable);
    // A regression target counted apart from the features: set apart, as metadata to colour by.
    if (const auto target = countedTarget(layout);
        !target.empty() && tried.data && options.labelColumn.empty() &&
        options.metadataColumns.empty() &&
        std::count(tried.data->featureNames.begin(), tried.data->featureNames.end(), target))
    {
        LoadOptions with = out.options;
        with.metadataColumns = {target};
        CsvLayout again;
        if (Attempt t = rolesOf(path, with, again); t.data)
        {
            out.proposedTarget = target;
            out.proposedTargetWhy =
                "the line above the header counts " + std::to_string(again.dataRows) +
                " samples and " + std::to_string(again.names.size() - 1) +
                " features: this column past them is scikit-learn's target, a number to colour "
                "by, kept out of the features";
            out.options = with;
            tried = std::move(t);
            layout = std::move(again);
        }
    }
    // No labels found and none asked for: propose a column, and describe the table with it.
    const bool noLabels = tried.data && !tried.data->hasLabels();
    for (size_t c : options.labelColumn.empty() && noLabels ? labelCandidates(layout, out.options)
                                                            : std::vector<size_t>{})
    {
        LoadOptions with = out.options;
        with.labelColumn = layout.names[c];
        CsvLayout again;
        Attempt proposed = rolesOf(path, with, again);
        if (!proposed.data || !proposed.data->hasLabels())
            continue; // not loadable as the labels: the next candidate
        const auto& cells = layout.columns[c];
        out.proposedLabel = with.labelColumn;
        out.proposedLabelWhy =
            (cells.text > 0 ? "text with " : "whole numbers, ") + valuesText(cells) +
            (!layout.header ? ", the table's " + std::string(c == 0 ? "first" : "last") +
                                  " column, as class numbers often are"
             : soundsLikeClasses(with.labelColumn) ? ", named like classes"
                                                   : "");
        out.options = with;
        tried = std::move(proposed);
        layout = std::move(again);
        break;
    }
    out.delimiter = std::string(1, layout.delimiter);
    out.header = layout.header;
    out.countsLine = layout.sklearnLayout;
    out.rows = layout.dataRows;
    out.firstRows = layout.firstRows;
    out.error = tried.error;
    out.missingValueError = tried.missingValue;
    if (tried.data)
    {
        out.warnings = tried.data->warnings;
        proposeScaling(*tried.data, out);
    }

    std::set<std::string> features;
    std::set<std::string> metadata;
    std::string label;
    if (tried.data)
    {
        features.insert(tried.data->featureNames.begin(), tried.data->featureNames.end());
        for (const auto& m : tried.data->metadata)
            metadata.insert(m.name);
        label = tried.data->labelColumn;
    }
    const auto& asked = out.options;
    std::vector<bool> featureColumn(layout.names.size(), false);
    for (size_t c = 0; c < layout.names.size(); ++c)
    {
        const auto& name = layout.names[c];
        const auto& cells = layout.columns[c];
        ColumnPreview column;
        column.name = name;
        column.type = typeOf(cells);
        column.missing = cells.missing;
        column.distinct = cells.manyDistinct ? -1 : static_cast<int64_t>(cells.distinct.size());
        if (!tried.data)
        {
            // The load failed before the roles were set: the types say what they would be.
            column.role = column.type == "text" ? ColumnRole::Metadata : ColumnRole::Feature;
            column.why = column.type == "text" ? "text" : "numbers";
        }
        else if (name == label)
        {
            column.role = ColumnRole::Label;
            column.why = name == out.proposedLabel ? "proposed: " + out.proposedLabelWhy
                         : !asked.labelColumn.empty()
                             ? "chosen as the labels: " + column.type + ", " + valuesText(cells)
                         : layout.sklearnLayout ? "scikit-learn's layout: the target"
                                                : "named like the labels";
        }
        else if (features.count(name))
        {
            column.role = ColumnRole::Feature;
            column.why = column.type;
        }
        else if (metadata.count(name))
        {
            column.role = ColumnRole::Metadata;
            column.why = name == out.proposedTarget ? "proposed: " + out.proposedTargetWhy
                         : column.type == "text"    ? "text, " + valuesText(cells)
                         : listed(asked.metadataColumns, name, c) ? "set apart as metadata"
                         : soundsLikeClasses(name) ? "named like the labels: kept out of the "
                                                     "features so the answer does not leak in"
                                                   : "identifies the rows (see the warnings)";
        }
        else
        {
            column.role = ColumnRole::Ignore;
            column.why = listed(asked.ignoreColumns, name, c) ? "ignored" : "empty in every row";
        }
        featureColumn[c] = column.role == ColumnRole::Feature;
        out.columns.push_back(std::move(column));
    }
    // Rows and feature columns with a missing value: what the policy applies to.
    std::set<int32_t> rowsHit;
    // A row with a missing label is dropped or refused by the policy too.
    for (const auto& [row, column] : layout.missingCells)
        if (featureColumn[static_cast<size_t>(column)] ||
            out.columns[static_cast<size_t>(column)].role == ColumnRole::Label)
            rowsHit.insert(row);
    out.rowsWithMissing = layout.missingCellsCapped ? -1 : static_cast<int64_t>(rowsHit.size());
    out.columnsWithMissing = 0;
    for (size_t c = 0; c < out.columns.size(); ++c)
        out.columnsWithMissing += featureColumn[c] && out.columns[c].missing > 0 ? 1 : 0;
    return out;
}

} // namespace clusterscope

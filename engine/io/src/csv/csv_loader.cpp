// CSV/TSV loading in two passes over a memory map: the first types the columns and finds the
// header, the second parses the values. Numeric columns become features, the others metadata.

#include "../array_values.h"
#include "../category_builder.h"
#include "../file_bytes.h"
#include "../float32_features.h"
#include "../mapped_file.h"
#include "csv_tokenizer.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

namespace clusterscope
{

namespace
{

struct ColumnSurvey
{
    bool hasText = false;      // some data cell is text
    bool hasNumber = false;    // some data cell is a number
    bool hasMalformed = false; // some data cell is shaped like a number but is not one

    void add(CellKind kind)
    {
        hasText = hasText || kind == CellKind::Text;
        hasNumber = hasNumber || kind == CellKind::Number;
        hasMalformed = hasMalformed || kind == CellKind::Malformed;
    }
    // Words make a column text (metadata or text labels). So do number-like cells when none is
    // a number (dates 2020.01.05, versions 1.2.3); beside numbers they are errors, not a reason
    // to drop the column from the features.
    bool isText() const { return hasText || (hasMalformed && !hasNumber); }
};

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Header when the first record has text where the data are numbers, or is all text.
bool looksLikeHeader(const std::vector<CellKind>& first, const std::vector<ColumnSurvey>& columns)
{
    bool allText = true;
    for (size_t c = 0; c < first.size(); ++c)
    {
        if (first[c] == CellKind::Text && !columns[c].isText())
        {
            return true;
        }
        allText = allText && (first[c] == CellKind::Text || first[c] == CellKind::Missing);
    }
    return allText;
}

int64_t resolveLabelColumn(const std::string& wanted, const std::vector<std::string>& names,
                           bool hasHeader, const std::string& path)
{
    const auto count = static_cast<int64_t>(names.size());
    if (wantsNoLabels(wanted))
    {
        return -1;
    }
    if (wanted.empty())
    {
        if (!hasHeader)
        {
            return -1;
        }
        // Only names that say "ground truth"; y, for one, is as often a coordinate.
        for (const char* guess : {"label", "labels", "class", "target"})
        {
            for (int64_t c = 0; c < count; ++c)
            {
                if (lower(names[static_cast<size_t>(c)]) == guess)
                {
                    return c;
                }
            }
        }
        return -1;
    }
    for (int64_t c = 0; c < count; ++c)
    {
        if (names[static_cast<size_t>(c)] == wanted)
        {
            return c;
        }
    }
    if (wanted == "last")
    {
        return count - 1;
    }
    int64_t index = 0;
    auto [end, ec] = std::from_chars(wanted.data(), wanted.data() + wanted.size(), index);
    if (ec == std::errc() && end == wanted.data() + wanted.size() && index < count &&
        index >= -count)
    {
        return index < 0 ? count + index : index;
    }
    std::string known;
    for (size_t c = 0; c < names.size() && c < 12; ++c)
    {
        known += (c ? ", " : "") + names[c];
    }
    throw DataError(path + ": no column '" + wanted + "' for the labels; the columns are " + known +
                    (names.size() > 12 ? ", ..." : "") +
                    " (a 0-based index, 'last', or 'none' for no labels also works)");
}

std::string cellError(const std::string& path, int64_t line, const std::string& column,
                      std::string_view cell, CellKind kind)
{
    const std::string where = path + ": line " + std::to_string(line) + ", column '" + column +
                              "': '" + std::string(cell) + "' ";
    constexpr const char* rescale =
        "; rescale the column (e.g. divide it by a power of ten) or remove the row";
    switch (kind)
    {
    case CellKind::Infinite:
        return where + "is an infinity" + rescale;
    case CellKind::Overflow:
        return where + "is beyond the range of numbers (+-1.8e308)" + rescale;
    case CellKind::Number:
        return where + "is beyond float32's range (+-3.4e38)" + rescale;
    default:
        return where + "is not a number, in a column of numbers; correct it (a '.' for the "
                       "decimal point, no thousands separators), or leave the cell empty to "
                       "mark it missing";
    }
}

// A numeric label: integers exactly (any int64), other numbers only when integral and within
// +-kMaxFloatLabel.
std::optional<int64_t> numericLabel(std::string_view cell, double value)
{
    while (!cell.empty() && cell.front() == ' ')
        cell.remove_prefix(1);
    while (!cell.empty() && cell.back() == ' ')
        cell.remove_suffix(1);
    if (!cell.empty() && cell.front() == '+')
        cell.remove_prefix(1);
    int64_t exact = 0;
    auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), exact);
    if (ec == std::errc() && end == cell.data() + cell.size())
    {
        return exact;
    }
    return integralLabel(value);
}

// Features named pixel_R_C (or pixel R C) that fill an R x C grid in row-major order are an
// image: scikit-learn's digits, exported MNIST tables. Returns the shape, or nothing.
std::optional<ImageShape> imageShapeFromNames(const std::vector<std::string>& names)
{
    int64_t rows = 0;
    int64_t cols = 0;
    std::vector<std::pair<int64_t, int64_t>> cells;
    for (const auto& name : names)
    {
        int r = 0;
        int c = 0;
        char sep1 = 0;
        char sep2 = 0;
        char tail = 0;
        if (std::sscanf(name.c_str(), "pixel%c%d%c%d%c", &sep1, &r, &sep2, &c, &tail) != 4 ||
            (sep1 != '_' && sep1 != ' ') || sep2 != sep1 || r < 0 || c < 0)
        {
            return std::nullopt;
        }
        cells.emplace_back(r, c);
        rows = std::max<int64_t>(rows, r + 1);
        cols = std::max<int64_t>(cols, c + 1);
    }
    if (cells.empty() || rows * cols != static_cast<int64_t>(cells.size()))
    {
        return std::nullopt;
    }
    for (size_t i = 0; i < cells.size(); ++i)
    {
        if (cells[i].first * cols + cells[i].second != static_cast<int64_t>(i))
        {
            return std::nullopt;
        }
    }
    return ImageShape{rows, cols, 1};
}

std::string trimmed(std::string_view s)
{
    while (!s.empty() && s.front() == ' ')
    {
        s.remove_prefix(1);
    }
    while (!s.empty() && s.back() == ' ')
    {
        s.remove_suffix(1);
    }
    return std::string(s);
}

} // namespace

Dataset loadCsv(const std::string& path, const LoadOptions& options, Progress& progress)
{
    // Plain files are parsed straight from a memory map; .gz files from their inflated bytes.
    std::optional<MappedFile> mapped;
    std::vector<unsigned char> inflated;
    std::string_view text;
    if (isGzipFile(path))
    {
        inflated = readFileBytes(path);
        text = std::string_view(reinterpret_cast<const char*>(inflated.data()), inflated.size());
    }
    else
    {
        mapped.emplace(path);
        text = mapped->view();
    }
    const double bytes = std::max<double>(1.0, static_cast<double>(text.size()));
    const char delimiter = guessDelimiter(text, path);

    // Pass 1: count the records, check they all have the same width, type each column.
    CsvTokenizer pass1(text, delimiter, path, kMaxCsvColumns);
    std::vector<std::string_view> fields;
    if (!pass1.next(fields))
    {
        throw DataError(path + ": the file is empty; expected a table with one row per sample");
    }
    const size_t width = fields.size();
    std::vector<std::string> firstRecord(fields.begin(), fields.end());
    std::vector<CellKind> firstKinds;
    double value = 0;
    for (auto f : fields)
    {
        firstKinds.push_back(classifyCell(f, value));
    }
    std::vector<ColumnSurvey> survey(width);
    int64_t records = 1;
    while (pass1.next(fields))
    {
        if (fields.size() != width)
        {
            throw DataError(path + ": line " + std::to_string(pass1.recordLine()) + " has " +
                            std::to_string(fields.size()) + " fields; expected " +
                            std::to_string(width) + " like the first line");
        }
        for (size_t c = 0; c < width; ++c)
        {
            survey[c].add(classifyCell(fields[c], value));
        }
        if (++records % 65536 == 0)
        {
            throwIfCancelled(progress);
            progress.report(0.5 * static_cast<double>(pass1.position()) / bytes, "reading " + path);
        }
    }
    const bool header = looksLikeHeader(firstKinds, survey);
    if (!header)
    {
        for (size_t c = 0; c < width; ++c) // the first record is data too
        {
            survey[c].add(firstKinds[c]);
        }
    }
    const int64_t dataRows = records - (header ? 1 : 0);
    if (dataRows == 0)
    {
        throw DataError(path + ": the file has a header but no data rows");
    }
    std::vector<std::string> names(width);
    for (size_t c = 0; c < width; ++c)
    {
        names[c] = header ? trimmed(firstRecord[c]) : "column " + std::to_string(c);
        if (names[c].empty())
        {
            names[c] = "column " + std::to_string(c);
        }
    }
    const int64_t labelColumn = resolveLabelColumn(options.labelColumn, names, header, path);

    // Plan the columns.
    std::vector<size_t> featureColumns;
    std::vector<size_t> metaColumns;
    for (size_t c = 0; c < width; ++c)
    {
        if (static_cast<int64_t>(c) == labelColumn)
        {
            continue;
        }
        (survey[c].isText() ? metaColumns : featureColumns).push_back(c);
    }
    if (featureColumns.empty())
    {
        throw DataError(path + ": no numeric column to use as features (" + std::to_string(width) +
                        " columns, all text or labels)");
    }
    const bool textLabels = labelColumn >= 0 && survey[static_cast<size_t>(labelColumn)].isText();

    // Pass 2: parse the values of the kept rows.
    const size_t nf = featureColumns.size();
    std::vector<double> values; // float64 until toFloat32Features has seen each column
    values.reserve(static_cast<size_t>(dataRows) * nf);
    std::vector<int64_t> numericLabels;
    CategoryBuilder labelText;
    std::vector<CategoryBuilder> meta(metaColumns.size());
    std::vector<double> row(nf);
    CsvTokenizer pass2(text, delimiter, path, kMaxCsvColumns);
    if (header)
    {
        pass2.next(fields);
    }
    int64_t seen = 0;
    while (pass2.next(fields))
    {
        bool missingFeature = false;
        for (size_t j = 0; j < nf; ++j)
        {
            const size_t c = featureColumns[j];
            const CellKind kind = classifyCell(fields[c], value);
            if (kind != CellKind::Missing &&
                (kind != CellKind::Number || !std::isfinite(static_cast<float>(value))))
            {
                throw DataError(
                    cellError(path, pass2.recordLine(), names[c], trimmed(fields[c]), kind));
            }
            if (kind == CellKind::Missing)
            {
                if (options.missing == MissingPolicy::Error)
                {
                    throw DataError(path + ": line " + std::to_string(pass2.recordLine()) +
                                    ", column '" + names[c] + "': missing value '" +
                                    trimmed(fields[c]) +
                                    "'; choose --missing drop or --missing impute-mean");
                }
                missingFeature = true;
            }
            row[j] = value;
        }
        std::string labelCell;
        int64_t numeric = 0;
        if (labelColumn >= 0)
        {
            const auto cell = fields[static_cast<size_t>(labelColumn)];
            const CellKind kind = classifyCell(cell, value);
            if (kind == CellKind::Missing)
            {
                if (options.missing != MissingPolicy::Drop)
                {
                    throw DataError(path + ": line " + std::to_string(pass2.recordLine()) +
                                    ", label column '" + names[static_cast<size_t>(labelColumn)] +
                                    "': the label is missing; use --missing drop to skip such "
                                    "rows");
                }
                continue;
            }
            if (!textLabels)
            {
                const auto label =
                    kind == CellKind::Number ? numericLabel(cell, value) : std::nullopt;
                if (!label)
                {
                    throw DataError(path + ": line " + std::to_string(pass2.recordLine()) +
                                    ", label column '" + names[static_cast<size_t>(labelColumn)] +
                                    "': '" + trimmed(cell) +
                                    "' is not an integer class label; name the right column with "
                                    "--label-column, or load no labels with --label-column none");
                }
                numeric = *label;
            }
            labelCell = trimmed(cell);
        }
        if (missingFeature && options.missing == MissingPolicy::Drop)
        {
            continue;
        }
        values.insert(values.end(), row.begin(), row.end());
        if (labelColumn >= 0)
        {
            if (textLabels)
            {
                labelText.raw.push_back(labelCell);
            }
            else
            {
                numericLabels.push_back(numeric);
            }
        }
        for (size_t m = 0; m < metaColumns.size(); ++m)
        {
            double ignored = 0;
            const auto cell = fields[metaColumns[m]];
            meta[m].raw.push_back(classifyCell(cell, ignored) == CellKind::Missing ? std::string()
                                                                                   : trimmed(cell));
        }
        if (++seen % 65536 == 0)
        {
            throwIfCancelled(progress);
            progress.report(0.5 + 0.5 * static_cast<double>(pass2.position()) / bytes,
                            "parsing " + path);
        }
    }
    const auto kept = static_cast<int64_t>(values.size() / nf);
    if (kept == 0)
    {
        throw DataError(path + ": every row has a missing value, so none is left after dropping");
    }

    Dataset out;
    out.source = path;
    out.format = delimiter == '\t' ? "tsv" : "csv";
    for (size_t c : featureColumns)
    {
        out.featureNames.push_back(names[c]);
    }
    out.features = toFloat32Features(
        at::from_blob(values.data(), {kept, static_cast<int64_t>(nf)}, at::kDouble), path,
        out.featureNames, out.featureOffsets);
    values = {};
    out.imageShape = imageShapeFromNames(out.featureNames);
    if (options.missing == MissingPolicy::ImputeMean)
    {
        auto nan = at::isnan(out.features);
        auto means = at::nanmean(out.features, 0, true);
        out.features = at::where(nan, means.expand_as(out.features), out.features);
        if (at::isnan(out.features).any().item<bool>())
        {
            throw DataError(path + ": a feature column has no values at all, so its mean "
                                   "cannot be imputed");
        }
    }
    if (labelColumn >= 0)
    {
        out.labelColumn = names[static_cast<size_t>(labelColumn)];
        if (textLabels)
        {
            std::vector<int32_t> codes;
            labelText.finish(codes, out.labelNames);
            out.labels.assign(codes.begin(), codes.end());
        }
        else
        {
            out.labels = std::move(numericLabels);
        }
    }
    for (size_t m = 0; m < metaColumns.size(); ++m)
    {
        MetadataColumn column;
        column.name = names[metaColumns[m]];
        meta[m].finish(column.codes, column.categories);
        out.metadata.push_back(std::move(column));
    }
    progress.report(1.0, "loaded " + path);
    return out;
}

} // namespace clusterscope

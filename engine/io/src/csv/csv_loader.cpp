// CSV/TSV loading in two passes over a memory map: the first types the columns and finds the
// header, the second parses the values. Numeric columns become features, the others metadata.

#include "../category_builder.h"
#include "../file_bytes.h"
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
    bool hasText = false;   // some data cell is text
    bool hasNumber = false; // some data cell is a number
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
        if (first[c] == CellKind::Text && !columns[c].hasText)
        {
            return true;
        }
        allText = allText && first[c] != CellKind::Number;
    }
    return allText;
}

int64_t resolveLabelColumn(const std::string& wanted, const std::vector<std::string>& names,
                           bool hasHeader, const std::string& path)
{
    const auto count = static_cast<int64_t>(names.size());
    if (wanted.empty())
    {
        if (!hasHeader)
        {
            return -1;
        }
        for (const char* guess : {"label", "labels", "class", "target", "y"})
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
                    (names.size() > 12 ? ", ..." : "") + " (a 0-based index or 'last' also works)");
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
    CsvTokenizer pass1(text, delimiter, path);
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
            switch (classifyCell(fields[c], value))
            {
            case CellKind::Text:
                survey[c].hasText = true;
                break;
            case CellKind::Number:
                survey[c].hasNumber = true;
                break;
            case CellKind::Missing:
                break;
            }
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
            survey[c].hasText = survey[c].hasText || firstKinds[c] == CellKind::Text;
            survey[c].hasNumber = survey[c].hasNumber || firstKinds[c] == CellKind::Number;
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
        (survey[c].hasText ? metaColumns : featureColumns).push_back(c);
    }
    if (featureColumns.empty())
    {
        throw DataError(path + ": no numeric column to use as features (" + std::to_string(width) +
                        " columns, all text or labels)");
    }
    const bool textLabels = labelColumn >= 0 && survey[static_cast<size_t>(labelColumn)].hasText;

    // Pass 2: parse the values of the kept rows.
    const size_t nf = featureColumns.size();
    std::vector<float> values;
    values.reserve(static_cast<size_t>(dataRows) * nf);
    std::vector<int64_t> numericLabels;
    CategoryBuilder labelText;
    std::vector<CategoryBuilder> meta(metaColumns.size());
    std::vector<float> row(nf);
    CsvTokenizer pass2(text, delimiter, path);
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
            if (classifyCell(fields[c], value) == CellKind::Missing)
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
            row[j] = static_cast<float>(value);
        }
        std::string labelCell;
        if (labelColumn >= 0)
        {
            const auto cell = fields[static_cast<size_t>(labelColumn)];
            if (classifyCell(cell, value) == CellKind::Missing)
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
            if (!textLabels && value != std::floor(value))
            {
                throw DataError(path + ": line " + std::to_string(pass2.recordLine()) +
                                ", label column '" + names[static_cast<size_t>(labelColumn)] +
                                "': '" + trimmed(cell) + "' is not an integer class label");
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
                numericLabels.push_back(static_cast<int64_t>(value));
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
    out.features =
        at::from_blob(values.data(), {kept, static_cast<int64_t>(nf)}, at::kFloat).clone();
    for (size_t c : featureColumns)
    {
        out.featureNames.push_back(names[c]);
    }
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

// CSV/TSV loading in two passes over a memory map: the first types the columns and finds the
// header, the second parses the values. Numeric columns become features, the others metadata.

#include "../array_values.h"
#include "../category_builder.h"
#include "../file_bytes.h"
#include "../float32_features.h"
#include "../mapped_file.h"
#include "../row_identifiers.h"
#include "csv_layout.h"
#include "csv_tokenizer.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

namespace clusterscope
{

namespace
{

// One number with a unit or a sign around it: 1.1kg, $0.24, (0.24), 12.3%, -0.5 mg. The text
// before the number holds no letter or digit (at most 3 characters: $, (, ≈), the text after
// it no digit; "A7", "cell12" and "2020-01-05" are not.
bool isDecoratedNumber(std::string_view cell)
{
    while (!cell.empty() && cell.front() == ' ')
        cell.remove_prefix(1);
    const auto first =
        std::find_if(cell.begin(), cell.end(), [](unsigned char c) { return std::isdigit(c); });
    if (first == cell.end())
        return false;
    auto start = static_cast<size_t>(first - cell.begin());
    while (start > 0 &&
           (cell[start - 1] == '-' || cell[start - 1] == '+' || cell[start - 1] == '.'))
        --start;
    const auto prefix = cell.substr(0, start);
    if (prefix.size() > 3 ||
        std::any_of(prefix.begin(), prefix.end(), [](unsigned char c) { return std::isalnum(c); }))
        return false;
    double value = 0;
    const auto [end, ec] = std::from_chars(cell.data() + start + (cell[start] == '+' ? 1 : 0),
                                           cell.data() + cell.size(), value);
    if (ec != std::errc())
        return false;
    const std::string_view suffix(end, static_cast<size_t>(cell.data() + cell.size() - end));
    return std::none_of(suffix.begin(), suffix.end(),
                        [](unsigned char c) { return std::isdigit(c); });
}

struct ColumnSurvey
{
    bool hasText = false;      // some data cell is text
    bool hasNumber = false;    // some data cell is a number
    bool hasMalformed = false; // some data cell is shaped like a number but is not one
    int64_t numbers = 0;       // cells that are numbers (infinities included)
    int64_t dotted = 0;        // numbers written with a '.'
    int64_t commaNumbers = 0;  // cells like 2,041: numbers with a decimal comma
    int64_t notNumbers = 0;    // text or malformed cells, other than commaNumbers
    int64_t wordy = 0;         // of those, cells with a letter (n.d., 1.1kg, ann, ∞)
    int64_t decorated = 0;     // of those, one number with a unit or sign (1.1kg, $5, (3), 2%)
    std::string example;       // the first cell that is not a number
    int64_t exampleLine = 0;

    void add(std::string_view cell, CellKind kind, int64_t line, bool commaPossible)
    {
        if (kind == CellKind::Malformed && commaPossible && isDecimalCommaNumber(cell))
        {
            ++commaNumbers;
            return;
        }
        hasText = hasText || kind == CellKind::Text;
        hasNumber = hasNumber || kind == CellKind::Number;
        hasMalformed = hasMalformed || kind == CellKind::Malformed;
        if (kind == CellKind::Number || kind == CellKind::Infinite || kind == CellKind::Overflow)
        {
            ++numbers;
            dotted += cell.find('.') != std::string_view::npos ? 1 : 0;
        }
        if (kind == CellKind::Text || kind == CellKind::Malformed)
        {
            const bool letter =
                std::any_of(cell.begin(), cell.end(),
                            [](unsigned char c) { return std::isalpha(c) || c >= 0x80; });
            wordy += letter ? 1 : 0;
            decorated += isDecoratedNumber(cell) ? 1 : 0;
            if (notNumbers++ == 0)
            {
                example = std::string(cell);
                exampleLine = line;
            }
        }
    }
    // Every value a number, some written with a decimal comma and none with a '.': 2,041 is
    // 2.041 (pandas' decimal=','). Only offered when ',' is not the delimiter.
    bool decimalComma() const { return commaNumbers > 0 && notNumbers == 0 && dotted == 0; }
    // Words make a column text (metadata or text labels). So do number-like cells when none is
    // a number (dates 2020.01.05, versions 1.2.3); beside numbers they are errors, not a reason
    // to drop the column from the features.
    bool isText() const
    {
        return !decimalComma() &&
               (hasText || (hasMalformed && !hasNumber) || (commaNumbers > 0 && !hasNumber));
    }
    // Most values look like numbers, so a person likely meant the column as a feature.
    bool looksNumeric() const
    {
        return 2 * (numbers + commaNumbers) > numbers + commaNumbers + notNumbers;
    }
    // A numeric column with bad cells, not text: most values are numbers, or some are and no
    // other cell has a letter (-, <0.01, 12.3%, 5,030 beside numbers are damaged numbers).
    bool numericWithBadCells() const
    {
        return isText() && (looksNumeric() || (numbers + commaNumbers > 0 && wordy == 0));
    }
};

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// The names that say "ground truth" when no label column is named.
constexpr std::array<const char*, 4> kLabelNames{"label", "labels", "class", "target"};

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
        for (const char* guess : kLabelNames)
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

// Columns other than `labelColumn` whose names say "ground truth" too (class and target):
// clustering on them would leak the answer into the features.
std::vector<size_t> otherLabelLikeColumns(const std::vector<std::string>& names,
                                          int64_t labelColumn)
{
    std::vector<size_t> found;
    for (size_t c = 0; c < names.size(); ++c)
    {
        // A repeated name renamed with pandas' suffix (label.1) is still a label's name.
        auto name = lower(names[c]);
        if (const auto dot = name.rfind('.');
            dot != std::string::npos && dot + 1 < name.size() &&
            std::all_of(name.begin() + static_cast<std::ptrdiff_t>(dot) + 1, name.end(),
                        [](unsigned char ch) { return std::isdigit(ch); }))
            name.resize(dot);
        if (static_cast<int64_t>(c) != labelColumn &&
            std::find(kLabelNames.begin(), kLabelNames.end(), name) != kLabelNames.end())
        {
            found.push_back(c);
        }
    }
    return found;
}

bool validUtf8(std::string_view s)
{
    size_t i = 0;
    while (i < s.size())
    {
        const auto c = static_cast<unsigned char>(s[i]);
        const size_t len = c < 0x80           ? 1
                           : (c >> 5) == 0x6  ? 2
                           : (c >> 4) == 0xE  ? 3
                           : (c >> 3) == 0x1E ? 4
                                              : 0;
        if (len == 0)
            return false;
        for (size_t k = 1; k < len; ++k)
        {
            if (i + k >= s.size())
                return true; // cut at the sample's end
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2)
                return false;
        }
        i += len;
    }
    return true;
}

// A CSV/TSV is text. Control bytes (NUL and the like) never occur in one, and neither do mostly
// high bytes that are not UTF-8; a file with them is some binary format that reached this reader
// by its name. (Text in Latin-1, a few high bytes that are not UTF-8, is fine.)
void refuseBinary(std::string_view text, const std::string& path)
{
    // UTF-16 (Excel's "Unicode text", PowerShell's default): its byte order mark says so.
    if (text.starts_with(std::string_view("\xff\xfe\0\0", 4)) ||
        text.starts_with(std::string_view("\0\0\xfe\xff", 4)))
        throw DataError(path + ": the file is UTF-32 text; save it as UTF-8 (iconv -f UTF-32 -t "
                               "UTF-8 converts it)");
    if (text.starts_with("\xff\xfe") || text.starts_with("\xfe\xff"))
        throw DataError(path + ": the file is UTF-16 text; save it as UTF-8 (in Excel: CSV "
                               "UTF-8; iconv -f UTF-16 -t UTF-8 converts it)");
    int64_t line = 1;
    for (size_t i = 0; i < text.size(); ++i)
    {
        const auto c = static_cast<unsigned char>(text[i]);
        line += c == '\n' ? 1 : 0;
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v')
        {
            char code[8];
            std::snprintf(code, sizeof code, "0x%02X", c);
            throw DataError(path + ": this does not look like a text table: byte " +
                            std::to_string(i) + " (line " + std::to_string(line) + ") is " + code +
                            ", a control character no CSV/TSV holds. The formats read " +
                            "are CSV/TSV text, NumPy .npy/.npz and IDX (*-idx3-ubyte); name the " +
                            "file by its format, or export it as CSV");
        }
    }
    const auto sample = text.substr(0, size_t{64} << 10);
    const auto high =
        std::count_if(sample.begin(), sample.end(), [](char c) { return (c & 0x80) != 0; });
    if (4 * static_cast<size_t>(high) > sample.size() && !validUtf8(sample))
    {
        throw DataError(path + ": this does not look like a text table: " +
                        std::to_string(100 * high / static_cast<int64_t>(sample.size())) +
                        "% of its first bytes are neither ASCII nor UTF-8. The formats read are "
                        "CSV/TSV text, NumPy .npy/.npz and IDX (*-idx3-ubyte); name the file by "
                        "its format, or export it as CSV");
    }
}

std::string cellError(const std::string& path, int64_t line, const std::string& column,
                      std::string_view cell, CellKind kind, bool commaPossible)
{
    const std::string where = path + ": line " + std::to_string(line) + ", column '" + column +
                              "': '" + std::string(cell) + "' ";
    constexpr const char* rescale =
        "; rescale the column (e.g. divide it by a power of ten) or remove the row";
    switch (kind)
    {
    case CellKind::Infinite:
        return where + "is an infinity, which no feature can hold; choose --missing drop or "
                       "--missing impute-mean to treat infinities as missing values, or replace "
                       "the cell";
    case CellKind::Overflow:
        return where + "is beyond the range of numbers (+-1.8e308)" + rescale;
    case CellKind::Number:
        return where + "is beyond float32's range (+-3.4e38)" + rescale;
    default:
        if (commaPossible && isDecimalCommaNumber(cell))
        {
            return where + "has a decimal comma in a column where other numbers have a '.'; " +
                   "write every number of the column with the same decimal mark";
        }
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

// 5,030 or 1,234,567.5: a number written with ',' between groups of three digits.
bool hasThousandsSeparators(std::string_view s)
{
    if (!s.empty() && (s.front() == '-' || s.front() == '+'))
        s.remove_prefix(1);
    const auto dot = s.find('.');
    const auto whole = s.substr(0, dot);
    const auto digits = [](std::string_view t)
    {
        return !t.empty() &&
               std::all_of(t.begin(), t.end(), [](unsigned char c) { return std::isdigit(c); });
    };
    if (dot != std::string_view::npos && !digits(s.substr(dot + 1)))
        return false;
    const auto first = whole.find(',');
    if (first == std::string_view::npos || first == 0 || first > 3)
        return false;
    for (size_t at = first; at < whole.size(); at += 4)
        if (whole[at] != ',' || !digits(whole.substr(at + 1, 3)) ||
            whole.substr(at + 1, 3).size() != 3)
            return false;
    return digits(whole.substr(0, first));
}

// A column name as a shell word, for advice such as --id-column NAME: quoted when it has
// characters a shell would split or expand.
std::string commandLineWord(const std::string& name)
{
    const bool plain = !name.empty() &&
                       std::all_of(name.begin(), name.end(),
                                   [](unsigned char c)
                                   { return std::isalnum(c) || c == '_' || c == '-' || c == '.'; });
    if (plain)
    {
        return name;
    }
    std::string quoted = "'";
    for (char c : name)
    {
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return quoted + "'";
}

// Without the blanks around it (trimBlanks: spaces, tabs, no-break spaces, ...).
std::string trimmed(std::string_view s)
{
    return std::string(trimBlanks(s));
}

// A column whose values are a few distinct small non-negative integers, as class labels are:
// tracked for the first and last columns of a table without a header.
struct ClassLikeSurvey
{
    static constexpr size_t kMostClasses = 30;
    static constexpr double kLargestClass = 1000;
    bool ok = true;
    std::set<int64_t> classes;

    void add(CellKind kind, double value)
    {
        ok = ok && kind == CellKind::Number && isExactInteger(value) && value >= 0 &&
             value < kLargestClass;
        if (ok)
        {
            classes.insert(static_cast<int64_t>(value));
            ok = classes.size() <= kMostClasses;
        }
    }
    // At least two classes, and on average three rows or more per class.
    bool looksLikeLabels(int64_t rows) const
    {
        return ok && classes.size() >= 2 && static_cast<int64_t>(classes.size()) * 3 <= rows;
    }
};

// scikit-learn's bundled CSVs (iris.csv, wine_data.csv, breast_cancer.csv) begin with
// "n_samples,n_features,class names...", and their rows hold the features, then the integer
// target; sklearn.datasets.load_csv_data reads them so.
struct SklearnHeader
{
    int64_t samples = 0;
    int64_t features = 0;
    std::vector<std::string> classNames;
};

// The header, when the first record has that form and the rest of the file matches it: as many
// records as n_samples, each n_features + 1 wide. Only such first records cost the extra pass.
std::optional<SklearnHeader> sklearnHeader(const std::vector<std::string>& first,
                                           std::string_view text, int64_t skipLines, char delimiter,
                                           const std::string& path)
{
    if (first.size() < 2)
        return std::nullopt;
    const auto samples = exactCount(first[0]);
    const auto features = exactCount(first[1]);
    if (!samples || !features || *features >= static_cast<int64_t>(kMaxCsvColumns))
        return std::nullopt;
    SklearnHeader h{*samples, *features, {}};
    double value = 0;
    for (size_t c = 2; c < first.size(); ++c)
    {
        if (classifyCell(first[c], value) != CellKind::Text)
            return std::nullopt; // class names are words: "5,3,7" is a row of data
        h.classNames.push_back(trimmed(first[c]));
    }
    const auto width = static_cast<size_t>(h.features) + 1;
    if (h.classNames.empty() && width == first.size())
        return std::nullopt; // "150,1" atop two columns of numbers is data
    CsvTokenizer records(text, delimiter, path, kMaxCsvColumns);
    std::vector<std::string_view> fields;
    records.skipLines(skipLines);
    records.next(fields);
    int64_t count = 0;
    while (records.next(fields))
    {
        if (fields.size() != width || ++count > h.samples)
            return std::nullopt;
    }
    return count == h.samples ? std::optional<SklearnHeader>(h) : std::nullopt;
}

// The lines above a table under a title or notes: the fewest (1 to 5, beyond the `skipped`
// ones) below which the next eight records agree in width, two columns or more (or all the
// rest, three or more, do); 0 when none.
int64_t tableStartsBelow(std::string_view text, char delimiter, const std::string& path,
                         int64_t skipped)
{
    for (int64_t lines = skipped + 1; lines <= skipped + 5; ++lines)
    {
        try
        {
            CsvTokenizer rows(text, delimiter, path, kMaxCsvColumns);
            std::vector<std::string_view> fields;
            if (!rows.skipLines(lines) || !rows.next(fields) || fields.size() < 2)
                continue;
            const size_t width = fields.size();
            int agreeing = 1;
            bool more = true;
            while (agreeing < 8 && (more = rows.next(fields)) && fields.size() == width)
                ++agreeing;
            if (agreeing == 8 || (!more && agreeing >= 3))
                return lines;
        }
        catch (const Error&) // an unclosed quote from this line on: not the table's start
        {
        }
    }
    return 0;
}

// Where `text` goes on after its first `lines` lines (its end when it has fewer).
size_t offsetAfterLines(std::string_view text, int64_t lines)
{
    size_t pos = 0;
    for (; lines > 0 && pos < text.size(); --lines)
    {
        const size_t end = text.find('\n', pos);
        pos = end == std::string_view::npos ? text.size() : end + 1;
    }
    return pos;
}

// The columns `wanted` names (names, 0-based indices or "last"), for `option`.
std::vector<size_t> resolveColumns(const std::vector<std::string>& wanted,
                                   const std::vector<std::string>& names, const std::string& option,
                                   const std::string& path)
{
    std::vector<size_t> out;
    for (const auto& w : wanted)
    {
        if (trimmed(w).empty())
            continue;
        const auto choice = resolveIdColumn(trimmed(w), names, path, option);
        if (choice.column >= 0)
            out.push_back(static_cast<size_t>(choice.column));
    }
    return out;
}

bool contains(const std::vector<size_t>& list, size_t c)
{
    return std::find(list.begin(), list.end(), c) != list.end();
}

void noteMissing(std::optional<std::vector<std::pair<int32_t, int32_t>>>& cells, int64_t record,
                 size_t column)
{
    if (!cells)
        return;
    if (cells->size() >= CsvLayout::kMaxMissingCells || record > INT32_MAX)
    {
        cells.reset();
        return;
    }
    cells->emplace_back(static_cast<int32_t>(record), static_cast<int32_t>(column));
}

void countCell(CsvColumnCells& column, std::string_view cell, CellKind kind, double value)
{
    if (kind == CellKind::Missing)
    {
        ++column.missing;
        return;
    }
    const bool number =
        kind == CellKind::Number || kind == CellKind::Infinite || kind == CellKind::Overflow;
    if (number)
    {
        ++column.numbers;
        column.integers += kind == CellKind::Number && value == std::floor(value) ? 1 : 0;
    }
    else
    {
        ++column.text;
    }
    if (column.manyDistinct)
        return;
    auto key = trimmed(cell);
    if (number && kind == CellKind::Number) // 1, 1.0 and 01 are one value
    {
        char buffer[32];
        const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
        key.assign(buffer, ec == std::errc() ? end : buffer);
    }
    column.distinct.insert(std::move(key));
    if (column.distinct.size() > CsvColumnCells::kDistinctLimit)
    {
        column.distinct.clear();
        column.manyDistinct = true;
    }
}

} // namespace

std::optional<int64_t> exactCount(std::string_view cell)
{
    const auto text = trimmed(cell);
    int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < 1)
        return std::nullopt;
    return n;
}

Dataset loadCsv(const std::string& path, const LoadOptions& options, Progress& progress)
{
    return loadCsvTable(path, options, progress, nullptr);
}

Dataset loadCsvTable(const std::string& path, const LoadOptions& options, Progress& progress,
                     CsvLayout* layout)
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
    refuseBinary(text, path);
    if (options.skipLines < 0)
    {
        throw ParameterError("--skip-lines " + std::to_string(options.skipLines) +
                             " is negative; give the number of lines before the table (0: none)");
    }
    const double bytes = std::max<double>(1.0, static_cast<double>(text.size()));
    // The delimiter is guessed from the table, not from a title line above it.
    const char delimiter =
        guessDelimiter(text.substr(offsetAfterLines(text, options.skipLines)), path);
    const bool commaPossible = delimiter != ','; // 2,041 can be one cell, a decimal comma

    // Pass 1: count the records, check they all have the same width, type each column.
    CsvTokenizer pass1(text, delimiter, path, kMaxCsvColumns);
    std::vector<std::string_view> fields;
    if (!pass1.skipLines(options.skipLines) || !pass1.next(fields))
    {
        if (options.skipLines > 0)
            throw DataError(path + ": nothing is left after skipping the first " +
                            std::to_string(options.skipLines) +
                            " lines (--skip-lines); give fewer lines to skip");
        throw DataError(path + ": the file is empty; expected a table with one row per sample");
    }
    const size_t firstWidth = fields.size();
    std::vector<std::string> firstRecord(fields.begin(), fields.end());
    const int64_t firstLine = pass1.recordLine();
    std::vector<CellKind> firstKinds;
    double value = 0;
    for (auto f : fields)
    {
        firstKinds.push_back(classifyCell(f, value));
    }
    const auto sklearn = sklearnHeader(firstRecord, text, options.skipLines, delimiter, path);
    const size_t width = sklearn ? static_cast<size_t>(sklearn->features) + 1 : firstWidth;
    std::vector<ColumnSurvey> survey(width);
    std::vector<RowNumberRun> runs(width);
    // The values of columns whose first cell names an identifier, to see whether they are
    // distinct; and the class-like survey of the first and last columns.
    std::vector<std::optional<std::vector<double>>> idValues(width);
    for (size_t c = 0; c < width && !sklearn; ++c)
    {
        if (isIdentifierName(firstRecord[c]))
        {
            idValues[c].emplace();
        }
    }
    std::array<ClassLikeSurvey, 2> classLike; // first and last column
    // Columns whose first cell names classes (quality, grade, species): class numbers there
    // are clustered as features unless said aloud (below).
    std::vector<std::optional<ClassLikeSurvey>> namedClasses(width);
    for (size_t c = 0; c < width && c < firstRecord.size() && !sklearn; ++c)
    {
        if (soundsLikeClasses(trimmed(firstRecord[c])))
        {
            namedClasses[c].emplace();
        }
    }
    std::vector<CsvColumnCells> cells(layout ? width : 0);
    std::vector<std::vector<std::string>> firstRows;
    // Missing cells by (record, column), record 0 the first; made data rows once the header is
    // known. std::nullopt past the cap.
    std::optional<std::vector<std::pair<int32_t, int32_t>>> missingCells;
    if (layout)
        missingCells.emplace();
    int64_t records = 1;
    while (pass1.next(fields))
    {
        if (fields.size() != width)
        {
            // '#' starts a comment in many tools' exports, but CSV has no comments. A
            // narrower first line, soon after which the rows agree, is most likely a title or a
            // note above the table.
            const bool comment = !firstRecord.empty() && trimmed(firstRecord[0]).starts_with('#');
            const int64_t table = tableStartsBelow(text, delimiter, path, options.skipLines);
            const std::string skip = "--skip-lines " + std::to_string(table);
            throw DataError(
                path + ": line " + std::to_string(pass1.recordLine()) + " has " +
                std::to_string(fields.size()) + " fields; expected " + std::to_string(width) +
                " like the first line" +
                (comment ? " (the first line starts with '#', but CSV has no comments: remove "
                           "such lines" +
                               (table > 0 ? ", or skip them with " + skip : std::string()) + ")"
                 : table > 0 ? "; the rows agree from line " + std::to_string(table + 1) +
                                   " on: if the lines above it are a title or notes, " + skip +
                                   " skips them"
                             : ""));
        }
        for (size_t c = 0; c < width; ++c)
        {
            const auto kind = classifyCell(fields[c], value);
            survey[c].add(fields[c], kind, pass1.recordLine(), commaPossible);
            runs[c].add(value, kind == CellKind::Number);
            if (idValues[c])
            {
                idValues[c]->push_back(kind == CellKind::Number ? value : std::nan(""));
            }
            if (c == 0 || c + 1 == width)
            {
                classLike[c == 0 ? 0 : 1].add(kind, value);
            }
            if (namedClasses[c])
            {
                namedClasses[c]->add(kind, value);
            }
            if (layout)
            {
                countCell(cells[c], fields[c], kind, value);
                if (kind == CellKind::Missing)
                    noteMissing(missingCells, records, c); // records: this one's 0-based index
            }
        }
        if (layout && firstRows.size() <= CsvLayout::kFirstRows)
        {
            firstRows.emplace_back(fields.begin(), fields.end());
        }
        if (++records % 65536 == 0)
        {
            throwIfCancelled(progress);
            progress.report(0.5 * static_cast<double>(pass1.position()) / bytes, "reading " + path);
        }
    }
    const bool header = sklearn || looksLikeHeader(firstKinds, survey);
    if (!header)
    {
        for (size_t c = 0; c < width; ++c) // the first record is data too
        {
            survey[c].add(firstRecord[c], firstKinds[c], firstLine, commaPossible);
            classifyCell(firstRecord[c], value);
            runs[c].prepend(value, firstKinds[c] == CellKind::Number);
            if (c == 0 || c + 1 == width)
            {
                classLike[c == 0 ? 0 : 1].add(firstKinds[c], value);
            }
            if (layout)
            {
                countCell(cells[c], firstRecord[c], firstKinds[c], value);
                if (firstKinds[c] == CellKind::Missing)
                    noteMissing(missingCells, 0, c);
            }
        }
        firstRows.insert(firstRows.begin(), firstRecord);
    }
    const int64_t dataRows = records - (header ? 1 : 0);
    if (dataRows == 0)
    {
        throw DataError(path + ": the file has a header but no data rows");
    }
    std::vector<std::string> names(width);
    for (size_t c = 0; c < width; ++c)
    {
        names[c] = header && !sklearn ? trimmed(firstRecord[c]) : "column " + std::to_string(c);
        if (names[c].empty())
        {
            names[c] = "column " + std::to_string(c);
        }
    }
    if (sklearn)
    {
        names.back() = "target"; // scikit-learn's name for it; guessed as the labels below
    }
    // A repeated name gets pandas' suffix (a, a.1, a.2) so that every column can be named.
    std::vector<std::string> warnings;
    {
        std::set<std::string> seen(names.begin(), names.end());
        std::set<std::string> taken;
        for (auto& name : names)
        {
            if (taken.insert(name).second)
                continue;
            std::string renamed;
            for (int n = 1; renamed.empty() || seen.count(renamed); ++n)
                renamed = name + "." + std::to_string(n);
            warnings.push_back(path + ": the column name '" + name +
                               "' appears more than once; the later one is called '" + renamed +
                               "'");
            seen.insert(renamed);
            taken.insert(renamed);
            name = renamed;
        }
    }
    if (layout)
    {
        firstRows.resize(std::min(firstRows.size(), CsvLayout::kFirstRows));
        layout->delimiter = delimiter;
        layout->header = header;
        layout->sklearnLayout = sklearn.has_value();
        layout->dataRows = dataRows;
        layout->names = names;
        if (options.skipLines > 0) // the last line skipped, read as a record of the table
        {
            CsvTokenizer skipped(text, delimiter, path, kMaxCsvColumns);
            std::vector<std::string_view> fieldsAbove;
            if (skipped.skipLines(options.skipLines - 1) && skipped.next(fieldsAbove))
                layout->skippedRecord.assign(fieldsAbove.begin(), fieldsAbove.end());
        }
        layout->columns = std::move(cells);
        layout->firstRows = std::move(firstRows);
        layout->missingCellsCapped = !missingCells;
        if (missingCells)
        {
            std::sort(missingCells->begin(), missingCells->end());
            for (auto& [row, column] : *missingCells)
                row -= header ? 1 : 0; // records after the header are the data rows
            layout->missingCells = std::move(*missingCells);
        }
    }
    // The columns a person set apart: metadata (kept beside the data) and ignored ones.
    const auto asMetadata =
        resolveColumns(options.metadataColumns, names, "--metadata-columns", path);
    const auto ignoredColumns =
        resolveColumns(options.ignoreColumns, names, "--ignore-columns", path);
    const auto setApart = [&](int64_t c)
    {
        return c >= 0 && (contains(asMetadata, static_cast<size_t>(c)) ||
                          contains(ignoredColumns, static_cast<size_t>(c)));
    };
    int64_t labelColumn = resolveLabelColumn(options.labelColumn, names, header, path);
    if (options.labelColumn.empty() && setApart(labelColumn))
    {
        labelColumn = -1; // a guess the person overruled
    }

    // Plan the columns. When the labels column was guessed, the other columns named like
    // ground truth stay out of the features: clustering on them would leak the answer.
    const auto labelLike = options.labelColumn.empty() && labelColumn >= 0
                               ? otherLabelLikeColumns(names, labelColumn)
                               : std::vector<size_t>{};
    // Row identifiers (a pandas index, an id column) stay out of the features too: their values
    // follow the rows' order and would dominate every distance.
    const auto idChoice = resolveIdColumn(options.idColumn, names, path);
    if (idChoice.column >= 0 && idChoice.column == labelColumn)
    {
        throw DataError(path + ": column '" + names[static_cast<size_t>(labelColumn)] +
                        "' cannot be both the labels and the row identifier (--id-column)");
    }
    for (size_t c : asMetadata)
    {
        if (contains(ignoredColumns, c))
            throw ParameterError(path + ": column '" + names[c] +
                                 "' is both a metadata column and an ignored one; give it one "
                                 "role");
    }
    std::vector<size_t> idColumns; // numeric identifiers, kept as numeric metadata
    const auto idReason = [&](size_t c) -> std::string
    {
        if (!idChoice.automatic)
        {
            return static_cast<int64_t>(c) == idChoice.column ? "named by --id-column" : "";
        }
        if (auto why = rowNumbersReason(runs[c], dataRows); !why.empty())
        {
            return why;
        }
        if (idValues[c] && header && allDistinctIntegers(*idValues[c]))
        {
            return std::string("is named like a row identifier and holds ") +
                   std::to_string(dataRows) + " distinct integers";
        }
        return {};
    };
    std::vector<size_t> featureColumns;
    std::vector<size_t> metaColumns;
    std::vector<std::string> commaColumns;
    for (size_t c = 0; c < width; ++c)
    {
        // The labels and a named row identifier keep their roles: they are chosen later, and
        // one at a time (the Dataset panel's lists), over lists made before.
        const bool identifier = static_cast<int64_t>(c) == idChoice.column;
        if (static_cast<int64_t>(c) == labelColumn || (contains(ignoredColumns, c) && !identifier))
        {
            continue;
        }
        if (contains(asMetadata, c))
        {
            (survey[c].isText() ? metaColumns : idColumns).push_back(c); // text, or numbers
            continue;
        }
        // A column empty in every row (a trailing delimiter, as spreadsheets and R write) holds
        // nothing to cluster or keep; as a feature, every missing-value policy would fail on it.
        const auto& col = survey[c];
        if (col.numbers + col.commaNumbers + col.notNumbers == 0)
        {
            warnings.push_back(path + ": column '" + names[c] + "' is empty in every row" +
                               (c + 1 == width ? " (a delimiter at the end of each line?)" : "") +
                               " and was left out");
            continue;
        }
        const bool kept = std::find(labelLike.begin(), labelLike.end(), c) != labelLike.end();
        if (!kept && !survey[c].isText())
        {
            if (const auto why = idReason(c); !why.empty())
            {
                idColumns.push_back(c);
                if (idChoice.automatic)
                {
                    const bool unnamed = header && trimmed(firstRecord[c]).empty();
                    warnings.push_back(idColumnWarning(
                        path, names[c], (unnamed ? "(no name in the header) " : "") + why));
                }
                continue;
            }
        }
        (kept || survey[c].isText() ? metaColumns : featureColumns).push_back(c);
        if (survey[c].decimalComma())
        {
            commaColumns.push_back("'" + names[c] + "'");
        }
    }
    for (size_t c : labelLike)
    {
        const auto& label = names[static_cast<size_t>(labelColumn)];
        warnings.push_back(
            path + ": columns '" + label + "' and '" + names[c] +
            "' both look like ground truth: '" + label + "' is the labels, and '" + names[c] +
            "' is kept out of the features (as metadata) so the answer does not "
            "leak into the clustering; --label-column " +
            names[c] + " takes it as the labels instead, and naming the labels (--label-column " +
            label + ") makes '" + names[c] + "' a feature");
    }
    if (!commaColumns.empty())
    {
        std::string list;
        for (const auto& n : commaColumns)
        {
            list += (list.empty() ? "" : ", ") + n;
        }
        warnings.push_back(path + ": column" + (commaColumns.size() > 1 ? "s " : " ") + list +
                           " read with a decimal comma (2,5 is 2.5), as the '" +
                           std::string(1, delimiter) +
                           "' delimiter suggests; if ',' separates thousands there, remove it");
    }
    // A column of numbers with a stray word is a numeric column with a bad cell, not text: read
    // as metadata it would silently leave the features (pandas makes it object dtype).
    for (size_t c : metaColumns)
    {
        const auto& col = survey[c];
        const bool named = static_cast<int64_t>(c) == idChoice.column || contains(asMetadata, c);
        const bool kept = std::find(labelLike.begin(), labelLike.end(), c) != labelLike.end();
        if (named || kept || (header && isIdentifierName(names[c])))
        {
            continue;
        }
        if (!col.numericWithBadCells())
        {
            // Text kept as metadata; said aloud when numbers are among it, or when every value
            // is shaped like a number and none is one (5,030 with ',' separating thousands).
            const auto looking = col.numbers + col.commaNumbers;
            const bool allDecorated = col.notNumbers > 0 && col.decorated == col.notNumbers;
            const auto example = trimmed(col.example);
            if (looking > 0 || allDecorated || hasThousandsSeparators(example) ||
                isDecimalCommaNumber(example))
                warnings.push_back(
                    path + ": column '" + names[c] + "' is read as text (metadata), not " +
                    "clustered: " + std::to_string(looking) + " of its " +
                    std::to_string(looking + col.notNumbers) + " values are numbers, and cells " +
                    "like '" + trimmed(col.example) + "' (line " + std::to_string(col.exampleLine) +
                    ") are not. If it is numeric, correct such cells (a '.' for the decimal "
                    "point, no units or thousands separators) and leave missing values empty");
            continue;
        }
        const auto looking = col.numbers + col.commaNumbers;
        // Text at the top of numbers: the header, under a line of notes the loader took for
        // the first row (scikit-learn's boston_house_prices.csv).
        const int64_t above = col.exampleLine - 1;
        // The likelier cause goes first: a person reads the start of a message.
        const std::string headerHint = above >= 1 && above <= 3 && !header
                                           ? ". If line " + std::to_string(col.exampleLine) +
                                                 " is the table's header, --skip-lines " +
                                                 std::to_string(above) +
                                                 " skips the lines above it; otherwise correct"
                                           : ". Correct";
        throw DataError(
            path + ": line " + std::to_string(col.exampleLine) + ", column '" + names[c] + "': '" +
            trimmed(col.example) + "' is not a number, yet " + std::to_string(looking) +
            " of the column's " + std::to_string(looking + col.notNumbers) + " values are" +
            headerHint +
            " such cells (a '.' for the decimal point, no units or thousands separators), or "
            "leave them empty (or write NA) to mark a missing value; if '" +
            names[c] + "' is text, such as a code or an identifier, --id-column " +
            commandLineWord(names[c]) + " keeps it out of the features");
    }
    if (featureColumns.empty())
    {
        // Numbers written with a decimal comma in a comma-separated file are text to a CSV.
        const bool commas =
            std::any_of(metaColumns.begin(), metaColumns.end(),
                        [&](size_t c) { return isDecimalCommaNumber(trimmed(survey[c].example)); });
        throw DataError(
            path + ": no numeric column to use as features (" + std::to_string(width) +
            " columns, all text, labels or row identifiers" +
            (idColumns.empty()
                 ? std::string()
                 : "; --id-column none makes '" + names[idColumns[0]] + "' a feature") +
            ")" +
            (commas ? "; values like '1,5' are decimal commas in a comma-separated file: save it "
                      "with ';' as the delimiter, or with '.' as the decimal point"
                    : ""));
    }
    // A table without a header or labels whose last (else first) column holds a few small
    // class numbers most likely carries its ground truth there (digits.csv, iris exports).
    const bool labelsLeftOut = labelColumn < 0 && options.labelColumn.empty();
    for (size_t side = 2; !header && labelsLeftOut && side-- > 0;)
    {
        const size_t c = side == 1 ? width - 1 : 0;
        const auto& like = classLike[side];
        if (width < 2 || !like.looksLikeLabels(dataRows) ||
            std::find(featureColumns.begin(), featureColumns.end(), c) == featureColumns.end())
        {
            continue;
        }
        warnings.push_back(
            path + ": the " + (side == 1 ? "last" : "first") + " column ('" + names[c] +
            "') holds only " + std::to_string(like.classes.size()) + " distinct small integers (" +
            std::to_string(*like.classes.begin()) + ".." + std::to_string(*like.classes.rbegin()) +
            "), as class labels do, and it is clustered as a feature; if it is the ground "
            "truth, --label-column " +
            (side == 1 ? "last" : "0") + " makes it the labels");
        break;
    }
    // A header names a column like classes, and it holds a few class numbers: most likely the
    // ground truth, clustered as a feature unless named (wine quality, grades).
    for (size_t c = 0; header && labelsLeftOut && c < width; ++c)
    {
        if (namedClasses[c] && namedClasses[c]->looksLikeLabels(dataRows) &&
            contains(featureColumns, c))
        {
            warnings.push_back(path + ": column '" + names[c] + "' holds only " +
                               std::to_string(namedClasses[c]->classes.size()) +
                               " distinct small whole numbers and is named like classes, yet it "
                               "is clustered as a feature; if it is the ground truth, "
                               "--label-column " +
                               commandLineWord(names[c]) + " makes it the labels");
        }
    }
    const bool textLabels = labelColumn >= 0 && survey[static_cast<size_t>(labelColumn)].isText();

    // Pass 2: parse the values of the kept rows.
    const size_t nf = featureColumns.size();
    std::vector<double> values; // float64 until toFloat32Features has seen each column
    values.reserve(static_cast<size_t>(dataRows) * nf);
    std::vector<int64_t> numericLabels;
    CategoryBuilder labelText;
    std::vector<CategoryBuilder> meta(metaColumns.size());
    std::vector<std::vector<double>> ids(idColumns.size());
    std::vector<double> row(nf);
    CsvTokenizer pass2(text, delimiter, path, kMaxCsvColumns);
    pass2.skipLines(options.skipLines);
    if (header)
    {
        pass2.next(fields);
    }
    int64_t seen = 0;
    int64_t dataRow = -1;
    std::vector<int64_t> inputRows; // the kept rows' data rows
    while (pass2.next(fields))
    {
        ++dataRow;
        bool missingFeature = false;
        for (size_t j = 0; j < nf; ++j)
        {
            const size_t c = featureColumns[j];
            CellKind kind = classifyCell(fields[c], value, survey[c].decimalComma());
            if (kind == CellKind::Infinite && options.missing != MissingPolicy::Error)
            {
                kind = CellKind::Missing; // the policies treat infinities as missing values
            }
            if (kind != CellKind::Missing &&
                (kind != CellKind::Number || !std::isfinite(static_cast<float>(value))))
            {
                const std::string message = cellError(path, pass2.recordLine(), names[c],
                                                      trimmed(fields[c]), kind, commaPossible);
                if (kind == CellKind::Infinite) // only under MissingPolicy::Error (above)
                    throw MissingValueError(message);
                throw DataError(message);
            }
            if (kind == CellKind::Missing)
            {
                if (options.missing == MissingPolicy::Error)
                {
                    throw MissingValueError(path + ": line " + std::to_string(pass2.recordLine()) +
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
                    throw MissingValueError(
                        path + ": line " + std::to_string(pass2.recordLine()) + ", label column '" +
                        names[static_cast<size_t>(labelColumn)] +
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
        inputRows.push_back(dataRow);
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
        for (size_t m = 0; m < idColumns.size(); ++m)
        {
            double id = 0;
            classifyCell(fields[idColumns[m]], id); // NaN where missing
            ids[m].push_back(id);
        }
        for (size_t m = 0; m < metaColumns.size(); ++m)
        {
            double unused = 0;
            const auto cell = fields[metaColumns[m]];
            meta[m].raw.push_back(classifyCell(cell, unused) == CellKind::Missing ? std::string()
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
        throw MissingValueError(path +
                                ": every row has a missing value, so none is left after dropping; "
                                "choose --missing impute-mean, or fix the data");
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
    out.droppedRows = dataRows - kept;
    if (out.droppedRows > 0)
    {
        out.inputRows = std::move(inputRows);
    }
    out.warnings = std::move(warnings);
    out.imputedValues = imputeMissingValues(out.features, options.missing, path);
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
        const auto named = [&](int64_t label)
        { return label >= 0 && label < static_cast<int64_t>(sklearn->classNames.size()); };
        if (sklearn && names[static_cast<size_t>(labelColumn)] == "target" &&
            std::all_of(out.labels.begin(), out.labels.end(), named))
        {
            out.labelNames = sklearn->classNames;
        }
    }
    if (sklearn)
    {
        std::string classes;
        for (const auto& name : sklearn->classNames)
        {
            classes += (classes.empty() ? "" : ", ") + name;
        }
        out.warnings.push_back(
            path + ": read in scikit-learn's bundled layout: the first line gives " +
            std::to_string(sklearn->samples) + " samples and " + std::to_string(sklearn->features) +
            " features" + (classes.empty() ? std::string() : ", classes " + classes) +
            ", and the last column, called 'target' here, holds the classes" +
            (labelColumn >= 0 && names[static_cast<size_t>(labelColumn)] == "target"
                 ? " and is the labels (--label-column none makes it a feature)"
                 : ""));
    }
    for (size_t m = 0; m < idColumns.size(); ++m)
    {
        MetadataColumn column;
        column.name = names[idColumns[m]];
        column.numbers = std::move(ids[m]);
        out.metadata.push_back(std::move(column));
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

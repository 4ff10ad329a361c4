#include "csv_tokenizer.h"

#include <clusterscope/core/errors.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <clocale>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <locale.h>

namespace clusterscope
{

CsvTokenizer::CsvTokenizer(std::string_view text, char delimiter, std::string path,
                           size_t maxFields)
    : text_(text), delimiter_(delimiter), whitespace_(delimiter == ' '), path_(std::move(path)),
      maxFields_(maxFields)
{
    if (text_.starts_with("\xEF\xBB\xBF")) // UTF-8 byte order mark
    {
        pos_ = 3;
    }
}

bool CsvTokenizer::skipLines(int64_t lines)
{
    for (; lines > 0; --lines)
    {
        const size_t end = text_.find('\n', pos_);
        if (end == std::string_view::npos)
        {
            pos_ = text_.size();
            return false;
        }
        pos_ = end + 1;
        ++line_;
    }
    return true;
}

bool CsvTokenizer::next(std::vector<std::string_view>& fields)
{
    fields.clear();
    scratch_.clear();
    // Skip blank lines.
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r'))
    {
        line_ += text_[pos_] == '\n' ? 1 : 0;
        ++pos_;
    }
    if (pos_ >= text_.size())
    {
        return false;
    }
    recordLine_ = line_;
    const size_t n = text_.size();
    if (whitespace_) // columns aligned with spaces: the spaces before the first are no field
    {
        while (pos_ < n && (text_[pos_] == ' ' || text_[pos_] == '\t'))
            ++pos_;
    }
    while (true)
    {
        if (pos_ < n && text_[pos_] == '"')
        {
            // Quoted field: runs to the closing quote; "" stands for one quote.
            const size_t start = ++pos_;
            std::string* unescaped = nullptr;
            size_t runStart = start;
            while (true)
            {
                if (pos_ >= n)
                {
                    throw DataError(path_ + ": line " + std::to_string(recordLine_) +
                                    ": a quoted field is never closed");
                }
                const char c = text_[pos_];
                if (c == '"')
                {
                    if (pos_ + 1 < n && text_[pos_ + 1] == '"')
                    {
                        if (!unescaped)
                        {
                            unescaped = &scratch_.emplace_back();
                        }
                        unescaped->append(text_.substr(runStart, pos_ + 1 - runStart));
                        pos_ += 2;
                        runStart = pos_;
                        continue;
                    }
                    break;
                }
                line_ += c == '\n' ? 1 : 0;
                ++pos_;
            }
            if (unescaped)
            {
                unescaped->append(text_.substr(runStart, pos_ - runStart));
                fields.emplace_back(*unescaped);
            }
            else
            {
                fields.push_back(text_.substr(start, pos_ - start));
            }
            ++pos_; // closing quote
            // Tolerate spaces after the closing quote; anything else is malformed. Between
            // columns aligned with spaces, they are the delimiter.
            const size_t closed = pos_;
            while (pos_ < n && text_[pos_] == ' ')
            {
                ++pos_;
            }
            if (whitespace_ && pos_ > closed)
            {
                pos_ = closed;
            }
            if (pos_ < n && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
                text_[pos_] != '\r' && !(whitespace_ && text_[pos_] == '\t'))
            {
                throw DataError(path_ + ": line " + std::to_string(line_) +
                                ": unexpected text after a closing quote");
            }
        }
        else
        {
            const size_t start = pos_;
            while (pos_ < n && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
                   text_[pos_] != '\r' && !(whitespace_ && text_[pos_] == '\t'))
            {
                ++pos_;
            }
            fields.push_back(text_.substr(start, pos_ - start));
        }
        if (whitespace_ && pos_ < n && (text_[pos_] == ' ' || text_[pos_] == '\t'))
        {
            // A run of blanks is one delimiter; blanks at the end of the line are none.
            size_t next = pos_;
            while (next < n && (text_[next] == ' ' || text_[next] == '\t'))
                ++next;
            if (next >= n || text_[next] == '\n' || text_[next] == '\r')
                pos_ = next;
            else
                pos_ = next - 1; // the last blank is the delimiter below
        }
        if (pos_ < n && (text_[pos_] == delimiter_ || (whitespace_ && text_[pos_] == '\t')))
        {
            if (fields.size() == maxFields_)
            {
                throw DataError(path_ + ": line " + std::to_string(recordLine_) +
                                " has more than " + std::to_string(maxFields_) +
                                " fields, the most a table may have; check the delimiter, or "
                                "split the table into files of fewer columns");
            }
            ++pos_;
            continue;
        }
        // End of record.
        if (pos_ < n && text_[pos_] == '\r')
        {
            ++pos_;
        }
        if (pos_ < n && text_[pos_] == '\n')
        {
            ++pos_;
            ++line_;
        }
        return true;
    }
}

namespace
{

// Fields separated by runs of blanks in `line` (0 for an empty line).
size_t blankSeparatedFields(std::string_view line)
{
    size_t fields = 0;
    bool inField = false;
    for (char c : line)
    {
        const bool blank = c == ' ' || c == '\t' || c == '\r';
        fields += !blank && !inField ? 1 : 0;
        inField = !blank;
    }
    return fields;
}

// numpy.savetxt's and Fortran's layout (scikit-learn's linnerud and diabetes files): no comma,
// tab or semicolon in the first two lines, and both split by blanks into the same two or more
// fields. A one-column table whose header has a space ("body mass") is not this.
bool alignedWithSpaces(std::string_view text)
{
    const size_t firstEnd = std::min(text.find('\n'), text.size());
    const auto first = text.substr(0, firstEnd);
    const auto rest = firstEnd < text.size() ? text.substr(firstEnd + 1) : std::string_view();
    const auto second = rest.substr(0, std::min(rest.find('\n'), rest.size()));
    for (auto line : {first, second})
        if (line.find_first_of(",\t;") != std::string_view::npos)
            return false;
    const size_t fields = blankSeparatedFields(first);
    return fields >= 2 && blankSeparatedFields(second) == fields;
}

} // namespace

char guessDelimiter(std::string_view text, const std::string& path)
{
    if (path.ends_with(".tsv") || path.ends_with(".tab") || path.ends_with(".tsv.gz"))
    {
        return '\t';
    }
    const auto firstLine = text.substr(0, text.find('\n'));
    if (alignedWithSpaces(text))
    {
        return ' ';
    }
    constexpr std::array<char, 3> candidates{',', '\t', ';'};
    char best = ',';
    size_t bestCount = 0;
    for (char c : candidates)
    {
        const auto count = static_cast<size_t>(std::count(firstLine.begin(), firstLine.end(), c));
        if (count > bestCount)
        {
            best = c;
            bestCount = count;
        }
    }
    return best;
}

namespace
{

// A sign, digits with '.' or ',', and an optional exponent: what a person means as a number.
bool shapedLikeNumber(std::string_view s)
{
    size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        ++i;
    bool digit = false;
    for (; i < s.size() &&
           (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.' || s[i] == ',');
         ++i)
        digit = digit || std::isdigit(static_cast<unsigned char>(s[i]));
    if (!digit)
        return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E'))
    {
        ++i;
        if (i < s.size() && (s[i] == '+' || s[i] == '-'))
            ++i;
        while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.'))
            ++i;
    }
    return i == s.size();
}

// A number from_chars calls out of range: beyond double's range, or so small it underflows.
// strtod_l in the C locale tells which (the locale of a Qt program may use a decimal comma).
CellKind outOfRange(std::string_view s, double& value)
{
    static const locale_t c = newlocale(LC_ALL_MASK, "C", nullptr);
    const std::string text(s);
    value = strtod_l(text.c_str(), nullptr, c);
    if (std::isinf(value))
    {
        value = std::numeric_limits<double>::quiet_NaN();
        return CellKind::Overflow;
    }
    return CellKind::Number; // underflow: zero or a subnormal, a fine number
}

// pandas' default na_values (read_csv), which spreadsheets and R write for a missing value, and
// the '?' of the UCI repository's files. NaN in its other spellings is parsed by from_chars.
bool isMissingToken(std::string_view s)
{
    static constexpr std::array<std::string_view, 15> tokens{
        "",     "NA",   "N/A",  "n/a",     "#N/A",   "#N/A N/A", "#NA",    "<NA>",
        "NULL", "null", "None", "-1.#IND", "1.#IND", "-1.#QNAN", "1.#QNAN"};
    return s == "?" || std::find(tokens.begin(), tokens.end(), s) != tokens.end();
}

} // namespace

bool isDecimalCommaNumber(std::string_view s)
{
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    return std::count(s.begin(), s.end(), ',') == 1 && s.find('.') == std::string_view::npos &&
           s.find(',') > 0 && std::isdigit(static_cast<unsigned char>(s[s.find(',') - 1])) &&
           s.find(',') + 1 < s.size() &&
           std::isdigit(static_cast<unsigned char>(s[s.find(',') + 1])) && shapedLikeNumber(s);
}

CellKind classifyCell(std::string_view s, double& value, bool decimalComma)
{
    if (decimalComma && isDecimalCommaNumber(s))
    {
        std::string dotted(s);
        std::replace(dotted.begin(), dotted.end(), ',', '.');
        return classifyCell(dotted, value, false);
    }
    s = trimBlanks(s);
    value = std::numeric_limits<double>::quiet_NaN();
    if (isMissingToken(s))
    {
        return CellKind::Missing;
    }
    std::string_view unsigned_ = s;
    if (unsigned_.front() == '+')
    {
        unsigned_.remove_prefix(1); // from_chars takes '-' but not '+'
        if (!unsigned_.empty() && unsigned_.front() == '-')
        {
            return CellKind::Text;
        }
    }
    double parsed = 0;
    auto [end, ec] = std::from_chars(unsigned_.data(), unsigned_.data() + unsigned_.size(), parsed);
    const bool whole = end == unsigned_.data() + unsigned_.size();
    if (ec == std::errc() && whole)
    {
        // from_chars reads every spelling of NaN and infinity (nan, -NaN, nan(0x1), inf,
        // Infinity): NaN is a missing value, an infinity is no value a feature can hold.
        if (std::isnan(parsed))
        {
            return CellKind::Missing;
        }
        if (std::isinf(parsed))
        {
            return CellKind::Infinite;
        }
        value = parsed;
        return CellKind::Number;
    }
    if (ec == std::errc::result_out_of_range && whole)
    {
        return outOfRange(unsigned_, value);
    }
    return shapedLikeNumber(s) ? CellKind::Malformed : CellKind::Text;
}

std::string_view trimBlanks(std::string_view text)
{
    // Unicode's White_Space characters, the zero-width space and the byte order mark, in UTF-8.
    static constexpr std::array<std::string_view, 27> blanks{" ",
                                                             "\t",
                                                             "\r",
                                                             "\n",
                                                             "\v",
                                                             "\f",
                                                             "\xc2\x85",
                                                             "\xc2\xa0",
                                                             "\xe1\x9a\x80",
                                                             "\xe2\x80\x80",
                                                             "\xe2\x80\x81",
                                                             "\xe2\x80\x82",
                                                             "\xe2\x80\x83",
                                                             "\xe2\x80\x84",
                                                             "\xe2\x80\x85",
                                                             "\xe2\x80\x86",
                                                             "\xe2\x80\x87",
                                                             "\xe2\x80\x88",
                                                             "\xe2\x80\x89",
                                                             "\xe2\x80\x8a",
                                                             "\xe2\x80\x8b",
                                                             "\xe2\x80\xa8",
                                                             "\xe2\x80\xa9",
                                                             "\xe2\x80\xaf",
                                                             "\xe2\x81\x9f",
                                                             "\xe3\x80\x80",
                                                             "\xef\xbb\xbf"};
    for (bool trimmed = true; trimmed && !text.empty();)
    {
        trimmed = false;
        for (const auto blank : blanks)
        {
            if (text.starts_with(blank))
            {
                text.remove_prefix(blank.size());
                trimmed = true;
            }
            if (text.ends_with(blank))
            {
                text.remove_suffix(blank.size());
                trimmed = true;
            }
        }
    }
    return text;
}

std::string cleanLabel(std::string_view text)
{
    text = trimBlanks(text);
    if (text.empty())
        return {};
    double ignored = 0;
    return classifyCell(text, ignored) == CellKind::Missing ? std::string() : std::string(text);
}

} // namespace clusterscope

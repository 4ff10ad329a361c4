#pragma once
// RFC 4180 records: quoted fields, doubled quotes, delimiters and newlines inside quotes,
// CRLF line ends. Fields are views into the file, or into `scratch` when unescaping was needed.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace clusterscope
{

class CsvTokenizer
{
public:
    // Records wider than `maxFields` are refused (see kMaxCsvColumns), before they take memory.
    CsvTokenizer(std::string_view text, char delimiter, std::string path, size_t maxFields);

    // Reads the next non-blank record; false at the end of the text. Throws DataError naming the
    // file and line for an unclosed quote, text after a closing quote, or too many fields.
    bool next(std::vector<std::string_view>& fields);
    // Skips `lines` physical lines (a title, metadata) before the first record; false when the
    // text has fewer. Line numbers keep counting from the top of the file.
    bool skipLines(int64_t lines);
    int64_t recordLine() const { return recordLine_; } // 1-based line where the record began
    size_t position() const { return pos_; }

private:
    std::string_view text_;
    char delimiter_;
    bool whitespace_; // ' ': columns aligned with runs of spaces or tabs (numpy.savetxt)
    std::string path_;
    size_t maxFields_;
    size_t pos_ = 0;
    int64_t line_ = 1;
    int64_t recordLine_ = 0;
    std::deque<std::string> scratch_;
};

// Guesses the delimiter from the extension (.tsv/.tab) or the first line's counts; ' ' for
// columns aligned with blanks (runs of spaces or tabs, as numpy.savetxt writes them), which the
// tokenizer then reads as one delimiter each.
char guessDelimiter(std::string_view text, const std::string& path);

enum class CellKind
{
    Missing,   // empty, pandas' na_values (NA, N/A, #N/A, <NA>, NULL, None, ...), ?, and NaN
               // in any spelling (nan, -nan, +NaN, nan(...))
    Number,    // a finite double (tiny values that underflow are numbers too)
    Infinite,  // inf, Infinity, -INF, ...
    Overflow,  // a number beyond double's range, e.g. 1e400
    Malformed, // shaped like a number but not one, e.g. 1.2.3, 1,5, 1e
    Text,
};

// Classifies one cell (spaces around it are ignored); `value` gets the number, NaN when missing.
// With `decimalComma`, a cell with one ',' and no '.' (2,041 or -0,5e3) reads as its number.
CellKind classifyCell(std::string_view field, double& value, bool decimalComma = false);

// `text` without the blanks around it: Unicode's White_Space characters (spaces, tabs, line
// breaks, no-break and figure spaces, U+2000-U+200A, U+3000, ...), the zero-width space and a
// byte order mark, in UTF-8.
std::string_view trimBlanks(std::string_view text);

// A text label as every loader reads it: without surrounding blanks (trimBlanks),
// and empty when it spells a missing value (empty, NA, NaN, None, #N/A, ...: CellKind::Missing).
std::string cleanLabel(std::string_view text);

// A number written with a decimal comma: a sign, digits, one ',', digits, an optional
// exponent, and no '.' (2,041). 1,234,567 is not one.
bool isDecimalCommaNumber(std::string_view field);

} // namespace clusterscope

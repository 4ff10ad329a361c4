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
    CsvTokenizer(std::string_view text, char delimiter, std::string path);

    // Reads the next non-blank record; false at the end of the text.
    bool next(std::vector<std::string_view>& fields);
    int64_t recordLine() const { return recordLine_; } // 1-based line where the record began
    size_t position() const { return pos_; }

private:
    std::string_view text_;
    char delimiter_;
    std::string path_;
    size_t pos_ = 0;
    int64_t line_ = 1;
    int64_t recordLine_ = 0;
    std::deque<std::string> scratch_;
};

// Guesses the delimiter from the extension (.tsv/.tab) or the first line's counts.
char guessDelimiter(std::string_view text, const std::string& path);

enum class CellKind
{
    Missing, // empty, NA, NaN, N/A, null
    Number,
    Text,
};

CellKind classifyCell(std::string_view field, double& value);

} // namespace clusterscope

#include "csv_tokenizer.h"

#include <clusterscope/core/errors.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

namespace clusterscope
{

CsvTokenizer::CsvTokenizer(std::string_view text, char delimiter, std::string path)
    : text_(text), delimiter_(delimiter), path_(std::move(path))
{
    if (text_.starts_with("\xEF\xBB\xBF")) // UTF-8 byte order mark
    {
        pos_ = 3;
    }
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
            // Tolerate spaces after the closing quote; anything else is malformed.
            while (pos_ < n && text_[pos_] == ' ')
            {
                ++pos_;
            }
            if (pos_ < n && text_[pos_] != delimiter_ && text_[pos_] != '\n' && text_[pos_] != '\r')
            {
                throw DataError(path_ + ": line " + std::to_string(line_) +
                                ": unexpected text after a closing quote");
            }
        }
        else
        {
            const size_t start = pos_;
            while (pos_ < n && text_[pos_] != delimiter_ && text_[pos_] != '\n' &&
                   text_[pos_] != '\r')
            {
                ++pos_;
            }
            fields.push_back(text_.substr(start, pos_ - start));
        }
        if (pos_ < n && text_[pos_] == delimiter_)
        {
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

char guessDelimiter(std::string_view text, const std::string& path)
{
    if (path.ends_with(".tsv") || path.ends_with(".tab") || path.ends_with(".tsv.gz"))
    {
        return '\t';
    }
    const auto firstLine = text.substr(0, text.find('\n'));
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

CellKind classifyCell(std::string_view s, double& value)
{
    while (!s.empty() && s.front() == ' ')
    {
        s.remove_prefix(1);
    }
    while (!s.empty() && s.back() == ' ')
    {
        s.remove_suffix(1);
    }
    if (s.empty() || s == "NA" || s == "NaN" || s == "nan" || s == "NAN" || s == "N/A" ||
        s == "n/a" || s == "null" || s == "NULL" || s == "?")
    {
        value = std::numeric_limits<double>::quiet_NaN();
        return CellKind::Missing;
    }
    if (s.front() == '+')
    {
        s.remove_prefix(1);
    }
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec == std::errc() && end == s.data() + s.size())
    {
        return CellKind::Number;
    }
    return CellKind::Text;
}

} // namespace clusterscope

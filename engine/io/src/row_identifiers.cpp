#include "row_identifiers.h"

#include <clusterscope/core/errors.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>

namespace clusterscope
{

namespace
{

std::string integerText(double value)
{
    return std::to_string(static_cast<int64_t>(value));
}

} // namespace

void RowNumberRun::add(double value, bool isNumber)
{
    if (!ok_ || !isNumber || !isExactInteger(value) || (count_ > 0 && value != last_ + 1))
    {
        ok_ = false;
        return;
    }
    first_ = count_ == 0 ? value : first_;
    last_ = value;
    ++count_;
}

void RowNumberRun::prepend(double value, bool isNumber)
{
    if (!ok_ || !isNumber || !isExactInteger(value) || (count_ > 0 && value != first_ - 1))
    {
        ok_ = false;
        return;
    }
    last_ = count_ == 0 ? value : last_;
    first_ = value;
    ++count_;
}

bool isExactInteger(double value)
{
    return std::isfinite(value) && value == std::floor(value) &&
           std::abs(value) <= 9007199254740992.0;
}

bool isIdentifierName(std::string_view name)
{
    while (!name.empty() && name.front() == ' ')
        name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ')
        name.remove_suffix(1);
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    constexpr std::array<std::string_view, 14> exact{
        "",       "id",     "index",      "idx",        "row", "rowid", "row_id",
        "row id", "rownum", "row_number", "row number", "#",   "no",    "no."};
    if (std::find(exact.begin(), exact.end(), lower) != exact.end() ||
        lower.starts_with("unnamed:")) // pandas' name for an unnamed index column
        return true;
    if (lower.ends_with("_id") || lower.ends_with(" id") || lower.ends_with("-id") ||
        lower.ends_with(".id"))
        return true;
    // sampleId, customerID: "id" after a lower-case letter, not grid or fluid.
    const auto n = name.size();
    return n > 2 && std::islower(static_cast<unsigned char>(name[n - 3])) && name[n - 2] == 'I' &&
           (name[n - 1] == 'd' || name[n - 1] == 'D');
}

bool allDistinctIntegers(std::vector<double> values)
{
    if (!std::all_of(values.begin(), values.end(), isExactInteger))
        return false;
    std::sort(values.begin(), values.end());
    return std::adjacent_find(values.begin(), values.end()) == values.end();
}

IdColumnChoice resolveIdColumn(const std::string& wanted, const std::vector<std::string>& names,
                               const std::string& path, const std::string& option)
{
    if (wanted.empty())
        return {true, -1};
    if (wanted == "none")
        return {false, -1};
    const auto count = static_cast<int64_t>(names.size());
    for (int64_t c = 0; c < count; ++c)
        if (names[static_cast<size_t>(c)] == wanted)
            return {false, c};
    if (wanted == "last")
        return {false, count - 1};
    int64_t index = 0;
    auto [end, ec] = std::from_chars(wanted.data(), wanted.data() + wanted.size(), index);
    if (ec == std::errc() && end == wanted.data() + wanted.size() && index < count &&
        index >= -count)
        return {false, index < 0 ? count + index : index};
    std::string known;
    for (size_t c = 0; c < names.size() && c < 12; ++c)
        known += (c ? ", " : "") + names[c];
    const bool id = option == "--id-column";
    throw DataError(path + ": no column '" + wanted + "' for " + option + "; the columns are " +
                    known + (names.size() > 12 ? ", ..." : "") + " (a 0-based index" +
                    (id ? ", 'last', or 'none' to keep every numeric column as a feature also "
                          "works)"
                        : " or 'last' also works)"));
}

std::string idColumnWarning(const std::string& path, const std::string& column,
                            const std::string& why)
{
    return path + ": column '" + column + "' " + why +
           ", so it is kept out of the features as a row identifier (metadata): clustering on "
           "it would group the rows by their place in the file. If it is a real feature, "
           "--id-column none keeps it in the features";
}

std::string rowNumbersReason(const RowNumberRun& run, int64_t rows)
{
    if (!run.isRowNumbers(rows))
        return {};
    return "holds the row numbers " + integerText(run.first()) + ".." + integerText(run.last());
}

void separateRowIdentifiers(Dataset& data, const std::string& idColumn, const std::string& where)
{
    if (data.imageShape || data.features.dim() != 2)
        return;
    const auto choice = resolveIdColumn(idColumn, data.featureNames, where);
    const int64_t rows = data.rows();
    const int64_t cols = data.cols();
    if (!choice.automatic && choice.column < 0)
        return; // "none"
    // Candidates from the first row alone: the row number there is 0 or 1 (plus the rows
    // dropped before it); only they get a full pass.
    std::vector<int64_t> ids;
    std::vector<std::string> reasons;
    const auto offset = [&](int64_t c)
    { return data.featureOffsets.empty() ? 0.0 : data.featureOffsets[static_cast<size_t>(c)]; };
    const auto first = data.features[0].to(at::kDouble).contiguous();
    for (int64_t c = 0; c < cols; ++c)
    {
        if (!choice.automatic)
        {
            if (c == choice.column)
            {
                ids.push_back(c);
                reasons.emplace_back();
            }
            continue;
        }
        const double start =
            first.data_ptr<double>()[c] + offset(c) - static_cast<double>(data.inputRow(0));
        if (rows < kMinRowNumberRows || (start != 0 && start != 1))
            continue;
        const auto column = data.features.select(1, c).to(at::kDouble).contiguous();
        const double* v = column.data_ptr<double>();
        bool numbers = true;
        for (int64_t r = 0; r < rows && numbers; ++r)
            numbers = v[r] + offset(c) == static_cast<double>(data.inputRow(r)) + start;
        if (numbers)
        {
            ids.push_back(c);
            reasons.push_back("holds the row numbers " + integerText(start) + ".." +
                              integerText(static_cast<double>(data.inputRow(rows - 1)) + start));
        }
    }
    if (ids.empty())
        return;
    if (static_cast<int64_t>(ids.size()) == cols)
        throw DataError(where + ": no feature column is left: '" +
                        data.featureNames[static_cast<size_t>(ids.front())] +
                        "' holds the row numbers; --id-column none makes it a feature");
    std::vector<int64_t> keep;
    for (int64_t c = 0; c < cols; ++c)
        if (std::find(ids.begin(), ids.end(), c) == ids.end())
            keep.push_back(c);
    for (size_t i = 0; i < ids.size(); ++i)
    {
        const auto c = ids[i];
        MetadataColumn column;
        column.name = data.featureNames[static_cast<size_t>(c)];
        const auto values = data.features.select(1, c).to(at::kDouble).contiguous();
        for (int64_t r = 0; r < rows; ++r)
            column.numbers.push_back(values.data_ptr<double>()[r] + offset(c));
        if (!reasons[i].empty())
            data.warnings.push_back(idColumnWarning(where, column.name, reasons[i]));
        data.metadata.insert(data.metadata.begin() + static_cast<std::ptrdiff_t>(i),
                             std::move(column));
    }
    const auto kept = at::tensor(keep, at::kLong);
    data.features = data.features.index_select(1, kept).contiguous();
    std::vector<std::string> names;
    std::vector<double> offsets;
    for (auto c : keep)
    {
        names.push_back(data.featureNames[static_cast<size_t>(c)]);
        if (!data.featureOffsets.empty())
            offsets.push_back(data.featureOffsets[static_cast<size_t>(c)]);
    }
    data.featureNames = std::move(names);
    data.featureOffsets = std::move(offsets);
}

} // namespace clusterscope

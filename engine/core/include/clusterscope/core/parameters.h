#pragma once
// Typed parameter schemas. One schema per algorithm drives the CLI flags and --help, the GUI's
// parameter forms, the docs and the tests.

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace clusterscope
{

enum class ParamType
{
    Int,
    Real,
    Bool,
    Choice,
    Text, // free text (a device name, a column name)
};

using ParamValue = std::variant<int64_t, double, bool, std::string>;

struct ParamSpec
{
    std::string name; // lower-case with underscores; the CLI flag is --name with dashes
    ParamType type = ParamType::Int;
    ParamValue defaultValue;
    double min = 0; // inclusive range for Int and Real
    double max = 0;
    std::vector<std::string> choices; // for Choice
    std::string help;
    // Int parameters that count rows (a minimum cluster size, neighbours per row) may not
    // exceed the data's row count less this (1 where the row itself does not count); the
    // pipeline's validateInput refuses more, naming the parameter and the row count.
    // -1: no such bound.
    int64_t rowsExcluded = -1;
    // Why the bound exists, in words that finish "at most <rows - rowsExcluded> because ...":
    // every error about it says so, and the docs list it.
    std::string rowBoundReason = {};

    static ParamSpec integer(std::string name, int64_t def, int64_t min, int64_t max,
                             std::string help);
    static ParamSpec real(std::string name, double def, double min, double max, std::string help);
    static ParamSpec boolean(std::string name, bool def, std::string help);
    static ParamSpec choice(std::string name, std::string def, std::vector<std::string> choices,
                            std::string help);
    static ParamSpec text(std::string name, std::string def, std::string help);

    // This spec, bounded by the row count (see rowsExcluded), with the reason for the bound.
    ParamSpec atMostRows(int64_t excluded, std::string reason) const;

    std::string flag() const;          // "--n-init"
    std::string typeName() const;      // "int", "real", "bool", "choice"
    std::string describeRange() const; // "[1, 1000]", "k-means++|random" or "text"
    // "at most the rows - 1: <reason>", or "" when the row count does not bound it.
    std::string describeRowBound() const;
    // Parses user text ("10", "1e-4", "yes", "random") into a value, checking type and range.
    ParamValue parse(const std::string& text) const;
    // Throws ParameterError naming the parameter when `value` is of the wrong type or range.
    void validate(const ParamValue& value) const;
};

std::string formatValue(const ParamValue& value);

// A number as text, the one way every front end prints and writes one: `precision`
// significant digits, and an undefined value (NaN, whatever its sign bit) as "nan", never
// "-nan"; infinities as "inf" and "-inf". JSON writes NaN as null (dumpJson).
std::string formatNumber(double value, int precision = 6);

// Values for one run: the schema's defaults overridden by what the user set.
class ParamSet
{
public:
    ParamSet() = default;
    explicit ParamSet(const std::vector<ParamSpec>& schema);

    void set(const std::string& name, ParamValue value); // validated against the schema
    int64_t integer(const std::string& name) const;
    double real(const std::string& name) const;
    bool boolean(const std::string& name) const;
    const std::string& choice(const std::string& name) const;
    const std::string& text(const std::string& name) const;
    const std::map<std::string, ParamValue>& values() const { return values_; }

private:
    const ParamSpec& spec(const std::string& name) const;
    const ParamValue& value(const std::string& name) const;

    std::vector<ParamSpec> schema_;
    std::map<std::string, ParamValue> values_;
};

} // namespace clusterscope

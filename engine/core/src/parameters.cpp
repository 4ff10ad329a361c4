#include <clusterscope/core/errors.h>
#include <clusterscope/core/parameters.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

namespace clusterscope
{

ParamSpec ParamSpec::integer(std::string name, int64_t def, int64_t min, int64_t max,
                             std::string help)
{
    return {std::move(name),          ParamType::Int,           def,
            static_cast<double>(min), static_cast<double>(max), {},
            std::move(help)};
}

ParamSpec ParamSpec::real(std::string name, double def, double min, double max, std::string help)
{
    return {std::move(name), ParamType::Real, def, min, max, {}, std::move(help)};
}

ParamSpec ParamSpec::boolean(std::string name, bool def, std::string help)
{
    return {std::move(name), ParamType::Bool, def, 0, 1, {}, std::move(help)};
}

ParamSpec ParamSpec::choice(std::string name, std::string def, std::vector<std::string> choices,
                            std::string help)
{
    return {std::move(name),    ParamType::Choice, std::move(def), 0, 0,
            std::move(choices), std::move(help)};
}

ParamSpec ParamSpec::text(std::string name, std::string def, std::string help)
{
    return {std::move(name), ParamType::Text, std::move(def), 0, 0, {}, std::move(help)};
}

ParamSpec ParamSpec::atMostRows(int64_t excluded, std::string reason) const
{
    ParamSpec bounded = *this;
    bounded.rowsExcluded = excluded;
    bounded.rowBoundReason = std::move(reason);
    return bounded;
}

std::string ParamSpec::describeRowBound() const
{
    if (rowsExcluded < 0)
        return {};
    return "at most the rows" + (rowsExcluded > 0 ? " - " + std::to_string(rowsExcluded) : "") +
           ": " + rowBoundReason;
}

std::string ParamSpec::flag() const
{
    std::string out = "--" + name;
    std::replace(out.begin(), out.end(), '_', '-');
    return out;
}

std::string ParamSpec::typeName() const
{
    switch (type)
    {
    case ParamType::Int:
        return "int";
    case ParamType::Real:
        return "real";
    case ParamType::Bool:
        return "bool";
    case ParamType::Choice:
        return "choice";
    case ParamType::Text:
        return "text";
    }
    return "?";
}

std::string ParamSpec::describeRange() const
{
    std::ostringstream out;
    switch (type)
    {
    case ParamType::Int:
        out << '[' << static_cast<int64_t>(min) << ", " << static_cast<int64_t>(max) << ']';
        break;
    case ParamType::Real:
        out << '[' << min << ", " << max << ']';
        break;
    case ParamType::Bool:
        out << "true|false";
        break;
    case ParamType::Choice:
        for (size_t i = 0; i < choices.size(); ++i)
        {
            out << (i ? "|" : "") << choices[i];
        }
        break;
    case ParamType::Text:
        out << "text";
        break;
    }
    return out.str();
}

ParamValue ParamSpec::parse(const std::string& text) const
{
    auto fail = [&](const std::string& expected)
    { return ParameterError("parameter " + flag() + ": '" + text + "' is not " + expected); };
    ParamValue value;
    switch (type)
    {
    case ParamType::Int:
    {
        int64_t v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size())
        {
            throw fail("an integer");
        }
        value = v;
        break;
    }
    case ParamType::Real:
    {
        double v = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || end != text.data() + text.size())
        {
            throw fail("a number");
        }
        value = v;
        break;
    }
    case ParamType::Bool:
        if (text == "true" || text == "yes" || text == "on" || text == "1")
        {
            value = true;
        }
        else if (text == "false" || text == "no" || text == "off" || text == "0")
        {
            value = false;
        }
        else
        {
            throw fail("true or false");
        }
        break;
    case ParamType::Choice:
    case ParamType::Text:
        value = text;
        break;
    }
    validate(value);
    return value;
}

void ParamSpec::validate(const ParamValue& value) const
{
    auto fail = [&](const std::string& why)
    { return ParameterError("parameter " + flag() + ": " + why); };
    switch (type)
    {
    case ParamType::Int:
    {
        const auto* v = std::get_if<int64_t>(&value);
        if (!v)
        {
            throw fail("expected an integer");
        }
        if (static_cast<double>(*v) < min || static_cast<double>(*v) > max)
        {
            throw fail(std::to_string(*v) + " is outside " + describeRange());
        }
        break;
    }
    case ParamType::Real:
    {
        const auto* v = std::get_if<double>(&value);
        if (!v)
        {
            throw fail("expected a number");
        }
        if (!std::isfinite(*v) || *v < min || *v > max)
        {
            throw fail(formatValue(value) + " is outside " + describeRange());
        }
        break;
    }
    case ParamType::Bool:
        if (!std::holds_alternative<bool>(value))
        {
            throw fail("expected true or false");
        }
        break;
    case ParamType::Choice:
    {
        const auto* v = std::get_if<std::string>(&value);
        if (!v || std::find(choices.begin(), choices.end(), *v) == choices.end())
        {
            throw fail("'" + (v ? *v : std::string("?")) + "' is not one of " + describeRange());
        }
        break;
    }
    case ParamType::Text:
        if (!std::holds_alternative<std::string>(value))
        {
            throw fail("expected text");
        }
        break;
    }
}

std::string formatNumber(double value, int precision)
{
    if (std::isnan(value))
        return "nan"; // printf gives "-nan" for a NaN with its sign bit set
    if (std::isinf(value))
        return value > 0 ? "inf" : "-inf";
    std::ostringstream out;
    out.precision(precision);
    out << value;
    return out.str();
}

std::string formatValue(const ParamValue& value)
{
    return std::visit(
        [](const auto& v) -> std::string
        {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::string>)
            {
                return v;
            }
            else if constexpr (std::is_same_v<T, bool>)
            {
                return v ? "true" : "false";
            }
            else if constexpr (std::is_same_v<T, double>)
            {
                return formatNumber(v);
            }
            else
            {
                return std::to_string(v);
            }
        },
        value);
}

ParamSet::ParamSet(const std::vector<ParamSpec>& schema) : schema_(schema)
{
    for (const auto& s : schema_)
    {
        values_[s.name] = s.defaultValue;
    }
}

const ParamSpec& ParamSet::spec(const std::string& name) const
{
    for (const auto& s : schema_)
    {
        if (s.name == name)
        {
            return s;
        }
    }
    throw ParameterError("unknown parameter '" + name + "'");
}

void ParamSet::set(const std::string& name, ParamValue value)
{
    const auto& s = spec(name);
    // Integers are accepted where reals are expected: "--tol 0" is natural to type.
    if (s.type == ParamType::Real && std::holds_alternative<int64_t>(value))
    {
        value = static_cast<double>(std::get<int64_t>(value));
    }
    s.validate(value);
    values_[name] = std::move(value);
}

const ParamValue& ParamSet::value(const std::string& name) const
{
    spec(name);
    return values_.at(name);
}

int64_t ParamSet::integer(const std::string& name) const
{
    return std::get<int64_t>(value(name));
}
double ParamSet::real(const std::string& name) const
{
    return std::get<double>(value(name));
}
bool ParamSet::boolean(const std::string& name) const
{
    return std::get<bool>(value(name));
}
const std::string& ParamSet::choice(const std::string& name) const
{
    return std::get<std::string>(value(name));
}
const std::string& ParamSet::text(const std::string& name) const
{
    return std::get<std::string>(value(name));
}

} // namespace clusterscope

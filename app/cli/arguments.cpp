#include "arguments.h"

#include <clusterscope/core/errors.h>

#include <charconv>
#include <utility>

namespace clusterscope::cli
{

Arguments::Arguments(std::vector<std::string> tokens, const std::set<std::string>& switches)
{
    for (size_t i = 0; i < tokens.size(); ++i)
    {
        const auto& t = tokens[i];
        if (!t.starts_with("--") || t == "--")
        {
            positionals_.push_back(t);
            continue;
        }
        const auto eq = t.find('=');
        if (eq != std::string::npos)
        {
            flags_.push_back({t.substr(0, eq), t.substr(eq + 1)});
        }
        else if (switches.count(t))
        {
            flags_.push_back({t, "true"});
        }
        else if (i + 1 < tokens.size() && !tokens[i + 1].starts_with("--"))
        {
            flags_.push_back({t, tokens[++i]});
        }
        else
        {
            throw ParameterError(t + " needs a value");
        }
    }
}

std::optional<std::string> Arguments::take(const std::string& flag)
{
    std::optional<std::string> value;
    for (auto& f : flags_)
    {
        if (f.name == flag)
        {
            if (value)
            {
                throw ParameterError(flag + " is given twice");
            }
            f.taken = true;
            value = f.value;
        }
    }
    return value;
}

std::vector<std::string> Arguments::takeAll(const std::string& flag)
{
    std::vector<std::string> values;
    for (auto& f : flags_)
    {
        if (f.name == flag)
        {
            f.taken = true;
            values.push_back(f.value);
        }
    }
    return values;
}

bool Arguments::takeSwitch(const std::string& flag)
{
    return take(flag).has_value();
}

std::string Arguments::takeOr(const std::string& flag, const std::string& fallback)
{
    return take(flag).value_or(fallback);
}

namespace
{

template <typename T> T parseNumber(const std::string& flag, const std::string& text)
{
    T v{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
    {
        throw ParameterError(flag + ": '" + text + "' is not a number");
    }
    return v;
}

} // namespace

int64_t Arguments::takeInt(const std::string& flag, int64_t fallback)
{
    auto v = take(flag);
    return v ? parseNumber<int64_t>(flag, *v) : fallback;
}

double Arguments::takeReal(const std::string& flag, double fallback)
{
    auto v = take(flag);
    return v ? parseNumber<double>(flag, *v) : fallback;
}

std::vector<std::string> Arguments::takePositionals()
{
    return std::exchange(positionals_, {});
}

void Arguments::expectAllTaken() const
{
    std::string unknown;
    for (const auto& f : flags_)
    {
        if (!f.taken)
        {
            unknown += (unknown.empty() ? "" : ", ") + f.name;
        }
    }
    if (!unknown.empty())
    {
        throw ParameterError("unknown option(s): " + unknown + " (see --help)");
    }
    if (!positionals_.empty())
    {
        throw ParameterError("unexpected argument '" + positionals_.front() + "' (see --help)");
    }
}

} // namespace clusterscope::cli

#pragma once
// How clusterscope-cli's commands declare their options on CLI11: "--name value" and
// "--name=value" take exactly one value, a switch takes none, and the errors name the flag.
// Each command is a CLI11 subcommand that accepts unknown arguments while parsing
// (allow_extras) so that rejectUnknown() can report all of them in the project's words.

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace clusterscope::cli
{

// A subcommand with the project's conventions: no CLI11 help flag (each command prints its
// own help for "-h"/"--help"), unknown arguments kept for rejectUnknown(), and a flag given
// twice kept for rejectRepeated().
CLI::App* addCommand(CLI::App& app, const std::string& name, const std::string& summary);

// "--flag VALUE", read with valueOf() after parsing. `typeName` ("PATH", "NAME") appears in
// CLI11's message when the value is missing. A value that starts with "--" is refused: it is
// the next flag, so this one's value was left out.
CLI::Option* addValue(CLI::App& command, const std::string& flag, const std::string& typeName,
                      const std::string& help = "");

// "--flag N" bound to `target`, which keeps its value when the flag is absent. The text must
// be a whole number of T's range; CLI11 alone would saturate "99999999999999999999".
template <typename T>
CLI::Option* addInteger(CLI::App& command, const std::string& flag, T& target,
                        const std::string& help = "");

// "--flag VALUE", as often as wanted (e.g. --data a --data b), in order into `target`.
CLI::Option* addRepeated(CLI::App& command, const std::string& flag,
                         std::vector<std::string>& target, const std::string& help = "");

// A switch ("--quiet"): given or not.
CLI::Option* addSwitch(CLI::App& command, const std::string& flag, const std::string& help = "");

// The value given to an option made by addValue(), if any.
std::optional<std::string> valueOf(const CLI::Option* option);
std::string valueOr(const CLI::Option* option, const std::string& fallback);
bool isGiven(const CLI::Option* option);

// Throws ParameterError naming the first option of `command` given twice, other than those
// made by addRepeated().
void rejectRepeated(const CLI::App& command);

// Throws ParameterError naming every unknown option left over by the parse of `command`
// ("unknown option(s): --kk, -x (see --help)"), else the first unexpected argument.
void rejectUnknown(const CLI::App& command);

namespace detail
{
CLI::Validator notAFlag();

// Empty when `text` is a whole number that fits T; else why not.
template <typename T> std::string checkInteger(const std::string& text)
{
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range)
        return "'" + text + "' is out of range";
    if (ec != std::errc() || end != text.data() + text.size())
        return "'" + text + "' is not a whole number";
    return {};
}
} // namespace detail

template <typename T>
CLI::Option* addInteger(CLI::App& command, const std::string& flag, T& target,
                        const std::string& help)
{
    return command.add_option(flag, target, help)
        ->type_name("N")
        ->check(detail::notAFlag())
        ->check(CLI::Validator([](std::string& text) { return detail::checkInteger<T>(text); }, "",
                               "whole number"));
}

} // namespace clusterscope::cli

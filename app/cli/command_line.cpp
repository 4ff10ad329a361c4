#include "command_line.h"

#include <clusterscope/core/errors.h>

#include <cctype>

namespace clusterscope::cli
{

CLI::App* addCommand(CLI::App& app, const std::string& name, const std::string& summary)
{
    auto* command = app.add_subcommand(name, summary);
    command->set_help_flag();
    command->allow_extras();
    // Keep every occurrence: rejectRepeated() names a flag given twice, where CLI11's own
    // policy would say "At Most 1 required but received 2".
    command->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    return command;
}

namespace detail
{

CLI::Validator notAFlag()
{
    return CLI::Validator(
        [](std::string& text)
        {
            return text.starts_with("--") ? "the value is missing ('" + text + "' is the next flag)"
                                          : std::string();
        },
        "", "not a flag");
}

} // namespace detail

CLI::Option* addValue(CLI::App& command, const std::string& flag, const std::string& typeName,
                      const std::string& help)
{
    return command.add_option(flag, help)->type_name(typeName)->check(detail::notAFlag());
}

CLI::Option* addRepeated(CLI::App& command, const std::string& flag,
                         std::vector<std::string>& target, const std::string& help)
{
    // One value per occurrence: "--data a b" leaves b over, as a mistake to report.
    return command.add_option(flag, target, help)
        ->type_name("PATH")
        ->expected(1)
        ->allow_extra_args(false)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->check(detail::notAFlag());
}

CLI::Option* addSwitch(CLI::App& command, const std::string& flag, const std::string& help)
{
    return command.add_flag(flag, help);
}

std::optional<std::string> valueOf(const CLI::Option* option)
{
    if (option->count() == 0)
        return std::nullopt;
    return option->results().back();
}

std::string valueOr(const CLI::Option* option, const std::string& fallback)
{
    return valueOf(option).value_or(fallback);
}

bool isGiven(const CLI::Option* option)
{
    return option->count() > 0;
}

void rejectRepeated(const CLI::App& command)
{
    for (const CLI::Option* option : command.get_options())
        if (option->get_multi_option_policy() != CLI::MultiOptionPolicy::TakeAll &&
            option->count() > 1)
            throw ParameterError(option->get_name() + " is given twice");
}

void rejectUnknown(const CLI::App& command)
{
    const auto left = command.remaining();
    std::string unknown;
    for (const auto& argument : left)
    {
        // "--name", "--name=value" or "-x"; "-3" is a value, the one of an unknown flag.
        const bool isFlag =
            argument.starts_with("--") || (argument.size() > 1 && argument[0] == '-' &&
                                           !std::isdigit(static_cast<unsigned char>(argument[1])));
        if (isFlag)
            unknown += (unknown.empty() ? "" : ", ") + argument.substr(0, argument.find('='));
    }
    if (!unknown.empty())
        throw ParameterError("unknown option(s): " + unknown + " (see --help)");
    if (!left.empty())
        throw ParameterError("unexpected argument '" + left.front() + "' (see --help)");
}

} // namespace clusterscope::cli

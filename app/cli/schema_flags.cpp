#include "schema_flags.h"

#include "command_line.h"

#include <algorithm>

namespace clusterscope::cli
{

void SchemaFlags::add(CLI::App& command, const std::vector<ParamSpec>& schema)
{
    for (const auto& spec : schema)
        if (!options_.count(spec.name))
            options_[spec.name] = addValue(command, spec.flag(), spec.typeName(), spec.help);
}

ParamSet SchemaFlags::values(const std::vector<ParamSpec>& schema) const
{
    ParamSet values(schema);
    for (const auto& spec : schema)
    {
        const auto option = options_.find(spec.name);
        if (option == options_.end())
            continue;
        if (const auto text = valueOf(option->second))
            values.set(spec.name, spec.parse(*text));
    }
    return values;
}

std::vector<std::string> SchemaFlags::givenOutside(const std::vector<ParamSpec>& schema) const
{
    std::vector<std::string> flags;
    for (const auto& [name, option] : options_)
    {
        const bool inSchema = std::any_of(schema.begin(), schema.end(),
                                          [&](const ParamSpec& s) { return s.name == name; });
        if (!inSchema && isGiven(option))
            flags.push_back(option->get_name());
    }
    return flags;
}

} // namespace clusterscope::cli

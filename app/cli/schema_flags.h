#pragma once
// Flags generated from parameter schemas: one "--name VALUE" per ParamSpec (ParamSpec::flag()),
// whose text ParamSpec::parse reads, so the schema alone says which values are valid (its
// types, ranges and choices are not repeated as CLI11 validators).

#include <clusterscope/core/parameters.h>

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

namespace clusterscope::cli
{

class SchemaFlags
{
public:
    // Adds a flag for each spec of `schema` to `command`, once per name: several methods may
    // share a parameter (--k). The object must stay where it is until values() is read.
    void add(CLI::App& command, const std::vector<ParamSpec>& schema);

    // `schema`'s defaults, overridden by what its flags were given on the command line.
    // Throws ParameterError naming the flag when a value is not of its type, range or choices.
    ParamSet values(const std::vector<ParamSpec>& schema) const;

    // The flags given on the command line whose parameters `schema` does not have.
    std::vector<std::string> givenOutside(const std::vector<ParamSpec>& schema) const;

private:
    std::map<std::string, CLI::Option*> options_; // by ParamSpec::name
};

} // namespace clusterscope::cli

#include "command_line.h"
#include "commands.h"

#include <clusterscope/core/registry.h>
#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/capabilities_text.h>

#include <algorithm>
#include <array>
#include <iomanip>
#include <iostream>
#include <optional>

namespace clusterscope::cli
{
namespace
{

// One parameter as the columns of the listing: flag, type, default, range, help.
std::array<std::string, 5> columns(const ParamSpec& p)
{
    const auto bound = p.describeRowBound();
    return {p.flag(), p.typeName(), "default " + formatValue(p.defaultValue), p.describeRange(),
            bound.empty() ? p.help : p.help + " (" + bound + ")"};
}

// Each method's parameters as a table whose columns fit that method's longest entries.
void printParameters(const OperationInfo& method)
{
    std::array<size_t, 4> width{};
    for (const auto& p : method.params)
    {
        const auto cells = columns(p);
        for (size_t c = 0; c < width.size(); ++c)
            width[c] = std::max(width[c], cells[c].size());
    }
    for (const auto& p : method.params)
    {
        const auto cells = columns(p);
        std::cout << " ";
        for (size_t c = 0; c < width.size(); ++c)
            std::cout << " " << std::left << std::setw(static_cast<int>(width[c])) << cells[c]
                      << " ";
        std::cout << cells[4] << "\n";
    }
}

// A table cell: Markdown reads a bare | as the next column.
std::string cell(const std::string& text)
{
    std::string out;
    for (char c : text)
    {
        if (c == '|')
            out += '\\';
        out += c;
    }
    return out;
}

// A section of docs/methods.md per kind of operation.
std::string sectionTitle(OperationKind kind)
{
    switch (kind)
    {
    case OperationKind::Clusterer:
        return "Clusterers";
    case OperationKind::Reducer:
        return "Reducers";
    case OperationKind::Layout:
        return "Layouts of soft assignments (`clusterscope-cli layout ID --soft Q.npy`)";
    case OperationKind::Explainer:
        return "Explainers";
    }
    return "Operations";
}

// docs/methods.md: every method and its parameters, straight from the registry.
void printMarkdown()
{
    std::cout << "# Methods and their parameters\n\n"
                 "Generated from the operation registry by `clusterscope-cli methods --markdown > "
                 "docs/methods.md`;\ntest_cli fails when this file falls behind the registry. "
                 "Each clusterer's parameter is a flag of\n`clusterscope-cli run --method ID` and "
                 "a field of the app's Method panel.\n";
    std::optional<OperationKind> section;
    for (const auto& [kind, a] : builtinRegistry().operations())
    {
        if (kind != section)
        {
            section = kind;
            std::cout << "\n# " << sectionTitle(kind) << "\n";
        }
        std::cout << "\n## " << a->displayName << " (`" << a->id << "`)\n\n"
                  << a->summary << "\n\n"
                  << "Capabilities: " << describeCapabilities(a->caps) << ".\n\n";
        std::cout
            << "| flag | type | default | range | meaning |\n| --- | --- | --- | --- | --- |\n";
        for (const auto& p : a->params)
        {
            const auto c = columns(p);
            std::cout << "| `" << c[0] << "` | " << c[1] << " | "
                      << cell(formatValue(p.defaultValue)) << " | " << cell(c[3]) << " | "
                      << cell(c[4]) << " |\n";
        }
    }
}

int listMethods(const CLI::App& command, bool markdown)
{
    rejectUnknown(command);
    rejectRepeated(command);
    if (markdown)
    {
        printMarkdown();
        return 0;
    }
    for (const auto& [kind, a] : builtinRegistry().operations())
    {
        std::cout << a->id << "  (" << kindName(kind) << ") " << a->displayName << ": "
                  << a->summary << "\n  " << describeCapabilities(a->caps) << "\n";
        printParameters(*a);
    }
    return 0;
}

} // namespace

CommandAction addMethodsCommand(CLI::App& app)
{
    auto* command = addCommand(app, "methods", "list the clustering methods and their parameters");
    // The listing is the help: --help shows it too.
    addSwitch(*command, "-h,--help");
    auto* markdown = addSwitch(*command, "--markdown");
    return [command, markdown] { return listMethods(*command, isGiven(markdown)); };
}

} // namespace clusterscope::cli

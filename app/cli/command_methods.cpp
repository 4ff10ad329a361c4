#include "commands.h"

#include <clusterscope/registry.h>

#include <algorithm>
#include <array>
#include <iomanip>
#include <iostream>

namespace clusterscope::cli
{
namespace
{

// One parameter as the columns of the listing: flag, type, default, range, help.
std::array<std::string, 5> columns(const ParamSpec& p)
{
    return {p.flag(), p.typeName(), "default " + formatValue(p.defaultValue), p.describeRange(),
            p.help};
}

// Each method's parameters as a table whose columns fit that method's longest entries.
void printParameters(const AlgorithmInfo& method)
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

} // namespace

int methodsCommand(Arguments& args)
{
    args.takeSwitch("--help");
    args.expectAllTaken();
    for (const auto& a : Registry::builtin().all())
    {
        std::cout << a.id << "  " << a.displayName << ": " << a.summary << "\n";
        printParameters(a);
    }
    return 0;
}

} // namespace clusterscope::cli

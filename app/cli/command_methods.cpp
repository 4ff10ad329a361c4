#include "commands.h"

#include <clusterscope/registry.h>

#include <iomanip>
#include <iostream>

namespace clusterscope::cli
{

int methodsCommand(Arguments& args)
{
    args.takeSwitch("--help");
    args.expectAllTaken();
    for (const auto& a : Registry::builtin().all())
    {
        std::cout << a.id << "  " << a.displayName << ": " << a.summary << "\n";
        for (const auto& p : a.params)
        {
            std::cout << "  " << std::left << std::setw(14) << p.flag() << std::setw(8)
                      << p.typeName() << "default " << std::setw(10) << formatValue(p.defaultValue)
                      << p.describeRange() << "  " << p.help << "\n";
        }
    }
    return 0;
}

} // namespace clusterscope::cli

#pragma once
// The subcommands of clusterscope-cli. Each returns the process exit code.

#include "arguments.h"

namespace clusterscope::cli
{

int infoCommand(Arguments& args);
int runCommand(Arguments& args);
int benchCommand(Arguments& args);
int methodsCommand(Arguments& args);


} // namespace clusterscope::cli

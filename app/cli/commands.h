#pragma once
// The subcommands of clusterscope-cli. Each returns the process exit code.

#include "arguments.h"

namespace clusterscope::cli
{

int infoCommand(Arguments& args);
int runCommand(Arguments& args);
int benchCommand(Arguments& args);
int chooseKCommand(Arguments& args);
int methodsCommand(Arguments& args);
int plotCommand(Arguments& args);      // only in builds with Qt (CLUSTERSCOPE_HAVE_FIGURES)
int viewBenchCommand(Arguments& args); // likewise; needs an X server

} // namespace clusterscope::cli

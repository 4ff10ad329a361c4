#pragma once
// The subcommands of clusterscope-cli. Each add*Command declares its CLI11 subcommand and its
// options on `app` and returns the action that runs it once the command line is parsed; the
// action returns the process exit code and throws ParameterError/DataError/Error otherwise.

#include <CLI/CLI.hpp>
#include <functional>

namespace clusterscope::cli
{

using CommandAction = std::function<int()>;

CommandAction addInfoCommand(CLI::App& app);
CommandAction addRunCommand(CLI::App& app);
CommandAction addBenchCommand(CLI::App& app); // with its own subcommand "bench view"
CommandAction addChooseKCommand(CLI::App& app);
CommandAction addMethodsCommand(CLI::App& app);
CommandAction addPlotCommand(CLI::App& app); // only in builds with Qt (CLUSTERSCOPE_HAVE_FIGURES)
CommandAction addViewBenchCommand(CLI::App& bench); // likewise; needs an X server

} // namespace clusterscope::cli

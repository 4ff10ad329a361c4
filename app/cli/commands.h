#pragma once
// The subcommands of clusterscope-cli. Each add*Command declares its CLI11 subcommand and its
// options on `app` and returns the action that runs it once the command line is parsed; the
// action returns the process exit code and throws ParameterError/DataError/Error otherwise.

#include <CLI/CLI.hpp>
#include <functional>

namespace clusterscope::cli
{

using CommandAction = std::function<int()>;
// Declares a subcommand on its parent and returns its action.
using AddSubcommand = std::function<CommandAction(CLI::App&)>;

CommandAction addInfoCommand(CLI::App& app);
CommandAction addRunCommand(CLI::App& app);
CommandAction addEmbedCommand(CLI::App& app);
CommandAction addLayoutCommand(CLI::App& app);
CommandAction addExplainCommand(CLI::App& app);
// With its own subcommand "bench view", declared by addView (figure builds: the real one).
CommandAction addBenchCommand(CLI::App& app, const AddSubcommand& addView);
CommandAction addChooseKCommand(CLI::App& app);
CommandAction addMethodsCommand(CLI::App& app);
CommandAction addHistoryCommand(CLI::App& app);
// In clusterscope-cli-figures only (builds with Qt): clusterscope-cli hands these two commands
// over to it, so that the headless CLI loads neither Qt nor VTK.
CommandAction addPlotCommand(CLI::App& app);
CommandAction addViewBenchCommand(CLI::App& bench); // needs an X server

} // namespace clusterscope::cli

// clusterscope-cli: load, cluster, score and benchmark without a window.

#include "commands.h"

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>

#include <iostream>
#include <map>

namespace
{

const char* kUsage = R"(usage: clusterscope-cli COMMAND [OPTIONS]

Commands:
  info PATH...      shape, columns, label counts and detected format of a dataset
  run               cluster a dataset; write labels, metrics and a run record
  bench METHOD      time a method and write the numbers as JSON
  choose-k          sweep k and report silhouette, CH, DB, BIC, AIC, gap and a suggestion
  methods           list the clustering methods and their parameters (--markdown: as
                    docs/methods.md)
  plot              draw a figure (PNG, SVG, PDF) of a dataset and its labels

Run 'clusterscope-cli COMMAND --help' for a command's options.
)";

#ifndef CLUSTERSCOPE_HAVE_FIGURES
clusterscope::cli::CommandAction addPlotWithoutFigures(CLI::App& app)
{
    auto* command = app.add_subcommand("plot", "draw a figure (GUI builds)");
    command->set_help_flag();
    command->allow_extras();
    return []
    {
        std::cerr << "clusterscope-cli plot: this build has no figure support (it was built "
                     "with -DCLUSTERSCOPE_GUI=OFF, without Qt)\n";
        return 2;
    };
}
#endif

} // namespace

int main(int argc, char** argv)
{
    using namespace clusterscope;
    restartWithBestBlasKernels(argv);
    const std::vector<std::string> tokens(argv + 1, argv + argc);
    if (tokens.empty() || tokens.front() == "--help" || tokens.front() == "-h" ||
        tokens.front() == "help")
    {
        std::cout << kUsage;
        return tokens.empty() ? 2 : 0;
    }
    const std::string command = tokens.front();
    try
    {
        CLI::App app("clusterscope-cli: load, cluster, score and benchmark without a window");
        app.set_help_flag(); // before the subcommands, which would inherit it
        app.require_subcommand(1);
        const std::map<std::string, cli::CommandAction> actions{
            {"info", cli::addInfoCommand(app)},       {"run", cli::addRunCommand(app)},
            {"bench", cli::addBenchCommand(app)},     {"choose-k", cli::addChooseKCommand(app)},
            {"methods", cli::addMethodsCommand(app)},
#ifdef CLUSTERSCOPE_HAVE_FIGURES
            {"plot", cli::addPlotCommand(app)},
#else
            {"plot", addPlotWithoutFigures(app)},
#endif
        };
        if (!actions.count(command))
        {
            std::cerr << "clusterscope-cli: unknown command '" << command << "'\n\n" << kUsage;
            return 2;
        }
        try
        {
            app.parse(argc, argv);
        }
        catch (const CLI::ParseError& e)
        {
            // A value missing at the end, one that failed its check, a malformed number: CLI11's
            // message names the flag.
            throw ParameterError(std::string(e.what()) + " (see --help)");
        }
        return actions.at(command)();
    }
    catch (const CancelledError& e)
    {
        std::cerr << "clusterscope-cli: " << e.what() << "\n";
        return 130;
    }
    catch (const ParameterError& e)
    {
        std::cerr << "clusterscope-cli " << command << ": " << e.what() << "\n";
        return 2;
    }
    catch (const Error& e)
    {
        std::cerr << "clusterscope-cli " << command << ": " << e.what() << "\n";
        return 1;
    }
    catch (const std::exception& e)
    {
        std::cerr << "clusterscope-cli " << command << ": internal error: " << e.what() << "\n";
        return 3;
    }
}

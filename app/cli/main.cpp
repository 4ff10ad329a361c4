// clusterscope-cli: load, cluster, score and benchmark without a window.

#include "commands.h"

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>

#include <iostream>

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

} // namespace

int main(int argc, char** argv)
{
    using namespace clusterscope;
    restartWithBestBlasKernels(argv);
    std::vector<std::string> tokens(argv + 1, argv + argc);
    if (tokens.empty() || tokens.front() == "--help" || tokens.front() == "-h" ||
        tokens.front() == "help")
    {
        std::cout << kUsage;
        return tokens.empty() ? 2 : 0;
    }
    const std::string command = tokens.front();
    tokens.erase(tokens.begin());
    try
    {
        cli::Arguments args(tokens, {"--help", "--quiet", "--markdown"});
        if (command == "info")
            return cli::infoCommand(args);
        if (command == "run")
            return cli::runCommand(args);
        if (command == "bench")
            return cli::benchCommand(args);
        if (command == "choose-k")
            return cli::chooseKCommand(args);
        if (command == "methods")
            return cli::methodsCommand(args);
        if (command == "plot")
        {
#ifdef CLUSTERSCOPE_HAVE_FIGURES
            return cli::plotCommand(args);
#else
            std::cerr << "clusterscope-cli plot: this build has no figure support (it was built "
                         "with -DCLUSTERSCOPE_GUI=OFF, without Qt)\n";
            return 2;
#endif
        }
        std::cerr << "clusterscope-cli: unknown command '" << command << "'\n\n" << kUsage;
        return 2;
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

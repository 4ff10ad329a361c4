// clusterscope-cli: load, cluster, score and benchmark without a window.

#include "commands.h"

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/pipeline/run_record.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>

namespace
{

const char* kUsage = R"(usage: clusterscope-cli COMMAND [OPTIONS]

Commands:
  info PATH...      shape, columns, label counts and detected format of a dataset
  run               cluster a dataset; write labels, metrics and a run record
  embed             map a dataset to a few dimensions (PCA, UMAP, t-SNE); write the coordinates,
                    their trustworthiness and a run record
  layout NAME       lay out a soft assignment (HCHC: clusters on a Hamiltonian cycle); write
                    the cycle, the anchors' angles and each sample's place as JSON and .npy
  explain           describe each cluster by rules over the original features (polyhedral
                    descriptions, IMM/ExKMC trees) or by its distinguishing features; write
                    JSON, text or LaTeX
  bench METHOD      time a method and write the numbers as JSON
  choose-k          sweep k and report silhouette, CH, DB, BIC, AIC, gap and a suggestion
  methods           list the clustering methods and their parameters (--markdown: as
                    docs/methods.md)
  history           list, show, re-run and delete past runs (every run is kept, with its
                    record and labels)
  plot              draw a figure (PNG, SVG, PDF) of a dataset and its labels

Run 'clusterscope-cli COMMAND --help' for a command's options; --version prints the version.
)";

#ifdef CLUSTERSCOPE_HAVE_FIGURES
// clusterscope-cli-figures: the commands that draw, with Qt and VTK.
clusterscope::cli::CommandAction addPlot(CLI::App& app)
{
    return clusterscope::cli::addPlotCommand(app);
}
clusterscope::cli::CommandAction addBenchView(CLI::App& bench)
{
    return clusterscope::cli::addViewBenchCommand(bench);
}
#else
// clusterscope-cli: the commands that draw are declared for --help, and run by the sibling
// executable clusterscope-cli-figures (GUI builds), so that this one loads no Qt or VTK.
constexpr const char* kFiguresExecutable = "clusterscope-cli-figures";

// Beside this executable (a build tree), or in ../libexec/clusterscope (an installed package,
// which keeps the helper out of the user's PATH).
std::vector<std::filesystem::path> figuresCandidates()
{
    std::error_code error;
    const auto dir = std::filesystem::read_symlink("/proc/self/exe", error).parent_path();
    if (error)
        return {};
    return {dir / kFiguresExecutable, dir / ".." / "libexec" / "clusterscope" / kFiguresExecutable};
}

// Replaces this process with the figures executable, with the same arguments; returns only
// when there is none to run.
void handOverToFigures(char** argv)
{
    for (const auto& path : figuresCandidates())
        if (::access(path.c_str(), X_OK) == 0)
            ::execv(path.c_str(), argv);
}

bool drawsFigures(const std::vector<std::string>& tokens)
{
    return tokens.front() == "plot" ||
           (tokens.front() == "bench" && tokens.size() > 1 && tokens[1] == "view");
}

clusterscope::cli::CommandAction withoutFigures(CLI::App& parent, const std::string& name,
                                                const std::string& what)
{
    auto* command = parent.add_subcommand(name, what + " (GUI builds)");
    command->set_help_flag();
    command->allow_extras();
    return [name]() -> int
    {
        throw clusterscope::ParameterError(
            "'" + name + "' needs " + kFiguresExecutable +
            " beside clusterscope-cli; it is built with the GUI (-DCLUSTERSCOPE_GUI=ON)");
    };
}
clusterscope::cli::CommandAction addPlot(CLI::App& app)
{
    return withoutFigures(app, "plot", "draw a figure");
}
clusterscope::cli::CommandAction addBenchView(CLI::App& bench)
{
    return withoutFigures(bench, "view", "time the embedding view");
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
    if (tokens.front() == "--version" || tokens.front() == "version")
    {
        std::cout << "clusterscope-cli " << clusterscopeVersion() << "\n";
        return 0;
    }
    const std::string command = tokens.front();
#ifndef CLUSTERSCOPE_HAVE_FIGURES
    if (drawsFigures(tokens))
        handOverToFigures(argv);
#endif
    try
    {
        CLI::App app("clusterscope-cli: load, cluster, score and benchmark without a window");
        app.set_help_flag(); // before the subcommands, which would inherit it
        app.require_subcommand(1);
        const std::map<std::string, cli::CommandAction> actions{
            {"info", cli::addInfoCommand(app)},
            {"run", cli::addRunCommand(app)},
            {"embed", cli::addEmbedCommand(app)},
            {"layout", cli::addLayoutCommand(app)},
            {"explain", cli::addExplainCommand(app)},
            {"bench", cli::addBenchCommand(app, addBenchView)},
            {"choose-k", cli::addChooseKCommand(app)},
            {"methods", cli::addMethodsCommand(app)},
            {"history", cli::addHistoryCommand(app)},
            {"plot", addPlot(app)},
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

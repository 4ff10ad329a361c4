#include "command_line.h"
#include "commands.h"
#include "data_options.h"
#include "method_options.h"

#include <clusterscope/cluster/choose_k.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>

#include <iomanip>
#include <iostream>
#include <memory>

namespace clusterscope::cli
{

namespace
{

struct ChooseKFlags
{
    explicit ChooseKFlags(CLI::App& command)
        : help(addSwitch(command, "-h,--help")), data(command),
          noGap(addSwitch(command, "--no-gap")), noMixture(addSwitch(command, "--no-mixture")),
          out(addValue(command, "--out", "PATH")), quiet(addSwitch(command, "--quiet"))
    {
        addInteger(command, "--k-min", sweep.kMin);
        addInteger(command, "--k-max", sweep.kMax);
        addInteger(command, "--n-init", sweep.nInit);
        addInteger(command, "--gap-references", sweep.gapReferences);
        addInteger(command, "--sample", sweep.sampleSize);
    }
    CLI::Option* help;
    DataFlags data;
    CLI::Option* noGap;
    CLI::Option* noMixture;
    CLI::Option* out;
    CLI::Option* quiet;
    ChooseKOptions sweep;
};

int chooseKCommand(const CLI::App& command, const ChooseKFlags& flags)
{
    if (isGiven(flags.help))
    {
        std::cout << "usage: clusterscope-cli choose-k --data PATH [--k-min 2] [--k-max 12]\n"
                     "       [--n-init 3] [--gap-references 10] [--sample 5000] [--no-gap]\n"
                     "       [--no-mixture] [--out curves.json]\n\n"
                     "Sweeps k with k-means (and a diagonal Gaussian mixture for BIC/AIC) and\n"
                     "prints silhouette, Calinski-Harabasz, Davies-Bouldin, BIC, AIC and the gap\n"
                     "statistic per k, each criterion's k, and the k most of them prefer.\n\n"
                     "Sweep:\n"
                     "  --k-min N, --k-max N   the k swept, both included (default 2 and 12)\n"
                     "  --n-init N             k-means restarts at each k (default 3)\n"
                     "  --gap-references B     uniform reference sets of the gap statistic\n"
                     "                         (Tibshirani et al. 2001; default 10, at least 2)\n"
                     "  --sample N             rows used for silhouette and the gap statistic,\n"
                     "                         a seeded sample (default 5000; 0: all rows)\n"
                     "  --no-gap               skip the gap statistic (its B reference fits)\n"
                     "  --no-mixture           skip BIC and AIC (a diagonal Gaussian mixture\n"
                     "                         at each k)\n"
                     "  --out PATH             the curves, preferred k and suggestion as JSON\n"
                     "  --quiet                no progress\n\n"
                  << DataOptions::help();
        return 0;
    }
    rejectUnknown(command);
    rejectRepeated(command);
    const auto data = flags.data.options();
    ChooseKOptions o = flags.sweep;
    o.gap = !isGiven(flags.noGap);
    o.mixtureCriteria = !isGiven(flags.noMixture);
    const auto out = valueOf(flags.out);
    const bool quiet = isGiven(flags.quiet);
    if (o.gap && o.gapReferences < 2)
        throw ParameterError("--gap-references must be at least 2");

    // Before any work: the output must not replace the data, and it can be written.
    checkOutputPaths(data.paths, givenOutputs({{"--out", out}}));

    const auto device = data.applyCompute();
    o.seed = data.settings.seed;
    const auto prepared = loadAndPrepare(data, !quiet);
    const Dataset& dataset = prepared.data;
    ConsoleProgress progress(quiet);
    const auto r = chooseK(dataset.features.to(device), o, &progress);

    std::cout << std::setw(4) << "k";
    for (const auto& [name, values] : r.curves)
        std::cout << std::setw(19) << name;
    std::cout << "\n";
    for (size_t i = 0; i < r.ks.size(); ++i)
    {
        std::cout << std::setw(4) << r.ks[i];
        for (const auto& [name, values] : r.curves)
            std::cout << std::setw(19) << formatNumber(values[i]);
        std::cout << "\n";
    }
    for (const auto& [name, k] : r.preferred)
        std::cout << name << " prefers k = " << k << "\n";
    std::cout << "suggested k = " << r.suggested << "\n";
    for (const auto& warning : r.warnings)
        std::cerr << "warning: " << warning << "\n";

    if (out)
    {
        const nlohmann::json doc = {
            {"ks", r.ks},
            {"curves", r.curves},
            {"preferred", r.preferred},
            {"suggested", r.suggested},
            {"warnings", r.warnings},
            {"load_warnings", dataset.warnings}, // what the loader decided (a column as text)
            {"seed", data.settings.seed},
            {"data", data.describe()},
            {"environment", environmentRecord(device.str())},
        };
        writeFileAtomically(*out, dumpJson(doc));
    }
    return 0;
}

} // namespace

CommandAction addChooseKCommand(CLI::App& app)
{
    auto* command = addCommand(app, "choose-k", "sweep k and report criteria and a suggestion");
    auto flags = std::make_shared<ChooseKFlags>(*command);
    return [command, flags] { return chooseKCommand(*command, *flags); };
}

} // namespace clusterscope::cli

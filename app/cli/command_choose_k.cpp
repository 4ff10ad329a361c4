#include "commands.h"
#include "data_options.h"
#include "method_options.h"

#include <clusterscope/cluster/choose_k.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>

#include <iomanip>
#include <iostream>

namespace clusterscope::cli
{

int chooseKCommand(Arguments& args)
{
    if (args.takeSwitch("--help"))
    {
        std::cout << "usage: clusterscope-cli choose-k --data PATH [--k-min 2] [--k-max 12]\n"
                     "       [--n-init 3] [--gap-references 10] [--sample 5000] [--no-gap]\n"
                     "       [--no-mixture] [--out curves.json]\n\n"
                     "Sweeps k with k-means (and a diagonal Gaussian mixture for BIC/AIC) and\n"
                     "prints silhouette, Calinski-Harabasz, Davies-Bouldin, BIC, AIC and the gap\n"
                     "statistic per k, each criterion's k, and the k most of them prefer.\n\n"
                  << DataOptions::help();
        return 0;
    }
    const auto data = DataOptions::take(args);
    ChooseKOptions o;
    o.kMin = args.takeInt("--k-min", o.kMin);
    o.kMax = args.takeInt("--k-max", o.kMax);
    o.nInit = args.takeInt("--n-init", o.nInit);
    o.gapReferences = args.takeInt("--gap-references", o.gapReferences);
    o.sampleSize = args.takeInt("--sample", o.sampleSize);
    o.gap = !args.takeSwitch("--no-gap");
    o.mixtureCriteria = !args.takeSwitch("--no-mixture");
    const auto out = args.take("--out");
    const bool quiet = args.takeSwitch("--quiet");
    args.expectAllTaken();
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
            std::cout << std::setw(19) << std::setprecision(6) << values[i];
        std::cout << "\n";
    }
    for (const auto& [name, k] : r.preferred)
        std::cout << name << " prefers k = " << k << "\n";
    std::cout << "suggested k = " << r.suggested << "\n";

    if (out)
    {
        const nlohmann::json doc = {
            {"ks", r.ks},
            {"curves", r.curves},
            {"preferred", r.preferred},
            {"suggested", r.suggested},
            {"seed", data.settings.seed},
            {"data", data.describe()},
            {"environment", environmentRecord(device.str())},
        };
        writeFileAtomically(*out, dumpJson(doc));
    }
    return 0;
}

} // namespace clusterscope::cli

#include "commands.h"
#include "data_options.h"
#include "method_options.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>
#include <clusterscope/metrics/metrics.h>
#include <clusterscope/pipeline/builtin.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace clusterscope::cli
{

namespace
{

Json historyJson(const std::map<std::string, std::vector<double>>& history)
{
    Json::Object out;
    for (const auto& [name, values] : history)
        out.emplace_back(name, Json::Array(values.begin(), values.end()));
    return Json(std::move(out));
}

// $XDG_CACHE_HOME/clusterscope/autoencoders, else ~/.cache/clusterscope/autoencoders.
std::string defaultCacheDir()
{
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::string(xdg) + "/clusterscope/autoencoders";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.cache/clusterscope/autoencoders";
    return {};
}

// labels.csv -> labels.run.json: the record lives beside the labels it describes.
std::string recordPathFor(const std::string& labelsPath)
{
    std::filesystem::path p(labelsPath);
    return (p.parent_path() / (p.stem().string() + ".run.json")).string();
}

} // namespace

int runCommand(Arguments& args)
{
    const bool help = args.takeSwitch("--help");
    if (help)
    {
        auto name = args.take("--method");
        std::cout
            << "usage: clusterscope-cli run --data PATH --method NAME [method options]\n"
               "       [--out labels.csv] [--metrics metrics.json] [--record run.json]\n\n"
            << DataOptions::help() << ComputeOptions::help()
            << "Output:\n"
               "  --out PATH             labels CSV: id,cluster[,confidence][,p0..pK-1]; noise is\n"
               "                         -1, p are the soft assignments when the method has them\n"
               "  --metrics PATH         metrics JSON (acc, nmi, ari, ... when labels are "
               "known)\n"
               "  --record PATH          run record JSON (default: beside --out)\n"
               "  --embedding PATH       the learned embedding of deep methods: float32 .npy\n"
               "                         when PATH ends in .npy, else CSV id,z0,z1,...\n"
               "  --quiet                no progress on stderr\n\n"
               "Training (deep methods):\n"
               "  --checkpoint PATH      save training state there and resume from it; a\n"
               "                         checkpoint made with other settings is refused\n"
               "  --cache-dir DIR        pretrained autoencoders (default: the user cache)\n\n";
        if (name)
        {
            std::cout << methodHelp(builtinRegistry().get(*name));
        }
        else
        {
            std::cout << "Methods: " << methodList()
                      << " (add --method NAME to --help for its options)\n";
        }
        return 0;
    }
    const auto data = DataOptions::take(args);
    const auto compute = ComputeOptions::take(args);
    const auto& method = takeMethod(args);
    const auto params = takeMethodParams(args, method);
    const auto out = args.take("--out");
    const auto metricsPath = args.take("--metrics");
    auto recordPath = args.take("--record");
    const auto embeddingPath = args.take("--embedding");
    const auto checkpoint = args.take("--checkpoint");
    const auto cacheDir = args.take("--cache-dir");
    const bool quiet = args.takeSwitch("--quiet");
    args.expectAllTaken();

    // Before any work: no output may replace an input or another one, and each can be written.
    checkOutputPaths(data.paths,
                     givenOutputs({{"--out", out},
                                   {"--metrics", metricsPath},
                                   {"--record", recordPath ? recordPath
                                                : out      ? std::optional(recordPathFor(*out))
                                                           : std::nullopt},
                                   {"--embedding", embeddingPath}}));

    const auto device = compute.apply();
    const auto t0 = std::chrono::steady_clock::now();
    const Dataset dataset = prepareDataset(data, compute.seed, !quiet);
    const auto t1 = std::chrono::steady_clock::now();
    ConsoleProgress progress(quiet);
    RunContext context{device, compute.seed, &progress};
    context.truth = dataset.hasLabels() ? &dataset.labels : nullptr;
    context.checkpointPath = checkpoint.value_or("");
    context.cacheDir = cacheDir ? *cacheDir : defaultCacheDir();
    const ClusteringResult result = method.run(dataset.features, params, context);
    const auto t2 = std::chrono::steady_clock::now();
    const double loadSeconds = std::chrono::duration<double>(t1 - t0).count();
    const double runSeconds = std::chrono::duration<double>(t2 - t1).count();

    MetricOptions metricOptions;
    metricOptions.seed = compute.seed;
    const auto metrics = allMetrics(dataset.features, dataset.labels, result.labels, metricOptions);
    std::cout << method.displayName << " on " << dataset.rows() << " x " << dataset.cols() << " ("
              << device.str() << "): " << runSeconds << " s\n";
    for (const auto& [name, value] : result.stats)
    {
        std::cout << "  " << name << " = " << value << "\n";
    }
    for (const auto& [name, value] : metrics)
    {
        std::cout << "  " << name << " = " << value << "\n";
    }
    if (out)
    {
        writeFileAtomically(*out, labelsCsv(result));
        if (!recordPath)
        {
            recordPath = recordPathFor(*out);
        }
    }
    if (embeddingPath)
    {
        if (!result.embedding.defined())
            throw ParameterError("--embedding: " + method.id + " learns no embedding");
        const bool npy = std::filesystem::path(*embeddingPath).extension() == ".npy";
        writeFileAtomically(*embeddingPath,
                            npy ? matrixNpy(result.embedding) : matrixCsv(result.embedding, "z"));
    }
    if (metricsPath)
    {
        writeFileAtomically(*metricsPath, Json::object(metrics).dump());
    }
    if (recordPath)
    {
        Json::Object paramJson;
        for (const auto& [name, value] : params.values())
        {
            paramJson.emplace_back(name, formatValue(value));
        }
        Json record = Json::Object{
            {"method", method.id},
            {"params", paramJson},
            {"seed", compute.seed},
            {"data", data.describe()},
            {"rows", dataset.rows()},
            {"features", dataset.cols()},
            {"environment", environmentRecord(device)},
            {"load_seconds", loadSeconds},
            {"run_seconds", runSeconds},
            {"stats", Json::object(result.stats)},
            {"history", historyJson(result.history)},
            {"metrics", Json::object(metrics)},
        };
        writeFileAtomically(*recordPath, record.dump());
    }
    return 0;
}

} // namespace clusterscope::cli

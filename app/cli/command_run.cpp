#include "command_line.h"
#include "commands.h"
#include "data_options.h"
#include "history_options.h"
#include "method_options.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>
#include <clusterscope/metrics/color_slots.h>
#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/run.h>
#include <clusterscope/pipeline/run_record.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

namespace clusterscope::cli
{

namespace
{

// $XDG_CACHE_HOME/clusterscope/autoencoders, else ~/.cache/clusterscope/autoencoders.
std::string defaultCacheDir()
{
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::string(xdg) + "/clusterscope/autoencoders";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.cache/clusterscope/autoencoders";
    return {};
}

struct RunFlags
{
    explicit RunFlags(CLI::App& command)
        : help(addSwitch(command, "-h,--help")), data(command),
          method(addValue(command, "--method", "NAME")), methodParams(command),
          out(addValue(command, "--out", "PATH")), metrics(addValue(command, "--metrics", "PATH")),
          record(addValue(command, "--record", "PATH")),
          embedding(addValue(command, "--embedding", "PATH")),
          checkpoint(addValue(command, "--checkpoint", "PATH")),
          cacheDir(addValue(command, "--cache-dir", "DIR")), history(addHistoryFlag(command)),
          quiet(addSwitch(command, "--quiet"))
    {
    }
    CLI::Option* help;
    DataFlags data;
    CLI::Option* method;
    MethodFlags methodParams;
    CLI::Option* out;
    CLI::Option* metrics;
    CLI::Option* record;
    CLI::Option* embedding;
    CLI::Option* checkpoint;
    CLI::Option* cacheDir;
    CLI::Option* history;
    CLI::Option* quiet;
};

void printRunHelp(const std::optional<std::string>& method)
{
    std::cout
        << "usage: clusterscope-cli run --data PATH --method NAME [method options]\n"
           "       [--out labels.csv] [--metrics metrics.json] [--record run.json]\n\n"
        << DataOptions::help()
        << "Output:\n"
           "  --out PATH             labels CSV: id,cluster[,confidence][,p0..pK-1]; id is the\n"
           "                         row's 0-based data row in --data (header not counted),\n"
           "                         also after --missing drop or --subset; noise is -1, p\n"
           "                         are the soft assignments when the method has them;\n"
           "                         NAME.h5ad (for an .h5ad input): a copy of the input with\n"
           "                         obs/obsm/uns clusterscope_<method>[_proba|_colors] and\n"
           "                         uns clusterscope_run (the run record)\n"
           "  --metrics PATH         metrics JSON (acc, nmi, ari, ... when labels are "
           "known)\n"
           "  --record PATH          run record JSON (default: beside --out)\n"
           "  --embedding PATH       the learned embedding of deep methods: float32 .npy\n"
           "                         when PATH ends in .npy, else CSV id,z0,z1,...\n"
           "  --history PATH         the run history the run is kept in (default:\n"
           "                         $CLUSTERSCOPE_HISTORY, else ~/.local/share/clusterscope/\n"
           "                         history.sqlite; 'off': keep nothing); see 'history'\n"
           "  --quiet                no progress on stderr\n\n"
           "Training (deep methods):\n"
           "  --checkpoint PATH      save training state there and resume from it; a\n"
           "                         checkpoint made with other settings is refused\n"
           "  --cache-dir DIR        pretrained autoencoders (default: the user cache)\n\n";
    if (method)
        std::cout << methodHelp(builtinRegistry().get(*method));
    else
        std::cout << "Methods: " << methodList()
                  << " (add --method NAME to --help for its options)\n";
}

int run(const CLI::App& command, const RunFlags& flags)
{
    if (isGiven(flags.help))
    {
        printRunHelp(valueOf(flags.method));
        return 0;
    }
    rejectUnknown(command);
    rejectRepeated(command);
    const auto data = flags.data.options();
    const auto& method = methodNamed(valueOr(flags.method, ""));
    RunRequest request;
    request.method = &method;
    request.params = flags.methodParams.params(method);
    request.settings = data.settings;
    const auto out = valueOf(flags.out);
    const auto metricsPath = valueOf(flags.metrics);
    auto recordPath = valueOf(flags.record);
    const auto embeddingPath = valueOf(flags.embedding);
    request.checkpointPath = valueOr(flags.checkpoint, "");
    request.cacheDir = valueOr(flags.cacheDir, defaultCacheDir());
    const bool quiet = isGiven(flags.quiet);
    if (out && !recordPath)
        recordPath = recordPathFor(*out);

    // Before any work: no output may replace an input or another one, and each can be written.
    // Training methods also write their checkpoints (the run's and its pretraining's) and
    // their pretraining cache.
    auto outputPaths = givenOutputs({{"--out", out},
                                     {"--metrics", metricsPath},
                                     {"--record", recordPath},
                                     {"--embedding", embeddingPath}});
    if (method.caps.trains && !request.checkpointPath.empty())
    {
        outputPaths.emplace_back("--checkpoint", request.checkpointPath);
        outputPaths.emplace_back("--checkpoint", request.checkpointPath + ".pretrain");
    }
    checkOutputPaths(data.paths, outputPaths);
    const bool h5adOut = out && std::filesystem::path(*out).extension() == ".h5ad";
    const auto refuseH5adOut = [&]
    {
        throw ParameterError("--out " + *out +
                             ": an .h5ad output is a copy of one AnnData (.h5ad) input; "
                             "name a .csv output for this data");
    };
    if (h5adOut && (data.paths.size() != 1 || (detectFormat(data.paths.front()) != "h5ad" &&
                                               detectFormat(data.paths.front()) != "hdf5")))
        refuseH5adOut(); // before any work
    const auto cache = request.params.values().find("cache");
    const bool caches = cache == request.params.values().end() || request.params.boolean("cache");
    if (method.caps.trains && caches && !request.cacheDir.empty())
        checkOutputFolder("--cache-dir", request.cacheDir);

    data.applyCompute();
    RunSources sources;
    const PreparedData prepared = loadAndPrepare(data, !quiet, &sources);
    ConsoleProgress progress(quiet);
    const RunOutcome outcome = runMethod(prepared, request, progress);
    const auto& result = outcome.result;

    std::cout << method.displayName << " on " << prepared.data.rows() << " x "
              << prepared.data.cols() << " (" << outcome.deviceUsed << "): " << outcome.runSeconds
              << " s\n";
    for (const auto& note : outcome.notes)
        std::cout << "  note: " << note << "\n";
    for (const auto& [name, value] : result.stats)
        std::cout << "  " << name << " = " << formatNumber(value) << "\n";
    for (const auto& [name, value] : outcome.metrics)
        std::cout << "  " << name << " = " << formatNumber(value) << "\n";
    for (const auto& warning : outcome.warnings)
        std::cerr << "warning: " << warning << "\n";
    const auto record = runRecord(request, prepared, outcome, sources);
    // All or nothing: each output is written in full before any of them replaces its file.
    OutputSet outputs;
    if (h5adOut)
    {
        // A copy of the one AnnData input with the run's results added (output.h).
        if (prepared.data.format != "h5ad")
            refuseH5adOut();
        // The colours clusterscope (the view, plot) gives the clusters: matched to the labels.
        const auto colors =
            clusterHexColors(clusterColorSlots(result.labels, prepared.data.labels));
        outputs.stage(*out,
                      annDataWithLabels(data.paths.front(), result, prepared.data.inputRows,
                                        "clusterscope_" + method.id, dumpJson(record), colors));
    }
    else if (out)
        outputs.stage(*out, labelsCsv(result, prepared.data.inputRows));
    if (embeddingPath)
    {
        if (!result.embedding.defined())
            throw ParameterError("--embedding: " + method.id + " learns no embedding");
        const bool npy = std::filesystem::path(*embeddingPath).extension() == ".npy";
        outputs.stage(*embeddingPath,
                      npy ? matrixNpy(result.embedding) : matrixCsv(result.embedding, "z"));
    }
    if (metricsPath)
        outputs.stage(*metricsPath, dumpJson(outcome.metrics));
    if (recordPath)
        outputs.stage(*recordPath, dumpJson(record));
    outputs.commit();
    keepInHistory(historyPath(flags.history),
                  historyRunFrom(record, historyLoad(data, sources), "cli", prepared.sourceRows,
                                 result.labels, result.soft),
                  quiet);
    return 0;
}

} // namespace

CommandAction addRunCommand(CLI::App& app)
{
    auto* command = addCommand(app, "run", "cluster a dataset; write labels, metrics and a record");
    auto flags = std::make_shared<RunFlags>(*command);
    return [command, flags] { return run(*command, *flags); };
}

} // namespace clusterscope::cli

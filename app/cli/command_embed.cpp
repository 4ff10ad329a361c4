#include "command_line.h"
#include "commands.h"
#include "data_options.h"
#include "method_options.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>
#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/embed.h>
#include <clusterscope/pipeline/reducer_model.h>
#include <clusterscope/pipeline/run_record.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace clusterscope::cli
{
namespace
{

std::string reducerList()
{
    std::string out;
    for (const auto& r : builtinRegistry().reducers())
        out += (out.empty() ? "" : ", ") + r.id;
    return out;
}

const ReducerInfo& reducerNamed(const std::string& name)
{
    if (name.empty())
        throw ParameterError("--method NAME is required; reducers: " + reducerList());
    if (const auto* r = builtinRegistry().findReducer(name))
        return *r;
    throw ParameterError(
        "--method: '" + name + "' is not a reducer; reducers: " + reducerList() +
        (builtinRegistry().find(name) ? " ('" + name + "' is a clusterer: use run)" : ""));
}

struct EmbedFlags
{
    explicit EmbedFlags(CLI::App& command)
        : help(addSwitch(command, "-h,--help")), data(command),
          method(addValue(command, "--method", "NAME")), out(addValue(command, "--out", "PATH")),
          record(addValue(command, "--record", "PATH")),
          saveModel(addValue(command, "--save-model", "PATH")),
          transformFrom(addValue(command, "--transform-from", "MODEL")),
          qualitySample(addValue(command, "--quality-sample", "N")),
          quiet(addSwitch(command, "--quiet"))
    {
        for (const auto& r : builtinRegistry().reducers())
            params.add(command, r.params);
    }
    CLI::Option* help;
    DataFlags data;
    CLI::Option* method;
    CLI::Option* out;
    CLI::Option* record;
    CLI::Option* saveModel;
    CLI::Option* transformFrom;
    CLI::Option* qualitySample;
    CLI::Option* quiet;
    SchemaFlags params;
};

void printHelp(const std::optional<std::string>& method)
{
    std::cout << "usage: clusterscope-cli embed --data PATH --method NAME [reducer options]\n"
                 "       [--out coords.npy|coords.csv] [--record run.json] [--save-model M.npz]\n"
                 "   or: clusterscope-cli embed --data PATH --transform-from M.npz [--out ...]\n\n"
              << DataOptions::help()
              << "Output:\n"
                 "  --out PATH             the N x d coordinates: float32 .npy when PATH ends in\n"
                 "                         .npy, else CSV id,x0,x1,... (id as in run's labels)\n"
                 "  --record PATH          run record JSON (default: beside --out)\n"
                 "  --save-model PATH      also write the model that places new rows into this\n"
                 "                         map (.npz: model.json and the arrays; reducers with\n"
                 "                         a transform; no --pca, no --scaling but scale01)\n"
                 "  --quality-sample N     query rows for trustworthiness and 15-NN\n"
                 "                         preservation (default 1000; 0 skips them)\n"
                 "  --quiet                no progress on stderr\n\n"
                 "Placing new rows:\n"
                 "  --transform-from PATH  place the rows of --data into the map of a model\n"
                 "                         saved by --save-model (same features, in the same\n"
                 "                         order); the model gives the method and parameters,\n"
                 "                         --seed the placement's negative samples; give\n"
                 "                         the --scaling the model was saved with\n"
                 "\n";
    if (method)
        std::cout << methodHelp(reducerNamed(*method));
    else
        std::cout << "Reducers: " << reducerList()
                  << " (add --method NAME to --help for its options)\n";
}

int embed(const CLI::App& command, const EmbedFlags& flags)
{
    if (isGiven(flags.help))
    {
        printHelp(valueOf(flags.method));
        return 0;
    }
    rejectUnknown(command);
    rejectRepeated(command);
    const auto data = flags.data.options();
    const auto transformFrom = valueOf(flags.transformFrom);
    const auto saveModel = valueOf(flags.saveModel);
    std::optional<SavedReducerModel> model;
    if (transformFrom)
    {
        if (saveModel)
            throw ParameterError("--save-model and --transform-from cannot go together: a "
                                 "placement makes no new map");
        model = readReducerModel(*transformFrom, builtinRegistry());
        if (const auto method = valueOf(flags.method); method && *method != model->reducer->id)
            throw ParameterError("--method " + *method + " does not match the model: " +
                                 *transformFrom + " is a model of " + model->reducer->id);
        if (data.settings.scaling != model->scaling || data.settings.pca > 0)
            throw ParameterError(
                "--transform-from: the model was trained with --scaling " + model->scaling +
                " and no --pca; give the new rows the same (" + "--scaling " +
                data.settings.scaling +
                (data.settings.pca > 0 ? " --pca " + std::to_string(data.settings.pca) : "") +
                " was given)");
        std::string given;
        for (const auto& flag : flags.params.givenOutside({}))
            given += (given.empty() ? "" : ", ") + flag;
        if (!given.empty())
            throw ParameterError("--transform-from uses the model's parameters; drop " + given);
    }
    const auto& reducer = model ? *model->reducer : reducerNamed(valueOr(flags.method, ""));
    std::string foreign;
    for (const auto& flag : flags.params.givenOutside(reducer.params))
        foreign += (foreign.empty() ? "" : ", ") + flag;
    if (!foreign.empty())
        throw ParameterError("unknown option(s) for " + reducer.id + ": " + foreign +
                             " (see embed --help --method " + reducer.id + ")");
    if (saveModel)
        if (const auto why = whyNoReducerModel(reducer, data.settings); !why.empty())
            throw ParameterError("--save-model: " + why);
    EmbedRequest request;
    request.reducer = &reducer;
    request.params = model ? model->model.params : flags.params.values(reducer.params);
    request.settings = data.settings;
    request.transformFrom = model ? &*model : nullptr;
    if (const auto sample = valueOf(flags.qualitySample))
    {
        if (const auto why = detail::checkInteger<int64_t>(*sample); !why.empty())
            throw ParameterError("--quality-sample: " + why);
        request.qualitySample = std::stoll(*sample);
        if (request.qualitySample < 0)
            throw ParameterError("--quality-sample must be 0 (skip) or positive");
    }
    const auto out = valueOf(flags.out);
    auto recordPath = valueOf(flags.record);
    if (out && !recordPath)
        recordPath = recordPathFor(*out);
    auto inputs = data.paths;
    if (transformFrom)
        inputs.push_back(*transformFrom);
    checkOutputPaths(
        inputs,
        givenOutputs({{"--out", out}, {"--record", recordPath}, {"--save-model", saveModel}}));
    const bool quiet = isGiven(flags.quiet);

    data.applyCompute();
    RunSources sources;
    const PreparedData prepared = loadAndPrepare(data, !quiet, &sources);
    ConsoleProgress progress(quiet);
    const EmbedOutcome outcome = runReducer(prepared, request, progress);
    const auto& coords = outcome.reduction.coordinates;

    if (model)
        std::cout << "Placed into " << *transformFrom << " (" << reducer.displayName << " of "
                  << model->trainingRows << " rows): ";
    std::cout << reducer.displayName << " of " << prepared.data.rows() << " x "
              << prepared.data.cols() << " to " << coords.size(1) << " dimensions ("
              << outcome.deviceUsed << "): " << outcome.runSeconds << " s\n";
    for (const auto& note : outcome.notes)
        std::cout << "  note: " << note << "\n";
    for (const auto& [name, value] : outcome.reduction.stats)
        std::cout << "  " << name << " = " << value << "\n";
    for (const auto& [name, value] : outcome.quality)
        std::cout << "  " << name << " = " << value << "\n";
    for (const auto& warning : outcome.reduction.warnings)
        std::cerr << "warning: " << warning << "\n";
    OutputSet outputs;
    if (out)
    {
        const bool npy = std::filesystem::path(*out).extension() == ".npy";
        outputs.stage(*out,
                      npy ? matrixNpy(coords) : matrixCsv(coords, "x", prepared.data.inputRows));
    }
    if (saveModel)
        outputs.stage(*saveModel, embedModelFile(request, prepared, outcome));
    if (recordPath)
        outputs.stage(*recordPath, dumpJson(embedRecord(request, prepared, outcome, sources)));
    outputs.commit();
    return 0;
}

} // namespace

CommandAction addEmbedCommand(CLI::App& app)
{
    auto* command = addCommand(app, "embed",
                               "map a dataset to 2-D or 3-D (PCA, UMAP, t-SNE); write coordinates");
    auto flags = std::make_shared<EmbedFlags>(*command);
    return [command, flags] { return embed(*command, *flags); };
}

} // namespace clusterscope::cli

#include "command_line.h"
#include "commands.h"
#include "data_options.h"
#include "method_options.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>
#include <clusterscope/pipeline/builtin.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>

namespace clusterscope::cli
{

namespace
{

struct BenchFlags
{
    explicit BenchFlags(CLI::App& command)
        : help(addSwitch(command, "-h,--help")), data(command), methodParams(command),
          out(addValue(command, "--out", "PATH")), quiet(addSwitch(command, "--quiet"))
    {
        addInteger(command, "--repeat", repeat);
        command.add_option("METHOD", method)->type_name("METHOD");
    }
    CLI::Option* help;
    DataFlags data;
    MethodFlags methodParams;
    CLI::Option* out;
    CLI::Option* quiet;
    int64_t repeat = 3;
    std::string method;
};

int bench(const CLI::App& command, const BenchFlags& flags)
{
    if (isGiven(flags.help) || flags.method.empty())
    {
        std::cout << "usage: clusterscope-cli bench METHOD --data PATH [method options]\n"
                     "       [--repeat R] [--out bench.json]\n\n"
                     "Times METHOD R times (seeds S, S+1, ...) on the prepared data, after one\n"
                     "untimed warm-up, and writes seconds, iterations, inertia, threads and\n"
                     "device as JSON.\n\n"
                  << DataOptions::help()
                  << "  --repeat R             timed runs (3)\n"
                     "  --out PATH             JSON output (default: stdout)\n\n"
                     "Methods: "
                  << methodList() << "\n"
                  << "Also: 'bench view' times the embedding view (GUI builds, needs X).\n";
        return flags.method.empty() && !isGiven(flags.help) ? 2 : 0;
    }
    rejectUnknown(command);
    rejectRepeated(command);
    const auto& method = builtinRegistry().get(flags.method);
    const auto data = flags.data.options();
    const auto params = flags.methodParams.params(method);
    const int64_t repeat = flags.repeat;
    const auto out = valueOf(flags.out);
    const bool quiet = isGiven(flags.quiet);
    if (repeat < 1)
    {
        throw ParameterError("--repeat must be at least 1");
    }

    // Before any work: the output must not replace the data, and it can be written.
    checkOutputPaths(data.paths, givenOutputs({{"--out", out}}));

    const uint64_t firstSeed = data.settings.seed;
    const auto device = data.applyCompute();
    const auto prepared = loadAndPrepare(data, !quiet);
    const Dataset& dataset = prepared.data;
    auto features = dataset.features.to(device);
    ConsoleProgress progress(true);
    // Warm-up: first-touch page faults and allocator growth are not what we measure.
    method.run(features, params, RunContext{device, firstSeed, &progress});

    auto runs = nlohmann::json::array();
    std::vector<double> seconds;
    for (int64_t r = 0; r < repeat; ++r)
    {
        const uint64_t seed = firstSeed + static_cast<uint64_t>(r);
        const auto t0 = std::chrono::steady_clock::now();
        const auto result = method.run(features, params, RunContext{device, seed, &progress});
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        seconds.push_back(s);
        nlohmann::json run = {{"seed", seed}, {"seconds", s}};
        for (const auto& [name, value] : result.stats)
            run[name] = value;
        runs.push_back(std::move(run));
        if (!quiet)
        {
            std::cerr << "run " << r + 1 << "/" << repeat << ": " << s << " s\n";
        }
    }
    std::sort(seconds.begin(), seconds.end());
    auto paramJson = nlohmann::json::object();
    for (const auto& [name, value] : params.values())
        paramJson[name] = formatValue(value);
    const nlohmann::json report = {
        {"benchmark", method.id},
        {"data", data.describe()},
        {"rows", dataset.rows()},
        {"features", dataset.cols()},
        {"params", paramJson},
        {"environment", environmentRecord(device.str())},
        {"seconds_median", seconds[seconds.size() / 2]},
        {"seconds_min", seconds.front()},
        {"runs", runs},
    };
    emitReport(report, out);
    return 0;
}

} // namespace

CommandAction addBenchCommand(CLI::App& app, const AddSubcommand& addView)
{
    auto* command = addCommand(app, "bench", "time a method and write the numbers as JSON");
    auto flags = std::make_shared<BenchFlags>(*command);
    const CommandAction view = addView(*command);
    return [command, flags, view]
    {
        if (!command->get_subcommands().empty())
        {
            if (!flags->method.empty())
                throw ParameterError("'bench view' takes no METHOD (got '" + flags->method + "')");
            return view();
        }
        return bench(*command, *flags);
    };
}

} // namespace clusterscope::cli

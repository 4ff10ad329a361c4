#include "command_line.h"
#include "commands.h"
#include "data_options.h"
#include "history_options.h"
#include "method_options.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/fingerprint.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>
#include <clusterscope/pipeline/run.h>
#include <clusterscope/pipeline/run_record.h>

#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

namespace clusterscope::cli
{

namespace
{

constexpr const char* kHelp =
    R"(usage: clusterscope-cli history [list] [--filter TEXT] [--method NAME] [--limit N] [--json]
       clusterscope-cli history show ID
       clusterscope-cli history rerun ID [--out labels.csv] [--quiet]
       clusterscope-cli history delete ID...

Every finished run of 'clusterscope-cli run' and of the desktop app is kept in the run
history with its record (parameters, seed, device, versions, input hash, metrics, timings)
and its labels.
  list      the runs, newest first; --filter keeps those whose method, dataset, device,
            origin, parameters or settings contain TEXT; --json prints them as JSON
  show      one run's entry and its run record
  rerun     runs it again with the same data, method, parameters and settings, and says
            whether the labels (and soft assignments) are identical; the data must be the
            same (content hash); the new run is kept too; --out writes its labels CSV
  delete    removes runs and their labels
  --history PATH   the history (default: $CLUSTERSCOPE_HISTORY, else
                   ~/.local/share/clusterscope/history.sqlite)
)";

struct HistoryFlags
{
    explicit HistoryFlags(CLI::App& command)
        : help(addSwitch(command, "-h,--help")), history(addHistoryFlag(command)),
          filter(addValue(command, "--filter", "TEXT")),
          method(addValue(command, "--method", "NAME")), json(addSwitch(command, "--json")),
          out(addValue(command, "--out", "PATH")), quiet(addSwitch(command, "--quiet"))
    {
        addInteger(command, "--limit", limit);
        command.add_option("ARGS", args)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
    }
    CLI::Option* help;
    CLI::Option* history;
    CLI::Option* filter;
    CLI::Option* method;
    CLI::Option* json;
    CLI::Option* out;
    CLI::Option* quiet;
    int64_t limit = 0;
    std::vector<std::string> args;
};

// "acc 0.893, nmi 0.758": the metrics a person reads first, as the GUI's lists show them.
std::string mainMetrics(const std::map<std::string, double>& metrics)
{
    std::ostringstream out;
    for (const char* name : {"acc", "nmi", "ari", "silhouette"})
        if (const auto it = metrics.find(name); it != metrics.end())
            out << (out.tellp() > 0 ? ", " : "") << name << " " << std::fixed
                << std::setprecision(3) << it->second;
    return out.str();
}

nlohmann::json entryJson(const HistoryRun& r)
{
    return {{"id", r.id},
            {"created_utc", r.createdUtc},
            {"origin", r.origin},
            {"method", r.method},
            {"dataset", r.dataset},
            {"input_hash", r.inputHash},
            {"seed", r.seed},
            {"device", r.device},
            {"rows", r.rows},
            {"clusters", r.clusters},
            {"run_seconds", r.runSeconds},
            {"metrics", r.metrics},
            {"load", r.load},
            {"soft_hash", r.softHash}};
}

int64_t runId(const std::string& text)
{
    if (!detail::checkInteger<int64_t>(text).empty())
        throw ParameterError("'" + text +
                             "' is not a run id ('clusterscope-cli history list' shows them)");
    return std::stoll(text);
}

HistoryRun entry(const RunHistory& history, int64_t id)
{
    auto run = history.find(id);
    if (!run)
        throw ParameterError("no run #" + std::to_string(id) + " in " + history.path() +
                             " ('clusterscope-cli history list' shows them)");
    return *run;
}

void list(const RunHistory& history, const HistoryFlags& flags)
{
    const auto runs =
        history.list({valueOr(flags.filter, ""), valueOr(flags.method, ""), flags.limit});
    if (isGiven(flags.json))
    {
        auto out = nlohmann::json::array();
        for (const auto& r : runs)
            out.push_back(entryJson(r));
        std::cout << dumpJson(out);
        return;
    }
    if (runs.empty())
    {
        std::cout << "no runs in " << history.path() << "\n";
        return;
    }
    std::cout << std::left << std::setw(6) << "id" << std::setw(21) << "when (UTC)" << std::setw(5)
              << "from" << std::setw(16) << "method" << std::setw(22) << "dataset" << std::right
              << std::setw(8) << "rows" << std::setw(5) << "k" << std::setw(6) << "seed"
              << "  " << std::left << std::setw(8) << "device" << std::right << std::setw(9)
              << "seconds"
              << "  metrics\n";
    for (const auto& r : runs)
        std::cout << std::left << std::setw(6) << r.id << std::setw(21) << r.createdUtc
                  << std::setw(5) << r.origin << std::setw(16) << r.method << std::setw(22)
                  << r.dataset << std::right << std::setw(8) << r.rows << std::setw(5) << r.clusters
                  << std::setw(6) << r.seed << "  " << std::left << std::setw(8) << r.device
                  << std::right << std::setw(9) << std::fixed << std::setprecision(2)
                  << r.runSeconds << "  " << mainMetrics(r.metrics) << "\n";
}

int rerun(const std::string& historyFile, const HistoryRun& stored, const HistoryFlags& flags)
{
    const bool quiet = isGiven(flags.quiet);
    if (stored.record.contains("input"))
        throw ParameterError("run #" + std::to_string(stored.id) +
                             " clustered an embedding or a selection of its data, which only "
                             "its session holds: open that session in the app and run it there");
    RunRequest request = requestFromRecord(stored.record);
    const auto data = dataOptionsFrom(stored, request.settings);
    const auto out = valueOf(flags.out);
    if (out)
        checkOutputPaths(data.paths, givenOutputs({{"--out", out}}));
    data.applyCompute();
    RunSources sources;
    const PreparedData prepared = loadAndPrepare(data, !quiet, &sources);
    if (prepared.inputHash != stored.inputHash)
        throw DataError(data.paths.front() + ": the data differ from those run #" +
                        std::to_string(stored.id) + " clustered (content hash " +
                        prepared.inputHash + ", then " + stored.inputHash +
                        "): the file changed since, so the run cannot be repeated on it");
    ConsoleProgress progress(quiet);
    const RunOutcome outcome = runMethod(prepared, request, progress);
    std::cout << request.method->displayName << " on " << prepared.data.rows() << " x "
              << prepared.data.cols() << " (" << outcome.deviceUsed << "): " << outcome.runSeconds
              << " s\n";
    const auto& result = outcome.result;
    const auto agreement =
        compareLabels(stored, prepared.sourceRows, result.labels, tensorHash(result.soft));
    std::cout << "run #" << stored.id << " again: " << describeAgreement(agreement) << "\n";
    if (out)
        writeFileAtomically(*out, labelsCsv(result, prepared.data.inputRows));
    keepInHistory(historyFile,
                  historyRunFrom(runRecord(request, prepared, outcome, sources), stored.load, "cli",
                                 prepared.sourceRows, result.labels, result.soft),
                  quiet);
    return 0;
}

int history(const CLI::App& command, const HistoryFlags& flags)
{
    if (isGiven(flags.help))
    {
        std::cout << kHelp;
        return 0;
    }
    rejectUnknown(command);
    rejectRepeated(command);
    const auto path = historyPath(flags.history);
    if (path.empty())
        throw ParameterError("the run history is off (CLUSTERSCOPE_HISTORY=off or "
                             "--history off): name one with --history PATH");
    const std::string action = flags.args.empty() ? "list" : flags.args.front();
    const std::vector<std::string> ids(flags.args.begin() + (flags.args.empty() ? 0 : 1),
                                       flags.args.end());
    const auto needOne = [&]
    {
        if (ids.size() != 1)
            throw ParameterError(action + ": give one run id");
        return runId(ids.front());
    };
    RunHistory history(path);
    if (action == "list")
    {
        if (!ids.empty())
            throw ParameterError("list: unexpected argument '" + ids.front() + "'");
        list(history, flags);
        return 0;
    }
    if (action == "show")
    {
        const auto run = entry(history, needOne());
        auto shown = entryJson(run);
        shown["record"] = run.record;
        std::cout << dumpJson(shown);
        return 0;
    }
    if (action == "rerun")
        return rerun(path, entry(history, needOne()), flags);
    if (action == "delete")
    {
        if (ids.empty())
            throw ParameterError("delete: give the ids of the runs to delete");
        // All or nothing: every id is checked before any run is deleted.
        std::vector<int64_t> checked;
        for (const auto& text : ids)
            checked.push_back(entry(history, runId(text)).id);
        for (const int64_t id : checked)
            if (history.remove(id))
                std::cout << "deleted run #" << id << "\n";
        return 0;
    }
    throw ParameterError("unknown action '" + action +
                         "': use list, show, rerun or delete (see --help)");
}

} // namespace

CommandAction addHistoryCommand(CLI::App& app)
{
    auto* command = addCommand(app, "history", "list, show, re-run and delete past runs");
    auto flags = std::make_shared<HistoryFlags>(*command);
    return [command, flags] { return history(*command, *flags); };
}

} // namespace clusterscope::cli

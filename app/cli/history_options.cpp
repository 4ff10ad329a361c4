#include "history_options.h"

#include "command_line.h"

#include <clusterscope/core/errors.h>

#include <iostream>

namespace clusterscope::cli
{

CLI::Option* addHistoryFlag(CLI::App& command)
{
    return addValue(command, "--history", "PATH");
}

std::string historyPath(const CLI::Option* flag)
{
    const auto given = valueOf(flag);
    if (!given)
        return defaultHistoryPath();
    return *given == "off" ? std::string() : *given;
}

nlohmann::json historyLoad(const DataOptions& data, const RunSources& sources)
{
    return {{"paths", sources.paths},
            {"label_column", data.load.labelColumn},
            {"id_column", data.load.idColumn},
            {"array", data.load.array}};
}

DataOptions dataOptionsFrom(const HistoryRun& run, const RunSettings& settings)
{
    DataOptions o;
    const auto& load = run.load;
    if (!load.is_object() || !load.contains("paths") || !load["paths"].is_array())
        throw ParameterError("history run #" + std::to_string(run.id) +
                             " does not say where its data are");
    for (const auto& p : load["paths"])
        o.paths.push_back(p.get<std::string>());
    o.load.labelColumn = load.value("label_column", std::string());
    o.load.idColumn = load.value("id_column", std::string());
    o.load.array = load.value("array", std::string());
    o.settings = settings;
    applyLoadSettings(settings, o.load);
    return o;
}

int64_t keepInHistory(const std::string& path, const HistoryRun& run, bool quiet)
{
    if (path.empty())
        return 0;
    try
    {
        const int64_t id = RunHistory(path).add(run);
        if (!quiet)
            std::cerr << "history: run #" << id << " in " << path << "\n";
        return id;
    }
    catch (const std::exception& e)
    {
        std::cerr << "warning: the run was not kept in the history: " << e.what() << "\n";
        return 0;
    }
}

} // namespace clusterscope::cli

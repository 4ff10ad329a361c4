// clusterscope-cli explain --data FILE --labels labels.csv --method NAME --out rules.json:
// describes the clusters of a labelling over the data's original features with a registered
// explainer (polyhedral descriptions, IMM and ExKMC threshold trees, profiles). The
// explainer's parameters are flags generated from its schema.

#include "command_line.h"
#include "commands.h"
#include "data_options.h"
#include "method_options.h"
#include "schema_flags.h"
#include "soft_input.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/explain/explain_export.h>
#include <clusterscope/explain/rules.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>
#include <clusterscope/pipeline/builtin.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>

namespace clusterscope::cli
{
namespace
{

std::string explainerList()
{
    std::string out;
    for (const auto& e : builtinRegistry().explainers())
        out += (out.empty() ? "" : ", ") + e.id;
    return out;
}

const ExplainerInfo& explainerNamed(const std::optional<std::string>& name)
{
    if (!name)
        throw ParameterError("--method NAME is required; explainers: " + explainerList());
    if (const auto* e = builtinRegistry().findExplainer(*name))
        return *e;
    throw ParameterError("--method: '" + *name +
                         "' is not an explainer; explainers: " + explainerList());
}

struct ExplainFlags
{
    explicit ExplainFlags(CLI::App& command)
        : help(addSwitch(command, "-h,--help")), data(command),
          labels(addValue(command, "--labels", "PATH")),
          method(addValue(command, "--method", "NAME")), out(addValue(command, "--out", "PATH")),
          text(addValue(command, "--text", "PATH")), latex(addValue(command, "--latex", "PATH")),
          quiet(addSwitch(command, "--quiet"))
    {
        for (const auto& e : builtinRegistry().explainers())
            params.add(command, e.params);
    }
    CLI::Option* help;
    DataFlags data;
    CLI::Option* labels;
    CLI::Option* method;
    CLI::Option* out;
    CLI::Option* text;
    CLI::Option* latex;
    CLI::Option* quiet;
    SchemaFlags params;
};

void explainHelp(const std::optional<std::string>& name)
{
    std::cout
        << "usage: clusterscope-cli explain --data PATH --labels labels.csv --method NAME\n"
           "       [--out rules.json] [--text rules.txt] [--latex rules.tex] [options]\n\n"
           "Describes each cluster of a labelling over the data's original features:\n"
           "  --labels PATH   a labels CSV with a 'cluster' column (as 'run --out' writes it;\n"
           "                  -1 is noise); its 'id' column, when present, picks the data rows\n"
           "                  (a run on --subset explains those rows)\n"
           "  --method NAME   "
        << explainerList()
        << "\n"
           "  --out PATH      JSON: per cluster its rules (each condition as feature names\n"
           "                  with weights, op and threshold, in the file's units), coverage,\n"
           "                  precision, features_used; optimal (proven by the solver); stats\n"
           "  --text PATH     the same as plain text; --latex PATH: a booktabs table\n"
           "                  (any of the three: - for standard output)\n"
           "  --scaling S     explain in the space the run clustered in (the price of\n"
           "                  explainability and ExKMC's cuts depend on it); the rules are\n"
           "                  still written in the file's units\n"
           "  --seed N        seeds what is random (the polyhedral grouping's k-means)\n"
           "  --quiet         no progress on stderr\n\n"
           "Coverage: the share of a cluster's rows its description covers. Precision: the\n"
           "share of the covered rows that belong to the cluster (docs/explanations.md).\n\n"
        << DataOptions::help() << "\n";
    if (name)
        if (const auto* e = builtinRegistry().findExplainer(*name))
        {
            std::cout << methodHelp(*e);
            return;
        }
    for (const auto& e : builtinRegistry().explainers())
        std::cout << methodHelp(e);
}

// The rows the labels describe, in the labels' order: by their ids when the file has them.
std::vector<int64_t> rowsOf(const Dataset& data, const SoftRows& labels, const std::string& path)
{
    std::vector<int64_t> rows;
    if (labels.ids.empty())
    {
        if (static_cast<int64_t>(labels.clusters.size()) != data.rows())
            throw DataError(path + ": has " + std::to_string(labels.clusters.size()) +
                            " rows; the data has " + std::to_string(data.rows()) +
                            " (give the labels of every row, or an 'id' column)");
        for (int64_t i = 0; i < data.rows(); ++i)
            rows.push_back(i);
        return rows;
    }
    std::map<int64_t, int64_t> byInputRow;
    for (int64_t i = 0; i < data.rows(); ++i)
        byInputRow[data.inputRow(i)] = i;
    for (size_t r = 0; r < labels.ids.size(); ++r)
    {
        const auto it = byInputRow.find(labels.ids[r]);
        if (it == byInputRow.end())
            throw DataError(path + ": row " + std::to_string(r + 1) + " has id " +
                            std::to_string(labels.ids[r]) +
                            ", which is not a row of the data: were the labels made from "
                            "another file?");
        rows.push_back(it->second);
    }
    return rows;
}

// The run record beside the labels (labels.run.json) says which data they were made from: labels
// of another table are refused (another feature count) or warned about (another file), since
// their ids may well fit this one's rows.
void checkLabelsRecord(const std::string& labelsPath, const DataOptions& options,
                       const Dataset& data)
{
    const auto recordPath = recordPathFor(labelsPath);
    std::ifstream in(recordPath);
    if (!in)
        return;
    nlohmann::json record;
    try
    {
        in >> record;
    }
    catch (const std::exception&)
    {
        return; // not a record: nothing to compare
    }
    const auto& made = record.value("data", nlohmann::json::object());
    std::vector<std::string> paths;
    for (const auto& p : made.value("paths", nlohmann::json::array()))
        if (p.is_string())
            paths.push_back(p.get<std::string>());
    const std::string from = paths.empty() ? std::string("another dataset") : paths.front();
    if (made.contains("features") && made["features"].is_number_integer() &&
        made["features"].get<int64_t>() != data.cols() &&
        record.value("settings", nlohmann::json::object()).value("pca", 0) == 0)
        throw DataError(labelsPath + ": its run record (" + recordPath +
                        ") says the labels were made from " + from + " with " +
                        std::to_string(made["features"].get<int64_t>()) + " features; --data has " +
                        std::to_string(data.cols()) + ": give the data the run clustered");
    std::vector<std::string> ours;
    for (const auto& p : options.paths)
        ours.push_back(std::filesystem::weakly_canonical(p).string());
    std::vector<std::string> theirs;
    for (const auto& p : paths)
        theirs.push_back(std::filesystem::weakly_canonical(p).string());
    if (!theirs.empty() && theirs != ours)
        std::cerr << "warning: " << labelsPath << " was made from " << from << " (its run record, "
                  << recordPath << "), not from --data " << options.paths.front()
                  << ": check that the labels belong to these rows\n";
}

int explain(const CLI::App& command, const ExplainFlags& flags)
{
    const auto name = valueOf(flags.method);
    if (isGiven(flags.help))
    {
        explainHelp(name);
        return 0;
    }
    rejectUnknown(command);
    rejectRepeated(command);
    const auto& info = explainerNamed(name);
    std::string foreign;
    for (const auto& flag : flags.params.givenOutside(info.params))
        foreign += (foreign.empty() ? "" : ", ") + flag;
    if (!foreign.empty())
        throw ParameterError("unknown option(s) for " + info.id + ": " + foreign +
                             " (see explain --method " + info.id + " --help)");
    const auto params = flags.params.values(info.params);
    const auto options = flags.data.options();
    if (options.settings.subset != 0 || options.settings.pca != 0)
        throw ParameterError("explain describes the clusters over the original features: "
                             "--subset and --pca do not apply (the labels' id column picks the "
                             "rows of a run on a subset)");
    const auto labelsPath = valueOf(flags.labels);
    if (!labelsPath)
        throw ParameterError("--labels PATH is required: a labels CSV with a 'cluster' column, "
                             "as 'run --out' writes it");
    const auto out = valueOf(flags.out);
    const auto text = valueOf(flags.text);
    const auto latex = valueOf(flags.latex);
    if (!out && !text && !latex)
        throw ParameterError("nothing to write: give --out rules.json, --text and/or --latex");
    auto inputs = options.paths;
    inputs.push_back(*labelsPath);
    // "-" is standard output, written after the files.
    const auto file = [](const std::optional<std::string>& path)
    { return path && *path != "-" ? path : std::nullopt; };
    checkOutputPaths(
        inputs,
        givenOutputs({{"--out", file(out)}, {"--text", file(text)}, {"--latex", file(latex)}}));

    const bool quiet = isGiven(flags.quiet);
    options.applyCompute();
    const auto loaded = loadData(options, !quiet);
    const auto labels = loadSoftRows(*labelsPath);
    if (labels.clusters.empty())
        throw DataError(*labelsPath + ": has no 'cluster' column; give the labels CSV that "
                                      "'run --out' writes");
    checkLabelsRecord(*labelsPath, options, loaded.dataset);
    const auto rows = rowsOf(loaded.dataset, labels, *labelsPath);
    const Dataset data = selectRows(loaded.dataset, rows);

    // The explainer sees the features as the run did (--scaling); its rules and numbers are
    // mapped back to the file's units.
    const auto features = applyScaling(data.features, options.settings.scaling);
    ExplainInput input{features, data.featureNames, labels.clusters, data.labelNames};
    ConsoleProgress progress(quiet);
    RunContext context(c10::Device(c10::kCPU), options.settings.seed, &progress);
    if (data.hasLabels())
        context.truth = &data.labels;
    const auto start = std::chrono::steady_clock::now();
    auto e = info.explain(input, params, context);
    toFileFrame(e, fileFrameOf(data.features, features, data.featureOffsets));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::cout << info.displayName << " of " << e.clusters.size() << " clusters over " << data.cols()
              << " features, " << formatNumber(seconds, 3) << " s"
              << (e.optimal ? " (proven optimal)" : "") << "\n";
    for (const auto& c : e.clusters)
    {
        std::cout << "  " << c.cluster << " " << c.name << ": " << c.size << " rows";
        if (!c.rules.empty())
            std::cout << ", coverage " << formatNumber(c.coverage, 3) << ", precision "
                      << formatNumber(c.precision, 3) << ", " << c.rules.size()
                      << (c.rules.size() == 1 ? " rule" : " rules");
        std::cout << "\n";
    }
    if (const auto price = e.stats.find("price_of_explainability"); price != e.stats.end())
        std::cout << "  price of explainability " << formatNumber(price->second, 4)
                  << " (the tree's k-means cost over the clustering's)\n";
    for (const auto& w : e.warnings)
        std::cerr << "warning: " << w << "\n";

    OutputSet outputs;
    std::string printed;
    const auto write = [&](const std::optional<std::string>& path, std::string content)
    {
        if (path && *path == "-")
            printed += content;
        else if (path)
            outputs.stage(*path, std::move(content));
    };
    write(out, explanationJson(e, data.featureNames));
    write(text, explanationText(e, data.featureNames));
    write(latex, explanationLatex(e, data.featureNames));
    outputs.commit();
    std::cout << printed;
    return 0;
}

} // namespace

CommandAction addExplainCommand(CLI::App& app)
{
    auto* command = addCommand(app, "explain", "describe each cluster by rules; write JSON");
    auto flags = std::make_shared<ExplainFlags>(*command);
    return [command, flags] { return explain(*command, *flags); };
}

} // namespace clusterscope::cli

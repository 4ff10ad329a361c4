// clusterscope-cli layout NAME --soft Q.npy --out layout.json [--coords coords.npy]: lays out
// a soft assignment with a registered layout (HCHC). The layout's parameters are flags
// generated from its schema.

#include "command_line.h"
#include "commands.h"
#include "method_options.h"
#include "schema_flags.h"
#include "soft_input.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>
#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/run_record.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

namespace clusterscope::cli
{
namespace
{

std::string layoutList()
{
    std::string out;
    for (const auto& l : builtinRegistry().layouts())
        out += (out.empty() ? "" : ", ") + l.id;
    return out;
}

const LayoutInfo& layoutNamed(const std::string& name)
{
    if (name.empty())
        throw ParameterError("a layout name is required: clusterscope-cli layout NAME; layouts: " +
                             layoutList());
    if (const auto* l = builtinRegistry().findLayout(name))
        return *l;
    throw ParameterError("'" + name + "' is not a layout; layouts: " + layoutList());
}

struct LayoutFlags
{
    explicit LayoutFlags(CLI::App& command)
        : help(addSwitch(command, "-h,--help")), soft(addValue(command, "--soft", "PATH")),
          out(addValue(command, "--out", "PATH")), coords(addValue(command, "--coords", "PATH")),
          quiet(addSwitch(command, "--quiet"))
    {
        addInteger(command, "--seed", seed);
        command.add_option("LAYOUT", name)->type_name("LAYOUT");
        for (const auto& l : builtinRegistry().layouts())
            params.add(command, l.params);
    }
    CLI::Option* help;
    CLI::Option* soft;
    CLI::Option* out;
    CLI::Option* coords;
    CLI::Option* quiet;
    uint64_t seed = 0;
    std::string name;
    SchemaFlags params;
};

void printHelp(const std::string& name)
{
    std::cout
        << "usage: clusterscope-cli layout LAYOUT --soft Q.npy|labels.csv --out layout.json\n"
           "       [--coords coords.npy|coords.csv] [--seed N] [layout options]\n\n"
           "Lays out an N x K soft assignment (non-negative, rows summing to at most 1):\n"
           "  --soft PATH     a 2-D .npy (N x K float32) or a labels CSV with p0..pK-1 columns\n"
           "                  (as 'run --out labels.csv' writes for methods with soft\n"
           "                  assignments)\n"
           "  --out PATH      JSON: cycle (the cluster order), length (its summed\n"
           "                  dissimilarity), anchors (each cluster's angle in degrees, by\n"
           "                  cluster id), exact (true when Held-Karp proved the cycle shortest),\n"
           "                  stats (outliers: their count; cycle_seconds), warnings, seconds\n"
           "  --coords PATH   per sample x, y (the unit disc) and the outlier score: an N x 3\n"
           "                  float32 .npy when PATH ends in .npy, else CSV\n"
           "                  id,x,y,outlier_score,outlier\n"
           "  --seed N        seeds the heuristic (0)\n"
           "  --quiet         no progress on stderr\n\n";
    if (const auto* named = builtinRegistry().findLayout(name))
        std::cout << methodHelp(*named);
    else
        for (const auto& l : builtinRegistry().layouts())
            std::cout << methodHelp(l);
}

// N x 3 float32: x, y and the outlier score.
at::Tensor coordsAndScores(const LayoutResult& r)
{
    const auto xy = floatValues(r.coordinates);
    const auto score = floatValues(r.outlierScores);
    std::vector<float> values;
    values.reserve(score.size() * 3);
    for (size_t i = 0; i < score.size(); ++i)
        values.insert(values.end(), {xy[2 * i], xy[2 * i + 1], score[i]});
    return matrixFromValues(values, static_cast<int64_t>(score.size()), 3);
}

std::string coordsCsv(const LayoutResult& r)
{
    const auto xy = floatValues(r.coordinates);
    const auto score = floatValues(r.outlierScores);
    std::ostringstream out;
    out << "id,x,y,outlier_score,outlier\n";
    for (size_t i = 0; i < score.size(); ++i)
        out << i << "," << formatNumber(xy[2 * i], 9) << "," << formatNumber(xy[2 * i + 1], 9)
            << "," << formatNumber(score[i], 9) << "," << int(r.outliers[i]) << "\n";
    return out.str();
}

int layout(const CLI::App& command, const LayoutFlags& flags)
{
    if (isGiven(flags.help))
    {
        printHelp(flags.name);
        return 0;
    }
    rejectUnknown(command);
    rejectRepeated(command);
    const auto& info = layoutNamed(flags.name);
    std::string foreign;
    for (const auto& flag : flags.params.givenOutside(info.params))
        foreign += (foreign.empty() ? "" : ", ") + flag;
    if (!foreign.empty())
        throw ParameterError("unknown option(s) for " + info.id + ": " + foreign + " (see layout " +
                             info.id + " --help)");
    const auto params = flags.params.values(info.params);
    const auto softPath = valueOf(flags.soft);
    if (!softPath)
        throw ParameterError("--soft PATH is required: the N x K soft assignment (.npy, or a "
                             "labels CSV with p0..pK-1)");
    const auto out = valueOf(flags.out);
    const auto coords = valueOf(flags.coords);
    if (!out && !coords)
        throw ParameterError("nothing to write: give --out layout.json and/or --coords PATH");
    checkOutputPaths({*softPath}, givenOutputs({{"--out", out}, {"--coords", coords}}));

    const auto soft = loadSoft(*softPath);
    ConsoleProgress progress(isGiven(flags.quiet));
    const auto start = std::chrono::steady_clock::now();
    const auto r = layoutSoft(info, soft, params, flags.seed, *softPath, progress);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::cout << info.displayName << " of " << soft.size(0) << " x " << soft.size(1) << ": cycle";
    for (auto c : r.cycle)
        std::cout << " " << c;
    std::cout << ", length " << formatNumber(r.length, 9) << (r.exact ? " (exact)" : " (heuristic)")
              << ", "
              << static_cast<int64_t>(r.stats.count("outliers") ? r.stats.at("outliers") : 0)
              << " outliers, " << formatNumber(seconds, 3) << " s\n";
    for (const auto& w : r.warnings)
        std::cerr << "warning: " << w << "\n";

    OutputSet outputs;
    if (out)
    {
        nlohmann::json doc;
        doc["layout"] = info.id;
        doc["soft"] = *softPath;
        doc["rows"] = soft.size(0);
        doc["clusters"] = soft.size(1);
        doc["cycle"] = r.cycle;
        doc["length"] = r.length;
        doc["anchors"] = r.anchorAngles;
        doc["exact"] = r.exact;
        doc["seed"] = flags.seed;
        doc["parameters"] = paramsJson(params);
        doc["stats"] = r.stats;
        doc["warnings"] = r.warnings;
        doc["seconds"] = seconds;
        if (coords)
            doc["coords"] = *coords;
        outputs.stage(*out, dumpJson(doc));
    }
    if (coords)
    {
        if (std::filesystem::path(*coords).extension() == ".npy")
            outputs.stage(*coords, matrixNpy(coordsAndScores(r)));
        else
            outputs.stage(*coords, coordsCsv(r));
    }
    outputs.commit();
    return 0;
}

} // namespace

CommandAction addLayoutCommand(CLI::App& app)
{
    auto* command = addCommand(app, "layout", "lay out a soft assignment (HCHC); write JSON");
    auto flags = std::make_shared<LayoutFlags>(*command);
    return [command, flags] { return layout(*command, *flags); };
}

} // namespace clusterscope::cli

#include "command_line.h"
#include "commands.h"
#include "data_options.h"
#include "schema_flags.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/table_preview.h>
#include <clusterscope/pipeline/run_settings.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>

namespace clusterscope::cli
{

namespace
{

struct InfoFlags
{
    explicit InfoFlags(CLI::App& command)
        : help(addSwitch(command, "-h,--help")),
          labelColumn(addValue(command, "--label-column", "NAME")),
          idColumn(addValue(command, "--id-column", "NAME")),
          array(addValue(command, "--array", "NAME")),
          dataset(addValue(command, "--dataset", "PATH")), columns(addSwitch(command, "--columns"))
    {
        load.add(command, runSettingsSchema(SettingStage::Load));
        command.add_option("PATH", positionals)
            ->type_name("PATH")
            ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
        addRepeated(command, "--data", data);
    }
    CLI::Option* help;
    CLI::Option* labelColumn;
    CLI::Option* idColumn;
    CLI::Option* array;
    CLI::Option* dataset;
    CLI::Option* columns;
    SchemaFlags load; // the Load-stage settings: --missing, --skip-lines, --image-size, ...
    std::vector<std::string> positionals;
    std::vector<std::string> data;
};

// The import step's table, in text.
int printColumns(const std::vector<std::string>& paths, const LoadOptions& load)
{
    if (paths.size() != 1)
        throw ParameterError("--columns describes one table: give one path");
    const auto p = previewTable(paths.front(), load);
    const std::string delimiter = p.delimiter == "\t"  ? "tab"
                                  : p.delimiter == " " ? "blank"
                                                       : "'" + p.delimiter + "'";
    std::cout << "table:    " << p.rows << " rows, " << p.columns.size() << " columns, "
              << delimiter << "-separated, "
              << (p.countsLine ? "scikit-learn's layout (a first line of counts and class names)"
                  : p.header   ? "with a header line"
                               : "no header line")
              << "\n";
    if (p.proposedSkipLines > 0)
        std::cout << "proposed: --skip-lines " << p.proposedSkipLines
                  << " (the table starts below the first lines, which are read as notes)\n";
    if (!p.proposedLabel.empty())
    {
        // A headerless table's columns are named "column N": the index is the word to give.
        const auto at =
            std::find_if(p.columns.begin(), p.columns.end(),
                         [&](const ColumnPreview& c) { return c.name == p.proposedLabel; });
        std::cout << "proposed: --label-column "
                  << (p.header ? p.proposedLabel : std::to_string(at - p.columns.begin())) << " ("
                  << p.proposedLabelWhy << ")\n";
    }
    if (!p.proposedLabel.empty() || p.proposedSkipLines > 0)
        std::cout << "          (the roles below have the proposals applied; give their flags "
                     "to load it so: the CLI guesses nothing beyond the names label, class and "
                     "target)\n";
    size_t width = 6;
    for (const auto& c : p.columns)
        width = std::max(width, std::min<size_t>(c.name.size(), 32));
    std::cout << std::left << std::setw(static_cast<int>(width) + 2) << "column" << std::setw(10)
              << "type" << std::setw(8) << "values" << std::setw(9) << "missing" << std::setw(10)
              << "role"
              << "why\n";
    for (const auto& c : p.columns)
        std::cout << std::left << std::setw(static_cast<int>(width) + 2) << c.name << std::setw(10)
                  << c.type << std::setw(8)
                  << (c.distinct < 0 ? ">100" : std::to_string(c.distinct)) << std::setw(9)
                  << c.missing << std::setw(10) << columnRoleName(c.role) << c.why << "\n";
    if (p.rowsWithMissing != 0)
        std::cout << "missing:  "
                  << (p.rowsWithMissing < 0 ? std::string("many")
                                            : std::to_string(p.rowsWithMissing))
                  << " rows have a missing value in the labels or in " << p.columnsWithMissing
                  << " feature columns (--missing drop drops them; impute-mean and impute-median "
                     "fill in the features)\n";
    for (const auto& w : p.warnings)
        std::cout << "warning:  " << w << "\n";
    if (!p.error.empty())
        std::cout << "error:    " << p.error << "\n";
    return p.error.empty() ? 0 : 1;
}

int info(const CLI::App& command, const InfoFlags& flags)
{
    if (isGiven(flags.help))
    {
        std::cout << "usage: clusterscope-cli info PATH... [--label-column C] [--id-column C]\n"
                     "                                       [--array A | --dataset PATH]\n"
                     "                                       [--missing P] [--skip-lines N]\n"
                     "                                       [--metadata-columns C,...]\n"
                     "                                       [--ignore-columns C,...]\n"
                     "                                       [--image-size HxW] [--columns]\n"
                     "Prints the shape, the columns, the label counts and the detected format.\n"
                     "Several paths are concatenated by rows (e.g. train and test parts).\n"
                     "--columns: for a CSV/TSV table, each column's type, distinct and missing\n"
                     "values, and role (feature, label, metadata, ignore) with the reason, as the\n"
                     "app's import step shows them, and the label column it would propose.\n";
        return 0;
    }
    rejectUnknown(command);
    rejectRepeated(command);
    LoadOptions load;
    load.labelColumn = valueOr(flags.labelColumn, "");
    load.idColumn = valueOr(flags.idColumn, "");
    load.array = arrayOption(flags.array, flags.dataset);
    {
        ParamSet all(runSettingsSchema());
        const ParamSet given = flags.load.values(runSettingsSchema(SettingStage::Load));
        for (const auto& [name, value] : given.values())
            all.set(name, value);
        applyLoadSettings(runSettingsFrom(all), load);
    }
    auto paths = flags.positionals;
    paths.insert(paths.end(), flags.data.begin(), flags.data.end());
    if (paths.empty())
    {
        throw ParameterError("give a dataset path");
    }
    if (isGiven(flags.columns))
        return printColumns(paths, load);
    const Dataset d = loadDatasets(paths, load);
    std::cout << "source:   " << d.source << "\n"
              << "format:   " << detectFormat(paths.front()) << "\n"
              << "shape:    " << d.rows() << " x " << d.cols() << "\n";
    // The matrices an HDF5 file offers (--dataset, --array), and the one read.
    if ((d.format == "h5ad" || d.format == "hdf5") && paths.size() == 1)
    {
        std::string list;
        for (const auto& a : hdf5Arrays(paths.front()))
            list += (list.empty() ? "" : ", ") + a.name +
                    (a.shape.size() == 2 ? " (" + std::to_string(a.shape[0]) + " x " +
                                               std::to_string(a.shape[1]) + ")"
                                         : std::string());
        std::cout << "matrices: " << list;
        if (!load.array.empty())
            std::cout << "; read: " << load.array;
        std::cout << "\n";
    }
    if (d.droppedRows > 0)
    {
        std::cout << "missing:  " << d.droppedRows << " of " << d.rows() + d.droppedRows
                  << " rows dropped (--missing drop)\n";
    }
    if (d.imputedValues > 0)
    {
        std::cout << "missing:  " << d.imputedValues
                  << (load.missing == MissingPolicy::ImputeMedian
                          ? " values imputed with their column's median (--missing impute-median)\n"
                          : " values imputed with their column's mean (--missing impute-mean)\n");
    }
    if (d.imageShape)
    {
        std::cout << "images:   " << d.imageShape->height << " x " << d.imageShape->width << " x "
                  << d.imageShape->channels << "\n";
    }
    std::cout << "features: ";
    for (size_t i = 0; i < d.featureNames.size() && i < 8; ++i)
    {
        std::cout << (i ? ", " : "") << d.featureNames[i];
    }
    std::cout << (d.featureNames.size() > 8 ? ", ..." : "") << "\n";
    for (const auto& note : centringNotes(d))
    {
        std::cout << "note:     " << note << "\n";
    }
    for (const auto& m : d.metadata)
    {
        std::cout << "metadata: " << m.name << " ("
                  << (m.isNumeric() ? "numeric"
                                    : std::to_string(m.categories.size()) + " categories")
                  << ")\n";
    }
    for (const auto& e : d.embeddings)
    {
        std::cout << "embedding: " << e.name << " (" << e.values.size(0) << " x "
                  << e.values.size(1) << ")\n";
    }
    if (d.hasLabels())
    {
        std::map<int64_t, int64_t> counts;
        for (int64_t l : d.labels)
        {
            ++counts[l];
        }
        // Where the labels came from: a CSV column, an .npz array or an IDX labels file.
        const std::string from = d.format == "npz"    ? "array '" + d.labelColumn + "'"
                                 : d.format == "idx"  ? std::string("IDX labels file")
                                 : d.format == "h5ad" ? "obs column '" + d.labelColumn + "'"
                                                      : "column '" + d.labelColumn + "'";
        std::cout << "labels:   " << from << ", " << counts.size() << " classes\n";
        for (const auto& [label, count] : counts)
        {
            std::cout << "  " << label;
            if (!d.labelNames.empty())
            {
                std::cout << " (" << d.labelText(label) << ")";
            }
            std::cout << ": " << count << "\n";
        }
    }
    else
    {
        // Categorical metadata could be the ground truth: name them for --label-column.
        std::string candidates;
        for (const auto& m : d.metadata)
            if (!m.isNumeric() && m.categories.size() > 1 &&
                static_cast<int64_t>(m.categories.size()) < d.rows())
                candidates += (candidates.empty() ? "" : ", ") + m.name;
        std::cout << "labels:   none"
                  << (candidates.empty() ? std::string()
                                         : " (--label-column takes one of: " + candidates + ")")
                  << "\n";
    }
    for (const auto& warning : d.warnings)
    {
        std::cerr << "warning: " << warning << "\n";
    }
    return 0;
}

} // namespace

CommandAction addInfoCommand(CLI::App& app)
{
    auto* command = addCommand(app, "info", "shape, columns, label counts and format of a dataset");
    auto flags = std::make_shared<InfoFlags>(*command);
    return [command, flags] { return info(*command, *flags); };
}

} // namespace clusterscope::cli

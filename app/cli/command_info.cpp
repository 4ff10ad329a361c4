#include "command_line.h"
#include "commands.h"
#include "data_options.h"

#include <clusterscope/core/errors.h>

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
          dataset(addValue(command, "--dataset", "PATH")),
          missing(addValue(command, "--missing", "POLICY")),
          imageSize(addValue(command, "--image-size", "HxW"))
    {
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
    CLI::Option* missing;
    CLI::Option* imageSize;
    std::vector<std::string> positionals;
    std::vector<std::string> data;
};

int info(const CLI::App& command, const InfoFlags& flags)
{
    if (isGiven(flags.help))
    {
        std::cout << "usage: clusterscope-cli info PATH... [--label-column C] [--id-column C]\n"
                     "                                       [--array A | --dataset PATH]\n"
                     "                                       [--missing P]\n"
                     "                                       [--image-size HxW]\n"
                     "Prints the shape, the columns, the label counts and the detected format.\n"
                     "Several paths are concatenated by rows (e.g. train and test parts).\n";
        return 0;
    }
    rejectUnknown(command);
    rejectRepeated(command);
    LoadOptions load;
    load.labelColumn = valueOr(flags.labelColumn, "");
    load.idColumn = valueOr(flags.idColumn, "");
    load.array = arrayOption(flags.array, flags.dataset);
    load.missing = parseMissingPolicy(valueOr(flags.missing, "error"));
    load.imageSize = valueOr(flags.imageSize, "");
    auto paths = flags.positionals;
    paths.insert(paths.end(), flags.data.begin(), flags.data.end());
    if (paths.empty())
    {
        throw ParameterError("give a dataset path");
    }
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
                  << " values imputed with their column's mean (--missing impute-mean)\n";
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

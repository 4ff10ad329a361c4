#include "commands.h"
#include "data_options.h"

#include <clusterscope/core/errors.h>

#include <iostream>
#include <map>

namespace clusterscope::cli
{

int infoCommand(Arguments& args)
{
    if (args.takeSwitch("--help"))
    {
        std::cout << "usage: clusterscope-cli info PATH... [--label-column C] [--array A]\n"
                     "                                       [--missing P]\n"
                     "Prints the shape, the columns, the label counts and the detected format.\n"
                     "Several paths are concatenated by rows (e.g. train and test parts).\n";
        return 0;
    }
    LoadOptions load;
    load.labelColumn = args.takeOr("--label-column", "");
    load.array = args.takeOr("--array", "");
    load.missing = parseMissingPolicy(args.takeOr("--missing", "error"));
    auto paths = args.takePositionals();
    for (auto& p : args.takeAll("--data"))
    {
        paths.push_back(p);
    }
    args.expectAllTaken();
    if (paths.empty())
    {
        throw ParameterError("give a dataset path");
    }
    const Dataset d = loadDatasets(paths, load);
    std::cout << "source:   " << d.source << "\n"
              << "format:   " << detectFormat(paths.front()) << "\n"
              << "shape:    " << d.rows() << " x " << d.cols() << "\n";
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
    for (const auto& m : d.metadata)
    {
        std::cout << "metadata: " << m.name << " ("
                  << (m.isNumeric() ? "numeric"
                                    : std::to_string(m.categories.size()) + " categories")
                  << ")\n";
    }
    if (d.hasLabels())
    {
        std::map<int64_t, int64_t> counts;
        for (int64_t l : d.labels)
        {
            ++counts[l];
        }
        // Where the labels came from: a CSV column, an .npz array or an IDX labels file.
        const std::string from = d.format == "npz"   ? "array '" + d.labelColumn + "'"
                                 : d.format == "idx" ? std::string("IDX labels file")
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
        std::cout << "labels:   none\n";
    }
    return 0;
}

} // namespace clusterscope::cli

#include "data_options.h"

#include "command_line.h"

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace clusterscope::cli
{

DataFlags::DataFlags(CLI::App& command)
    : labelColumn_(addValue(command, "--label-column", "NAME")),
      idColumn_(addValue(command, "--id-column", "NAME")),
      array_(addValue(command, "--array", "NAME")), dataset_(addValue(command, "--dataset", "PATH"))
{
    addRepeated(command, "--data", paths_);
    settings_.add(command, runSettingsSchema());
}

std::string arrayOption(const CLI::Option* array, const CLI::Option* dataset)
{
    if (isGiven(array) && isGiven(dataset))
        throw ParameterError("--array and --dataset both name the matrix to read: give one");
    return isGiven(dataset) ? valueOr(dataset, "") : valueOr(array, "");
}

DataOptions DataFlags::options() const
{
    DataOptions o;
    o.paths = paths_;
    o.load.labelColumn = valueOr(labelColumn_, "");
    o.load.idColumn = valueOr(idColumn_, "");
    o.load.array = arrayOption(array_, dataset_);
    o.settings = runSettingsFrom(settings_.values(runSettingsSchema()));
    applyLoadSettings(o.settings, o.load);
    return o;
}

std::string DataOptions::help()
{
    std::ostringstream out;
    out << "Data:\n"
           "  --data PATH            CSV/TSV, .npy, .npz, IDX (.gz), AnnData .h5ad or HDF5\n"
           "                         (.h5) file, a folder of IDX files, or a folder of PNG/\n"
           "                         JPEG images (class subfolders become labels); repeat to\n"
           "                         concatenate rows (train + test)\n"
           "  --label-column NAME    ground-truth column: a name, a 0-based index, 'last', or\n"
           "                         'none' for no labels (default: a column named label,\n"
           "                         labels, class or target, in any case, if present);\n"
           "                         in an .npz, the labels array (default: y/labels/target);\n"
           "                         in an .h5ad, an obs column (e.g. cell_type)\n"
           "  --id-column NAME       column that identifies the rows, kept out of the features:\n"
           "                         a name, a 0-based index, 'last', or 'none' to keep every\n"
           "                         numeric column a feature (default: a column of the row\n"
           "                         numbers, or of distinct integers named id, index, row,\n"
           "                         Unnamed: 0 or left empty, with a warning)\n"
           "  --array NAME           in an .npz, the features array (default: the only one,\n"
           "                         or X/data/features/embedding); in an .h5ad, X or a\n"
           "                         layer (NAME or layers/NAME); in an HDF5 file, a 2-D\n"
           "                         dataset's path (/group/matrix; default: the only one)\n"
           "  --dataset PATH         the same as --array, by h5py's word for an HDF5 matrix\n"
           "Settings:\n";
    // One column for "--flag type", as wide as the longest plus a space, and no narrower than
    // the data flags' above.
    size_t width = 23;
    for (const auto& p : runSettingsSchema())
        width = std::max(width, p.flag().size() + 1 + p.typeName().size() + 1);
    for (const auto& p : runSettingsSchema())
    {
        const std::string flag = p.flag() + " " + p.typeName();
        out << "  " << std::left << std::setw(static_cast<int>(width)) << flag << p.help
            << " (default " << formatValue(p.defaultValue)
            << (p.type == ParamType::Choice ? ", one of " + p.describeRange() : "") << ")\n";
    }
    return out.str();
}

nlohmann::json DataOptions::describe() const
{
    const auto& s = settings;
    return {{"paths", paths},
            {"label_column", load.labelColumn},
            {"id_column", load.idColumn},
            {"subset", s.subset},
            {"scale", s.scaling},
            {"pca", s.pca},
            {"pca_solver", s.pcaSolver},
            {"missing", s.missing},
            {"image_size", s.imageSize}};
}

c10::Device DataOptions::applyCompute() const
{
    applyThreadSettings(settings.threads);
    return resolveDevice(settings.device);
}

LoadedData loadData(const DataOptions& o, bool verbose)
{
    if (o.paths.empty())
        throw ParameterError("--data PATH is required");
    const auto t0 = std::chrono::steady_clock::now();
    LoadedData out{loadDatasets(o.paths, o.load), {}};
    out.sources =
        loadedSources(o.paths, out.dataset, o.settings,
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    out.sources.idColumn = o.load.idColumn;
    out.sources.array = o.load.array;
    for (const auto& warning : out.dataset.warnings)
        std::cerr << "warning: " << warning << "\n";
    if (verbose)
        std::cerr << "labels: "
                  << (out.dataset.hasLabels() ? "column '" + out.dataset.labelColumn + "'"
                                              : std::string("none"))
                  << "\n";
    return out;
}

PreparedData loadAndPrepare(const DataOptions& o, bool verbose, RunSources* sources)
{
    auto loaded = loadData(o, verbose);
    if (sources)
        *sources = loaded.sources;
    auto prepared = prepareData(loaded.dataset, o.settings, nullProgress());
    if (verbose && prepared.pcaVarianceKept >= 0)
        std::cerr << "PCA: " << o.settings.pca << " components keep "
                  << prepared.pcaVarianceKept * 100 << "% of the variance\n";
    if (verbose && prepared.droppedRows > 0)
        std::cerr << "missing values: dropped " << prepared.droppedRows << " rows\n";
    if (verbose && prepared.imputedValues > 0)
        std::cerr << "missing values: imputed " << prepared.imputedValues << " values\n";
    return prepared;
}

std::string recordPathFor(const std::string& outputPath)
{
    std::filesystem::path p(outputPath);
    return (p.parent_path() / (p.stem().string() + ".run.json")).string();
}

void emitReport(const nlohmann::json& report, const std::optional<std::string>& out)
{
    if (out)
        writeFileAtomically(*out, dumpJson(report));
    else
        std::cout << dumpJson(report);
}

} // namespace clusterscope::cli

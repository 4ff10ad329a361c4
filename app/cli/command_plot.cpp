// clusterscope-cli plot: the GUI's figure, without a window or a display. The points are the
// data's first two principal components (or its two columns, for precomputed embeddings),
// coloured by the labels file or by the ground truth.

#include "coloring.h"
#include "command_line.h"
#include "commands.h"
#include "data_options.h"
#include "figure_renderer.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/view_projection.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/output_paths.h>

#include <QFileInfo>
#include <QGuiApplication>

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>

namespace clusterscope::cli
{

namespace
{

// Reads the `cluster` column of a labels CSV as written by `run`; returns the clusters in id order.
std::vector<int64_t> readLabels(const std::string& path, int64_t rows)
{
    LoadOptions o;
    o.labelColumn = "cluster";
    const Dataset labels = loadDataset(path, o);
    if (labels.rows() != rows)
    {
        throw DataError(path + ": has " + std::to_string(labels.rows()) + " labels; the data has " +
                        std::to_string(rows) + " rows");
    }
    return labels.labels;
}

struct PlotFlags
{
    explicit PlotFlags(CLI::App& command)
        : help(addSwitch(command, "-h,--help")), data(command),
          labels(addValue(command, "--labels", "PATH")), out(addValue(command, "--out", "PATH")),
          title(addValue(command, "--title", "TEXT"))
    {
        addInteger(command, "--scale", scale);
        addInteger(command, "--width", width);
        addInteger(command, "--height", height);
    }
    CLI::Option* help;
    DataFlags data;
    CLI::Option* labels;
    CLI::Option* out;
    CLI::Option* title;
    int scale = 1;
    int width = 900;
    int height = 640;
};

int plot(const CLI::App& command, const PlotFlags& flags)
{
    if (isGiven(flags.help))
    {
        std::cout << "usage: clusterscope-cli plot --data PATH [--labels labels.csv] --out FIG\n"
                     "       [--scale 1|2|4] [--title T] [--width W] [--height H]\n\n"
                     "Draws the data's first two principal components (or its two columns),\n"
                     "coloured by the clusters in --labels, else by the ground truth. The format\n"
                     "follows the extension: .png, .svg or .pdf. Text, axes and the legend are\n"
                     "vector in SVG and PDF; above "
                  << kVectorPointLimit << " points the points become one embedded raster layer.\n\n"
                  << DataOptions::help();
        return 0;
    }
    rejectUnknown(command);
    rejectRepeated(command);
    const auto data = flags.data.options();
    const uint64_t seed = data.settings.seed;
    const auto labelsPath = valueOf(flags.labels);
    const auto out = valueOf(flags.out);
    const int scale = flags.scale;
    const auto title = valueOf(flags.title);
    const int width = flags.width;
    const int height = flags.height;
    if (!out)
    {
        throw ParameterError("--out FIG.png|svg|pdf is required");
    }
    if (scale != 1 && scale != 2 && scale != 4)
    {
        throw ParameterError("--scale must be 1, 2 or 4");
    }

    // Before any work: the figure must not replace the data or the labels, and can be written.
    auto inputs = data.paths;
    if (labelsPath)
        inputs.push_back(*labelsPath);
    checkOutputPaths(inputs, {{"--out", *out}});

    // Fonts and painting need a QGuiApplication; the offscreen platform needs no display.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR"))
    {
        // What Qt would make itself, minus its warning on stderr.
        char dir[] = "/tmp/clusterscope-runtime-XXXXXX";
        if (::mkdtemp(dir))
            qputenv("XDG_RUNTIME_DIR", dir);
    }
    int argc = 1;
    char name[] = "clusterscope-cli";
    char* argv[] = {name, nullptr};
    QGuiApplication app(argc, argv);

    const auto prepared = loadAndPrepare(data, false);
    const Dataset& dataset = prepared.data;
    FigureScene scene;
    scene.xyz = viewCoordinates(dataset.features, 2, seed);
    scene.xLabel = dataset.cols() == 2 ? QString::fromStdString(dataset.featureNames[0]) : "PC 1";
    scene.yLabel = dataset.cols() == 2 ? QString::fromStdString(dataset.featureNames[1]) : "PC 2";
    scene.title = title ? QString::fromStdString(*title)
                        : QFileInfo(QString::fromStdString(data.paths.front())).fileName();
    const auto clusters =
        labelsPath ? readLabels(*labelsPath, dataset.rows()) : std::vector<int64_t>{};
    colorScene(scene, dataset, clusters, labelsPath ? "cluster" : "truth");
    FigureOptions options;
    options.size = QSize(width, height);
    options.scale = scale;
    const double legend = scene.legend.empty() && !scene.colorBar ? 0 : 180;
    scene.aspect = (width - legend - 80.0) / (height - 88.0);
    scene.viewProjection = fitOrthographic(scene.xyz, scene.aspect);
    const QString problem = renderFigure(scene, QString::fromStdString(*out), options);
    if (!problem.isEmpty())
    {
        throw Error(problem.toStdString());
    }
    std::cout << "wrote " << *out << " (" << dataset.rows() << " points)\n";
    return 0;
}

} // namespace

CommandAction addPlotCommand(CLI::App& app)
{
    auto* command = addCommand(app, "plot", "draw a figure (PNG, SVG, PDF) of a dataset");
    auto flags = std::make_shared<PlotFlags>(*command);
    return [command, flags] { return plot(*command, *flags); };
}

} // namespace clusterscope::cli

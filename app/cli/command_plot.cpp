// clusterscope-cli plot: the GUI's figures, without a window or a display. The points are the
// data's first two principal components (or its two columns, for precomputed embeddings),
// coloured by the labels file or by the ground truth; with --soft, the layout of a soft
// assignment (HCHC's circle of anchors) as the GUI's Layout dock draws it.

#include "coloring.h"
#include "command_line.h"
#include "commands.h"
#include "data_options.h"
#include "figure_renderer.h"
#include "hchc_figure.h"
#include "method_options.h"
#include "palette.h"
#include "soft_input.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/view_projection.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/output_paths.h>
#include <clusterscope/metrics/metrics.h>
#include <clusterscope/pipeline/builtin.h>

#include <QFileInfo>
#include <QGuiApplication>

#include <cstdlib>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <numeric>
#include <set>

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
          title(addValue(command, "--title", "TEXT")), soft(addValue(command, "--soft", "PATH")),
          layout(addValue(command, "--layout", "NAME"))
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
    CLI::Option* soft;
    CLI::Option* layout;
    int scale = 1;
    int width = 900;
    int height = 640;
};

const LayoutInfo& defaultLayout()
{
    return builtinRegistry().layouts().front();
}

const LayoutInfo& layoutNamed(const std::optional<std::string>& name)
{
    if (!name)
        return defaultLayout();
    if (const auto* l = builtinRegistry().findLayout(*name))
        return *l;
    std::string known;
    for (const auto& l : builtinRegistry().layouts())
        known += (known.empty() ? "" : ", ") + l.id;
    throw ParameterError("--layout: '" + *name + "' is not a layout; layouts: " + known);
}

// The layout of `soft` (one row per data row) as a figure: samples coloured as `colours`
// says (its rgb, legend and title kept), anchors named by the data's labels and coloured as
// their cluster, or as their majority true label when the samples are coloured by the truth.
FigureScene layoutFigure(const Dataset& data, const at::Tensor& soft,
                         const std::vector<int64_t>& clusters, const LayoutInfo& info,
                         const std::string& softPath, uint64_t seed, const FigureScene& colours,
                         bool byTruth)
{
    ConsoleProgress progress(true);
    const auto r = layoutSoft(info, soft, ParamSet(info.params), seed, softPath, progress);
    const int64_t k = soft.size(1);
    HchcScene scene;
    scene.xy = floatValues(r.coordinates);
    scene.cycle = r.cycle;
    scene.anchorAngles = r.anchorAngles;
    scene.outliers = r.outliers;
    std::vector<int64_t> rows(static_cast<size_t>(data.rows()));
    std::iota(rows.begin(), rows.end(), int64_t{0});
    scene.anchorLabels = hchcAnchorLabels(clusters, rows, data, k);
    const auto majority =
        byTruth ? majorityLabels(clusters, data.labels, k) : std::vector<MajorityLabel>{};
    // The palette of the samples' colouring (coloring.h): a label's colour is its rank.
    const ColorSlots slots = clusterColorSlots(clusters, data.labels);
    const std::set<int64_t> labels(data.labels.begin(), data.labels.end());
    auto rankOf = [&labels](int64_t label)
    { return static_cast<int64_t>(std::distance(labels.begin(), labels.find(label))); };
    for (int64_t c = 0; c < k; ++c)
    {
        const QColor colour =
            byTruth ? categoricalColor(rankOf(majority[static_cast<size_t>(c)].label), slots.count)
                    : clusterColor(slots, c);
        scene.anchorRgb.insert(scene.anchorRgb.end(), {static_cast<uint8_t>(colour.red()),
                                                       static_cast<uint8_t>(colour.green()),
                                                       static_cast<uint8_t>(colour.blue())});
    }
    FigureScene f = hchcFigureScene(scene, colours.rgb, colours.pointSize, 10.5, colours.title);
    f.legend = colours.legend;
    f.legendTitle = colours.legendTitle;
    f.background = colours.background;
    f.category = colours.category;
    f.style = colours.style;
    f.colorBar = colours.colorBar;
    f.colorBarMin = colours.colorBarMin;
    f.colorBarMax = colours.colorBarMax;
    f.aspect = colours.aspect;
    f.viewProjection = hchcFitProjection(colours.aspect);
    return f;
}

int plot(const CLI::App& command, const PlotFlags& flags)
{
    if (isGiven(flags.help))
    {
        std::cout << "usage: clusterscope-cli plot --data PATH [--labels labels.csv] --out FIG\n"
                     "       [--soft Q.npy|labels.csv [--layout NAME]]\n"
                     "       [--scale 1|2|4] [--title T] [--width W] [--height H]\n\n"
                     "Draws the data's first two principal components (or its two columns),\n"
                     "coloured by the clusters in --labels, else by the ground truth. With\n"
                     "--soft (an N x K .npy, or a labels CSV with p0..pK-1), draws instead the\n"
                     "layout of that soft assignment (--layout, default "
                  << defaultLayout().id
                  << ", with its default\n"
                     "parameters and --seed): the anchors on the circle, labelled with the\n"
                     "cluster id, its majority true label and its size. The format\n"
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
    const auto softPath = valueOf(flags.soft);
    const LayoutInfo* layout = nullptr;
    if (softPath)
        layout = &layoutNamed(valueOf(flags.layout));
    else if (isGiven(flags.layout))
        throw ParameterError("--layout lays out a soft assignment: give it with --soft Q.npy");
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
    if (softPath)
        inputs.push_back(*softPath);
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
    const at::Tensor soft = softPath ? loadSoft(*softPath) : at::Tensor();
    if (softPath && soft.size(0) != dataset.rows())
        throw DataError(*softPath + ": has " + std::to_string(soft.size(0)) +
                        " rows of soft assignments; the data has " +
                        std::to_string(dataset.rows()) +
                        " rows (give the data the run clustered, with the same --subset)");
    // A labels CSV names each row's data row: it must be the row plotted beside it.
    const SoftRows softRows = softPath ? loadSoftRows(*softPath) : SoftRows{};
    for (size_t i = 0; i < softRows.ids.size(); ++i)
        if (softRows.ids[i] != dataset.inputRow(static_cast<int64_t>(i)))
            throw DataError(*softPath + ": row " + std::to_string(i + 1) + " is data row " +
                            std::to_string(softRows.ids[i]) + ", but row " + std::to_string(i + 1) +
                            " of the data plotted is data row " +
                            std::to_string(dataset.inputRow(static_cast<int64_t>(i))) +
                            ": plot the data the run clustered, with its --subset, --seed "
                            "and --missing");
    FigureScene scene;
    std::vector<double> explained;
    scene.xyz = viewCoordinates(dataset.features, 2, seed, nullptr, &explained);
    const auto axes = viewAxisTitles(dataset.featureNames, explained, 2);
    scene.xLabel = QString::fromStdString(axes[0]);
    scene.yLabel = QString::fromStdString(axes[1]);
    scene.title = title ? QString::fromStdString(*title)
                        : QFileInfo(QString::fromStdString(data.paths.front())).fileName();
    auto clusters = labelsPath ? readLabels(*labelsPath, dataset.rows()) : std::vector<int64_t>{};
    // A soft assignment without labels or truth colours by its largest memberships.
    const bool byCluster = labelsPath || (softPath && !dataset.hasLabels());
    // The run's own clusters where the file has them (its p columns are rounded, so their
    // largest may tie), else the largest memberships.
    const auto softClusters = !softRows.clusters.empty() ? softRows.clusters
                              : softPath                 ? intValues(soft.argmax(1))
                                                         : std::vector<int64_t>{};
    if (softPath && clusters.empty())
        clusters = softClusters;
    colorScene(scene, dataset, clusters, byCluster ? "cluster" : "truth");
    FigureOptions options;
    options.size = QSize(width, height);
    options.scale = scale;
    fitToData(scene);
    if (layout)
        scene =
            layoutFigure(dataset, soft, softClusters, *layout, *softPath, seed, scene, !byCluster);
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

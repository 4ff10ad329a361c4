// clusterscope-cli bench view: milliseconds per frame of the embedding view at N points, in a
// real window (run it under xvfb-run on a server). Frames are timed from the scene change to
// the end of Qt's composite, as a user would see them.

#include "command_line.h"
#include "commands.h"
#include "data_options.h"
#include "embedding_view.h"
#include "palette.h"
#include "vtk_view_widget.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/output.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QSurfaceFormat>
#include <vtkCamera.h>
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkRendererCollection.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <random>

namespace clusterscope::cli
{

namespace
{

// Five Gaussian clusters in 3D, coloured by cluster.
void blobs(int64_t n, std::vector<float>& xyz, std::vector<uint8_t>& rgb)
{
    std::mt19937_64 rng(0);
    std::normal_distribution<float> gauss;
    std::vector<int64_t> ids(static_cast<size_t>(n));
    xyz.resize(static_cast<size_t>(n) * 3);
    for (int64_t i = 0; i < n; ++i)
    {
        const int64_t c = i % 5;
        ids[static_cast<size_t>(i)] = c;
        for (int a = 0; a < 3; ++a)
            xyz[static_cast<size_t>(i * 3 + a)] =
                gauss(rng) + static_cast<float>(((c + a) % 3) * 4);
    }
    rgb = categoricalColors(ids);
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double mean(const std::vector<double>& v)
{
    double s = 0;
    for (double x : v)
        s += x;
    return s / static_cast<double>(v.size());
}

struct ViewBenchFlags
{
    explicit ViewBenchFlags(CLI::App& command)
        : help(addSwitch(command, "-h,--help")), points(addValue(command, "--points", "N,N,...")),
          out(addValue(command, "--out", "PATH"))
    {
        addInteger(command, "--frames", frames);
    }
    CLI::Option* help;
    CLI::Option* points;
    CLI::Option* out;
    int frames = 20;
};

int viewBench(const CLI::App& command, const ViewBenchFlags& flags)
{
    if (isGiven(flags.help))
    {
        std::cout << "usage: clusterscope-cli bench view [--points 100000,1000000] [--frames 20]\n"
                     "       [--out view.json]\n"
                     "Times the embedding view in a window of 800 x 600 (needs an X server:\n"
                     "xvfb-run on a headless machine): the first frame, frames of a still\n"
                     "camera after a change, and frames while the camera moves (level of\n"
                     "detail above "
                  << EmbeddingView::kLevelOfDetailThreshold << " points).\n";
        return 0;
    }
    rejectUnknown(command);
    rejectRepeated(command);
    std::vector<int64_t> sizes;
    for (const auto& part :
         QString::fromStdString(valueOr(flags.points, "100000,1000000")).split(','))
    {
        const std::string text = part.toStdString();
        if (const auto problem = detail::checkInteger<int64_t>(text); !problem.empty())
            throw ParameterError("--points: " + problem);
        sizes.push_back(std::stoll(text));
        if (sizes.back() < 1)
            throw ParameterError("--points: each count must be at least 1");
    }
    const int frames = flags.frames;
    if (frames < 1)
        throw ParameterError("--frames must be at least 1");
    const auto out = valueOf(flags.out);

    QSurfaceFormat::setDefaultFormat(VtkViewWidget::defaultFormat());
    int argc = 1;
    char name[] = "clusterscope-cli";
    char* argv[] = {name, nullptr};
    QApplication app(argc, argv);
    EmbeddingView view;
    view.resize(800, 600);
    view.show();
    view.setThreeD(true);
    QElapsedTimer wait;
    wait.start();
    while (wait.elapsed() < 500)
        QApplication::processEvents();
    auto* gl = view.findChild<VtkViewWidget*>();
    auto* window = gl->renderWindow();
    auto* camera = window->GetRenderers()->GetFirstRenderer()->GetActiveCamera();
    auto frame = [&]
    {
        QElapsedTimer t;
        t.start();
        window->Render();
        gl->repaint(); // the blit and Qt's composite, synchronously
        return static_cast<double>(t.nsecsElapsed()) / 1e6;
    };

    auto results = nlohmann::json::array();
    for (int64_t n : sizes)
    {
        std::vector<float> xyz;
        std::vector<uint8_t> rgb;
        blobs(n, xyz, rgb);
        view.setPoints(xyz);
        view.setColors(rgb);
        const double first = frame();
        std::vector<double> still;
        for (int i = 0; i < frames; ++i)
        {
            camera->Azimuth(2);
            still.push_back(frame());
        }
        // While the camera moves, the view draws its level of detail (as during a drag).
        view.beginInteraction();
        std::vector<double> moving;
        for (int i = 0; i < frames; ++i)
        {
            camera->Azimuth(2);
            moving.push_back(frame());
        }
        view.endInteraction();
        std::cerr << n << " points: first " << first << " ms, still median " << median(still)
                  << " ms, moving median " << median(moving) << " ms\n";
        results.push_back(
            nlohmann::json{{"points", n},
                           {"level_of_detail", n > EmbeddingView::kLevelOfDetailThreshold},
                           {"first_frame_ms", first},
                           {"still_ms_median", median(still)},
                           {"still_ms_mean", mean(still)},
                           {"moving_ms_median", median(moving)},
                           {"moving_ms_mean", mean(moving)}});
    }
    const nlohmann::json report = {{"benchmark", "view"},
                                   {"window", "800x600"},
                                   {"frames", frames},
                                   {"platform", QApplication::platformName().toStdString()},
                                   {"results", results}};
    emitReport(report, out);
    return 0;
}

} // namespace

CommandAction addViewBenchCommand(CLI::App& bench)
{
    auto* command = addCommand(bench, "view", "time the embedding view (needs an X server)");
    auto flags = std::make_shared<ViewBenchFlags>(*command);
    return [command, flags] { return viewBench(*command, *flags); };
}

} // namespace clusterscope::cli

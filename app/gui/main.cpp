// clusterscope: the desktop app. `clusterscope FILE...` opens the files given.

#include "demo_dataset.h"
#include "job_runner.h"
#include "main_window.h"
#include "session_actions.h"
#include "vtk_view_widget.h"

#include <clusterscope/core/device.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
#include <QSurfaceFormat>
#include <QTimer>

#include <cstdio>

namespace
{

// --screenshot: once the files have opened (or failed to), saves the window as a PNG and quits:
// a check that the installed app starts and draws, and a way to take docs' pictures.
void screenshotWhenOpened(clusterscope::MainWindow& window, clusterscope::Job* job,
                          const QString& path)
{
    const auto shoot = [&window, job, path]
    {
        // A moment for the view's first frame after the data arrive.
        QTimer::singleShot(
            1000, &window,
            [&window, job, path]
            {
                const bool opened = !job || job->state() == clusterscope::Job::State::Finished;
                if (!window.grab().save(path, "PNG"))
                    std::fprintf(stderr, "clusterscope: could not write %s\n", qPrintable(path));
                else if (!opened)
                    std::fprintf(stderr, "clusterscope: the files did not open: %s\n",
                                 qPrintable(job->error()));
                QApplication::exit(opened ? 0 : 1);
            });
    };
    if (job && job->isRunning())
        QObject::connect(job, &clusterscope::Job::finished, &window, shoot);
    else
        shoot();
}

} // namespace

int main(int argc, char** argv)
{
    clusterscope::restartWithBestBlasKernels(argv);
    // OpenBLAS's thread count is process-wide: set once here, never from a worker.
    clusterscope::applyBlasThreads({});
    // VTK needs this GL format, and it must be the default before the application exists.
    QSurfaceFormat::setDefaultFormat(clusterscope::VtkViewWidget::defaultFormat());
    QApplication app(argc, argv);
    QApplication::setApplicationName("ClusterScope");
    QApplication::setOrganizationName("ClusterScope");
    QApplication::setApplicationVersion(CLUSTERSCOPE_VERSION);
    // The .desktop file's name, so that Wayland shells match the window to its icon.
    QGuiApplication::setDesktopFileName("org.clusterscope.ClusterScope");

    QCommandLineParser parser;
    parser.setApplicationDescription("A workbench for deep clustering");
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo("demo", "Open the bundled demo dataset (scikit-learn's digits).");
    const QCommandLineOption screenshot(
        "screenshot", "Once the files have opened, save the window as a PNG and quit.", "file");
    parser.addOptions({demo, screenshot});
    parser.addPositionalArgument("files", "Datasets to open (several files are joined by rows), "
                                          "or one session file (.clusterscope)");
    parser.process(app);

    clusterscope::MainWindow window;
    window.show();
    const bool shooting = parser.isSet(screenshot);
    // Autosave, and the offer to recover a session a crash left behind (not for a screenshot,
    // whose window must not ask anything).
    if (!shooting)
        window.sessionActions()->enableAutosave(clusterscope::SessionAutosave::defaultFolder(),
                                                clusterscope::SessionAutosave::defaultIntervalMs());
    QStringList files = parser.positionalArguments();
    if (parser.isSet(demo))
        files.prepend(clusterscope::demoDatasetPath());
    clusterscope::Job* job = files.isEmpty() ? nullptr : window.openFiles(files);
    if (shooting)
        screenshotWhenOpened(window, job, parser.value(screenshot));
    return QApplication::exec();
}

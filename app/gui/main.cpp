// clusterscope: the desktop app. `clusterscope FILE...` opens the files given.

#include "installed_files.h"
#include "job_runner.h"
#include "main_window.h"
#include "preferences.h"
#include "session_actions.h"
#include "vtk_view_widget.h"

#include <clusterscope/core/device.h>
#include <clusterscope/pipeline/run_record.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QPixmap>
#include <QSettings>
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
                const bool saved = window.grab().save(path, "PNG");
                if (!saved)
                    std::fprintf(stderr, "clusterscope: could not write %s\n", qPrintable(path));
                if (!opened)
                    std::fprintf(stderr, "clusterscope: the files did not open: %s\n",
                                 qPrintable(job->error()));
                QApplication::exit(opened && saved ? 0 : 1);
            });
    };
    if (job && job->isRunning())
        QObject::connect(job, &clusterscope::Job::finished, &window, shoot);
    else
        shoot();
}

// The options; `process` prints --help or --version and exits.
struct Options
{
    QCommandLineParser parser;
    QCommandLineOption demo{"demo", "Open the bundled demo dataset (scikit-learn's digits)."};
    QCommandLineOption screenshot{
        "screenshot", "Once the files have opened, save the window as a PNG and quit.", "file"};

    Options()
    {
        parser.setApplicationDescription("A workbench for deep clustering");
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addOptions({demo, screenshot});
        parser.addPositionalArgument("files",
                                     "Datasets to open (several files are joined by rows), "
                                     "or one session file (.clusterscope)");
    }
};

void describeApplication()
{
    QCoreApplication::setApplicationName("ClusterScope");
    QCoreApplication::setOrganizationName("ClusterScope");
    QCoreApplication::setApplicationVersion(
        QString::fromStdString(clusterscope::clusterscopeVersion()));
}

// --help and --version answer without a display (a terminal, a packaging check): with a
// QCoreApplication, before the GUI one would abort for want of an X server.
void answerWithoutDisplay(int argc, char** argv)
{
    const QStringList asks{"-h", "--help", "--help-all", "-v", "--version", "-?"};
    for (int i = 1; i < argc; ++i)
        if (asks.contains(QString::fromLocal8Bit(argv[i])))
        {
            QCoreApplication app(argc, argv);
            describeApplication();
            Options().parser.process(app); // prints and exits
        }
}

} // namespace

int main(int argc, char** argv)
{
    clusterscope::restartWithBestBlasKernels(argv);
    answerWithoutDisplay(argc, argv);
    describeApplication(); // QSettings' file, before the preferences are read
    // OpenBLAS's thread count is process-wide: set once here, never from a worker.
    clusterscope::ThreadSettings threads;
    threads.blasThreads = clusterscope::Preferences::load(QSettings()).blasThreads;
    clusterscope::applyBlasThreads(threads);
    // VTK needs this GL format, and it must be the default before the application exists.
    QSurfaceFormat::setDefaultFormat(clusterscope::VtkViewWidget::defaultFormat());
    QApplication app(argc, argv);
    // The .desktop file's name, so that Wayland shells match the window to its icon.
    QGuiApplication::setDesktopFileName("org.clusterscope.ClusterScope");
    Options options;
    options.parser.process(app);
    const QCommandLineParser& parser = options.parser;

    clusterscope::MainWindow window;
    window.show();
    const bool shooting = parser.isSet(options.screenshot);
    // Autosave, and the offer to recover a session a crash left behind (not for a screenshot,
    // whose window must not ask anything).
    if (!shooting)
        window.sessionActions()->enableAutosave(clusterscope::SessionAutosave::defaultFolder(),
                                                clusterscope::SessionAutosave::defaultIntervalMs());
    QStringList files = parser.positionalArguments();
    if (parser.isSet(options.demo))
        files.prepend(clusterscope::demoDatasetPath());
    if (shooting) // opened at once: a screenshot's window asks nothing
        screenshotWhenOpened(window, files.isEmpty() ? nullptr : window.openFiles(files),
                             parser.value(options.screenshot));
    else if (!files.isEmpty()) // a table opened from a file manager gets its import step too
        window.openOrImport(files);
    return QApplication::exec();
}

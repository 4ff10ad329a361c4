// clusterscope: the desktop app. `clusterscope FILE...` opens the files given.

#include "main_window.h"
#include "session_actions.h"
#include "vtk_view_widget.h"

#include <clusterscope/core/device.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QSurfaceFormat>

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

    QCommandLineParser parser;
    parser.setApplicationDescription("A workbench for deep clustering");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("files", "Datasets to open (several files are joined by rows), "
                                          "or one session file (.clusterscope)");
    parser.process(app);

    clusterscope::MainWindow window;
    window.show();
    // Autosave, and the offer to recover a session a crash left behind.
    window.sessionActions()->enableAutosave(clusterscope::SessionAutosave::defaultFolder(),
                                            clusterscope::SessionAutosave::defaultIntervalMs());
    if (!parser.positionalArguments().isEmpty())
    {
        window.openFiles(parser.positionalArguments());
    }
    return QApplication::exec();
}

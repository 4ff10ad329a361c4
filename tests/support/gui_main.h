#pragma once
// A QtTest main for GUI tests: VTK's GL format must be the default before QApplication exists,
// and each run keeps its QSettings in its own folder, so that two runs side by side (a CI lane
// and a developer's) never read each other's remembered choices.

#include "vtk_view_widget.h"

#include <QApplication>
#include <QSettings>
#include <QSurfaceFormat>
#include <QTemporaryDir>
#include <QtTest>

#define CLUSTERSCOPE_GUI_TEST_MAIN(TestClass)                                                      \
    int main(int argc, char** argv)                                                                \
    {                                                                                              \
        QSurfaceFormat::setDefaultFormat(clusterscope::VtkViewWidget::defaultFormat());            \
        QApplication app(argc, argv);                                                              \
        QApplication::setOrganizationName("ClusterScopeTests");                                    \
        const QTemporaryDir settings;                                                              \
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());        \
        TestClass test;                                                                            \
        return QTest::qExec(&test, argc, argv);                                                    \
    }

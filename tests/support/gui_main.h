#pragma once
// A QtTest main for GUI tests: VTK's GL format must be the default before QApplication exists.

#include "vtk_view_widget.h"

#include <QApplication>
#include <QSurfaceFormat>
#include <QtTest>

#define CLUSTERSCOPE_GUI_TEST_MAIN(TestClass)                                                      \
    int main(int argc, char** argv)                                                                \
    {                                                                                              \
        QSurfaceFormat::setDefaultFormat(clusterscope::VtkViewWidget::defaultFormat());            \
        QApplication app(argc, argv);                                                              \
        QApplication::setOrganizationName("ClusterScopeTests");                                    \
        TestClass test;                                                                            \
        return QTest::qExec(&test, argc, argv);                                                    \
    }

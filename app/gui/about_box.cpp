#include "about_box.h"

#include <clusterscope/core/device.h>
#include <clusterscope/pipeline/run_record.h>

#include <QMessageBox>
#include <vtkVersion.h>

namespace clusterscope
{

void showAboutBox(QWidget* parent)
{
    QMessageBox::about(
        parent, QObject::tr("About ClusterScope"),
        QObject::tr("<h3>ClusterScope %1</h3>"
                    "<p>A workbench for deep clustering.</p>"
                    "<p>Qt %2<br>VTK %3<br>LibTorch %4 (%5)<br>BLAS: %6<br>Devices: CPU%7</p>")
            .arg(QString::fromStdString(clusterscopeVersion()), qVersion(),
                 vtkVersion::GetVTKVersion(), QString::fromStdString(torchVersion()),
                 cudaAvailable() ? QObject::tr("CUDA build") : QObject::tr("CPU build"),
                 QString::fromStdString(blasName()).toHtmlEscaped(),
                 cudaAvailable() ? QObject::tr(", CUDA") : QString()));
}

} // namespace clusterscope

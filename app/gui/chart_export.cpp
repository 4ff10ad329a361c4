#include "chart_export.h"

#include <QFileDialog>
#include <QMessageBox>

namespace clusterscope
{

void exportChartAs(QWidget* parent, const QString& title, const QString& defaultName,
                   const std::function<QString(const QString&)>& write)
{
    const QString path = QFileDialog::getSaveFileName(
        parent, title, defaultName,
        QObject::tr("PDF document (*.pdf);;SVG image (*.svg);;PNG image (*.png)"));
    if (path.isEmpty())
        return;
    if (const QString problem = write(path); !problem.isEmpty())
        QMessageBox::warning(parent, QObject::tr("Could not export"), problem);
}

} // namespace clusterscope

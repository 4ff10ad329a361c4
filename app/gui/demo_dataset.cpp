#include "demo_dataset.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace clusterscope
{

QString demoDatasetPath()
{
    const QString installed = QCoreApplication::applicationDirPath() +
                              QStringLiteral("/../share/clusterscope/demo/digits.csv.gz");
    if (QFileInfo::exists(installed))
        return QFileInfo(installed).canonicalFilePath();
    return QStringLiteral(CLUSTERSCOPE_DEMO_PATH);
}

} // namespace clusterscope

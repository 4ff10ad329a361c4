#include "installed_files.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStringList>

namespace clusterscope
{

namespace
{

QString underShare(const QString& relative)
{
    return QFileInfo(QCoreApplication::applicationDirPath() + "/../share/" + relative)
        .absoluteFilePath();
}

} // namespace

QString installedOrSource(const QString& installed, const QString& source)
{
    for (const QString& path : {underShare(installed), source})
        if (QFileInfo::exists(path))
            return QFileInfo(path).canonicalFilePath();
    return {};
}

QString demoDatasetPath()
{
    return installedOrSource(QStringLiteral("clusterscope/demo/digits.csv.gz"),
                             QStringLiteral(CLUSTERSCOPE_DEMO_PATH));
}

QStringList userGuidePlaces()
{
    return {underShare(QStringLiteral("doc/clusterscope/user-guide.md")),
            QStringLiteral(CLUSTERSCOPE_DOCS_DIR "/user-guide.md")};
}

QString userGuidePath()
{
    return installedOrSource(QStringLiteral("doc/clusterscope/user-guide.md"),
                             userGuidePlaces().back());
}

} // namespace clusterscope

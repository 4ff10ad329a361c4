#include "recent_files.h"

#include <QMenu>
#include <QSettings>

namespace clusterscope
{

namespace
{
constexpr int kMaxRecent = 8;
}

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), menu_(menu)
{
    rebuild();
}

void RecentFiles::remember(const QStringList& paths)
{
    QSettings settings;
    QStringList recent = settings.value("recentFiles").toStringList();
    const QString entry = paths.join('\n');
    recent.removeAll(entry);
    recent.prepend(entry);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue("recentFiles", recent);
    rebuild();
}

void RecentFiles::rebuild()
{
    menu_->clear();
    const QStringList recent = QSettings().value("recentFiles").toStringList();
    for (const auto& entry : recent)
    {
        const QStringList paths = entry.split('\n');
        menu_->addAction(paths.join(" + "), this, [this, paths] { Q_EMIT openRequested(paths); });
    }
    menu_->setEnabled(!recent.isEmpty());
}

} // namespace clusterscope

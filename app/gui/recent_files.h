#pragma once
// File > Open Recent: the last datasets opened (several files count as one entry), kept in
// QSettings across sessions.

#include <QObject>
#include <QStringList>

class QMenu;

namespace clusterscope
{

class RecentFiles : public QObject
{
    Q_OBJECT

public:
    // Fills `menu` (owned by the caller) now and after each remember().
    explicit RecentFiles(QMenu* menu, QObject* parent = nullptr);
    void remember(const QStringList& paths);

Q_SIGNALS:
    void openRequested(const QStringList& paths);

private:
    void rebuild();

    QMenu* menu_;
};

} // namespace clusterscope

#pragma once
// Autosave and crash recovery. Every interval, when the session changed since the last write,
// its session file (session_file.h) is written to a recovery file of this process,
// <folder>/recovery-<pid>.clusterscope; the encoding happens on the GUI thread, the atomic
// write (fsync, rename) on a worker, so a crash at any moment leaves the previous file whole.
// A clean exit removes the file; one left by a process that no longer runs is a crash's, and
// the next start offers it (orphans()).

#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <future>

namespace clusterscope
{

class Session;

class SessionAutosave : public QObject
{
    Q_OBJECT

public:
    // Starts the timer: `intervalMs` between writes.
    SessionAutosave(Session& session, const QString& folder, int intervalMs,
                    QObject* parent = nullptr);
    ~SessionAutosave() override; // waits for a write in flight

    // Called before each write (SessionFiles::prepareWrite: the view's state).
    void setBeforeWrite(std::function<void()> hook) { beforeWrite_ = std::move(hook); }

    // This process's recovery file.
    QString path() const { return path_; }
    // Writes now when the session has a dataset and changed since the last write, unless a
    // write is still in flight (the next tick takes it). Returns whether a write started.
    bool saveNow();
    // Waits for a write in flight (tests, exit).
    void wait();
    // Removes this process's recovery file (a clean exit) and stops the timer.
    void discard();

    // Recovery files in `folder` whose process no longer runs, newest first.
    static QStringList orphans(const QString& folder);
    // AppLocalDataLocation/recovery (~/.local/share/ClusterScope/ClusterScope/recovery).
    static QString defaultFolder();
    // 60 s; CLUSTERSCOPE_AUTOSAVE_SECONDS (a positive number) overrides it, for tests.
    static int defaultIntervalMs();

Q_SIGNALS:
    void failed(const QString& error); // a write failed (disk full, folder not writable)

private:
    Session& session_;
    QString path_;
    QTimer timer_;
    std::function<void()> beforeWrite_;
    uint64_t written_ = 0;          // the session's revision last written (0: none)
    std::future<QString> inFlight_; // the write's error ("" : none)
};

} // namespace clusterscope

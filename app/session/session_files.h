#pragma once
// Saving and opening session files (session_file.h) for a window: the file is written
// atomically; opening reads it, asks for dataset files that moved, reads the dataset again
// in the background, refuses it when its content changed, and then restores the runs,
// embeddings, selection and view state into the session.

#include "job_runner.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace clusterscope
{

class DatasetLoader;
class Session;

class SessionFiles : public QObject
{
    Q_OBJECT

public:
    SessionFiles(Session& session, DatasetLoader& loader, QObject* parent = nullptr);

    // Called before every write (save, and the autosave's), to bring Session::viewState up to
    // date (the window's camera and colouring).
    void setBeforeWrite(std::function<void()> hook) { beforeWrite_ = std::move(hook); }
    void prepareWrite() const;

    // Writes the session to `path` atomically (writeFileAtomically); false, with *error naming
    // the path, when there is no dataset or the write fails. The file becomes path().
    bool save(const QString& path, QString* error = nullptr);

    // Where a dataset file named by a session has gone: a new path, or empty to give up.
    using Locate = std::function<QString(const QString& missing)>;

    // Opens the session file at `path`. A dataset file that no longer exists is asked of
    // `locate` (null: none is asked). Returns the load job, whose success restores the session
    // and emits opened(); the session is untouched until then, and stays so when the job
    // fails (the dataset's content changed: its message says so). nullptr, with *error, when
    // the file cannot be read (not a session file, damaged, a later format) or a dataset file
    // is gone and no new place was given.
    Job* open(const QString& path, const Locate& locate, QString* error = nullptr);

    // The session file last saved or opened ("" : none); Save writes there. A recovered
    // session forgets its recovery file's path, and another dataset forgets it too.
    QString path() const { return path_; }
    void setPath(const QString& path) { path_ = path; }

    // Whether the session holds a finished run that changed since it was last saved or opened.
    bool unsaved() const;

Q_SIGNALS:
    // A session file was opened and restored; `warnings`: what was left out, if anything.
    void opened(const QString& path, const QStringList& warnings);
    // The dataset loaded but the file's entries do not fit it (a file edited by hand).
    void openFailed(const QString& error);

private:
    Session& session_;
    DatasetLoader& loader_;
    std::function<void()> beforeWrite_;
    QString path_;
    uint64_t savedRevision_ = 0; // Session::revision when last saved or opened
};

} // namespace clusterscope

#pragma once
// The window's session files: File > Open Session, Save Session (Ctrl+S) and Save Session As,
// the autosave, and the offer to recover a session after a crash. The view's camera and
// colouring go into the session's view state before each write and come back when a session
// opens.

#include "job_runner.h"
#include "session_autosave.h"
#include "session_files.h"

#include <QObject>

#include <functional>
#include <memory>

class QMainWindow;
class QMenu;

namespace clusterscope
{

class DatasetLoader;
class EmbeddingView;
class Session;
class ViewPresenter;
class ViewSidebar;

class SessionActions : public QObject
{
    Q_OBJECT

public:
    SessionActions(QMainWindow& window, Session& session, DatasetLoader& loader,
                   EmbeddingView& view, ViewSidebar& sidebar, ViewPresenter& presenter);
    ~SessionActions() override;

    // Adds Open Session..., Save Session and Save Session As... to `file`.
    void addTo(QMenu* file);

    // Opens a session file; a dataset file that moved is asked for with a file dialog. Errors
    // are shown in a box ("errorBox"). nullptr when the file cannot be opened.
    Job* open(const QString& path);
    // Writes the session to `path` (false, with *error, when it cannot).
    bool save(const QString& path, QString* error = nullptr);
    SessionFiles& files() { return files_; }

    // Autosaves every `intervalMs` into `folder`, and offers the recovery files left there by
    // processes that died: a box ("recoveryBox") with Recover and Discard.
    void enableAutosave(const QString& folder, int intervalMs);
    SessionAutosave* autosave() const { return autosave_.get(); }
    // Whether the window may close now: true without unsaved runs and running jobs. Otherwise a
    // box asks and false is returned; the window closes again once the answer allows it. Unsaved
    // runs: "unsavedBox" ("saveSession", "discardSession", "cancelClose"), which also says how
    // many jobs a close cancels; only running jobs: "runningJobsBox" ("closeAnyway",
    // "cancelClose").
    bool confirmClose(int runningJobs);
    // Runs `proceed` at once without unsaved runs; otherwise a box ("replaceSessionBox":
    // "saveSession", "discardSession", "cancelReplace") says that opening `what` closes them,
    // and `proceed` runs once they are saved or the user lets them go.
    void confirmReplace(const QString& what, std::function<void()> proceed);
    // A clean exit: this process's recovery file is removed.
    void closing();

Q_SIGNALS:
    void failed(const QString& title, const QString& text);
    // What a person should read in the status bar (a session saved or opened).
    void said(const QString& message);

private:
    void saveAs();
    void showPath(const QString& path); // in the window's title
    void captureView();
    void applyView();
    void offerRecovery(const QString& folder);
    // The "Save the session?" box of confirmClose and confirmReplace: Save (then `saved`, once
    // the session is saved), `discardText` (then `discarded`), or Cancel.
    void askToSave(const QString& boxName, const QString& text, const QString& discardText,
                   const QString& cancelName, std::function<void()> saved,
                   std::function<void()> discarded);

    QMainWindow& window_;
    Session& session_;
    EmbeddingView& view_;
    ViewSidebar& sidebar_;
    ViewPresenter& presenter_;
    SessionFiles files_;
    std::unique_ptr<SessionAutosave> autosave_;
    bool closeAnswered_ = false; // the user chose to close without saving
};

} // namespace clusterscope

#pragma once
// Background jobs on a WorkerPool (QtCore only: the session layer and the tests use it without
// a window). A job's work runs on a worker thread with the engine's Progress interface; it
// returns a closure that the runner calls on the owning (GUI) thread to deliver the result.
// Workers never touch widgets, VTK objects or the session: they deliver through the closure.

#include "worker_pool.h"

#include <clusterscope/core/progress.h>

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace clusterscope
{

// The engine's progress/cancel interface, shared between a worker and the GUI.
class JobProgress final : public Progress
{
public:
    void report(double fraction, std::string_view message) override;
    bool cancelRequested() const override { return cancel_.load(); }
    bool pauseRequested() const override { return pause_.load(); }
    void requestCancel() { cancel_.store(true); }
    void setPaused(bool paused) { pause_.store(paused); }
    double fraction() const { return fraction_.load(); }
    QString message() const;

private:
    std::atomic<double> fraction_{0};
    std::atomic<bool> cancel_{false};
    std::atomic<bool> pause_{false};
    mutable std::mutex mutex_;
    std::string message_;
};

class Job : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Running,
        Finished,
        Failed,
        Cancelled,
    };

    Job(int id, QString title, bool canPause, QObject* parent);
    int id() const { return id_; }
    const QString& title() const { return title_; }
    State state() const { return state_; }
    bool isRunning() const { return state_ == State::Running; }
    double progress() const { return progress_->fraction(); }
    QString message() const { return progress_->message(); }
    const QString& error() const { return error_; }
    qint64 elapsedMs() const;
    void setSummary(const QString& summary);
    const QString& summary() const { return summary_; }

    void cancel();
    // Whether the work holds still when paused (a method whose capabilities say canPause);
    // the Jobs panel offers Pause only then.
    bool canPause() const { return canPause_; }
    // Jobs that can pause hold still while paused (others ignore it); cancel still works.
    void setPaused(bool paused);
    bool isPaused() const { return progress_->pauseRequested(); }
    std::shared_ptr<JobProgress> progressHandle() const { return progress_; }

Q_SIGNALS:
    void changed();
    void finished(); // in any final state

private:
    friend class JobRunner;
    void finish(State state, const QString& error = {});

    int id_;
    QString title_;
    bool canPause_ = false;
    State state_ = State::Running;
    QString error_;
    QString summary_;
    QElapsedTimer timer_;
    qint64 finalElapsed_ = -1;
    std::shared_ptr<JobProgress> progress_ = std::make_shared<JobProgress>();
};

class JobRunner : public QObject
{
    Q_OBJECT

public:
    // The work runs on a worker; the closure it returns runs on the GUI thread.
    using Work = std::function<std::function<void()>(Progress&)>;

    explicit JobRunner(QObject* parent = nullptr);
    ~JobRunner() override; // cancels every job and waits for the workers

    // `canPause`: the work polls Progress::pauseRequested (see Job::canPause).
    Job* start(const QString& title, Work work, bool canPause = false);
    void cancelAll();
    // Cancels, then waits up to `ms` for the workers to stop; true when all have.
    bool shutdown(int ms);
    int runningCount() const;
    const QList<Job*>& jobs() const { return jobs_; }

Q_SIGNALS:
    void jobAdded(clusterscope::Job* job);

private:
    // Runs the results workers have queued in finished_ (on the GUI thread).
    Q_INVOKABLE void deliverFinished();

    std::mutex finishedMutex_;
    std::deque<std::function<void()>> finished_; // workers' results, for the GUI thread
    WorkerPool pool_;
    QTimer poll_;
    QList<Job*> jobs_;
    int nextId_ = 1;
};

} // namespace clusterscope

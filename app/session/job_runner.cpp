#include "job_runner.h"

#include <clusterscope/core/errors.h>

#include <QPointer>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace clusterscope
{

namespace
{

// Workers yield the cores to the GUI thread when it needs one. On Linux the nice value is
// per thread, and threads a job starts (our compute kernels) inherit it.
void lowerThisThreadsPriority()
{
    static thread_local bool done = false;
    if (!done)
    {
        setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
        done = true;
    }
}

} // namespace

void JobProgress::report(double fraction, std::string_view message)
{
    fraction_.store(fraction);
    std::lock_guard lock(mutex_);
    message_.assign(message);
}

QString JobProgress::message() const
{
    std::lock_guard lock(mutex_);
    return QString::fromStdString(message_);
}

Job::Job(int id, QString title, bool canPause, QObject* parent)
    : QObject(parent), id_(id), title_(std::move(title)), canPause_(canPause)
{
    timer_.start();
}

qint64 Job::elapsedMs() const
{
    return finalElapsed_ >= 0 ? finalElapsed_ : timer_.elapsed();
}

void Job::setSummary(const QString& summary)
{
    summary_ = summary;
    Q_EMIT changed();
}

void Job::cancel()
{
    if (isRunning())
    {
        progress_->requestCancel();
    }
}

void Job::setPaused(bool paused)
{
    if (isRunning() && canPause_)
    {
        progress_->setPaused(paused);
        Q_EMIT changed();
    }
}

void Job::finish(State state, const QString& error)
{
    state_ = state;
    error_ = error;
    finalElapsed_ = timer_.elapsed();
    Q_EMIT changed();
    Q_EMIT finished();
}

JobRunner::JobRunner(QObject* parent) : QObject(parent)
{
    // Progress is read from the shared atomics at 4 Hz: workers never signal per step, and
    // each repaint of a window holding a GL view costs tens of ms on a software renderer.
    poll_.setInterval(250);
    connect(&poll_, &QTimer::timeout, this,
            [this]
            {
                for (Job* job : std::as_const(jobs_))
                {
                    if (job->isRunning())
                    {
                        Q_EMIT job->changed();
                    }
                }
            });
    poll_.start();
}

JobRunner::~JobRunner()
{
    shutdown(-1);
}

Job* JobRunner::start(const QString& title, Work work, bool canPause)
{
    auto* job = new Job(nextId_++, title, canPause, this);
    jobs_.append(job);
    Q_EMIT jobAdded(job);
    auto progress = job->progressHandle();
    QPointer<Job> guard(job);
    // The runner outlives its workers (its destructor waits for them), so a worker may post to
    // it; Qt drops what is still queued when the runner is destroyed.
    pool_.start(
        [this, work = std::move(work), progress, guard = std::move(guard)]() mutable
        {
            lowerThisThreadsPriority();
            std::function<void()> deliver;
            auto state = Job::State::Finished;
            QString error;
            try
            {
                deliver = work(*progress);
            }
            catch (const CancelledError&)
            {
                state = Job::State::Cancelled;
            }
            catch (const std::exception& e)
            {
                state = Job::State::Failed;
                error = QString::fromStdString(e.what());
            }
            catch (...)
            {
                state = Job::State::Failed;
                error = QStringLiteral("unknown error");
            }
            // Everything the job holds (the work's captures, QPointers to the controllers that
            // started it) is moved to the GUI thread through finished_, under a std::mutex
            // (ThreadSanitizer sees the hand-off), and is released there, where those objects
            // live and die.
            {
                std::lock_guard lock(finishedMutex_);
                finished_.push_back(
                    [guard = std::move(guard), progress = std::move(progress),
                     work = std::move(work), deliver = std::move(deliver), state, error]() mutable
                    {
                        work = nullptr;
                        if (!guard)
                            return;
                        if (state == Job::State::Finished && progress->cancelRequested())
                            state = Job::State::Cancelled; // cancelled before delivery
                        if (state == Job::State::Finished && deliver)
                            deliver();
                        guard->finish(state, error);
                    });
            }
            // By name: a queued call that carries no closure of ours across threads.
            QMetaObject::invokeMethod(this, "deliverFinished", Qt::QueuedConnection);
        });
    return job;
}

void JobRunner::deliverFinished()
{
    std::deque<std::function<void()>> ready;
    {
        std::lock_guard lock(finishedMutex_);
        ready.swap(finished_);
    }
    for (auto& deliver : ready)
        deliver();
}

void JobRunner::cancelAll()
{
    for (Job* job : std::as_const(jobs_))
    {
        job->cancel();
    }
}

bool JobRunner::shutdown(int ms)
{
    cancelAll();
    return pool_.waitForDone(ms);
}

int JobRunner::runningCount() const
{
    int n = 0;
    for (const Job* job : jobs_)
    {
        n += job->isRunning() ? 1 : 0;
    }
    return n;
}

} // namespace clusterscope

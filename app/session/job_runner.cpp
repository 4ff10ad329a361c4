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
    QPointer<JobRunner> self(this);
    pool_.start(
        [work = std::move(work), progress, guard, self]
        {
            lowerThisThreadsPriority();
            // Posts a closure to the GUI thread; dropped if the runner is gone.
            auto post = [self](std::function<void()> f)
            {
                if (self)
                {
                    QMetaObject::invokeMethod(self.data(), std::move(f), Qt::QueuedConnection);
                }
            };
            try
            {
                auto deliver = work(*progress);
                post(
                    [guard, progress, deliver = std::move(deliver)]
                    {
                        if (!guard)
                            return;
                        if (progress->cancelRequested())
                        {
                            guard->finish(Job::State::Cancelled);
                            return;
                        }
                        if (deliver)
                            deliver();
                        guard->finish(Job::State::Finished);
                    });
            }
            catch (const CancelledError&)
            {
                post(
                    [guard]
                    {
                        if (guard)
                            guard->finish(Job::State::Cancelled);
                    });
            }
            catch (const std::exception& e)
            {
                const QString why = QString::fromStdString(e.what());
                post(
                    [guard, why]
                    {
                        if (guard)
                            guard->finish(Job::State::Failed, why);
                    });
            }
            catch (...)
            {
                post(
                    [guard]
                    {
                        if (guard)
                            guard->finish(Job::State::Failed, QStringLiteral("unknown error"));
                    });
            }
        });
    return job;
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

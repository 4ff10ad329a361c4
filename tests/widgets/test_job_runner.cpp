// The job runner: progress reaches the GUI as signals, results are delivered on the GUI
// thread, cancel stops a job within ~200 ms, failures carry their message, and destroying
// the runner while jobs run cancels and waits.

#include "gui_main.h"
#include "job_runner.h"

#include <clusterscope/core/errors.h>

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QThread>

#include <algorithm>
#include <atomic>

using namespace clusterscope;

namespace
{

// Work that reports progress and polls cancel every 10 ms, for up to `ms`.
std::function<void()> busy(Progress& p, int ms)
{
    for (int i = 0; i < ms / 10; ++i)
    {
        throwIfCancelled(p);
        p.report(static_cast<double>(i) / (ms / 10), "working");
        QThread::msleep(10);
    }
    return {};
}

} // namespace

class TestJobRunner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void deliversOnTheGuiThread()
    {
        JobRunner runner;
        QThread* workerThread = nullptr;
        QThread* deliveryThread = nullptr;
        Job* job = runner.start("sum",
                                [&](Progress& p)
                                {
                                    workerThread = QThread::currentThread();
                                    busy(p, 300);
                                    return [&] { deliveryThread = QThread::currentThread(); };
                                });
        QSignalSpy changed(job, &Job::changed);
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(5000));
        QCOMPARE(job->state(), Job::State::Finished);
        QVERIFY(changed.count() >= 2); // progress polled while it ran, then the end
        QVERIFY(workerThread != QThread::currentThread());
        QCOMPARE(deliveryThread, QThread::currentThread());
        QVERIFY(job->elapsedMs() >= 300);
    }

    void progressIsVisibleWhileRunning()
    {
        JobRunner runner;
        Job* job = runner.start("slow", [](Progress& p) { return busy(p, 800); });
        QSignalSpy changed(job, &Job::changed);
        QTRY_VERIFY_WITH_TIMEOUT(job->progress() > 0.2, 3000);
        QVERIFY(job->message() == "working");
        QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 1, 1000); // the runner polls at 4 Hz
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(5000));
    }

    void cancelStopsWithin200ms()
    {
        JobRunner runner;
        Job* job = runner.start("forever", [](Progress& p) { return busy(p, 60000); });
        QSignalSpy finished(job, &Job::finished);
        QTest::qWait(200);
        QElapsedTimer timer;
        timer.start();
        job->cancel();
        QVERIFY(finished.wait(2000));
        qInfo("cancelled after %lld ms", timer.elapsed());
        QVERIFY(timer.elapsed() < 200);
        QCOMPARE(job->state(), Job::State::Cancelled);
    }

    void failuresCarryTheirMessage()
    {
        // A job that throws has no result closure to deliver: what must hold is that it ends
        // once, as Failed (not Finished), with the exception's message.
        JobRunner runner;
        Job* job = runner.start("bad",
                                [&](Progress&) -> std::function<void()>
                                { throw DataError("data.csv: line 3 is broken"); });
        QSignalSpy finished(job, &Job::finished);
        QVERIFY(finished.wait(2000));
        QCOMPARE(job->state(), Job::State::Failed);
        QCOMPARE(job->error(), QString("data.csv: line 3 is broken"));
        QTest::qWait(50);
        QCOMPARE(finished.count(), 1);
    }

    void aJobCancelledBeforeDeliveryDeliversNothing()
    {
        // The work ignores the cancel and returns its result anyway, as a job does when the
        // cancel arrives after its last poll. The runner must drop that result.
        JobRunner runner;
        bool delivered = false;
        std::atomic<bool> cancelSeen{false};
        Job* job = runner.start("late",
                                [&](Progress& p) -> std::function<void()>
                                {
                                    while (!p.cancelRequested())
                                        QThread::msleep(5);
                                    cancelSeen.store(true);
                                    return [&] { delivered = true; };
                                });
        QSignalSpy finished(job, &Job::finished);
        QTest::qWait(50);
        job->cancel();
        QVERIFY(finished.wait(2000));
        QVERIFY(cancelSeen.load()); // the work did return its closure
        QCOMPARE(job->state(), Job::State::Cancelled);
        QVERIFY(!delivered);
        QCOMPARE(finished.count(), 1);
    }

    void moreJobsThanWorkersAllRunAndDeliver()
    {
        // The pool holds at most one thread per core; the rest wait in its queue.
        JobRunner runner;
        const int count = 2 * std::max(1, QThread::idealThreadCount()) + 1;
        auto delivered = std::make_shared<int>(0);
        for (int i = 0; i < count; ++i)
        {
            runner.start(QString("job %1").arg(i),
                         [delivered](Progress&) -> std::function<void()>
                         {
                             QThread::msleep(30);
                             return [delivered] { ++*delivered; };
                         });
        }
        QTRY_COMPARE_WITH_TIMEOUT(*delivered, count, 10000);
        QCOMPARE(runner.runningCount(), 0);
    }

    void shutdownReportsAWorkerThatDoesNotStop()
    {
        // A worker that ignores cancel (a library call that never polls) keeps the pool busy:
        // a bounded shutdown says so instead of hanging, an unbounded one waits it out.
        JobRunner runner;
        runner.start("deaf",
                     [](Progress&) -> std::function<void()>
                     {
                         QThread::msleep(400);
                         return {};
                     });
        QTest::qWait(50);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(!runner.shutdown(50));
        QVERIFY(timer.elapsed() < 300);
        QVERIFY(runner.shutdown(-1));
    }

    void aWorkerThrowingANonStandardExceptionFailsItsJob()
    {
        JobRunner runner;
        Job* job = runner.start("odd", [](Progress&) -> std::function<void()> { throw 42; });
        QTRY_COMPARE_WITH_TIMEOUT(job->state(), Job::State::Failed, 5000);
        QCOMPARE(job->error(), QString("unknown error"));
    }

    void destroyingTheRunnerCancelsAndWaits()
    {
        auto stopped = std::make_shared<std::atomic<bool>>(false);
        QElapsedTimer timer;
        {
            JobRunner runner;
            runner.start("long",
                         [stopped](Progress& p) -> std::function<void()>
                         {
                             try
                             {
                                 busy(p, 60000);
                             }
                             catch (const CancelledError&)
                             {
                                 stopped->store(true);
                                 throw;
                             }
                             return {};
                         });
            QTest::qWait(100);
            timer.start();
        } // the destructor cancels and joins the worker
        QVERIFY(stopped->load());
        QVERIFY(timer.elapsed() < 1000);
        QTest::qWait(50); // a late delivery to the dead runner must be dropped, not crash
    }
};

CLUSTERSCOPE_GUI_TEST_MAIN(TestJobRunner)
#include "test_job_runner.moc"

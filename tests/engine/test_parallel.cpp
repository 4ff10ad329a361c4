// The kernels' fork-join loop (kernels/parallel.h) on its process-wide pool: the same slices as
// the plain std::thread loop it replaced, threads kept between calls, exceptions brought back to
// the caller, and no deadlock when calls nest or run from several threads at once.

#include <clusterscope/kernels/parallel.h>

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <future>
#include <iostream>
#include <mutex>
#include <set>
#include <stdexcept>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace clusterscope;

namespace parallel_test
{

struct Slice
{
    int slice;
    int64_t begin;
    int64_t end;
    bool operator==(const Slice&) const = default;
    bool operator<(const Slice& o) const { return slice < o.slice; }
};

// The slices the old loop made: ceil(n / threads) rows each, threads clamped to [1, n / 256].
std::vector<Slice> oldSlices(int64_t n, int threads)
{
    threads = static_cast<int>(std::clamp<int64_t>(threads, 1, std::max<int64_t>(1, n / 256)));
    if (threads == 1)
        return {{0, 0, n}};
    std::vector<Slice> out;
    const int64_t step = (n + threads - 1) / threads;
    for (int t = 0; t < threads; ++t)
    {
        const int64_t begin = std::min(n, step * t);
        out.push_back({t, begin, std::min(n, begin + step)});
    }
    return out;
}

// float sums per slice, reduced in slice order: the pattern of every kernel (k-means' sums,
// the metrics' dispersion), whose bits depend on which rows each slice adds.
float slicedSum(const std::vector<float>& v, int threads)
{
    std::vector<float> partial(static_cast<size_t>(threads), 0.0f);
    parallelSlices(static_cast<int64_t>(v.size()), threads,
                   [&](int s, int64_t begin, int64_t end)
                   {
                       for (int64_t i = begin; i < end; ++i)
                           partial[static_cast<size_t>(s)] += v[static_cast<size_t>(i)];
                   });
    float total = 0;
    for (float p : partial)
        total += p;
    return total;
}

// Fails the test (and ends the process: a deadlocked thread cannot be joined) when `work`
// does not return within a minute.
void withinAMinute(const char* what, std::function<void()> work)
{
    std::promise<void> done;
    auto finished = done.get_future();
    std::thread runner(
        [&]
        {
            try
            {
                work();
                done.set_value();
            }
            catch (...)
            {
                done.set_exception(std::current_exception());
            }
        });
    if (finished.wait_for(std::chrono::minutes(1)) != std::future_status::ready)
    {
        std::cerr << "FAIL: " << what << " did not finish within a minute (deadlock?)\n";
        std::_Exit(1);
    }
    runner.join();
    finished.get();
}

long threadId()
{
    return static_cast<long>(syscall(SYS_gettid));
}

} // namespace parallel_test

using namespace parallel_test;

class TestParallel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void slicesAreTheOldOnes()
    {
        for (int64_t n : {0, 1, 255, 256, 511, 512, 1000, 4099, 60000, 131072})
            for (int threads : {0, 1, 2, 3, 4, 7, 16, 64})
            {
                std::mutex mutex;
                std::vector<Slice> seen;
                const auto caller = std::this_thread::get_id();
                bool sliceZeroOnCaller = false;
                parallelSlices(n, threads,
                               [&](int s, int64_t begin, int64_t end)
                               {
                                   std::lock_guard lock(mutex);
                                   seen.push_back({s, begin, end});
                                   if (s == 0)
                                       sliceZeroOnCaller = std::this_thread::get_id() == caller;
                               });
                std::sort(seen.begin(), seen.end());
                QCOMPARE(seen, oldSlices(n, threads));
                // Bodies report progress from slice 0: it must stay on the calling thread.
                QVERIFY(sliceZeroOnCaller);
            }
    }

    void sumsKeepTheirBits()
    {
        std::vector<float> v(100003);
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = 1.0f / static_cast<float>(i + 1) + static_cast<float>(i % 7) * 1e3f;
        for (int threads : {2, 3, 8})
        {
            float expected = 0;
            for (const auto& s : oldSlices(static_cast<int64_t>(v.size()), threads))
            {
                float partial = 0;
                for (int64_t i = s.begin; i < s.end; ++i)
                    partial += v[static_cast<size_t>(i)];
                expected += partial;
            }
            for (int run = 0; run < 20; ++run)
                QCOMPARE(slicedSum(v, threads), expected); // exact: same bits every run
        }
    }

    void threadsAreKeptBetweenCalls()
    {
        // 100 calls of 4 slices: the old loop started 3 threads per call (300 thread ids); the
        // pool reuses its workers (at most 63 here, left by the 64-slice calls above).
        std::mutex mutex;
        std::set<long> ids;
        for (int call = 0; call < 100; ++call)
            parallelSlices(4096, 4,
                           [&](int, int64_t, int64_t)
                           {
                               std::lock_guard lock(mutex);
                               ids.insert(threadId());
                           });
        QVERIFY2(ids.size() <= 64, qPrintable(QString::number(ids.size()) + " threads ran them"));
    }

    void anExceptionReachesTheCaller()
    {
        // The old loop called std::terminate: a worker's exception had nowhere to go.
        for (int thrower : {0, 1, 3})
        {
            std::atomic<int> ran{0};
            bool caught = false;
            try
            {
                parallelSlices(4096, 4,
                               [&](int s, int64_t, int64_t)
                               {
                                   ++ran;
                                   if (s == thrower)
                                       throw std::runtime_error("slice " + std::to_string(s));
                               });
            }
            catch (const std::runtime_error& e)
            {
                caught = true;
                QCOMPARE(std::string(e.what()), "slice " + std::to_string(thrower));
            }
            QVERIFY(caught);
            QVERIFY(ran >= 1 && ran <= 4);
        }
        // Two slices throw: the lowest one's exception wins, whoever finished first.
        for (int run = 0; run < 20; ++run)
        {
            try
            {
                parallelSlices(4096, 4,
                               [&](int s, int64_t, int64_t)
                               {
                                   if (s >= 2)
                                       throw std::runtime_error("slice " + std::to_string(s));
                               });
                QFAIL("nothing was thrown");
            }
            catch (const std::runtime_error& e)
            {
                QCOMPARE(std::string(e.what()), std::string("slice 2"));
            }
        }
        // The pool still works afterwards.
        std::vector<float> v(10000, 1.0f);
        QCOMPARE(slicedSum(v, 4), 10000.0f);
    }

    void nestedCallsFinish()
    {
        withinAMinute("nested parallelSlices",
                      []
                      {
                          // Every slice of every level starts another call: more slices than
                          // workers, all waiting on inner calls at once.
                          std::atomic<int64_t> rows{0};
                          parallelSlices(4096, 8,
                                         [&](int, int64_t, int64_t)
                                         {
                                             parallelSlices(2048, 8,
                                                            [&](int, int64_t, int64_t) {
                                                                parallelSlices(
                                                                    1024, 4,
                                                                    [&](int, int64_t b, int64_t e)
                                                                    { rows += e - b; });
                                                            });
                                         });
                          if (rows != 8 * 8 * 1024)
                              throw std::runtime_error("nested rows: " + std::to_string(rows));
                      });
    }

    void concurrentCallsFinishWithTheirOwnResults()
    {
        std::vector<float> v(50000);
        for (size_t i = 0; i < v.size(); ++i)
            v[i] = static_cast<float>(i % 1000) * 0.001f;
        const float expected3 = slicedSum(v, 3);
        const float expected5 = slicedSum(v, 5);
        withinAMinute("parallelSlices from two threads",
                      [&]
                      {
                          std::atomic<int> wrong{0};
                          auto job = [&](int threads, float expected)
                          {
                              for (int call = 0; call < 300; ++call)
                                  if (slicedSum(v, threads) != expected)
                                      ++wrong;
                          };
                          std::thread a(job, 3, expected3);
                          std::thread b(job, 5, expected5);
                          a.join();
                          b.join();
                          if (wrong != 0)
                              throw std::runtime_error(std::to_string(wrong.load()) +
                                                       " concurrent sums differed");
                      });
    }
};

QTEST_GUILESS_MAIN(TestParallel)
#include "test_parallel.moc"

#include <clusterscope/kernels/parallel.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace clusterscope::detail
{

namespace
{

// A thread's nice value. Linux keeps it per thread; the GUI's job threads run at nice 10 so
// that the GUI thread keeps a core, and the kernels' threads used to inherit it when a job
// started them. Pool workers take the caller's value per batch instead.
int threadNice()
{
#if defined(__linux__)
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)));
    return errno == 0 ? nice : 0;
#else
    return 0;
#endif
}

void setThreadNice(int nice)
{
#if defined(__linux__)
    thread_local int current = threadNice(); // a new thread inherits its creator's
    if (nice != current &&
        setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), nice) == 0)
        current = nice; // lowering it again needs a privilege a user may lack: best effort
#else
    (void)nice;
#endif
}

// One parallelSlices call: lives on its caller's stack until every slice has finished.
struct Batch
{
    void (*slice)(void*, int) = nullptr;
    void* context = nullptr;
    int slices = 0;
    int nice = 0;
    int next = 1;     // the next slice to hand out; slice 0 is the caller's
    int finished = 0; // slices returned or skipped
    int failedSlice = std::numeric_limits<int>::max();
    std::exception_ptr error;
    std::condition_variable done;
};

// Cleared when the pool is destroyed at exit: later calls (from static destructors, say)
// run their slices inline.
std::atomic<bool> poolAlive{false};

class Pool
{
public:
    static Pool& instance()
    {
        static Pool pool;
        return pool;
    }

    Pool() { poolAlive = true; }

    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    // Stops the workers at exit: each finishes the slice it runs, none waits forever.
    ~Pool()
    {
        poolAlive = false;
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& worker : workers_)
            worker.join();
    }

    void run(Batch& batch)
    {
        {
            std::lock_guard lock(mutex_);
            // More workers than slices - 1 would only wait; callers run leftover slices.
            const auto wanted = static_cast<size_t>(std::min(batch.slices - 1, kMaxWorkers));
            while (workers_.size() < wanted)
                workers_.emplace_back([this] { work(); });
            queue_.push_back(&batch);
        }
        wake_.notify_all();
        execute(batch, 0);
        std::unique_lock lock(mutex_);
        // Help with our own slices that no worker has taken: a caller never waits for a slice
        // that nobody runs, so nested and concurrent calls cannot deadlock.
        for (int s; (s = claim(batch)) >= 0;)
        {
            lock.unlock();
            execute(batch, s);
            lock.lock();
        }
        batch.done.wait(lock, [&] { return batch.finished == batch.slices; });
        if (batch.error)
            std::rethrow_exception(batch.error);
    }

private:
    static constexpr int kMaxWorkers = 256;

    // The next slice of `batch` to run, or -1; called with the mutex held.
    int claim(Batch& batch)
    {
        if (batch.next >= batch.slices)
            return -1;
        const int s = batch.next++;
        if (batch.next == batch.slices)
            queue_.erase(std::find(queue_.begin(), queue_.end(), &batch));
        return s;
    }

    void execute(Batch& batch, int s)
    {
        std::exception_ptr error;
        try
        {
            batch.slice(batch.context, s);
        }
        catch (...)
        {
            error = std::current_exception();
        }
        std::lock_guard lock(mutex_);
        ++batch.finished;
        if (error)
        {
            if (s < batch.failedSlice)
            {
                batch.failedSlice = s;
                batch.error = error;
            }
            // The call fails whatever the other slices do: skip those not yet started.
            if (batch.next < batch.slices)
            {
                batch.finished += batch.slices - batch.next;
                batch.next = batch.slices;
                queue_.erase(std::find(queue_.begin(), queue_.end(), &batch));
            }
        }
        if (batch.finished == batch.slices)
            batch.done.notify_all(); // under the mutex: the caller may destroy `done` next
    }

    void work()
    {
        std::unique_lock lock(mutex_);
        while (true)
        {
            wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty())
                return; // stopping, with nothing left to run
            Batch& batch = *queue_.front();
            const int s = claim(batch);
            const int nice = batch.nice;
            lock.unlock();
            setThreadNice(nice);
            execute(batch, s);
            lock.lock();
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Batch*> queue_; // batches with slices not yet handed out, oldest first
    std::vector<std::thread> workers_;
    bool stopping_ = false;
};

} // namespace

void runSlices(int slices, void (*slice)(void*, int), void* context)
{
    Batch batch;
    batch.slice = slice;
    batch.context = context;
    batch.slices = slices;
    Pool* pool = slices > 1 ? &Pool::instance() : nullptr;
    if (!pool || !poolAlive)
    {
        // After the pool's destruction at exit: the same slices, in order, on this thread.
        for (int s = 0; s < slices; ++s)
            slice(context, s);
        return;
    }
    batch.nice = threadNice();
    pool->run(batch);
}

} // namespace clusterscope::detail

#pragma once
// A small thread pool on std::thread, std::mutex and std::condition_variable. JobRunner used
// QThreadPool, whose hand-offs go through a QWaitCondition inside a Qt that is not built with
// ThreadSanitizer: TSan could not see them and reported races that were not there. Here every
// hand-off is a primitive TSan instruments, so the tsan lane checks the runner's own code.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace clusterscope
{

class WorkerPool
{
public:
    // At most `maxThreads` tasks run at once (default: the hardware's threads, as QThreadPool);
    // threads start when tasks need them and live until the pool is destroyed.
    explicit WorkerPool(int maxThreads = 0);
    ~WorkerPool(); // runs what is queued, then joins every thread
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    // Queues `task`; it runs on a worker thread. A task must not throw (it is the caller's job
    // to turn failures into results); one that does ends the program, as with std::thread.
    void start(std::function<void()> task);
    // Waits until nothing is queued or running, at most `ms` milliseconds (negative: without a
    // limit). True when the pool is idle.
    bool waitForDone(int ms);

private:
    void work();

    std::mutex mutex_;
    std::condition_variable wake_; // a task is queued, or the pool is stopping
    std::condition_variable idle_; // nothing is queued or running
    std::deque<std::function<void()>> queue_;
    std::vector<std::thread> threads_;
    size_t maxThreads_;
    size_t waiting_ = 0; // threads waiting for a task
    size_t busy_ = 0;    // tasks running
    bool stopping_ = false;
};

} // namespace clusterscope

#include "worker_pool.h"

#include <algorithm>
#include <chrono>

namespace clusterscope
{

WorkerPool::WorkerPool(int maxThreads)
    : maxThreads_(maxThreads > 0 ? static_cast<size_t>(maxThreads)
                                 : std::max(1U, std::thread::hardware_concurrency()))
{
}

WorkerPool::~WorkerPool()
{
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_)
    {
        thread.join();
    }
}

void WorkerPool::start(std::function<void()> task)
{
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(task));
        // A new thread only when no idle one will take the task.
        if (waiting_ < queue_.size() && threads_.size() < maxThreads_)
        {
            threads_.emplace_back([this] { work(); });
        }
    }
    wake_.notify_one();
}

bool WorkerPool::waitForDone(int ms)
{
    std::unique_lock lock(mutex_);
    const auto done = [this] { return queue_.empty() && busy_ == 0; };
    if (ms < 0)
    {
        idle_.wait(lock, done);
        return true;
    }
    return idle_.wait_for(lock, std::chrono::milliseconds(ms), done);
}

void WorkerPool::work()
{
    std::unique_lock lock(mutex_);
    for (;;)
    {
        ++waiting_;
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        --waiting_;
        if (queue_.empty())
        {
            return; // stopping, and nothing left to run
        }
        auto task = std::move(queue_.front());
        queue_.pop_front();
        ++busy_;
        lock.unlock();
        task();
        task = nullptr; // the task's captures die on this thread, before it counts as done
        lock.lock();
        --busy_;
        if (busy_ == 0 && queue_.empty())
        {
            idle_.notify_all();
        }
    }
}

} // namespace clusterscope

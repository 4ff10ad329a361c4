#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>

#include <chrono>
#include <thread>

namespace clusterscope
{

namespace
{

int64_t nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace

void Progress::checkCancel() const
{
    throwIfCancelled(*this);
}

bool Progress::reportDue()
{
    const int64_t now = nowMs();
    int64_t last = lastReportMs_.load(std::memory_order_relaxed);
    if (last >= 0 && now - last < kReportIntervalMs)
        return false;
    // One thread wins a due report; the others skip it.
    return lastReportMs_.compare_exchange_strong(last, now, std::memory_order_relaxed);
}

NullProgress& nullProgress()
{
    static NullProgress instance;
    return instance;
}

void throwIfCancelled(const Progress& progress)
{
    if (progress.cancelRequested())
    {
        throw CancelledError();
    }
}

void waitWhilePaused(const Progress& progress)
{
    while (progress.pauseRequested())
    {
        throwIfCancelled(progress);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throwIfCancelled(progress);
}

} // namespace clusterscope

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>

#include <chrono>
#include <thread>

namespace clusterscope
{

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

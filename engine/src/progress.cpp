#include <clusterscope/errors.h>
#include <clusterscope/progress.h>

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

} // namespace clusterscope

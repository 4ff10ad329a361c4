#pragma once
// Waits for a GUI job to end (in any state), running the event loop meanwhile.

#include "job_runner.h"

#include <QSignalSpy>

inline bool waitFor(clusterscope::Job* job, int ms = 120000)
{
    if (!job)
        return false;
    if (!job->isRunning())
        return true;
    QSignalSpy finished(job, &clusterscope::Job::finished);
    return finished.wait(ms);
}

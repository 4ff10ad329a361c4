#pragma once
// Runs a method from the window's Method panel, as a user would, and waits for it.

#include "job_wait.h"
#include "main_window.h"
#include "method_panel.h"
#include "parameter_form.h"

// The Method panel's `method` with k = `k`: the finished run's id, or 0 (not finished, or the
// panel refused the method or k).
inline int runMethod(clusterscope::MainWindow& w, const char* method, const char* k)
{
    if (!w.methodPanel()->selectMethod(method) || !w.methodPanel()->form()->setText("k", k))
        return 0;
    clusterscope::Job* job = w.runClustering();
    return waitFor(job) && job->state() == clusterscope::Job::State::Finished
               ? w.session().currentRunId()
               : 0;
}

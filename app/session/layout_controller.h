#pragma once
// Lays out a finished run's soft assignment (N x K) with one of the registry's layouts (HCHC,
// any other it gains) as a background job, and keeps the result with the run
// (RunEntry::layout). Which runs can be laid out is the registry's to say: the clusterer's
// Capabilities::softAssignments and the layout's input kind. The worker never touches the
// session: the result is delivered on the GUI thread, and dropped when the run is gone.

#include "job_runner.h"

#include <clusterscope/core/parameters.h>
#include <clusterscope/core/registry.h>

#include <QObject>
#include <QString>

#include <vector>

namespace clusterscope
{

class Session;

class LayoutController : public QObject
{
    Q_OBJECT

public:
    LayoutController(Session& session, JobRunner& runner, QObject* parent = nullptr);

    // Why run `runId` cannot be laid out by `layout`, for a person to read; empty when it can.
    QString refusal(int runId, const LayoutInfo& layout) const;
    // The runs `layout` can lay out now, oldest first.
    std::vector<int> runsItCanLayOut(const LayoutInfo& layout) const;

    // Starts `layout` with `params` (over its schema) on run `runId`'s soft assignment. Throws
    // ParameterError with refusal()'s reason; the layout's own errors end the job Failed
    // (layoutFailed).
    Job* start(int runId, const LayoutInfo& layout, const ParamSet& params, uint64_t seed = 0);

Q_SIGNALS:
    void layoutReady(int runId);
    void layoutFailed(const QString& error);

private:
    Session& session_;
    JobRunner& runner_;
};

} // namespace clusterscope

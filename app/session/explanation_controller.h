#pragma once
// Explains a finished run's clusters with one of the registry's explainers (polyhedral
// descriptions, IMM, ExKMC, profiles) as a background job, over the loaded features in the
// run's scaling, with the rules mapped back to the file's units; keeps the result with the run
// (RunEntry::explanation). The worker never touches the session: the result is delivered on
// the GUI thread, and dropped when the dataset was replaced meanwhile.

#include "job_runner.h"

#include <clusterscope/core/parameters.h>
#include <clusterscope/core/registry.h>

#include <QObject>
#include <QString>

namespace clusterscope
{

class Session;

class ExplanationController : public QObject
{
    Q_OBJECT

public:
    ExplanationController(Session& session, JobRunner& runner, QObject* parent = nullptr);

    // Why run `runId` cannot be explained by `explainer`, for a person to read; empty when it
    // can.
    QString refusal(int runId, const ExplainerInfo& explainer) const;

    // Starts `explainer` with `params` on run `runId`'s labels. Throws ParameterError with
    // refusal()'s reason; the explainer's own errors end the job Failed (explanationFailed).
    Job* start(int runId, const ExplainerInfo& explainer, const ParamSet& params,
               uint64_t seed = 0);

Q_SIGNALS:
    void explanationReady(int runId);
    void explanationFailed(const QString& error);

private:
    Session& session_;
    JobRunner& runner_;
};

} // namespace clusterscope

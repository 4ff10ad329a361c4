#pragma once
// The choose-k sweep as a background job on the session's dataset (prepared as a run would be),
// and which method a chosen k goes to.

#include "job_runner.h"

#include <clusterscope/cluster/choose_k.h>
#include <clusterscope/core/registry.h>
#include <clusterscope/pipeline/run_settings.h>

#include <QObject>

namespace clusterscope
{

class Session;

// The method a number of clusters applies to: `current` when its capabilities name a
// cluster-count parameter, else the first registered method that has one (nullptr: none).
const AlgorithmInfo* methodTakingClusterCount(const AlgorithmInfo* current,
                                              const Registry& registry);

class ChooseKController : public QObject
{
    Q_OBJECT

public:
    ChooseKController(Session& session, JobRunner& runner, QObject* parent = nullptr);

    // Sweeps k over [kMin, kMax] on the session's dataset prepared with `settings`. Throws
    // ParameterError when no dataset is loaded; the sweep's own errors end the job Failed.
    // resultReady follows when it finishes and the dataset is still the one it swept.
    Job* sweep(int64_t kMin, int64_t kMax, const RunSettings& settings);

Q_SIGNALS:
    void resultReady(const clusterscope::ChooseKResult& result);

private:
    Session& session_;
    JobRunner& runner_;
};

} // namespace clusterscope

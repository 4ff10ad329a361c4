#pragma once
// Runs a method on the session's dataset as a background job: prepares the data (prepareData),
// runs it (runMethod), and stores the outcome, the run record and the run's views in the
// session, in that run's own entry.

#include "job_runner.h"

#include <clusterscope/pipeline/run.h>

#include <QObject>

namespace clusterscope
{

class Session;

// Whether the features a run clusters differ from those the data view projects (the loaded
// ones under `viewScaling`): another scaling, or a PCA. The run's view is then computed from
// its own prepared features.
bool preparationChangesView(const RunSettings& settings, const std::string& viewScaling);

class ClusteringController : public QObject
{
    Q_OBJECT

public:
    struct Started
    {
        int runId = 0;
        Job* job = nullptr;
    };

    ClusteringController(Session& session, JobRunner& runner, QObject* parent = nullptr);

    // Where training methods cache pretrained autoencoders (default: the user's cache, as the
    // CLI's).
    void setCacheDir(const QString& dir) { cacheDir_ = dir; }
    const QString& cacheDir() const { return cacheDir_; }
    // The run history every finished run is kept in (run_history.h; default
    // defaultHistoryPath(), the CLI's; empty: none). Written by the run's worker; a history that
    // cannot be written adds a note to the run, which still finishes. The run's record then
    // says its history id under "run_history".
    void setHistoryPath(const QString& path) { historyPath_ = path; }
    const QString& historyPath() const { return historyPath_; }

    // Adds a run of `request` to the session (it becomes the current run) and starts its job;
    // the job can pause when the method's capabilities say so. Its training updates and result
    // go to that run alone. Throws ParameterError when no dataset is loaded or the request has
    // no method; the method's own errors end the job Failed (and the run with it).
    // With `embeddingId`, the run clusters that embedding's coordinates (as scanpy users
    // cluster a UMAP) instead of the loaded features; its record says so under "input".
    // With `rows` (loaded indices, distinct), the run clusters those rows alone (a selection
    // re-clustered); `parentRun`, the run whose clusters they split, is kept with it for
    // Session::mergeIntoParent. ParameterError when a row is out of range.
    Started start(const RunRequest& request, int embeddingId = 0,
                  const std::vector<int64_t>& rows = {}, int parentRun = 0);

Q_SIGNALS:
    // A run that ended Failed, with the engine's message.
    void runFailed(int runId, const QString& error);

private:
    Session& session_;
    JobRunner& runner_;
    QString cacheDir_;
    QString historyPath_;
};

} // namespace clusterscope

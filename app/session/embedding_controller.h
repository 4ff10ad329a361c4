#pragma once
// Runs a reducer (PCA, UMAP, any the registry has) on the session's dataset as a background
// job, through the pipeline's runReducer as the CLI's `embed` does, and keeps the result as
// one of the dataset's named embeddings. The worker never touches the session: its result is
// delivered on the GUI thread, and dropped when the dataset was replaced meanwhile.

#include "job_runner.h"

#include <clusterscope/pipeline/embed.h>

#include <QObject>

namespace clusterscope
{

class Session;

class EmbeddingController : public QObject
{
    Q_OBJECT

public:
    EmbeddingController(Session& session, JobRunner& runner, QObject* parent = nullptr);

    // Starts `request` on the loaded features prepared with request.settings (scaling, PCA),
    // or, with `learnedOfRun`, on that finished run's learned embedding. Throws ParameterError
    // when no dataset is loaded, no reducer is chosen, or the run has no learned embedding of
    // every loaded row; the reducer's own errors end the job Failed (embeddingFailed).
    Job* start(const EmbedRequest& request, int learnedOfRun = 0);

    // Runs whose learned embedding can be mapped (finished, every loaded row), oldest first.
    std::vector<int> runsWithLearnedEmbedding() const;

Q_SIGNALS:
    void embeddingReady(int embeddingId);
    void embeddingFailed(const QString& error);

private:
    Session& session_;
    JobRunner& runner_;
};

} // namespace clusterscope

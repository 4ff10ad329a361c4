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

    // Keeps coordinates made elsewhere (umap-learn, scanpy, a foundation model's embedding) as
    // one of the dataset's embeddings, named `name`. `coordinates` holds N x d values (d from 1
    // to 64; more than 3 are shown by their principal components) with `columns` names, where N
    // is the loaded rows, or the rows of the loaded file when the missing-value policy dropped
    // some (the kept rows are taken then); `warnings` go with it. Throws ParameterError naming
    // `source` when no dataset is loaded, the row count differs, d is out of range or a value is
    // not finite.
    int addPrecomputed(const at::Tensor& coordinates, std::vector<std::string> columns,
                       const QString& name, const QString& source,
                       std::vector<std::string> warnings = {});
    // Loads `path` (.npy, .npz, CSV/TSV: every numeric column; an id column is left out) and
    // keeps it as above. Throws the loader's DataError naming the file, or as addPrecomputed.
    int loadCoordinates(const QString& path);
    // The loaded features' columns named `names` (1 to 64 of them) as an embedding, e.g. the x
    // and y of a table that carries its own map. Throws ParameterError naming an unknown column.
    int coordinatesFromColumns(const std::vector<std::string>& names);

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

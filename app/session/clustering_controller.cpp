#include "clustering_controller.h"

#include "preferences.h"
#include "session.h"

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/view_projection.h>
#include <clusterscope/pipeline/prepare.h>
#include <clusterscope/pipeline/run_record.h>

#include <ATen/core/Tensor.h>
#include <QPointer>

#include <nlohmann/json.hpp>
#include <run_history.h>

namespace clusterscope
{

bool preparationChangesView(const RunSettings& settings, const std::string& viewScaling)
{
    return settings.scaling != viewScaling || settings.pca > 0;
}

ClusteringController::ClusteringController(Session& session, JobRunner& runner, QObject* parent)
    : QObject(parent), session_(session), runner_(runner),
      cacheDir_(Preferences::defaults().cacheDir),
      historyPath_(QString::fromStdString(defaultHistoryPath()))
{
}

ClusteringController::Started ClusteringController::start(const RunRequest& asked, int embeddingId,
                                                          const std::vector<int64_t>& selection,
                                                          int parentRun)
{
    RunRequest request = asked;
    // The loaders applied the dataset's missing-value policy as they read: the run (and its
    // record) says the one that made these rows, as the CLI's --missing does.
    copyLoadSettings(session_.sources().loadSettings, request.settings);
    if (!request.method)
        throw ParameterError("no method chosen: pick one in the Method panel");
    const auto snapshot = session_.dataset();
    if (!snapshot)
        throw ParameterError("no dataset: open one first (File > Open, or drop a file)");
    const RunSources sources = session_.sources();
    const std::string viewScaling = session_.dataView().scaling;
    std::shared_ptr<const Dataset> source = snapshot;
    nlohmann::json input;
    if (embeddingId != 0)
    {
        const EmbeddingEntry* e = session_.embedding(embeddingId);
        if (!e)
            throw ParameterError("that embedding is gone (the dataset was replaced): compute it "
                                 "again in the Embedding panel");
        // The embedding's coordinates stand in for the features; labels and metadata stay.
        auto mapped = std::make_shared<Dataset>(*snapshot);
        mapped->features = matrixFromValues(e->coordinates, snapshot->rows(), e->dims);
        mapped->featureNames = e->columns;
        mapped->featureOffsets.clear();
        source = mapped;
        input = {{"embedding", e->name.toStdString()}, {"embedding_record", e->record}};
    }
    if (!selection.empty())
    {
        for (const int64_t r : selection)
            if (r < 0 || r >= snapshot->rows())
                throw ParameterError("the selection names row " + std::to_string(r) +
                                     " of a dataset of " + std::to_string(snapshot->rows()) +
                                     " rows: select again");
        source = std::make_shared<Dataset>(selectRows(*source, selection));
        input["rows"] = selection.size();
        if (parentRun != 0)
            input["parent_run"] = parentRun;
    }
    const int id = session_.addRun(request, parentRun);
    if (embeddingId != 0)
        session_.setRunEmbedding(id, embeddingId);
    const std::string cacheDir = cacheDir_.toStdString();
    const std::string historyPath = historyPath_.toStdString();
    // How a re-run reads the data again (HistoryRun::load): the resolved label column, or none.
    const nlohmann::json load = {
        {"paths", sources.paths},
        {"label_column", snapshot->hasLabels() ? sources.labelColumn : std::string("none")},
        {"id_column", sources.idColumn},
        {"array", sources.array}};
    QPointer<Session> session(&session_);
    // Training updates are posted to the runner, which outlives its workers (its destructor
    // waits for them), and applied to this run only if the session still has it.
    JobRunner* post = &runner_;

    QString title = describeRun(request);
    if (embeddingId != 0)
        title += " on " + session_.embedding(embeddingId)->name;
    Job* job = runner_.start(
        title,
        [session, post, snapshot, source, input, sources, viewScaling, request, cacheDir,
         historyPath, load, id, selected = selection](Progress& progress) -> std::function<void()>
        {
            applyTorchThreads(request.settings.threads); // per worker thread (device.h)
            RunRequest run = request;
            run.cacheDir = cacheDir;
            ProgressRange preparing(progress, 0.0, 0.05);
            const auto prepared = prepareData(*source, run.settings, preparing);
            // Rows of the loaded dataset (a selection's prepared rows index the selection).
            auto rows = prepared.sourceRows;
            if (!selected.empty())
                for (auto& r : rows)
                    r = selected[static_cast<size_t>(r)];
            run.onTrainingUpdate = [session, post, id, rows](const TrainingUpdate& update)
            {
                QMetaObject::invokeMethod(
                    post,
                    [session, id, rows, update]
                    {
                        if (session)
                            session->updateTraining(id, update, rows);
                    },
                    Qt::QueuedConnection);
            };
            ProgressRange running(progress, 0.05, 1.0);
            auto outcome = runMethod(prepared, run, running);
            throwIfCancelled(progress);
            run.onTrainingUpdate = nullptr;
            auto record = runRecord(run, prepared, outcome, sources);
            if (!input.is_null())
                record["input"] = input;
            if (!historyPath.empty())
            {
                try
                {
                    const int64_t kept =
                        RunHistory(historyPath)
                            .add(historyRunFrom(record, load, "gui", rows, outcome.result.labels,
                                                outcome.result.soft));
                    record["run_history"] = {{"id", kept}, {"path", historyPath}};
                }
                catch (const std::exception& e)
                {
                    outcome.notes.push_back(std::string("not kept in the run history: ") +
                                            e.what());
                }
            }
            const bool allRows = prepared.data.rows() == snapshot->rows();
            // The run's own view when its features are not what the data view projects (a
            // table with one large column would otherwise show as a line).
            std::vector<float> viewXyz;
            // A run on an embedding is shown on whichever view is picked (its own first).
            if (allRows && input.is_null() && preparationChangesView(run.settings, viewScaling))
                viewXyz = viewCoordinates(prepared.data.features, 3, 0);
            // A learned representation gets its own view: its first principal components.
            std::vector<float> learned;
            if (allRows && outcome.result.embedding.defined())
                learned = viewCoordinates(outcome.result.embedding.to(at::kFloat).contiguous(), 3,
                                          run.settings.seed);
            return [session, id, outcome = std::move(outcome), rows, record = std::move(record),
                    viewXyz = std::move(viewXyz), learned = std::move(learned)]() mutable
            {
                if (session)
                    session->finishRun(id, std::move(outcome), rows, std::move(record),
                                       std::move(viewXyz), std::move(learned));
            };
        },
        request.method->caps.canPause);
    connect(job, &Job::finished, this,
            [this, session, job, id]
            {
                if (!session)
                    return;
                switch (job->state())
                {
                case Job::State::Finished:
                    if (const RunEntry* r = session->run(id))
                        job->setSummary(describeMetrics(r->outcome.metrics));
                    break;
                case Job::State::Failed:
                    session->endRun(id, RunEntry::Status::Failed, job->error());
                    Q_EMIT runFailed(id, job->error());
                    break;
                case Job::State::Cancelled:
                    session->endRun(id, RunEntry::Status::Cancelled);
                    break;
                case Job::State::Running:
                    break;
                }
            });
    return {id, job};
}

} // namespace clusterscope

#include "explanation_controller.h"

#include "session.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/explain/rules.h>

#include <QPointer>

#include <set>

namespace clusterscope
{

ExplanationController::ExplanationController(Session& session, JobRunner& runner, QObject* parent)
    : QObject(parent), session_(session), runner_(runner)
{
}

QString ExplanationController::refusal(int runId, const ExplainerInfo& explainer) const
{
    const QString what = QString::fromStdString(explainer.displayName);
    if (explainer.caps.input != InputKind::Partition)
        return tr("%1 does not explain clusters").arg(what);
    if (!session_.dataset())
        return tr("Open a dataset and cluster it; then explain the clusters here.");
    const RunEntry* run = session_.run(runId);
    if (!run)
        return tr("No run yet: run a clustering method, then explain its clusters here.");
    if (run->status == RunEntry::Status::Failed || run->status == RunEntry::Status::Cancelled)
        return tr("run #%1 %2: run it again, or pick a finished run")
            .arg(runId)
            .arg(run->status == RunEntry::Status::Failed ? tr("failed") : tr("was cancelled"));
    if (!run->finished())
        return tr("run #%1 has not finished: %2 explains a finished run's clusters")
            .arg(runId)
            .arg(what);
    std::set<int64_t> clusters;
    for (auto c : run->outcome.result.labels)
        if (c >= 0)
            clusters.insert(c);
    if (clusters.size() < 2)
        return tr("run #%1 found %2 cluster(s); explaining needs at least two to tell apart")
            .arg(runId)
            .arg(clusters.size());
    if (run->outcome.result.labels.size() != run->sourceRows.size())
        return tr("run #%1 kept no labels for its rows: run it again").arg(runId);
    return {};
}

Job* ExplanationController::start(int runId, const ExplainerInfo& explainer, const ParamSet& params,
                                  uint64_t seed)
{
    const QString why = refusal(runId, explainer);
    if (!why.isEmpty())
        throw ParameterError(why.toStdString());
    const RunEntry* run = session_.run(runId);
    const auto snapshot = session_.dataset();
    const std::vector<int64_t> rows = run->sourceRows;
    const std::vector<int64_t> labels = run->outcome.result.labels;
    const std::string scaling = run->request.settings.scaling;
    const ExplainerInfo* info = &explainer;
    const QString name = tr("%1 of run #%2 (%3)")
                             .arg(QString::fromStdString(explainer.displayName))
                             .arg(runId)
                             .arg(describeRun(run->request));
    QPointer<Session> session(&session_);
    QPointer<ExplanationController> self(this);
    Job* job = runner_.start(
        name,
        [session, self, snapshot, rows, labels, scaling, info, params, seed, runId,
         name](Progress& progress) -> std::function<void()>
        {
            // The run's rows of the loaded data, in the run's scaling (the space it clustered
            // in; a PCA or an embedding it clustered is not explained, the features are).
            const Dataset data = selectRows(*snapshot, rows);
            const at::Tensor features = applyScaling(data.features, scaling);
            ExplainInput input{features, data.featureNames, labels, data.labelNames};
            RunContext context(c10::Device(c10::kCPU), seed, &progress);
            if (data.hasLabels())
                context.truth = &data.labels;
            auto entry = std::make_shared<RunExplanation>();
            entry->explainer = info;
            entry->params = params;
            entry->seed = seed;
            entry->name = name;
            entry->rows = rows;
            entry->result = info->explain(input, params, context);
            throwIfCancelled(progress);
            entry->covered = coveredBy(features, entry->result.clusters);
            toFileFrame(entry->result, fileFrameOf(data.features, features, data.featureOffsets));
            return [session, self, snapshot, runId, entry]()
            {
                if (!session || session->dataset() != snapshot)
                    return;
                if (session->setRunExplanation(runId, entry) && self)
                    Q_EMIT self->explanationReady(runId);
            };
        });
    connect(job, &Job::finished, this,
            [this, job, runId]
            {
                if (job->state() == Job::State::Failed)
                    Q_EMIT explanationFailed(job->error());
                const RunEntry* r = session_.run(runId);
                if (job->state() != Job::State::Finished || !r || !r->explanation)
                    return;
                const auto& clusters = r->explanation->result.clusters;
                if (clusters.empty() || clusters.front().rules.empty())
                {
                    job->setSummary(tr("profiles of %1 clusters").arg(clusters.size()));
                    return;
                }
                double coverage = 0, precision = 0;
                for (const auto& c : clusters)
                {
                    coverage += c.coverage / static_cast<double>(clusters.size());
                    precision += c.precision / static_cast<double>(clusters.size());
                }
                job->setSummary(tr("%1 clusters, mean coverage %2, precision %3%4")
                                    .arg(clusters.size())
                                    .arg(coverage, 0, 'f', 3)
                                    .arg(precision, 0, 'f', 3)
                                    .arg(r->explanation->result.optimal ? tr(" (optimal)") : ""));
            });
    return job;
}

} // namespace clusterscope

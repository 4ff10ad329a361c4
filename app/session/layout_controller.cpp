#include "layout_controller.h"

#include "session.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/pipeline/builtin.h>

#include <ATen/core/Tensor.h>
#include <QPointer>
#include <QStringList>

#include <algorithm>

namespace clusterscope
{

namespace
{
// "GMM, DEC": the clusterers whose runs have a soft assignment, for a refusal to name.
QString clusterersWithSoft()
{
    QStringList names;
    for (const auto& a : builtinRegistry().all())
        if (a.caps.softAssignments)
            names << QString::fromStdString(a.displayName);
    return names.join(", ");
}

} // namespace

LayoutController::LayoutController(Session& session, JobRunner& runner, QObject* parent)
    : QObject(parent), session_(session), runner_(runner)
{
}

QString LayoutController::refusal(int runId, const LayoutInfo& layout) const
{
    const QString what = QString::fromStdString(layout.displayName);
    if (layout.caps.input != InputKind::SoftAssignment)
        return tr("%1 does not lay out soft assignments").arg(what);
    const RunEntry* run = session_.run(runId);
    if (!run)
        return tr("no run #%1: pick a finished run in the Runs panel").arg(runId);
    if (run->status == RunEntry::Status::Failed || run->status == RunEntry::Status::Cancelled)
        return tr("run #%1 %2, so it has no soft assignment: run it again, or pick a finished run")
            .arg(runId)
            .arg(run->status == RunEntry::Status::Failed ? tr("failed") : tr("was cancelled"));
    if (!run->finished())
        return tr("run #%1 has not finished: %2 lays out a finished run's soft assignment")
            .arg(runId)
            .arg(what);
    const AlgorithmInfo* method = run->request.method;
    if (method && !method->caps.softAssignments)
        return tr("run #%1 is %2, which gives each row one cluster and no soft assignment; %3 "
                  "needs an N x K soft assignment: run a method that gives one (%4)")
            .arg(runId)
            .arg(QString::fromStdString(method->displayName), what, clusterersWithSoft());
    const at::Tensor& soft = run->outcome.result.soft;
    if (!soft.defined() || soft.dim() != 2 || soft.size(0) == 0)
        return tr("run #%1 kept no soft assignment: run it again").arg(runId);
    if (soft.size(1) < 3)
        return tr("run #%1 has %2 clusters; %3 needs at least 3 to make a cycle")
            .arg(runId)
            .arg(soft.size(1))
            .arg(what);
    if (static_cast<size_t>(soft.size(0)) != run->sourceRows.size())
        return tr("run #%1's soft assignment has %2 rows but it clustered %3")
            .arg(runId)
            .arg(soft.size(0))
            .arg(run->sourceRows.size());
    return {};
}

std::vector<int> LayoutController::runsItCanLayOut(const LayoutInfo& layout) const
{
    std::vector<int> out;
    for (int id : session_.runIds())
        if (refusal(id, layout).isEmpty())
            out.push_back(id);
    return out;
}

Job* LayoutController::start(int runId, const LayoutInfo& layout, const ParamSet& params,
                             uint64_t seed)
{
    const QString why = refusal(runId, layout);
    if (!why.isEmpty())
        throw ParameterError(why.toStdString());
    const RunEntry* run = session_.run(runId);
    const at::Tensor soft = run->outcome.result.soft;
    const std::vector<int64_t> rows = run->sourceRows;
    const auto snapshot = session_.dataset();
    const LayoutInfo* info = &layout;
    const QString name = tr("%1 of run #%2 (%3)")
                             .arg(QString::fromStdString(layout.displayName))
                             .arg(runId)
                             .arg(describeRun(run->request));
    QPointer<Session> session(&session_);
    QPointer<LayoutController> self(this);
    Job* job =
        runner_.start(name,
                      [session, self, snapshot, soft, rows, info, params, seed, runId,
                       name](Progress& progress) -> std::function<void()>
                      {
                          auto entry = std::make_shared<RunLayout>();
                          entry->layout = info;
                          entry->params = params;
                          entry->seed = seed;
                          entry->name = name;
                          entry->rows = rows;
                          entry->result = info->layout(
                              soft, params, RunContext{c10::Device(c10::kCPU), seed, &progress});
                          throwIfCancelled(progress);
                          // Each cluster's size: the rows whose largest membership is that cluster.
                          const at::Tensor q = soft.to(at::kCPU).to(at::kFloat).contiguous();
                          const int64_t n = q.size(0);
                          const int64_t k = q.size(1);
                          const float* p = q.data_ptr<float>();
                          entry->clusterSizes.assign(static_cast<size_t>(k), 0);
                          entry->clusters.resize(static_cast<size_t>(n));
                          for (int64_t i = 0; i < n; ++i)
                          {
                              const float* row = p + i * k;
                              const int64_t c = std::max_element(row, row + k) - row;
                              entry->clusters[static_cast<size_t>(i)] = c;
                              entry->clusterSizes[static_cast<size_t>(c)]++;
                          }
                          return [session, self, snapshot, runId, entry]()
                          {
                              // Dropped when the dataset was replaced while it ran.
                              if (!session || session->dataset() != snapshot)
                                  return;
                              if (session->setRunLayout(runId, entry) && self)
                                  Q_EMIT self->layoutReady(runId);
                          };
                      });
    connect(job, &Job::finished, this,
            [this, job, runId]
            {
                if (job->state() == Job::State::Failed)
                    Q_EMIT layoutFailed(job->error());
                const RunEntry* r = session_.run(runId);
                if (job->state() != Job::State::Finished || !r || !r->layout)
                    return;
                const auto& res = r->layout->result;
                QStringList cycle;
                for (auto c : res.cycle)
                    cycle << QString::number(c);
                job->setSummary(tr("cycle %1, length %2%3")
                                    .arg(cycle.join(' '))
                                    .arg(res.length, 0, 'f', 4)
                                    .arg(res.exact ? tr(" (exact)") : tr(" (heuristic)")));
            });
    return job;
}

} // namespace clusterscope

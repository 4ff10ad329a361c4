#include "choose_k_controller.h"

#include "session.h"

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/pipeline/prepare.h>

#include <QPointer>

namespace clusterscope
{

const AlgorithmInfo* methodTakingClusterCount(const AlgorithmInfo* current,
                                              const Registry& registry)
{
    if (current && !current->caps.clusterCount.empty())
        return current;
    for (const auto& method : registry.all())
        if (!method.caps.clusterCount.empty())
            return &method;
    return nullptr;
}

ChooseKController::ChooseKController(Session& session, JobRunner& runner, QObject* parent)
    : QObject(parent), session_(session), runner_(runner)
{
}

Job* ChooseKController::sweep(int64_t kMin, int64_t kMax, const RunSettings& asked)
{
    RunSettings settings = asked;
    copyLoadSettings(session_.sources().loadSettings, settings); // what the loaders applied
    const auto snapshot = session_.dataset();
    if (!snapshot)
        throw ParameterError("no dataset: open one first (File > Open, or drop a file)");
    QPointer<Session> session(&session_);
    QPointer<ChooseKController> self(this);
    return runner_.start(
        tr("Choose k (%1-%2)").arg(kMin).arg(kMax),
        [session, self, snapshot, settings, kMin, kMax](Progress& progress) -> std::function<void()>
        {
            applyTorchThreads(settings.threads);
            const auto prepared = prepareData(*snapshot, settings, progress);
            ChooseKOptions o;
            o.kMin = kMin;
            o.kMax = kMax;
            o.seed = settings.seed;
            auto result =
                chooseK(prepared.data.features.to(resolveDevice(settings.device)), o, &progress);
            return [session, self, snapshot, result = std::move(result)]
            {
                if (session && self && session->dataset() == snapshot)
                    Q_EMIT self->resultReady(result);
            };
        });
}

} // namespace clusterscope

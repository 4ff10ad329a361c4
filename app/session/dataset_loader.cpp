#include "dataset_loader.h"

#include "session.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/embed/view_projection.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/pipeline/run_record.h>

#include <QFileInfo>
#include <QPointer>

#include <atomic>
#include <chrono>
#include <memory>

namespace clusterscope
{

DatasetLoader::DatasetLoader(Session& session, JobRunner& runner, QObject* parent)
    : QObject(parent), session_(session), runner_(runner)
{
}

Job* DatasetLoader::open(const QStringList& paths, const QString& labelColumn,
                         const RunSettings& settings, const QString& idColumn)
{
    std::vector<std::string> files;
    for (const auto& p : paths)
        files.push_back(p.toStdString());
    LoadOptions options;
    options.labelColumn = labelColumn.toStdString(); // the engine reads "-none-" as no labels
    options.idColumn = idColumn.toStdString();
    options.missing = parseMissingPolicy(settings.missing);
    const QString name = QFileInfo(paths.value(0)).fileName() + (paths.size() > 1 ? " +" : "");
    QPointer<Session> session(&session_);
    // Set on the worker, read on the GUI thread once the job has finished.
    auto missingValues = std::make_shared<std::atomic<bool>>(false);
    Job* job = runner_.start(
        tr("Load %1").arg(name),
        [session, files, options, settings,
         missingValues](Progress& progress) -> std::function<void()>
        {
            const auto t0 = std::chrono::steady_clock::now();
            ProgressRange loading(progress, 0.0, 0.6);
            std::shared_ptr<Dataset> loaded;
            try
            {
                loaded = std::make_shared<Dataset>(loadDatasets(files, options, &loading));
            }
            catch (const MissingValueError&)
            {
                missingValues->store(true);
                throw;
            }
            RunSources sources = loadedSources(
                files, *loaded, settings,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            sources.idColumn = options.idColumn;
            // The data view: a PCA of the loaded features, here in the background.
            ProgressRange reducing(progress, 0.6, 1.0);
            auto xyz = viewCoordinates(loaded->features, 3, 0, &reducing);
            return [session, loaded, xyz = std::move(xyz), sources]() mutable
            {
                if (session)
                    session->setDataset(std::move(loaded), std::move(xyz), std::move(sources));
            };
        });
    // Connected before any caller's slot, so refusedMissingValues answers in theirs.
    connect(job, &Job::finished, this,
            [this, job, missingValues]
            {
                if (job->state() == Job::State::Failed && missingValues->load())
                    refused_.insert(job->id());
            });
    return job;
}

bool DatasetLoader::refusedMissingValues(const Job* job) const
{
    return job && refused_.contains(job->id());
}

} // namespace clusterscope

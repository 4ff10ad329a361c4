#include "dataset_loader.h"

#include "embedding_entry.h"
#include "session.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/fingerprint.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/embed/preprocess.h>
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

namespace
{

// Which stored map the view opens on, as scanpy users expect: a UMAP, else a t-SNE, else a
// force-directed drawing (1 best); 0: none of these (a PCA, a spatial layout): the data view.
int storedMapRank(const QString& name)
{
    const QString key = name.toLower();
    if (key.contains("umap"))
        return 1;
    if (key.contains("tsne"))
        return 2;
    if (key.contains("draw_graph"))
        return 3;
    return 0;
}

} // namespace

DatasetLoader::DatasetLoader(Session& session, JobRunner& runner, QObject* parent)
    : QObject(parent), session_(session), runner_(runner)
{
}

Job* DatasetLoader::open(const QStringList& paths, const QString& labelColumn,
                         const RunSettings& settings, const QString& idColumn,
                         const QString& expectedHash, const QString& array, bool storedMaps)
{
    const std::string expected = expectedHash.toStdString();
    std::vector<std::string> files;
    for (const auto& p : paths)
        files.push_back(p.toStdString());
    LoadOptions options;
    options.labelColumn = labelColumn.toStdString(); // the engine reads "-none-" as no labels
    options.idColumn = idColumn.toStdString();
    options.array = array.toStdString();
    applyLoadSettings(settings, options);
    const QString name = QFileInfo(paths.value(0)).fileName() + (paths.size() > 1 ? " +" : "");
    QPointer<Session> session(&session_);
    // Set on the worker, read on the GUI thread once the job has finished.
    auto missingValues = std::make_shared<std::atomic<bool>>(false);
    Job* job = runner_.start(
        tr("Load %1").arg(name),
        [session, files, options, settings, expected, storedMaps,
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
            if (!expected.empty())
                if (const auto found = contentHash(*loaded); found != expected)
                    throw DataError(
                        files[0] + (files.size() > 1 ? " (and the files read with it)" : "") +
                        ": the content differs from the data the session or run history "
                        "kept runs of (content hash " +
                        found + ", then " + expected +
                        "): the file changed since, so those runs would not match its rows. "
                        "Open the original file, or open this one on its own to start anew");
            RunSources sources = loadedSources(
                files, *loaded, settings,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
            sources.idColumn = options.idColumn;
            sources.array = options.array;
            // The data view: a PCA of the loaded features as scaled on import (a table with one
            // large column would otherwise show as a line), here in the background.
            ProgressRange reducing(progress, 0.6, 1.0);
            DataView view;
            view.scaling = settings.scaling;
            std::vector<double> explained;
            view.xyz = viewCoordinates(applyScaling(loaded->features, view.scaling).contiguous(), 3,
                                       0, &reducing, &explained);
            for (const auto& title :
                 viewAxisTitles(loaded->featureNames, explained, 3, view.scaling))
                view.axes << QString::fromStdString(title);
            // Maps stored with the data (AnnData's obsm) come with it, their view PCA made here.
            std::vector<EmbeddingEntry> stored;
            if (storedMaps)
                stored = storedEmbeddings(*loaded,
                                          QFileInfo(QString::fromStdString(files[0])).fileName());
            return [session, loaded, view = std::move(view), sources,
                    stored = std::move(stored)]() mutable
            {
                if (!session)
                    return;
                session->setDataset(std::move(loaded), std::move(view), std::move(sources));
                int shown = 0;
                for (auto& entry : stored)
                {
                    const int rank = storedMapRank(entry.name);
                    const int id = session->addEmbedding(std::move(entry));
                    if (rank > 0 &&
                        (shown == 0 || rank < storedMapRank(session->embedding(shown)->name)))
                        shown = id;
                }
                if (shown)
                    session->setCurrentEmbedding(shown);
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

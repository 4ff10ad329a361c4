#include "dataset_loader.h"

#include "session.h"

#include <clusterscope/core/progress.h>
#include <clusterscope/embed/view_projection.h>
#include <clusterscope/io/loaders.h>

#include <QFileInfo>
#include <QPointer>

#include <chrono>

namespace clusterscope
{

DatasetLoader::DatasetLoader(Session& session, JobRunner& runner, QObject* parent)
    : QObject(parent), session_(session), runner_(runner)
{
}

Job* DatasetLoader::open(const QStringList& paths, const QString& labelColumn)
{
    std::vector<std::string> files;
    for (const auto& p : paths)
        files.push_back(p.toStdString());
    LoadOptions options;
    options.labelColumn = labelColumn.toStdString(); // the engine reads "-none-" as no labels
    const QString name = QFileInfo(paths.value(0)).fileName() + (paths.size() > 1 ? " +" : "");
    QPointer<Session> session(&session_);
    return runner_.start(
        tr("Load %1").arg(name),
        [session, files, options](Progress& progress) -> std::function<void()>
        {
            const auto t0 = std::chrono::steady_clock::now();
            ProgressRange loading(progress, 0.0, 0.6);
            auto loaded = std::make_shared<Dataset>(loadDatasets(files, options, &loading));
            RunSources sources;
            sources.paths = files;
            sources.format = loaded->format;
            sources.labelColumn = loaded->labelColumn;
            sources.loadSeconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            // The data view: a PCA of the loaded features, here in the background.
            ProgressRange reducing(progress, 0.6, 1.0);
            auto xyz = viewCoordinates(loaded->features, 3, 0, &reducing);
            return [session, loaded, xyz = std::move(xyz), sources]() mutable
            {
                if (session)
                    session->setDataset(std::move(loaded), std::move(xyz), std::move(sources));
            };
        });
}

} // namespace clusterscope

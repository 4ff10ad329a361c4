#include "session_files.h"

#include "dataset_loader.h"
#include "session.h"
#include "session_file.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/output.h>

#include <QFileInfo>
#include <QPointer>

#include <algorithm>
#include <memory>

namespace clusterscope
{

SessionFiles::SessionFiles(Session& session, DatasetLoader& loader, QObject* parent)
    : QObject(parent), session_(session), loader_(loader)
{
    // Another dataset is another session: Save must not write it over this one's file (an
    // opened session sets its path again once restored).
    connect(&session_, &Session::datasetChanged, this, [this] { path_.clear(); });
}

void SessionFiles::prepareWrite() const
{
    if (beforeWrite_)
        beforeWrite_();
}

bool SessionFiles::save(const QString& path, QString* error)
{
    if (!session_.dataset())
    {
        if (error)
            *error = tr("There is no dataset to save: open one first.");
        return false;
    }
    try
    {
        prepareWrite();
        writeFileAtomically(path.toStdString(), sessionFileBytes(session_));
    }
    catch (const std::exception& e)
    {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    path_ = path;
    savedRevision_ = session_.revision();
    return true;
}

bool SessionFiles::unsaved() const
{
    if (!session_.dataset() || session_.revision() == savedRevision_)
        return false;
    const auto ids = session_.runIds();
    return std::any_of(ids.begin(), ids.end(),
                       [this](int id) { return session_.run(id)->finished(); });
}

Job* SessionFiles::open(const QString& path, const Locate& locate, QString* error)
{
    auto contents = std::make_shared<SessionContents>();
    try
    {
        *contents = readSessionFile(path.toStdString());
    }
    catch (const std::exception& e)
    {
        if (error)
            *error = QString::fromStdString(e.what());
        return nullptr;
    }
    QStringList paths;
    for (const auto& p : contents->sources.paths)
    {
        QString file = QString::fromStdString(p);
        if (!QFileInfo::exists(file) && locate)
            file = locate(file);
        if (file.isEmpty() || !QFileInfo::exists(file))
        {
            if (error)
                *error = tr("%1: its dataset %2 is no longer there. Open the session again and "
                            "show where the file is now.")
                             .arg(path, QString::fromStdString(p));
            return nullptr;
        }
        paths << file;
    }
    const RunSources& s = contents->sources;
    RunSettings settings;
    copyLoadSettings(s.loadSettings, settings);
    settings.scaling = contents->viewScaling;
    const QString labels =
        s.labelColumn.empty() ? QString("-none-") : QString::fromStdString(s.labelColumn);
    Job* job = loader_.open(paths, labels, settings, QString::fromStdString(s.idColumn),
                            QString::fromStdString(contents->contentHash),
                            QString::fromStdString(s.array), false);
    QPointer<Session> session(&session_);
    connect(job, &Job::finished, this,
            [this, job, session, contents, path]
            {
                if (!session || job->state() != Job::State::Finished)
                    return;
                // The hash matched; a file whose own row count disagrees was edited by hand.
                const Dataset& data = *session->dataset();
                if (data.rows() != contents->rows ||
                    (data.features.defined() && data.features.size(1) != contents->features))
                {
                    Q_EMIT openFailed(tr("%1: the session's row or feature count differs from "
                                         "its dataset's; the file was edited or damaged, and "
                                         "only the dataset was opened")
                                          .arg(path));
                    return;
                }
                session->setViewState(contents->view);
                session->restore(std::move(contents->runs), std::move(contents->embeddings),
                                 std::move(contents->selection), contents->currentRun,
                                 contents->currentEmbedding, std::move(contents->labelNames));
                path_ = path;
                savedRevision_ = session->revision();
                QStringList warnings;
                for (const auto& w : contents->warnings)
                    warnings << QString::fromStdString(w);
                Q_EMIT opened(path, warnings);
            });
    return job;
}

} // namespace clusterscope

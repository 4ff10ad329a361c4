#pragma once
// Opens datasets in the background: loads the files, computes the data view (the first three
// principal components of the loaded features) on the worker, and hands both to the session.

#include "job_runner.h"

#include <QObject>
#include <QStringList>

namespace clusterscope
{

class Session;

class DatasetLoader : public QObject
{
    Q_OBJECT

public:
    DatasetLoader(Session& session, JobRunner& runner, QObject* parent = nullptr);

    // Several files: concatenated by rows, or IDX images + labels. labelColumn: "" finds one
    // by name, "-none-" takes none. A file that fails to load leaves the session as it was;
    // the job then ends Failed with the loader's message (naming the file and line).
    Job* open(const QStringList& paths, const QString& labelColumn = {});

private:
    Session& session_;
    JobRunner& runner_;
};

} // namespace clusterscope

#pragma once
// Opens datasets in the background: loads the files, computes the data view (the first three
// principal components of the loaded features, scaled as chosen) on the worker, and hands both
// to the session.

#include "job_runner.h"

#include <clusterscope/pipeline/run_settings.h>

#include <QObject>
#include <QSet>
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
    // by name, "-none-" takes none. `settings`' Load-stage settings apply (the missing-value
    // policy, as the CLI's --missing), and the session's sources record them; its scaling is
    // the data view's (DataView), as the import step chose it. A file that fails
    // to load leaves the session as it was; the job then ends Failed with the loader's message
    // (naming the file and line). idColumn: the column of row ids, kept out of the features as
    // the CLI's --id-column ("" finds one, "none" takes none).
    // expectedHash: data being read again for a session (session_files.h) or a kept run
    // (history_dialog.h): the load fails, leaving the session as it was, when the files'
    // content hash differs. storedMaps: whether maps stored with the data (AnnData's obsm)
    // become embeddings (a session brings its own).
    // array: the matrix of a file that holds several (an AnnData layer, an HDF5 dataset's
    // path, an .npz array), as the CLI's --array; "" takes the default.
    Job* open(const QStringList& paths, const QString& labelColumn = {},
              const RunSettings& settings = {}, const QString& idColumn = {},
              const QString& expectedHash = {}, const QString& array = {}, bool storedMaps = true);

    // Whether `job`, one of open's, failed on a missing or infinite value (MissingValueError)
    // that another missing-value policy would accept: the window then offers those policies.
    bool refusedMissingValues(const Job* job) const;

private:
    Session& session_;
    JobRunner& runner_;
    QSet<int> refused_; // ids of jobs that failed so
};

} // namespace clusterscope

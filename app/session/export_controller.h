#pragma once
// Exports of the current run: its labels CSV (labelsCsv, written atomically) and, beside it,
// its run record (<name>.run.json, the same record as `clusterscope-cli run` writes).

#include <QString>

namespace clusterscope
{

class Session;

// labels.csv -> labels.run.json, in the same folder (as the CLI names it).
QString recordPathFor(const QString& labelsPath);

class ExportController
{
public:
    explicit ExportController(const Session& session);

    // Writes the current run's labels to `labelsPath` and its record beside it; returns the
    // record's path. Before writing, both paths are checked against the dataset's files and
    // each other (checkOutputPaths). Throws ParameterError when there is no finished current
    // run, or a path would replace an input or cannot be written; Error when a write fails
    // (then neither file was replaced: both are written in full before either is renamed).
    QString exportLabels(const QString& labelsPath) const;

private:
    const Session& session_;
};

} // namespace clusterscope

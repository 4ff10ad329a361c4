#include "export_controller.h"

#include "session.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>
#include <clusterscope/pipeline/run_record.h>

#include <filesystem>

namespace clusterscope
{

QString recordPathFor(const QString& labelsPath)
{
    const std::filesystem::path p(labelsPath.toStdString());
    return QString::fromStdString((p.parent_path() / (p.stem().string() + ".run.json")).string());
}

ExportController::ExportController(const Session& session) : session_(session) {}

QString ExportController::exportLabels(const QString& labelsPath) const
{
    const RunEntry* run = session_.currentRun();
    if (!run)
        throw ParameterError("no labels to export: run a clustering first");
    if (!run->finished())
        throw ParameterError("run " + std::to_string(run->id) + " (" +
                             describeRun(run->request).toStdString() +
                             ") has not finished: export it when it has, or pick a finished run");
    const QString recordPath = recordPathFor(labelsPath);
    checkOutputPaths(session_.sources().paths, {{"labels", labelsPath.toStdString()},
                                                {"run record", recordPath.toStdString()}});
    // Ids are rows of the input file, as the CLI writes them, so the labels join back to it.
    std::vector<int64_t> ids;
    const auto& data = session_.dataset();
    if (data && run->sourceRows.size() == run->outcome.result.labels.size())
    {
        for (int64_t row : run->sourceRows)
            ids.push_back(data->inputRow(row));
    }
    // Both or neither: labels without their record (or the reverse) would mislead.
    OutputSet outputs;
    outputs.stage(labelsPath.toStdString(), labelsCsv(run->outcome.result, ids));
    outputs.stage(recordPath.toStdString(), dumpJson(run->record));
    outputs.commit();
    return recordPath;
}

} // namespace clusterscope

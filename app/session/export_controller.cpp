#include "export_controller.h"

#include "session.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>
#include <clusterscope/metrics/color_slots.h>
#include <clusterscope/pipeline/run_record.h>

#include <charconv>
#include <filesystem>

namespace clusterscope
{

namespace
{

// A TSV cell: TensorBoard splits on tabs and lines, so those become spaces.
std::string tsvCell(std::string text)
{
    for (char& c : text)
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    return text;
}

// Each float32 in its shortest form that reads back to the same value (14.23, not 14.2299995).
std::string projectorTensors(const std::vector<float>& values, int64_t rows, int64_t cols)
{
    std::string out;
    out.reserve(static_cast<size_t>(rows * cols) * 12);
    char buffer[32];
    for (int64_t r = 0; r < rows; ++r)
    {
        for (int64_t c = 0; c < cols; ++c)
        {
            if (c)
                out += '\t';
            const auto end = std::to_chars(buffer, buffer + sizeof buffer,
                                           values[static_cast<size_t>(r * cols + c)])
                                 .ptr;
            out.append(buffer, end);
        }
        out += '\n';
    }
    return out;
}

} // namespace

QString recordPathFor(const QString& labelsPath)
{
    const std::filesystem::path p(labelsPath.toStdString());
    return QString::fromStdString((p.parent_path() / (p.stem().string() + ".run.json")).string());
}

std::string withClusterNames(const std::string& csv, const std::vector<int64_t>& labels,
                             const std::map<int64_t, QString>& names)
{
    // RFC 4180: a name with a comma, a quote or a line break is quoted, quotes doubled.
    auto cell = [](const QString& name)
    {
        std::string text = name.toStdString();
        if (text.find_first_of(",\"\r\n") == std::string::npos)
            return text;
        std::string quoted = "\"";
        for (const char c : text)
            quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
        return quoted + "\"";
    };
    std::string out;
    size_t row = 0; // 0: the header
    size_t start = 0;
    while (start < csv.size())
    {
        const size_t end = csv.find('\n', start);
        const size_t stop = end == std::string::npos ? csv.size() : end;
        out.append(csv, start, stop - start);
        if (row == 0)
            out += ",cluster_name";
        else if (row - 1 < labels.size())
        {
            const auto it = names.find(labels[row - 1]);
            out += "," + (it != names.end() ? cell(it->second) : std::string());
        }
        out += '\n';
        ++row;
        start = stop + 1;
    }
    return out;
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
    if (labelsPath.endsWith(".h5ad", Qt::CaseInsensitive))
    {
        // As clusterscope-cli run --out NAME.h5ad: a copy of the one AnnData input.
        const auto& sources = session_.sources();
        if (sources.paths.size() != 1 || sources.format != "h5ad")
            throw ParameterError(labelsPath.toStdString() +
                                 ": an .h5ad export is a copy of one AnnData (.h5ad) input "
                                 "with the labels added; export a .csv for this data");
        outputs.stage(
            labelsPath.toStdString(),
            annDataWithLabels(sources.paths.front(), run->outcome.result, ids,
                              "clusterscope_" + run->request.method->id, dumpJson(run->record),
                              clusterHexColors(viewColorSlots(session_, *run), palette_)));
    }
    else
    {
        std::string csv = labelsCsv(run->outcome.result, ids);
        if (!run->clusterNames.empty())
            csv = withClusterNames(csv, run->outcome.result.labels, run->clusterNames);
        outputs.stage(labelsPath.toStdString(), std::move(csv));
    }
    outputs.stage(recordPath.toStdString(), dumpJson(run->record));
    outputs.commit();
    return recordPath;
}

void ExportController::exportSelection(const QString& path) const
{
    const auto& data = session_.dataset();
    const auto& selection = session_.selection();
    if (!data || selection.empty())
        throw ParameterError("no rows are selected: select some in the view first (drag a "
                             "rectangle, or click a cluster in the legend)");
    checkOutputPaths(session_.sources().paths, {{"selection", path.toStdString()}});
    std::vector<int64_t> rows;
    for (int64_t row : selection)
        rows.push_back(data->inputRow(row));
    std::string content;
    if (path.endsWith(".npy", Qt::CaseInsensitive))
        content = integersNpy(rows);
    else
    {
        content = "row\n";
        for (int64_t row : rows)
            content += std::to_string(row) + '\n';
    }
    writeFileAtomically(path.toStdString(), content);
}

QString ExportController::exportProjector(const QString& tensorsPath) const
{
    const auto& data = session_.dataset();
    if (!data)
        throw ParameterError("no dataset is open: open one first (File > Open)");
    const std::filesystem::path p(tensorsPath.toStdString());
    const std::string metadataPath =
        (p.parent_path() / (p.stem().string() + "_metadata.tsv")).string();
    checkOutputPaths(session_.sources().paths,
                     {{"tensors", tensorsPath.toStdString()}, {"metadata", metadataPath}});
    const int64_t n = data->rows();
    std::string tensors;
    if (const EmbeddingEntry* shown = session_.embedding(session_.currentEmbeddingId()))
        tensors = projectorTensors(shown->coordinates, n, shown->dims);
    else
        tensors = projectorTensors(floatValues(data->features), n, data->cols());

    // The current run's clusters by loaded row, with their names when it has any; rows it
    // left out stay empty.
    std::vector<std::string> clusters;
    std::vector<std::string> clusterNames;
    const RunEntry* run = session_.currentRun();
    if (run && run->finished() && run->sourceRows.size() == run->outcome.result.labels.size())
    {
        clusters.assign(static_cast<size_t>(n), "");
        for (size_t i = 0; i < run->sourceRows.size(); ++i)
            clusters[static_cast<size_t>(run->sourceRows[i])] =
                std::to_string(run->outcome.result.labels[i]);
        if (!run->clusterNames.empty())
        {
            clusterNames.assign(static_cast<size_t>(n), "");
            for (size_t i = 0; i < run->sourceRows.size(); ++i)
                if (auto it = run->clusterNames.find(run->outcome.result.labels[i]);
                    it != run->clusterNames.end())
                    clusterNames[static_cast<size_t>(run->sourceRows[i])] =
                        tsvCell(it->second.toStdString());
        }
    }
    const bool labels = !data->labels.empty();
    std::string metadata = "row";
    metadata += labels ? "\tlabel" : "";
    metadata += clusters.empty() ? "" : "\tcluster";
    metadata += clusterNames.empty() ? "" : "\tcluster_name";
    for (const auto& column : data->metadata)
        metadata += "\t" + tsvCell(column.name);
    metadata += '\n';
    for (int64_t r = 0; r < n; ++r)
    {
        metadata += std::to_string(data->inputRow(r));
        if (labels)
            metadata += "\t" + tsvCell(data->labelText(data->labels[static_cast<size_t>(r)]));
        if (!clusters.empty())
            metadata += "\t" + clusters[static_cast<size_t>(r)];
        if (!clusterNames.empty())
            metadata += "\t" + clusterNames[static_cast<size_t>(r)];
        for (const auto& column : data->metadata)
            metadata += "\t" + tsvCell(column.text(r));
        metadata += '\n';
    }
    OutputSet outputs;
    outputs.stage(tensorsPath.toStdString(), tensors);
    outputs.stage(metadataPath, metadata);
    outputs.commit();
    return QString::fromStdString(metadataPath);
}

} // namespace clusterscope

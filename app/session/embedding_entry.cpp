#include "embedding_entry.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/view_projection.h>

#include <ATen/core/Tensor.h>
#include <QStringList>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace clusterscope
{

QString describeEmbedding(const EmbedRequest& request, const QString& input)
{
    if (!request.reducer)
        return {};
    QStringList parts;
    const auto& schema = request.reducer->params;
    for (size_t i = 0; i < schema.size(); ++i)
    {
        const auto& spec = schema[i];
        const auto& values = request.params.values();
        const auto it = values.find(spec.name);
        if (it == values.end())
            continue;
        // The first two say what kind of map it is; the others only when changed.
        if (i < 2 || it->second != spec.defaultValue)
            parts << QString("%1 %2").arg(QString::fromStdString(spec.name),
                                          QString::fromStdString(formatValue(it->second)));
    }
    QString text = QString::fromStdString(request.reducer->displayName);
    if (!parts.isEmpty())
        text += " (" + parts.join(", ") + ")";
    if (!input.isEmpty() && input != "features")
        text += " of " + input;
    return text;
}

std::vector<float> embeddingViewXyz(const std::vector<float>& coordinates, int64_t dims,
                                    uint64_t seed)
{
    if (dims <= 0)
        return {};
    const auto rows = static_cast<int64_t>(coordinates.size()) / dims;
    if (dims > 3)
        return viewCoordinates(matrixFromValues(coordinates, rows, dims), 3, seed);
    std::vector<float> xyz(static_cast<size_t>(rows * 3), 0.0f);
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c = 0; c < dims; ++c)
            xyz[static_cast<size_t>(r * 3 + c)] = coordinates[static_cast<size_t>(r * dims + c)];
    return xyz;
}

EmbeddingEntry precomputedEmbedding(const at::Tensor& coordinates, std::vector<std::string> columns,
                                    const QString& name, const QString& source, const Dataset& data,
                                    std::vector<std::string> warnings)
{
    const std::string from = source.toStdString();
    if (coordinates.dim() != 2)
        throw ParameterError(from + ": coordinates are a table of rows x dimensions, not a " +
                             std::to_string(coordinates.dim()) + "-D array");
    const int64_t rows = coordinates.size(0);
    const int64_t dims = coordinates.size(1);
    if (dims < 1 || dims > 64)
        throw ParameterError(from + ": " + std::to_string(dims) +
                             " columns; coordinates have 1 to 64 (2 or 3 are shown as they are)");
    const std::vector<float> values = floatValues(coordinates);
    for (size_t i = 0; i < values.size(); ++i)
        if (!std::isfinite(values[i]))
        {
            const auto row = static_cast<int64_t>(i) / dims;
            const auto col = static_cast<size_t>(static_cast<int64_t>(i) % dims);
            throw ParameterError(from + ": row " + std::to_string(row + 1) + ", column '" +
                                 (col < columns.size() ? columns[col] : std::to_string(col + 1)) +
                                 "' is not a finite number: coordinates must all be finite");
        }
    // One row per loaded row; when the loader dropped rows with missing values, the file the
    // coordinates were made from had them too, so the kept rows are picked by input row.
    const int64_t inputRows = data.rows() + data.droppedRows;
    std::vector<float> kept;
    if (rows == data.rows())
        kept = values;
    else if (data.droppedRows > 0 && rows == inputRows)
        for (int64_t r = 0; r < data.rows(); ++r)
        {
            const auto begin = values.begin() + data.inputRow(r) * dims;
            kept.insert(kept.end(), begin, begin + dims);
        }
    else
        throw ParameterError(
            from + ": " + std::to_string(rows) + " rows, but the dataset has " +
            std::to_string(data.rows()) + " loaded rows" +
            (data.droppedRows > 0 ? " (" + std::to_string(inputRows) + " in its file)" : "") +
            ": coordinates need one row per data row, in the data's order");
    columns.resize(static_cast<size_t>(dims));
    for (int64_t c = 0; c < dims; ++c)
        if (columns[static_cast<size_t>(c)].empty())
            columns[static_cast<size_t>(c)] = "x" + std::to_string(c + 1);

    EmbeddingEntry entry;
    entry.name = name;
    entry.input = QString("precomputed (%1)").arg(source);
    entry.dims = dims;
    entry.columns = columns;
    entry.coordinates = std::move(kept);
    entry.viewXyz = embeddingViewXyz(entry.coordinates, dims, 0);
    entry.warnings = std::move(warnings);
    entry.record = {{"precomputed", from}, {"columns", columns}, {"rows", rows}};
    return entry;
}

namespace
{

// scanpy's axis names: X_umap -> UMAP1, UMAP2; X_pca -> PC1, PC2, ...
std::vector<std::string> storedColumnNames(const std::string& key, int64_t dims)
{
    std::string base = key.starts_with("X_") ? key.substr(2) : key;
    std::transform(base.begin(), base.end(), base.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (base == "PCA")
        base = "PC";
    std::vector<std::string> names;
    for (int64_t c = 0; c < dims; ++c)
        names.push_back(base + std::to_string(c + 1));
    return names;
}

} // namespace

std::vector<EmbeddingEntry> storedEmbeddings(Dataset& data, const QString& file)
{
    std::vector<EmbeddingEntry> entries;
    for (const auto& stored : data.embeddings)
    {
        const QString name = QString::fromStdString(stored.name);
        const auto dims = stored.values.dim() == 2 ? stored.values.size(1) : 0;
        try
        {
            entries.push_back(precomputedEmbedding(stored.values,
                                                   storedColumnNames(stored.name, dims), name,
                                                   QString("%1, obsm '%2'").arg(file, name), data));
        }
        catch (const ParameterError& e)
        {
            data.warnings.push_back(std::string(e.what()) + "; it is not offered as a map");
        }
    }
    return entries;
}

} // namespace clusterscope

#pragma once
// Exports: the current run's labels CSV (labelsCsv, written atomically) and, beside it, its
// run record (<name>.run.json, the same record as `clusterscope-cli run` writes); the selected
// rows' ids; TensorBoard's projector pair (a tensor TSV and a metadata TSV).

#include <clusterscope/core/palette.h>

#include <QString>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace clusterscope
{

class Session;

// labels.csv -> labels.run.json, in the same folder (as the CLI names it).
QString recordPathFor(const QString& labelsPath);

// labelsCsv's text with a last column, cluster_name: each row's cluster's name from `names`
// (empty where it has none), CSV-quoted when it holds a comma, a quote or a line break.
// `labels` holds one label per data row of `csv`.
std::string withClusterNames(const std::string& csv, const std::vector<int64_t>& labels,
                             const std::map<int64_t, QString>& names);

class ExportController
{
public:
    explicit ExportController(const Session& session);

    // Writes the current run's labels to `labelsPath` and its record beside it; returns the
    // record's path. Before writing, both paths are checked against the dataset's files and
    // each other (checkOutputPaths). Throws ParameterError when there is no finished current
    // run, or a path would replace an input or cannot be written; Error when a write fails
    // (then neither file was replaced: both are written in full before either is renamed).
    // A run whose clusters were named (the Explanation dock) gets a last column, cluster_name
    // (empty for unnamed clusters and noise). A path ending in .h5ad, for an AnnData input,
    // gets a copy of the input with the labels as obs['clusterscope_<method>'], the soft
    // assignments in obsm, the palette and the record in uns, as the CLI's
    // `run --out NAME.h5ad` (annDataWithLabels); another input is refused (ParameterError).
    QString exportLabels(const QString& labelsPath) const;

    // Writes the selected rows' ids to `path`: rows of the input file counted from 0 (header
    // lines not counted; rows the missing-value policy dropped keep their numbers), as the
    // labels CSV's `id` column numbers them. `.npy`: a 1-D int64 array; anything else: a CSV
    // with one column, `row`. Throws ParameterError when nothing is selected or the path would
    // replace an input; Error when the write fails (the old file is kept).
    void exportSelection(const QString& path) const;

    // TensorBoard's projector pair (projector.tensorflow.org, "Load"): `tensorsPath` gets one
    // line per loaded row, its values tab-separated: the coordinates of the embedding the view
    // shows, else the loaded features (after the loader's centring, if any). Beside it,
    // <stem>_metadata.tsv: a header and, per row, `row` (as exportSelection), `label` (the
    // ground truth's name) when the data have labels, `cluster` (the current finished run's;
    // -1 for noise, empty for rows it left out), `cluster_name` when the run's clusters were
    // named, and every metadata column. Tabs and line breaks
    // inside text become spaces. Returns the metadata's path. Throws ParameterError when no
    // dataset is open or a path would replace an input; Error when a write fails (then
    // neither file was replaced).
    QString exportProjector(const QString& tensorsPath) const;

    // The palette an .h5ad's cluster colours are drawn from (the view's, Preferences).
    void setPalette(CategoricalPalette palette) { palette_ = palette; }

private:
    const Session& session_;
    CategoricalPalette palette_ = CategoricalPalette::Auto;
};

} // namespace clusterscope

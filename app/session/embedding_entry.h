#pragma once
// One embedding of the session's dataset (a reducer's map, e.g. UMAP, or coordinates made
// elsewhere and loaded): what was asked, on which input, and the coordinates of the loaded rows. A
// dataset keeps several, each under its own name; the data view (PCA) is not one of them, it is the
// view's default.

#include <clusterscope/core/dataset.h>
#include <clusterscope/pipeline/embed.h>

#include <QString>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace clusterscope
{

struct EmbeddingEntry
{
    int id = 0;       // unique in the session's life, never reused
    QString name;     // "UMAP (n_neighbors 15, min_dist 0.1)", unique among the dataset's
    QString input;    // what it mapped: "features", "PCA 50 of the features", "run #3 (DEC)'s ..."
    int inputRun = 0; // the run whose learned embedding it mapped, or 0
    EmbedRequest request;             // reducer, params, settings (no reducer: precomputed)
    int64_t dims = 0;                 // output dimensions
    std::vector<std::string> columns; // dims names: "UMAP1", "UMAP2"; a file's own for loaded ones
    std::vector<float> coordinates;   // loaded rows x dims, row-major (every loaded row)
    std::vector<float> viewXyz;       // loaded rows x 3: the coordinates as the view shows them
    std::map<std::string, double> quality; // trustworthiness, knn_preserved
    std::vector<std::string> warnings;
    nlohmann::json record; // embedRecord's, with "input" added
};

// "UMAP (n_neighbors 15, min_dist 0.1)": the reducer's name, its first two parameters and any
// other that differs from its default; the input when it is not the loaded features.
QString describeEmbedding(const EmbedRequest& request, const QString& input = {});

// N x d coordinates as the view shows them (N x 3): 2-D and 3-D directly (z = 0 for 2-D),
// more dimensions by their first principal components.
std::vector<float> embeddingViewXyz(const std::vector<float>& coordinates, int64_t dims,
                                    uint64_t seed);

// The entry for coordinates made elsewhere (umap-learn, scanpy, a file's own x and y, AnnData's
// obsm): `coordinates` holds N x d values (d from 1 to 64; more than 3 are shown by their
// principal components) with `columns` names (missing ones become x1, x2, ...), where N is
// `data`'s rows, or the rows of its file when the missing-value policy dropped some (the kept
// rows are taken then). Runs on any thread (the view's PCA is computed here). Throws
// ParameterError naming `source` when the row count differs, d is out of range or a value is
// not finite.
EmbeddingEntry precomputedEmbedding(const at::Tensor& coordinates, std::vector<std::string> columns,
                                    const QString& name, const QString& source, const Dataset& data,
                                    std::vector<std::string> warnings = {});

// The maps stored with `data` (Dataset::embeddings: AnnData's obsm, X_umap, X_pca, ...) as
// entries named by their keys, with scanpy's axis names (UMAP1, PC1, ...). One that cannot be
// a map (more than 64 columns, a value not finite) is left out with a warning in
// data.warnings naming `file` and the key. Runs on any thread.
std::vector<EmbeddingEntry> storedEmbeddings(Dataset& data, const QString& file);

} // namespace clusterscope

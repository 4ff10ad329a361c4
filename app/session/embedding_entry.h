#pragma once
// One embedding of the session's dataset (a reducer's map, e.g. UMAP, or coordinates made
// elsewhere and loaded): what was asked, on which input, and the coordinates of the loaded rows. A
// dataset keeps several, each under its own name; the data view (PCA) is not one of them, it is the
// view's default.

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
    std::vector<std::string> columns; // dims names: "umap1", "umap2"; a file's own for loaded ones
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

} // namespace clusterscope

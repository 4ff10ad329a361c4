// HDBSCAN*'s pipeline: neighbours, spanning tree, hierarchy, selection and the per-point outputs.

#include "../agglomerative/linkage_tree.h"
#include "membership.h"

#include <clusterscope/cluster/hdbscan.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/centring.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace clusterscope
{
namespace
{

// The contrib package's cluster_persistence_: stability per point, relative to the largest lambda.
std::vector<double> persistence(const std::vector<CondensedRow>& tree, int64_t n,
                                const std::vector<int64_t>& selected,
                                const std::vector<int64_t>& labels)
{
    const auto stability = clusterStabilities(tree, n);
    double maxLambda = 0;
    for (const auto& r : tree)
        maxLambda = std::max(maxLambda, r.lambda);
    std::vector<double> sizes(selected.size(), 0.0);
    for (int64_t l : labels)
    {
        if (l >= 0)
            sizes[static_cast<size_t>(l)] += 1;
    }
    std::vector<double> out;
    for (size_t i = 0; i < selected.size(); ++i)
    {
        if (!std::isfinite(maxLambda) || maxLambda == 0 || sizes[i] == 0)
            out.push_back(1.0);
        else
            out.push_back(stability[static_cast<size_t>(selected[i] - n)] / (sizes[i] * maxLambda));
    }
    return out;
}

} // namespace

HdbscanResult hdbscan(const at::Tensor& xIn, const HdbscanOptions& o, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    // Centred, which also refuses NaN and infinity: the distance scans' norms would swamp the
    // distances of data far from zero, and non-finite distances leave Prim without an edge.
    const auto x = centreFeatures(xIn, "HDBSCAN*", at::kFloat, &progress).rows;
    const int64_t n = x.size(0);
    if (o.minClusterSize < 2)
        throw ParameterError("min_cluster_size must be at least 2; got " +
                             std::to_string(o.minClusterSize));
    if (n < 2)
        throw DataError("HDBSCAN* needs at least 2 rows; the data has " + std::to_string(n));
    const int64_t minSamples = std::min(o.minSamples > 0 ? o.minSamples : o.minClusterSize, n - 1);
    const bool exact =
        o.mst == MstMethod::Exact || (o.mst == MstMethod::Auto && n <= o.exactMaxRows);
    // The neighbour search centres its own copy first: a poll between the two stretches.
    progress.poll(0.0, [] { return "nearest neighbours"; });

    KnnOptions knn;
    knn.k = exact ? minSamples
                  : std::min(n - 1, std::max(minSamples, o.graphNeighbors > 0 ? o.graphNeighbors
                                                                              : int64_t{16}));
    knn.method = o.neighbors;
    knn.seed = o.seed;
    knn.name = "HDBSCAN*";
    ProgressRange neighbourStage(progress, 0.0, 0.3);
    const auto graph = nearestNeighbors(x, knn, &neighbourStage);

    HdbscanResult r;
    r.knnRecall = graph.estimatedRecall;
    r.warnings = graph.warnings;
    r.coreDistances = coreDistances(graph, minSamples);
    r.exactMst = exact;
    ProgressRange treeStage(progress, 0.3, 0.85);
    r.mst = exact ? exactReachabilityMst(x, r.coreDistances, &treeStage)
                  : knnGraphReachabilityMst(x, r.coreDistances, graph, &treeStage);
    throwIfCancelled(progress);
    progress.report(0.85, "condensed tree");
    const auto linkage = linkageFromEdges(r.mst, n);
    r.condensed = condenseTree(linkage, n, o.minClusterSize);
    r.selectedClusters = selectClusters(r.condensed, n, o);
    r.labels = labelPoints(r.condensed, n, r.selectedClusters, o);
    r.probabilities = membershipStrengths(r.condensed, n, r.labels, r.selectedClusters);
    r.outlierScores = outlierScores(r.condensed, n);
    r.persistence = persistence(r.condensed, n, r.selectedClusters, r.labels);
    if (o.softMembership)
    {
        throwIfCancelled(progress);
        progress.report(0.9, "soft membership");
        ProgressRange membershipStage(progress, 0.9, 1.0);
        r.membership =
            softMembership(x, r.condensed, n, r.selectedClusters, r.labels, membershipStage);
    }
    progress.report(1.0, "done");
    return r;
}

} // namespace clusterscope

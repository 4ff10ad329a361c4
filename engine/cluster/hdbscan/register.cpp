#include <clusterscope/cluster/algorithms.h>
#include <clusterscope/cluster/hdbscan.h>

#include <ATen/ATen.h>

#include <algorithm>

namespace clusterscope
{

AlgorithmInfo hdbscanAlgorithm()
{
    AlgorithmInfo info;
    info.id = "hdbscan";
    info.displayName = "HDBSCAN*";
    info.summary = "Density-based hierarchical clustering with noise (the hdbscan package's "
                   "semantics); the confidence is the membership strength, noise is -1";
    info.caps.softAssignments = true;
    info.caps.marksNoise = true;
    info.caps.moreClustersBy = {{"min_cluster_size", false}};
    info.params = {
        ParamSpec::integer("min_cluster_size", 5, 2, 1'000'000,
                           "Smallest group of points that counts as a cluster")
            .atMostRows(0, "a cluster cannot hold more rows than the data, so a larger "
                           "minimum would make every row noise"),
        ParamSpec::integer("min_samples", 0, 0, 100'000,
                           "Neighbours (not counting the point) that set its core distance; "
                           "0 means min_cluster_size. Larger is more conservative: more noise")
            .atMostRows(1, "a row's core distance is the distance to its min_samples-th "
                           "nearest other row, and there are only rows - 1 others"),
        ParamSpec::choice("selection", "eom", {"eom", "leaf"},
                          "Excess of Mass picks the most persistent clusters; leaf picks the "
                          "finest ones"),
        ParamSpec::real("epsilon", 0.0, 0.0, 1e12,
                        "cluster_selection_epsilon: clusters split at distances below it are "
                        "merged back"),
        ParamSpec::boolean("allow_single_cluster", false,
                           "Allow the whole data as one cluster (otherwise the root is never "
                           "selected)"),
        ParamSpec::choice("mst", "auto", {"auto", "exact", "knn"},
                          "Spanning tree: Prim over all pairs (auto up to 20000 rows), or "
                          "Boruvka pruned by the kNN graph (exact unless neighbors is hnsw)"),
        ParamSpec::choice("neighbors", "exact", {"exact", "hnsw"},
                          "Neighbour search for the core distances and the kNN graph"),
        ParamSpec::integer("graph_neighbors", 16, 1, 1000,
                           "Neighbours per point in the kNN graph that prunes Boruvka"),
        ParamSpec::boolean("soft", true, "Compute the soft membership vectors"),
    };
    info.run = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        HdbscanOptions o;
        o.minClusterSize = p.integer("min_cluster_size");
        o.minSamples = p.integer("min_samples");
        o.selection = parseClusterSelection(p.choice("selection"));
        o.epsilon = p.real("epsilon");
        o.allowSingleCluster = p.boolean("allow_single_cluster");
        o.mst = parseMstMethod(p.choice("mst"));
        o.neighbors = parseKnnMethod(p.choice("neighbors"));
        o.graphNeighbors = p.integer("graph_neighbors");
        o.softMembership = p.boolean("soft");
        o.seed = ctx.seed;
        auto r = hdbscan(x.to(ctx.device), o, ctx.progress);
        ClusteringResult out;
        out.labels = r.labels;
        out.confidence.assign(r.probabilities.begin(), r.probabilities.end());
        out.soft = r.membership;
        const auto noise = std::count(r.labels.begin(), r.labels.end(), int64_t{-1});
        out.stats = {{"clusters", static_cast<double>(r.selectedClusters.size())},
                     {"noise_points", static_cast<double>(noise)},
                     {"exact_mst", r.exactMst ? 1.0 : 0.0}};
        double weight = 0;
        for (const auto& e : r.mst)
            weight += e.distance;
        out.stats["mst_weight"] = weight;
        if (r.knnRecall >= 0)
            out.stats["knn_recall"] = r.knnRecall;
        out.warnings = r.warnings;
        return out;
    };
    return info;
}

} // namespace clusterscope

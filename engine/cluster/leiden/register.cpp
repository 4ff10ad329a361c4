#include <clusterscope/cluster/algorithms.h>
#include <clusterscope/cluster/leiden.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/centring.h>

#include <algorithm>

namespace clusterscope
{

AlgorithmInfo leidenAlgorithm()
{
    AlgorithmInfo info;
    info.id = "leiden";
    info.displayName = "Leiden";
    info.summary = "Leiden communities (igraph) of the rows' symmetrised kNN graph; the number of "
                   "clusters follows from the resolution";
    info.caps.moreClustersBy = {{"resolution", true}};
    info.params = {
        ParamSpec::integer("neighbors", 15, 1, 1000, "k of the kNN graph")
            .atMostRows(1, "a row's neighbours are the other rows, of which there are "
                           "rows - 1"),
        ParamSpec::choice("knn", "exact", {"exact", "hnsw"},
                          "Neighbour search: exact (all pairs) or hnswlib's approximate index"),
        ParamSpec::choice("objective", "modularity", {"modularity", "cpm"},
                          "Modularity, or the Constant Potts Model (resolution = edge density "
                          "threshold)"),
        ParamSpec::real("resolution", 1.0, 1e-9, 1e9, "Higher gives more, smaller communities"),
        ParamSpec::real("beta", 0.01, 1e-6, 10, "Randomness of Leiden's refinement step"),
        ParamSpec::integer("iterations", 2, 0, 10'000,
                           "Leiden iterations (igraph's default 2); 0 runs until one changes "
                           "nothing"),
    };
    info.run = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        // The kNN search centres the rows itself; the check here names the method.
        requireFiniteFeatures(x, "Leiden", ctx.progress);
        KnnOptions k;
        k.k = std::min<int64_t>(p.integer("neighbors"), x.size(0) - 1);
        k.method = parseKnnMethod(p.choice("knn"));
        k.seed = ctx.seed;
        k.name = "Leiden";
        ProgressRange knnStage(*ctx.progress, 0.0, 0.7);
        const auto knn = nearestNeighbors(x.to(ctx.device), k, &knnStage);
        const auto graph = symmetricKnnGraph(knn);
        LeidenOptions o;
        o.objective = parseLeidenObjective(p.choice("objective"));
        o.resolution = p.real("resolution");
        o.beta = p.real("beta");
        o.iterations = p.integer("iterations");
        o.seed = ctx.seed;
        ProgressRange leidenStage(*ctx.progress, 0.7, 1.0);
        const auto r = leiden(graph, o, &leidenStage);
        ClusteringResult out;
        out.labels = r.labels;
        out.stats = {{"quality", r.quality},
                     {"iterations", static_cast<double>(r.iterations)},
                     {"clusters",
                      static_cast<double>(*std::max_element(r.labels.begin(), r.labels.end()) + 1)},
                     {"graph_edges", static_cast<double>(graph.from.size())}};
        if (knn.estimatedRecall >= 0)
            out.stats["knn_recall"] = knn.estimatedRecall;
        out.warnings = knn.warnings;
        return out;
    };
    return info;
}

} // namespace clusterscope

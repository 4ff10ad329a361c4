#include <clusterscope/cluster/algorithms.h>
#include <clusterscope/cluster/kmedoids.h>

namespace clusterscope
{

AlgorithmInfo kmedoidsAlgorithm()
{
    AlgorithmInfo info;
    info.id = "kmedoids";
    info.displayName = "k-medoids (FasterPAM)";
    info.summary = "k-medoids by FasterPAM on a dissimilarity matrix; each cluster's center is "
                   "one of the rows. Up to " +
                   std::to_string(kKMedoidsMaxRows) + " rows";
    info.caps.cuda = false;
    info.caps.clusterCount = "k";
    info.params = {
        ParamSpec::integer("k", 8, 1, 100'000, "Number of clusters (medoids)"),
        ParamSpec::choice("metric", "euclidean", {"euclidean", "cosine", "manhattan"},
                          "Dissimilarity between rows"),
        ParamSpec::choice("init", "build", {"build", "k-means++"},
                          "Start: PAM's greedy BUILD (best, O(N^2 k)) or seeded k-means++ draws"),
        ParamSpec::integer("max_iter", 100, 1, 100'000, "Most passes over the rows"),
    };
    info.run = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        KMedoidsOptions o;
        o.k = p.integer("k");
        o.metric = parseDissimilarity(p.choice("metric"));
        o.init = parseMedoidInit(p.choice("init"));
        o.maxIter = p.integer("max_iter");
        o.seed = ctx.seed;
        const auto r = kmedoids(x, o, ctx.progress);
        ClusteringResult out;
        out.labels = r.labels;
        out.stats = {{"loss", r.loss},
                     {"iterations", static_cast<double>(r.iterations)},
                     {"swaps", static_cast<double>(r.swaps)}};
        return out;
    };
    return info;
}

} // namespace clusterscope

#include <clusterscope/cluster/agglomerative.h>
#include <clusterscope/cluster/algorithms.h>

namespace clusterscope
{

AlgorithmInfo agglomerativeAlgorithm()
{
    AlgorithmInfo info;
    info.id = "agglomerative";
    info.displayName = "Agglomerative";
    info.summary = "Hierarchical clustering (Ward, complete, average or single linkage) cut at k "
                   "clusters; up to " +
                   std::to_string(kAgglomerativeMaxRows) + " rows except for single linkage";
    info.caps.cuda = false;
    info.caps.clusterCount = "k";
    info.params = {
        ParamSpec::integer("k", 8, 1, 1'000'000, "Number of clusters where the tree is cut"),
        ParamSpec::choice("linkage", "ward", {"ward", "complete", "average", "single"},
                          "How the distance between two clusters is measured"),
    };
    info.run = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        const auto tree = agglomerate(x, parseLinkage(p.choice("linkage")), ctx.progress);
        ClusteringResult out;
        const int64_t k = p.integer("k");
        out.labels = cutTree(tree, k);
        // The height at which the tree was cut: the distance of the last merge kept.
        const auto cut = static_cast<size_t>(tree.leaves - k);
        out.stats = {{"cut_height", cut > 0 ? tree.merges[cut - 1].distance : 0.0},
                     {"top_height", tree.merges.back().distance}};
        return out;
    };
    return info;
}

} // namespace clusterscope

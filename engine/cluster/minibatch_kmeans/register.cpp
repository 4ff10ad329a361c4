#include <clusterscope/cluster/algorithms.h>
#include <clusterscope/cluster/minibatch_kmeans.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/kernels/distances.h>

#include <ATen/ATen.h>

namespace clusterscope
{

AlgorithmInfo miniBatchKMeansAlgorithm()
{
    AlgorithmInfo info;
    info.id = "minibatch_kmeans";
    info.displayName = "Mini-batch k-means";
    info.summary = "k-means on random mini-batches (scikit-learn's MiniBatchKMeans): much faster "
                   "on large data, slightly higher inertia";
    info.caps.clusterCount = "k";
    info.caps.softAssignments = true;
    info.params = {
        ParamSpec::integer("k", 8, 1, 1'000'000, "Number of clusters"),
        ParamSpec::integer("batch_size", 1024, 1, 10'000'000, "Rows per mini-batch"),
        ParamSpec::integer("max_iter", 100, 1, 100'000, "Most passes over the data"),
        ParamSpec::integer("n_init", 3, 1, 1000,
                           "k-means++ seedings on the init sample; the lowest inertia wins"),
        ParamSpec::integer("max_no_improvement", 10, 0, 1'000'000,
                           "Stop after this many batches without a better smoothed inertia "
                           "(0: never)"),
        ParamSpec::real("reassignment_ratio", 0.01, 0, 1,
                        "Centers with fewer rows than this fraction of the largest count are "
                        "moved to random rows"),
        ParamSpec::real("temperature", 1.0, 1e-6, 1e6,
                        "Soft assignments: softmax of -d^2 / (temperature x the mean squared "
                        "distance to the assigned center)"),
    };
    info.run = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        MiniBatchKMeansOptions o;
        o.k = p.integer("k");
        o.batchSize = p.integer("batch_size");
        o.maxIter = p.integer("max_iter");
        o.nInit = p.integer("n_init");
        o.maxNoImprovement = p.integer("max_no_improvement");
        o.reassignmentRatio = p.real("reassignment_ratio");
        o.seed = ctx.seed;
        const auto r = miniBatchKMeans(x.to(ctx.device), o, ctx.progress);
        ClusteringResult out;
        out.labels = intValues(r.labels);
        out.soft = softAssignments(x, r.centers, r.inertia, p.real("temperature"));
        out.confidence = floatValues(std::get<0>(out.soft.max(1)));
        out.stats = {{"inertia", r.inertia},
                     {"steps", static_cast<double>(r.steps)},
                     {"reassigned", static_cast<double>(r.reassigned)},
                     {"reseeded", static_cast<double>(r.reseeded)},
                     {"clusters", static_cast<double>(r.clusters)}};
        return out;
    };
    return info;
}

} // namespace clusterscope

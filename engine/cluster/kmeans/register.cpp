#include <clusterscope/cluster/algorithms.h>
#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/kernels/distances.h>

#include <ATen/ATen.h>

#include <algorithm>

namespace clusterscope
{

AlgorithmInfo kmeansAlgorithm()
{
    AlgorithmInfo info;
    info.id = "kmeans";
    info.displayName = "k-means";
    info.summary = "Lloyd's k-means with greedy k-means++ seeding (scikit-learn's semantics)";
    info.caps.clusterCount = "k";
    info.caps.softAssignments = true;
    info.params = {
        ParamSpec::integer("k", 8, 1, 1'000'000, "Number of clusters"),
        ParamSpec::integer("n_init", 1, 1, 1000,
                           "Restarts with different seedings; the lowest inertia wins"),
        ParamSpec::integer("max_iter", 300, 1, 1'000'000, "Most Lloyd iterations per restart"),
        ParamSpec::real("tol", 1e-4, 0, 1,
                        "Stop when the squared center shift falls below tol times the mean "
                        "feature variance"),
        ParamSpec::choice("init", "k-means++", {"k-means++", "random"}, "Seeding method"),
        ParamSpec::real("temperature", 1.0, 1e-6, 1e6,
                        "Soft assignments: softmax of -d^2 / (temperature x the mean squared "
                        "distance to the assigned center)"),
    };
    info.run = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        KMeansOptions o;
        o.k = p.integer("k");
        o.nInit = p.integer("n_init");
        o.maxIter = p.integer("max_iter");
        o.tol = p.real("tol");
        o.init = p.choice("init") == "random" ? KMeansInit::Random : KMeansInit::KMeansPlusPlus;
        o.seed = ctx.seed;
        o.softTemperature = p.real("temperature");
        auto r = kmeans(x.to(ctx.device), o, ctx.progress);
        auto labels = r.labels.cpu();
        ClusteringResult out;
        out.labels.assign(labels.data_ptr<int64_t>(), labels.data_ptr<int64_t>() + labels.numel());
        out.soft = r.soft;
        out.confidence = floatValues(std::get<0>(out.soft.max(1)));
        out.stats = {{"inertia", r.inertia},
                     {"iterations", static_cast<double>(r.iterations)},
                     {"best_init", static_cast<double>(r.bestInit)}};
        return out;
    };
    return info;
}

} // namespace clusterscope

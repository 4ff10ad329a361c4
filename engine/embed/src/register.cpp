#include <clusterscope/embed/preprocess.h>
#include <clusterscope/embed/reducers.h>
#include <clusterscope/embed/umap.h>

#include <ATen/ATen.h>

namespace clusterscope
{

ReducerInfo pcaReducer()
{
    ReducerInfo info;
    info.id = "pca";
    info.displayName = "PCA";
    info.summary = "Principal component analysis: exact (float64 covariance) or randomized "
                   "(Halko et al.), as scikit-learn's PCA";
    info.caps.cuda = false;
    info.params = {
        ParamSpec::integer("n_components", 2, 1, 4096, "Output dimensions"),
        ParamSpec::choice("svd_solver", "exact", {"exact", "randomized"},
                          "Exact eigendecomposition, or the randomized range finder"),
    };
    info.reduce = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        PcaOptions o;
        o.components = p.integer("n_components");
        o.solver =
            p.choice("svd_solver") == "randomized" ? PcaSolver::Randomized : PcaSolver::Exact;
        o.seed = ctx.seed;
        const auto fit = fitPca(x, o, ctx.progress);
        Reduction r;
        r.coordinates = fit.transform(x, ctx.progress).to(at::kFloat).contiguous();
        const auto ratio = fit.explainedVarianceRatio.sum().item<double>();
        r.stats["explained_variance_ratio"] = ratio;
        return r;
    };
    return info;
}

ReducerInfo umapReducer()
{
    ReducerInfo info;
    info.id = "umap";
    info.displayName = "UMAP";
    info.summary = "Uniform manifold approximation and projection (McInnes et al. 2018), "
                   "umap-learn's parameters; the same seed gives the same map at any thread "
                   "count";
    info.caps.cuda = false;
    info.caps.threadInvariant = true;
    info.params = {
        ParamSpec::integer("n_neighbors", 15, 2, 1000,
                           "Neighbourhood size, counting the point itself: larger keeps more "
                           "global structure")
            .atMostRows(1),
        ParamSpec::integer("n_components", 2, 1, 64, "Output dimensions"),
        ParamSpec::real("min_dist", 0.1, 0.0, 100.0,
                        "How close points may sit in the map (at most spread)"),
        ParamSpec::real("spread", 1.0, 1e-3, 100.0, "The scale of the embedded points"),
        ParamSpec::choice("metric", "euclidean", {"euclidean", "cosine"},
                          "Distance between input rows"),
        ParamSpec::integer("n_epochs", 0, 0, 100'000,
                           "SGD epochs (0: 500 up to 10,000 rows, else 200)"),
        ParamSpec::real("learning_rate", 1.0, 1e-6, 100.0, "Initial SGD step"),
        ParamSpec::real("negative_sample_rate", 5.0, 0.01, 100.0,
                        "Negative samples per positive sample"),
        ParamSpec::real("repulsion_strength", 1.0, 0.0, 100.0, "Weight of the negative samples"),
        ParamSpec::choice("knn", "exact", {"exact", "hnsw"},
                          "Exact neighbours (tiled scan) or approximate (HNSW, faster on large "
                          "data)"),
    };
    info.reduce = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        UmapOptions o;
        o.nNeighbors = p.integer("n_neighbors");
        o.nComponents = p.integer("n_components");
        o.minDist = p.real("min_dist");
        o.spread = p.real("spread");
        o.metric = parseUmapMetric(p.choice("metric"));
        o.nEpochs = p.integer("n_epochs");
        o.learningRate = p.real("learning_rate");
        o.negativeSampleRate = p.real("negative_sample_rate");
        o.repulsionStrength = p.real("repulsion_strength");
        o.approximateNeighbors = p.choice("knn") == "hnsw";
        o.seed = ctx.seed;
        auto u = umap(x, o, ctx.progress);
        Reduction r;
        r.coordinates = u.embedding;
        r.stats["epochs"] = static_cast<double>(u.epochs);
        r.stats["curve_a"] = u.curve.a;
        r.stats["curve_b"] = u.curve.b;
        r.stats["graph_edges"] = static_cast<double>(u.graph.columns.size());
        r.stats["spectral_initialisation"] = u.initialisation == "spectral" ? 1.0 : 0.0;
        r.warnings = std::move(u.warnings);
        return r;
    };
    return info;
}

} // namespace clusterscope

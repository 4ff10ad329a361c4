#include <clusterscope/core/errors.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/embed/reducers.h>
#include <clusterscope/embed/tsne.h>
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

namespace
{

// umap-learn searches exactly below this many rows and approximately (NN-descent) above.
constexpr int64_t kUmapExactBelow = 4096;

// The options of umap() from the registry's parameters, for `rows` rows.
UmapOptions umapOptionsFrom(const ParamSet& p, uint64_t seed, int64_t rows)
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
    const auto knn = p.choice("knn");
    o.approximateNeighbors = knn == "hnsw" || (knn == "auto" && rows >= kUmapExactBelow);
    o.parallel = p.boolean("parallel");
    o.seed = seed;
    return o;
}

} // namespace

ReducerInfo umapReducer()
{
    ReducerInfo info;
    info.id = "umap";
    info.displayName = "UMAP";
    info.caps.placesNewRows = true;
    info.summary = "Uniform manifold approximation and projection (McInnes et al. 2018), "
                   "umap-learn's parameters; the same seed gives the same map at any thread "
                   "count";
    info.caps.cuda = false;
    info.caps.threadInvariant = true;
    info.params = {
        ParamSpec::integer("n_neighbors", 15, 2, 1000,
                           "Neighbourhood size, counting the point itself: larger keeps more "
                           "global structure")
            .atMostRows(1, "the neighbourhood counts the row itself and the other rows, of "
                           "which there are one fewer than the rows"),
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
        ParamSpec::choice("knn", "auto", {"auto", "exact", "hnsw"},
                          "Exact neighbours (tiled scan) or approximate (HNSW, its recall "
                          "reported); auto: exact below 4096 rows, HNSW above, as umap-learn "
                          "switches to NN-descent"),
        ParamSpec::boolean("parallel", false,
                           "SGD on all threads against a per-epoch snapshot: faster, also "
                           "reproducible, but less tight clusters than umap-learn's sequential "
                           "order"),
    };
    info.reduce = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        auto o = umapOptionsFrom(p, ctx.seed, x.size(0));
        auto u = umap(x, o, ctx.progress);
        Reduction r;
        r.coordinates = u.embedding;
        r.stats["epochs"] = static_cast<double>(u.epochs);
        r.stats["curve_a"] = u.curve.a;
        r.stats["curve_b"] = u.curve.b;
        r.stats["graph_edges"] = static_cast<double>(u.graph.columns.size());
        r.stats["spectral_initialisation"] = u.initialisation == "spectral" ? 1.0 : 0.0;
        if (u.knnRecall >= 0)
            r.stats["knn_recall"] = u.knnRecall;
        r.warnings = std::move(u.warnings);
        return r;
    };
    info.model =
        [](const at::Tensor& x, const Reduction& r, const ParamSet& p, const RunContext& ctx)
    {
        ReducerModel m;
        m.arrays["training_data"] = x.to(at::kCPU).to(at::kFloat).contiguous();
        m.arrays["embedding"] = r.coordinates.to(at::kCPU).to(at::kFloat).contiguous();
        m.params = p;
        m.seed = ctx.seed;
        return m;
    };
    info.transform = [](const ReducerModel& m, const at::Tensor& x, const RunContext& ctx)
    {
        for (const char* name : {"training_data", "embedding"})
            if (m.arrays.count(name) == 0)
                throw ParameterError(std::string("the UMAP model has no '") + name + "' array");
        UmapModel model;
        model.trainingData = m.arrays.at("training_data");
        model.embedding = m.arrays.at("embedding");
        model.options = umapOptionsFrom(m.params, m.seed, 0); // placing searches exactly
        if (model.embedding.dim() == 2 && model.embedding.size(1) != model.options.nComponents)
            throw ParameterError(
                "the UMAP model's embedding has " + std::to_string(model.embedding.size(1)) +
                " columns but its n_components is " + std::to_string(model.options.nComponents));
        UmapTransformOptions t;
        t.seed = ctx.seed;
        auto u = umapTransform(model, x, t, ctx.progress);
        Reduction r;
        r.coordinates = u.embedding;
        r.stats["epochs"] = static_cast<double>(u.epochs);
        r.stats["unplaced_rows"] = static_cast<double>(u.unplaced);
        r.warnings = std::move(u.warnings);
        return r;
    };
    return info;
}

ReducerInfo tsneReducer()
{
    ReducerInfo info;
    info.id = "tsne";
    info.displayName = "t-SNE";
    info.summary = "t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008), "
                   "Barnes-Hut (van der Maaten 2014), FFT-interpolated (FIt-SNE, Linderman et "
                   "al. 2019) or exact, scikit-learn 1.2's parameters; the same seed gives the "
                   "same map at any thread count";
    info.caps.cuda = false;
    info.caps.threadInvariant = true;
    info.params = {
        ParamSpec::real("perplexity", 30.0, 1.0, 1000.0,
                        "Effective number of neighbours; must be below the number of rows"),
        ParamSpec::integer("n_components", 2, 1, 64,
                           "Output dimensions (2 or 3 for barnes_hut, 1 or 2 for fft)"),
        ParamSpec::real("early_exaggeration", 12.0, 1.0, 1000.0,
                        "How much P is scaled in the first 250 iterations: larger separates "
                        "clusters further"),
        ParamSpec::real("learning_rate", 0.0, 0.0, 1e6,
                        "Gradient step (0: auto, max(N / early_exaggeration / 4, 50), "
                        "openTSNE's max(N / 12, 200) for its gradient without the factor 4)"),
        ParamSpec::integer("n_iter", 1000, 250, 100'000,
                           "Iterations, counting the 250 of early exaggeration"),
        ParamSpec::integer("n_iter_without_progress", 300, 1, 100'000,
                           "Stop after this many iterations without a lower KL divergence"),
        ParamSpec::real("min_grad_norm", 1e-7, 0.0, 1.0,
                        "Stop when the gradient norm falls below this"),
        ParamSpec::real("angle", 0.5, 0.0, 1.0, "Barnes-Hut's theta: larger is faster and coarser"),
        ParamSpec::choice("init", "pca", {"pca", "random"},
                          "Start from PCA (scaled to a standard deviation of 1e-4) or from "
                          "noise"),
        ParamSpec::choice("algorithm", "barnes_hut", {"barnes_hut", "fft", "exact"},
                          "scikit-learn's method: Barnes-Hut tree (O(N log N), 2-D or 3-D), "
                          "FIt-SNE's grid interpolation and FFT (O(N), 1-D or 2-D, fastest on "
                          "large data) or all pairs (O(N^2), up to 5,000 rows)"),
        ParamSpec::integer("n_interpolation_points", 3, 1, 10,
                           "fft: equispaced interpolation nodes per interval (FIt-SNE's 3)"),
        ParamSpec::integer("min_num_intervals", 50, 1, 1000,
                           "fft: fewest grid intervals per axis (FIt-SNE's 50)"),
        ParamSpec::real("ints_in_interval", 1.0, 1e-3, 100.0,
                        "fft: an interval's width in map units; wider is faster and coarser "
                        "(FIt-SNE's 1)"),
        ParamSpec::choice("knn", "exact", {"exact", "hnsw"},
                          "Neighbours for barnes_hut and fft: exact (tiled scan, as "
                          "scikit-learn) or approximate (HNSW, faster on large data; its recall "
                          "is reported)"),
    };
    info.reduce = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        TsneOptions o;
        o.perplexity = p.real("perplexity");
        o.nComponents = p.integer("n_components");
        o.earlyExaggeration = p.real("early_exaggeration");
        o.learningRate = p.real("learning_rate");
        o.nIter = p.integer("n_iter");
        o.nIterWithoutProgress = p.integer("n_iter_without_progress");
        o.minGradNorm = p.real("min_grad_norm");
        o.angle = p.real("angle");
        o.nInterpolationPoints = p.integer("n_interpolation_points");
        o.minNumIntervals = p.integer("min_num_intervals");
        o.intsInInterval = p.real("ints_in_interval");
        o.init = parseTsneInit(p.choice("init"));
        o.method = parseTsneMethod(p.choice("algorithm"));
        o.knn = parseKnnMethod(p.choice("knn"));
        o.seed = ctx.seed;
        auto t = tsne(x, o, ctx.progress);
        Reduction r;
        r.coordinates = t.embedding;
        r.stats["kl_divergence"] = t.klDivergence;
        r.stats["iterations"] = static_cast<double>(t.iterations);
        r.stats["learning_rate"] = t.learningRate;
        if (t.knnRecall >= 0)
            r.stats["knn_recall"] = t.knnRecall;
        r.warnings = std::move(t.warnings);
        return r;
    };
    return info;
}

} // namespace clusterscope

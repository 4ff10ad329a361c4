// Registry entries of the deep methods: one schema shared by AE + k-means, DEC and IDEC, each
// with its own defaults (DEC-keras' clustering optimiser for DEC, IDEC's Adam for IDEC).

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/deep/algorithms.h>
#include <clusterscope/deep/deep.h>
#include <clusterscope/deep/depict.h>
#include <clusterscope/deep/gldc.h>
#include <clusterscope/deep/n2d.h>

#include <cmath>
#include <map>
#include <sstream>

namespace clusterscope
{
namespace
{

// Why the deep methods' k stays below the row count.
constexpr const char* kDeepRowBound =
    "the soft assignments' target distribution sharpens clusters against each other, and with "
    "a cluster per row every row is its own cluster: there is nothing left to learn";

std::vector<int64_t> parseHidden(const std::string& text)
{
    std::vector<int64_t> sizes;
    std::stringstream in(text);
    std::string part;
    while (std::getline(in, part, '-'))
        sizes.push_back(std::stoll(part));
    return sizes;
}

ParamSpec mixedPrecisionParam()
{
    return ParamSpec::boolean("mixed_precision", false,
                              "float16 forward passes with a dynamic loss scale (CUDA only; "
                              "ignored on the CPU)");
}

std::vector<ParamSpec> schema(DeepMethod method)
{
    std::vector<ParamSpec> p{
        ParamSpec::integer("k", 10, 2, 10'000, "Number of clusters").atMostRows(1, kDeepRowBound),
        ParamSpec::choice("hidden", "500-500-2000",
                          {"500-500-2000", "500-500-1000", "256-256-512", "128-128"},
                          "Encoder hidden layer sizes (the decoder mirrors them)"),
        ParamSpec::integer("latent", 10, 1, 4096, "Embedding dimension"),
        ParamSpec::integer("pretrain_epochs", 50, 0, 100'000, "Autoencoder pretraining epochs"),
        ParamSpec::choice("pretrain_optimizer", "adam", {"adam", "sgd"},
                          "Pretraining optimiser (SGD with momentum 0.9)"),
        ParamSpec::real("pretrain_lr", 1e-3, 1e-8, 100, "Pretraining learning rate"),
        ParamSpec::integer("pretrain_seed", 0, 0, 1'000'000'000,
                           "Seed of the autoencoder (initialisation, batches); runs sharing it "
                           "share one cached pretraining"),
        ParamSpec::integer("batch_size", 256, 1, 1'000'000, "Rows per training batch"),
        ParamSpec::integer("kmeans_restarts", 20, 1, 1000, "k-means restarts on the embedding"),
        mixedPrecisionParam(),
        ParamSpec::boolean("cache", true,
                           "Reuse an autoencoder pretrained on the same data with the same "
                           "settings"),
    };
    if (method == DeepMethod::AeKMeans)
        return p;
    const bool idec = method == DeepMethod::Idec;
    p.push_back(ParamSpec::choice("optimizer", idec ? "adam" : "sgd", {"adam", "sgd"},
                                  "Clustering-phase optimiser (SGD with momentum 0.9)"));
    p.push_back(
        ParamSpec::real("lr", idec ? 1e-3 : 0.01, 1e-8, 100, "Clustering-phase learning rate"));
    p.push_back(ParamSpec::integer("update_interval", 140, 1, 1'000'000,
                                   "Batches between target-distribution updates (on all data)"));
    p.push_back(
        ParamSpec::real("tol", 0.001, 0, 1, "Stop when fewer than this fraction of labels change"));
    p.push_back(
        ParamSpec::integer("max_iter", 20000, 1, 100'000'000, "Most clustering-phase batches"));
    if (idec)
        p.push_back(ParamSpec::real("gamma", 0.1, 0, 1e6,
                                    "Weight of the clustering loss against reconstruction"));
    return p;
}

ClusteringResult finish(DeepResult r)
{
    ClusteringResult out;
    out.labels = std::move(r.labels);
    out.soft = r.soft.to(at::kFloat);
    out.confidence = floatValues(std::get<0>(out.soft.max(1)));
    out.embedding = r.embedding;
    out.history = std::move(r.history);
    out.warnings = std::move(r.warnings);
    out.stats = {{"iterations", static_cast<double>(r.iterations)},
                 {"pretrained_from_cache", r.pretrainedFromCache ? 1.0 : 0.0},
                 {"resumed", r.resumed ? 1.0 : 0.0},
                 {"mixed_precision", r.mixedPrecision ? 1.0 : 0.0}};
    if (out.history.count("pretrain_loss") && !out.history["pretrain_loss"].empty())
        out.stats["pretrain_loss"] = out.history["pretrain_loss"].back();
    return out;
}

// The fields every training method takes from the run: seed, device, truth, checkpoint,
// cache and the update callback (DeepOptions and DepictOptions name them alike).
template <typename Options>
void applyRunContext(Options& o, const ParamSet& p, const RunContext& ctx)
{
    o.seed = ctx.seed;
    o.pretrainSeed = static_cast<uint64_t>(p.integer("pretrain_seed"));
    o.device = ctx.device;
    o.truth = ctx.truth;
    o.checkpointPath = ctx.checkpointPath;
    o.cacheDir = p.boolean("cache") ? ctx.cacheDir : std::string();
    if (ctx.onTrainingUpdate)
        o.onUpdate = [&ctx](const TrainingHistory& h, const std::vector<int64_t>& labels) {
            ctx.onTrainingUpdate(TrainingUpdate{h, labels});
        };
}

// The autoencoder's settings and the run's context, shared by the MLP methods and N2D.
DeepOptions autoencoderOptions(const ParamSet& p, const RunContext& ctx)
{
    DeepOptions o;
    o.k = p.integer("k");
    o.autoencoder.hidden = parseHidden(p.choice("hidden"));
    o.autoencoder.latent = p.integer("latent");
    o.autoencoder.epochs = p.integer("pretrain_epochs");
    o.autoencoder.optimizer.kind = parseOptimizer(p.choice("pretrain_optimizer"));
    o.autoencoder.optimizer.learningRate = p.real("pretrain_lr");
    o.autoencoder.batchSize = p.integer("batch_size");
    o.autoencoder.mixedPrecision = p.boolean("mixed_precision");
    applyRunContext(o, p, ctx);
    return o;
}

ClusteringResult run(DeepMethod method, const at::Tensor& x, const ParamSet& p,
                     const RunContext& ctx)
{
    DeepOptions o = autoencoderOptions(p, ctx);
    o.method = method;
    o.clusteringBatchSize = p.integer("batch_size");
    o.kmeansRestarts = p.integer("kmeans_restarts");
    if (method != DeepMethod::AeKMeans)
    {
        o.clusteringOptimizer.kind = parseOptimizer(p.choice("optimizer"));
        o.clusteringOptimizer.learningRate = p.real("lr");
        o.updateInterval = p.integer("update_interval");
        o.tol = p.real("tol");
        o.maxIterations = p.integer("max_iter");
        if (method == DeepMethod::Idec)
            o.gamma = p.real("gamma");
    }
    return finish(deepCluster(x, o, ctx.progress));
}

AlgorithmInfo make(DeepMethod method, std::string id, std::string name, std::string summary)
{
    AlgorithmInfo info;
    info.id = std::move(id);
    info.displayName = std::move(name);
    info.summary = std::move(summary);
    // Autoencoders with ReLU units and a squared-error loss train on inputs of order 1; far
    // larger values make them diverge or collapse (IDEC on a table reaching 150 fell below
    // k-means).
    info.caps.trains = true;
    info.caps.canPause = true;
    info.caps.orderInvariant = false; // mini-batches are drawn by row index
    info.caps.maxInputMagnitude = 20;
    info.caps.clusterCount = "k";
    info.caps.softAssignments = true;
    info.caps.learnsEmbedding = true;
    info.params = schema(method);
    info.run = [method](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    { return run(method, x, p, ctx); };
    return info;
}

} // namespace

AlgorithmInfo n2dAlgorithm()
{
    AlgorithmInfo info;
    info.id = "n2d";
    info.displayName = "N2D";
    info.summary = "N2D (McConville et al. 2020): an autoencoder's embedding, its UMAP manifold "
                   "(n_components = k, min_dist 0), then a full-covariance Gaussian mixture";
    info.caps.trains = true;
    info.caps.canPause = true;
    info.caps.orderInvariant = false; // the autoencoder's mini-batches are drawn by row index
    info.caps.threadInvariant = true;
    info.caps.maxInputMagnitude = 20;
    info.caps.clusterCount = "k";
    info.caps.softAssignments = true;
    info.caps.learnsEmbedding = true;
    info.params = schema(DeepMethod::AeKMeans);
    // k-means restarts do not apply: the mixture clusters the manifold.
    std::erase_if(info.params, [](const ParamSpec& s) { return s.name == "kmeans_restarts"; });
    info.params.push_back(ParamSpec::choice(
        "manifold_on", "autoencoder", {"autoencoder", "input"},
        "Learn the manifold on the autoencoder's embedding (the paper) or on the input itself"));
    info.params.push_back(
        ParamSpec::integer("n_neighbors", 20, 2, 1000,
                           "UMAP's neighbourhood size, counting the point")
            .atMostRows(1, "a row's neighbours are the other rows, of which there are "
                           "one fewer than the rows"));
    info.params.push_back(
        ParamSpec::real("min_dist", 0.0, 0.0, 1.0, "UMAP's min_dist (0: tight clusters)"));
    info.params.push_back(ParamSpec::integer("n_components", 0, 0, 64,
                                             "Manifold dimensions (0: the number of clusters)"));
    info.params.push_back(ParamSpec::choice("knn", "exact", {"exact", "hnsw"},
                                            "UMAP's neighbours: exact, or approximate (HNSW)"));
    info.params.push_back(
        ParamSpec::integer("n_init", 1, 1, 1000, "Mixture restarts; the best lower bound wins"));
    info.run = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        N2dOptions o;
        o.deep = autoencoderOptions(p, ctx);
        o.onInput = p.choice("manifold_on") == "input";
        o.nNeighbors = p.integer("n_neighbors");
        o.minDist = p.real("min_dist");
        o.components = p.integer("n_components");
        o.approximateNeighbors = p.choice("knn") == "hnsw";
        o.gmmInits = p.integer("n_init");
        auto r = n2d(x, o, ctx.progress);
        ClusteringResult out;
        out.labels = std::move(r.labels);
        out.soft = r.soft;
        out.confidence = floatValues(std::get<0>(out.soft.max(1)));
        out.embedding = r.manifold;
        out.history = std::move(r.history);
        out.warnings = std::move(r.warnings);
        out.stats = {{"log_likelihood", r.logLikelihood},
                     {"pretrained_from_cache", r.pretrainedFromCache ? 1.0 : 0.0},
                     {"resumed", r.resumed ? 1.0 : 0.0}};
        if (r.knnRecall >= 0)
            out.stats["knn_recall"] = r.knnRecall;
        return out;
    };
    return info;
}

AlgorithmInfo depictAlgorithm()
{
    AlgorithmInfo info;
    info.id = "depict";
    info.displayName = "DEPICT";
    info.summary = "DEPICT (Ghasedi Dizaji et al. 2017): a convolutional denoising autoencoder "
                   "with a softmax clustering head; square single-channel images in [0, 1]";
    info.caps.input = InputKind::SquareImages;
    info.caps.trains = true;
    info.caps.canPause = true;
    info.caps.orderInvariant = false; // mini-batches are drawn by row index
    info.caps.maxInputMagnitude = 1;
    info.caps.clusterCount = "k";
    info.caps.softAssignments = true;
    info.caps.learnsEmbedding = true;
    info.params = {
        ParamSpec::integer("k", 10, 2, 10'000, "Number of clusters (and embedding size)")
            .atMostRows(1, kDeepRowBound),
        ParamSpec::integer("pretrain_epochs", 30, 0, 100'000, "Autoencoder pretraining epochs"),
        ParamSpec::integer("init_epochs", 5, 0, 100'000,
                           "Epochs learning the k-means labels before the auxiliary target"),
        ParamSpec::integer("epochs", 30, 1, 100'000, "Most clustering epochs"),
        ParamSpec::integer("batch_size", 100, 1, 1'000'000, "Rows per batch"),
        ParamSpec::real("pretrain_lr", 1e-3, 1e-8, 100, "Pretraining learning rate (Adam)"),
        ParamSpec::real("lr", 1e-3, 1e-8, 100,
                        "Clustering learning rate (Adam; the paper's 1e-4 needs its thousands of "
                        "epochs)"),
        ParamSpec::real("dropout", 0.1, 0, 0.9, "Noise of the corrupted pathway"),
        ParamSpec::real("tol", 0.001, 0, 1, "Stop when fewer than this fraction of labels change"),
        ParamSpec::integer("kmeans_restarts", 20, 1, 1000, "k-means restarts on the embedding"),
        ParamSpec::integer("pretrain_seed", 0, 0, 1'000'000'000,
                           "Seed of the autoencoder (initialisation, batches, noise); runs "
                           "sharing it share one cached pretraining"),
        mixedPrecisionParam(),
        ParamSpec::boolean("cache", true,
                           "Reuse an autoencoder pretrained on the same data with the same "
                           "settings"),
    };
    info.run = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        DepictOptions o;
        o.k = p.integer("k");
        o.side = ctx.imageShape
                     ? ctx.imageShape->width
                     : static_cast<int64_t>(std::lround(std::sqrt(static_cast<double>(x.size(1)))));
        o.pretrainEpochs = p.integer("pretrain_epochs");
        o.initEpochs = p.integer("init_epochs");
        o.epochs = p.integer("epochs");
        o.batchSize = p.integer("batch_size");
        o.pretrainLearningRate = p.real("pretrain_lr");
        o.learningRate = p.real("lr");
        o.dropout = p.real("dropout");
        o.tol = p.real("tol");
        o.kmeansRestarts = p.integer("kmeans_restarts");
        o.mixedPrecision = p.boolean("mixed_precision");
        applyRunContext(o, p, ctx);
        return finish(depict(x, o, ctx.progress));
    };
    return info;
}

namespace
{

// The shared autoencoder schema with GLDC's defaults: its authors' 5-D embedding, 30 epochs of
// Adam at 2e-3 in batches of 128.
std::vector<ParamSpec> gldcSchema()
{
    auto params = schema(DeepMethod::AeKMeans);
    const std::map<std::string, ParamValue> defaults{{"latent", int64_t{5}},
                                                     {"pretrain_epochs", int64_t{30}},
                                                     {"pretrain_lr", 2e-3},
                                                     {"batch_size", int64_t{128}}};
    for (auto& spec : params)
    {
        if (const auto it = defaults.find(spec.name); it != defaults.end())
            spec.defaultValue = it->second;
    }
    const GldcOptions d;
    params.insert(
        params.end(),
        {
            ParamSpec::real("lr", 1e-3, 1e-8, 100, "Clustering-phase learning rate (Adam)"),
            ParamSpec::integer("epochs", d.epochs, 1, 100'000, "Clustering epochs"),
            ParamSpec::real("tol", d.tol, 0, 1,
                            "Stop when fewer than this fraction of labels change (0: run "
                            "every epoch)"),
            ParamSpec::real("noise_std", d.noiseStd, 0, 100,
                            "Standard deviation of the Gaussian noise of the consistency term, "
                            "in the input's units"),
            ParamSpec::real("consistency_weight", d.consistencyWeight, 0, 1e6,
                            "Weight of MSE(q(x + noise), q(x))"),
            ParamSpec::real("kl_weight", d.klWeight, 0, 1e6, "Weight of DEC's KL(P || Q)"),
            ParamSpec::real("local_weight", d.localWeight, 0, 1e6,
                            "Weight of the local pairwise term in the first epoch"),
            ParamSpec::real("local_decay", d.localDecay, 0, 1,
                            "Factor on the local weight per epoch"),
            ParamSpec::real("local_floor", d.localFloor, 0, 1e6,
                            "The local weight never falls below this"),
            ParamSpec::real("sigma", d.sigma, 1e-6, 1e6, "Width of the rank-order kernel"),
            ParamSpec::integer("n_neighbors", d.nNeighbors, 1, 100'000,
                               "Rows of a batch (the row itself included) that the local "
                               "target counts as a row's neighbours"),
        });
    return params;
}

} // namespace

AlgorithmInfo gldcAlgorithm()
{
    AlgorithmInfo info = make(DeepMethod::Idec, "gldc", "GLDC",
                              "GLDC (Huang et al. 2023, HCHC's deep clustering): IDEC's "
                              "autoencoder and Student-t Q trained with a local rank-order "
                              "pairwise term and noise-consistent soft labels");
    info.params = gldcSchema();
    info.run = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        GldcOptions o;
        o.deep = autoencoderOptions(p, ctx);
        o.deep.clusteringBatchSize = p.integer("batch_size");
        o.deep.kmeansRestarts = p.integer("kmeans_restarts");
        o.deep.clusteringOptimizer = {OptimizerKind::Adam, p.real("lr"), 0.9};
        o.epochs = p.integer("epochs");
        o.tol = p.real("tol");
        o.noiseStd = p.real("noise_std");
        o.consistencyWeight = p.real("consistency_weight");
        o.klWeight = p.real("kl_weight");
        o.localWeight = p.real("local_weight");
        o.localDecay = p.real("local_decay");
        o.localFloor = p.real("local_floor");
        o.sigma = p.real("sigma");
        o.nNeighbors = p.integer("n_neighbors");
        return finish(gldc(x, o, ctx.progress));
    };
    return info;
}

AlgorithmInfo aeKMeansAlgorithm()
{
    return make(DeepMethod::AeKMeans, "ae_kmeans", "AE + k-means",
                "k-means on the embedding of a pretrained MLP autoencoder (the deep baseline)");
}

AlgorithmInfo decAlgorithm()
{
    return make(DeepMethod::Dec, "dec", "DEC",
                "Deep Embedded Clustering (Xie et al. 2016): the encoder and centres trained on "
                "KL(P || Q) with Student-t assignments");
}

AlgorithmInfo idecAlgorithm()
{
    return make(DeepMethod::Idec, "idec", "IDEC",
                "Improved DEC (Guo et al. 2017): DEC's loss plus the autoencoder's "
                "reconstruction, keeping the decoder");
}

} // namespace clusterscope

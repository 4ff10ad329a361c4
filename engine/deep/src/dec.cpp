// AE + k-means, DEC and IDEC on a pretrained autoencoder. DEC's outer loop follows DEC-keras:
// every `updateInterval` batches, Q on the whole data set, then P, then the labels; stop when
// fewer than `tol` of them changed; otherwise SGD steps on KL(P_batch || Q_batch). IDEC adds the
// reconstruction loss, L = MSE + gamma KL, and keeps training the decoder.

#include "flush_denormals.h"
#include "mixed_precision.h"
#include "mlp_autoencoder.h"
#include "training.h"

#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/deep/deep.h>

#include <chrono>
#include <cstring>

namespace clusterscope
{
namespace
{

constexpr uint64_t kClusteringStream = 500000;

std::vector<int64_t> argmaxLabels(const torch::Tensor& q)
{
    return intValues(q.argmax(1));
}

// Everything that shapes the clustering phase but its length (max_iter and tol may change).
std::string clusteringSettings(const torch::Tensor& x, const DeepOptions& o)
{
    const auto& c = o.clusteringOptimizer;
    return autoencoderSettings(x.size(0), x.size(1), o.autoencoder, o.pretrainSeed, true) +
           " | method " + std::to_string(static_cast<int>(o.method)) + " k " + std::to_string(o.k) +
           " restarts " + std::to_string(o.kmeansRestarts) + " optimizer " +
           std::to_string(static_cast<int>(c.kind)) + " lr " + std::to_string(c.learningRate) +
           " momentum " + std::to_string(c.momentum) + " batch " +
           std::to_string(o.clusteringBatchSize) + " interval " + std::to_string(o.updateInterval) +
           " gamma " + std::to_string(o.gamma) + " seed " + std::to_string(o.seed);
}

} // namespace

OptimizerKind parseOptimizer(const std::string& name)
{
    if (name == "adam")
        return OptimizerKind::Adam;
    if (name == "sgd")
        return OptimizerKind::Sgd;
    throw ParameterError("optimizer '" + name + "' is not one of adam|sgd");
}

at::Tensor studentT(const at::Tensor& z, const at::Tensor& centers)
{
    const auto d2 = (z.unsqueeze(1) - centers.unsqueeze(0)).pow(2).sum(2);
    const auto q = 1.0 / (1.0 + d2);
    return q / q.sum(1, true);
}

at::Tensor targetDistribution(const at::Tensor& q)
{
    const auto weight = q.pow(2) / q.sum(0, true);
    return weight / weight.sum(1, true);
}

at::Tensor klDivergence(const at::Tensor& p, const at::Tensor& q)
{
    // p log p is 0 where p is 0.
    const auto plogp = torch::xlogy(p, p);
    return (plogp - p * q.log()).sum(1).mean();
}

std::string autoencoderCacheKey(const at::Tensor& x, const AutoencoderOptions& o, uint64_t seed)
{
    return contentKey(x, autoencoderSettings(x.size(0), x.size(1), o, seed, true));
}

namespace
{

// The registry's display names: errors name the method the user ran.
std::string deepMethodName(DeepMethod method)
{
    switch (method)
    {
    case DeepMethod::AeKMeans:
        return "AE + k-means";
    case DeepMethod::Dec:
        return "DEC";
    case DeepMethod::Idec:
        return "IDEC";
    }
    return "deep clustering";
}

} // namespace

DeepResult deepCluster(const at::Tensor& xIn, const DeepOptions& options, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    if (options.k < 2 || options.k >= xIn.size(0))
        throw ParameterError("k must be between 2 and the number of rows - 1; got " +
                             std::to_string(options.k));
    const FlushDenormals flush;
    const torch::Device device(options.device);
    // float16 autocast exists on CUDA only; elsewhere the run is float32 and shares its cache.
    DeepOptions o = options;
    o.autoencoder.mixedPrecision = options.autoencoder.mixedPrecision && device.is_cuda();
    const auto x = xIn.to(device, torch::kFloat).contiguous();
    const int64_t n = x.size(0);

    const double pretrainEnd = o.method == DeepMethod::AeKMeans ? 0.9 : 0.45;
    ProgressRange pretrainStage(progress, 0.0, pretrainEnd);
    auto pre = pretrainAutoencoder(x, o, pretrainStage);
    auto model = pre.model;
    DeepResult result;
    result.history = pre.history;
    result.pretrainedFromCache = pre.fromCache;
    result.resumed = pre.resumed;
    result.warnings = pre.warnings;
    result.mixedPrecision = o.autoencoder.mixedPrecision;

    // Centres from k-means on the embedding (AE + k-means stops here).
    const double startEnd = o.method == DeepMethod::AeKMeans ? 1.0 : 0.5;
    const double embedEnd = pretrainEnd + 0.2 * (startEnd - pretrainEnd);
    ProgressRange embedStage(progress, pretrainEnd, embedEnd);
    auto z = encodeAll(model, x, embedStage, "embedding the data");
    ProgressRange startStage(progress, embedEnd, startEnd);
    KMeansOptions km;
    km.k = o.k;
    km.nInit = o.kmeansRestarts;
    km.seed = deriveSeed(o.seed, 7);
    const auto clusters =
        kmeansOnEmbedding(z, km, deepMethodName(o.method), "--pretrain-lr", &startStage);
    if (o.method == DeepMethod::AeKMeans)
    {
        result.labels = intValues(clusters.labels);
        result.soft = studentT(z, clusters.centers).to(torch::kCPU);
        result.embedding = z.to(torch::kCPU);
        recordScores(result.history, o.truth, result.labels);
        progress.report(1.0, "done");
        return result;
    }

    // Where clustering starts from, to judge what it gained (a resumed run reads it back).
    recordScores(result.history, o.truth, intValues(clusters.labels), "start_");
    auto centers = clusters.centers.clone();
    centers.set_requires_grad(true);
    std::vector<torch::Tensor> parameters = model->encoder()->parameters();
    if (o.method == DeepMethod::Idec)
        parameters = model->parameters();
    parameters.push_back(centers);
    auto optimizer = makeOptimizer(parameters, o.clusteringOptimizer);
    MixedPrecision precision(o.autoencoder.mixedPrecision, device);
    CentreTrainingState state;
    const auto settings = clusteringSettings(x, o);
    if (loadCentreTraining(o.checkpointPath, settings, device, model, centers, *optimizer,
                           precision, state, result.history, "iteration"))
        result.resumed = true;

    torch::Tensor target;
    const int64_t batch = o.clusteringBatchSize;
    const int64_t batchesPerEpoch = (n + batch - 1) / batch;
    model->train();
    torch::Tensor order; // this epoch's batch order, drawn once per epoch
    int64_t orderEpoch = -1;
    auto intervalStart = std::chrono::steady_clock::now();
    const auto clusteringFraction = [&]
    { return 0.5 + 0.5 * static_cast<double>(state.step) / static_cast<double>(o.maxIterations); };
    while (state.step < o.maxIterations)
    {
        if (state.step % o.updateInterval == 0)
        {
            if (!o.checkpointPath.empty() && state.step > 0 &&
                (state.step / o.updateInterval) % o.checkpointEvery == 0)
                saveCentreTraining(o.checkpointPath, settings, model, centers, *optimizer,
                                   precision, state, result.history, "iteration");
            torch::NoGradGuard noGrad;
            // Holds the fraction where it is while the pass over all rows reports.
            ProgressRange targetStage(progress, clusteringFraction(), clusteringFraction());
            const auto q = studentT(
                encodeAll(model, x, targetStage, "clustering: target distribution"), centers);
            target = targetDistribution(q);
            const auto labels = argmaxLabels(q);
            double changed = 1.0;
            if (!state.previous.empty())
            {
                int64_t diff = 0;
                for (size_t i = 0; i < labels.size(); ++i)
                    diff += labels[i] != state.previous[i];
                changed = static_cast<double>(diff) / static_cast<double>(n);
            }
            if (state.step > 0)
            {
                const auto now = std::chrono::steady_clock::now();
                result.history["seconds"].push_back(
                    std::chrono::duration<double>(now - intervalStart).count());
                intervalStart = now;
                result.history["loss"].push_back(
                    state.lossCount ? state.lossSum / static_cast<double>(state.lossCount) : 0.0);
                result.history["changed"].push_back(changed);
                recordScores(result.history, o.truth, labels);
            }
            if (o.onUpdate)
                o.onUpdate(result.history, labels);
            state.lossSum = 0;
            state.lossCount = 0;
            state.previous = labels;
            if (state.step > 0 && changed < o.tol)
                break;
        }
        waitWhilePaused(progress);
        progress.poll(clusteringFraction(),
                      [&] { return "clustering, iteration " + std::to_string(state.step); });
        const int64_t epoch = state.step / batchesPerEpoch;
        const int64_t position = state.step % batchesPerEpoch;
        if (epoch != orderEpoch)
        {
            order = epochOrder(n, o.seed, kClusteringStream, epoch, device);
            orderEpoch = epoch;
        }
        const auto ids = order.slice(0, position * batch, std::min(n, (position + 1) * batch));
        const auto xb = x.index_select(0, ids);
        optimizer->zero_grad();
        const auto loss = precision.forward(
            [&]
            {
                const auto zb = model->encode(xb, progress);
                // The soft assignment in float32: 1 / (1 + d²) loses too much in float16.
                const auto kl = klDivergence(target.index_select(0, ids),
                                             studentT(zb.to(torch::kFloat), centers));
                return o.method == DeepMethod::Idec
                           ? torch::mse_loss(model->decode(zb, progress), xb) + o.gamma * kl
                           : kl;
            });
        if (precision.step(loss, *optimizer))
        {
            const double value = loss.item<double>();
            requireFiniteLoss(value, "clustering, batch " + std::to_string(state.step + 1), "lr");
            state.lossSum += value;
            ++state.lossCount;
        }
        ++state.step;
    }
    model->eval();
    ProgressRange finalStage(progress, clusteringFraction(), 1.0);
    z = encodeAll(model, x, finalStage, "embedding the data");
    const auto q = studentT(z, centers.detach());
    result.labels = argmaxLabels(q);
    result.soft = q.to(torch::kCPU);
    result.embedding = z.to(torch::kCPU);
    result.iterations = state.step;
    progress.report(1.0, "done");
    return result;
}

} // namespace clusterscope

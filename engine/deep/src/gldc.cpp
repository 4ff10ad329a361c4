// GLDC's clustering phase (gldc.h): an epoch loop over DEC's pieces (dec.cpp) with GLDC's four
// terms. Checkpoints are written at the start of an epoch, before its target update, so a
// resumed run recomputes the same Q and P from the same weights.

#include "flush_denormals.h"
#include "mixed_precision.h"
#include "mlp_autoencoder.h"
#include "training.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/deep/gldc.h>

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>

namespace clusterscope
{
namespace
{

constexpr uint64_t kGldcOrderStream = 700000;
constexpr uint64_t kGldcNoiseStream = 800000;

std::string gldcSettings(const torch::Tensor& x, const GldcOptions& o)
{
    const auto& d = o.deep;
    const auto& c = d.clusteringOptimizer;
    std::string s = autoencoderSettings(x.size(0), x.size(1), d.autoencoder, d.pretrainSeed, true);
    s += " | gldc k " + std::to_string(d.k) + " restarts " + std::to_string(d.kmeansRestarts);
    s += " optimizer " + std::to_string(static_cast<int>(c.kind)) + " lr " +
         std::to_string(c.learningRate) + " momentum " + std::to_string(c.momentum);
    s += " batch " + std::to_string(d.clusteringBatchSize) + " noise " +
         std::to_string(o.noiseStd) + " weights " + std::to_string(o.consistencyWeight) + "/" +
         std::to_string(o.klWeight) + "/" + std::to_string(o.localWeight) + "/" +
         std::to_string(o.localDecay) + "/" + std::to_string(o.localFloor);
    s += " kernel " + std::to_string(o.sigma) + "/" + std::to_string(o.nNeighbors) + "/" +
         std::to_string(o.rankDecay) + " seed " + std::to_string(d.seed);
    return s;
}

double changedFraction(const std::vector<int64_t>& labels, const std::vector<int64_t>& previous)
{
    if (previous.empty())
        return 1.0;
    int64_t changed = 0;
    for (size_t i = 0; i < labels.size(); ++i)
        changed += labels[i] != previous[i];
    return static_cast<double>(changed) / static_cast<double>(labels.size());
}

} // namespace

at::Tensor gldcLocalTarget(const at::Tensor& zIn, double sigma, int64_t nNeighbors,
                           double rankDecay)
{
    const auto z = zIn.to(torch::kFloat);
    auto d = (z.unsqueeze(1) - z.unsqueeze(0)).pow(2).sum(2);
    const auto largest = d.max();
    if (largest.item<float>() > 0)
        d = d / largest;
    // The rank of each distance within its row; a stable sort breaks ties by column.
    const auto order = std::get<1>(d.sort(/*stable=*/true, /*dim=*/1, /*descending=*/false));
    const auto rank = std::get<1>(order.sort(/*stable=*/true, 1, false));
    const auto krod = (rank + rank.t() + 1).to(torch::kFloat) * torch::exp(d / sigma);
    const int64_t kth = std::min<int64_t>(nNeighbors + 1, z.size(0));
    const auto threshold = std::get<0>(krod.kthvalue(kth, /*dim=*/0, /*keepdim=*/true));
    return (krod < threshold).to(torch::kFloat) * torch::exp(-rankDecay * krod);
}

at::Tensor gldcPairLoss(const at::Tensor& q, const at::Tensor& target)
{
    const auto pair = q.matmul(q.t()).clamp(0.0, 1.0);
    return -(target * torch::log(pair + 1e-9) + (1 - target) * torch::log(1 - pair + 1e-9)).mean();
}

DeepResult gldc(const at::Tensor& xIn, const GldcOptions& options, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    if (options.deep.k < 2 || options.deep.k >= xIn.size(0))
        throw ParameterError("k must be between 2 and the number of rows - 1; got " +
                             std::to_string(options.deep.k));
    const FlushDenormals flush;
    const torch::Device device(options.deep.device);
    GldcOptions o = options;
    o.deep.autoencoder.mixedPrecision = options.deep.autoencoder.mixedPrecision && device.is_cuda();
    const auto x = xIn.to(device, torch::kFloat).contiguous();
    const int64_t n = x.size(0);

    ProgressRange pretrainStage(progress, 0.0, 0.4);
    auto pre = pretrainAutoencoder(x, o.deep, pretrainStage);
    auto model = pre.model;
    DeepResult result;
    result.history = pre.history;
    result.pretrainedFromCache = pre.fromCache;
    result.resumed = pre.resumed;
    result.warnings = pre.warnings;
    result.mixedPrecision = o.deep.autoencoder.mixedPrecision;

    ProgressRange embedStage(progress, 0.4, 0.42);
    const auto z0 = encodeAll(model, x, embedStage, "embedding the data");
    ProgressRange startStage(progress, 0.42, 0.45);
    KMeansOptions km;
    km.k = o.deep.k;
    km.nInit = o.deep.kmeansRestarts;
    km.seed = deriveSeed(o.deep.seed, 7);
    const auto start = kmeansOnEmbedding(z0, km, "GLDC", "--pretrain-lr", &startStage);
    recordScores(result.history, o.deep.truth, intValues(start.labels), "start_");

    auto centers = start.centers.clone();
    centers.set_requires_grad(true);
    std::vector<torch::Tensor> parameters = model->parameters();
    parameters.push_back(centers);
    auto optimizer = makeOptimizer(parameters, o.deep.clusteringOptimizer);
    MixedPrecision precision(o.deep.autoencoder.mixedPrecision, device);
    CentreTrainingState state;
    const auto settings = gldcSettings(x, o);
    if (loadCentreTraining(o.deep.checkpointPath, settings, device, model, centers, *optimizer,
                           precision, state, result.history, "epoch"))
        result.resumed = true;

    // Batches drop the last partial one, as the reference's loader; fewer rows than a batch make
    // one batch of all rows.
    const int64_t batch = std::min(o.deep.clusteringBatchSize, n);
    const int64_t batchesPerEpoch = n / batch;
    const auto fraction = [&](int64_t epoch, int64_t step)
    {
        const double done = static_cast<double>(epoch * batchesPerEpoch + step) /
                            static_cast<double>(o.epochs * batchesPerEpoch);
        return 0.45 + 0.53 * done;
    };
    auto epochStart = std::chrono::steady_clock::now();
    // The target update at the start of an epoch, and once more after the last: it closes the
    // history of the epoch before.
    struct Update
    {
        torch::Tensor z, q;
        double changed;
    };
    const auto update = [&](bool last)
    {
        torch::NoGradGuard noGrad;
        const double at = fraction(state.step, 0);
        ProgressRange stage(progress, at, last ? 1.0 : at);
        const auto z = encodeAll(model, x, stage,
                                 last ? "embedding the data" : "clustering: target distribution");
        const auto q = studentT(z, centers);
        const auto labels = intValues(q.argmax(1));
        const double changed = changedFraction(labels, state.previous);
        if (state.step > 0)
        {
            const auto now = std::chrono::steady_clock::now();
            result.history["seconds"].push_back(
                std::chrono::duration<double>(now - epochStart).count());
            epochStart = now;
            result.history["loss"].push_back(
                state.lossCount ? state.lossSum / static_cast<double>(state.lossCount) : 0.0);
            result.history["changed"].push_back(changed);
            recordScores(result.history, o.deep.truth, labels);
        }
        if (o.deep.onUpdate)
            o.deep.onUpdate(result.history, labels);
        state.lossSum = 0;
        state.lossCount = 0;
        state.previous = labels;
        return Update{z, q, changed};
    };

    model->train();
    std::optional<Update> stopped; // the update that found fewer than `tol` labels changing
    while (state.step < o.epochs)
    {
        if (!o.deep.checkpointPath.empty() && state.step > 0 &&
            state.step % o.deep.checkpointEvery == 0)
            saveCentreTraining(o.deep.checkpointPath, settings, model, centers, *optimizer,
                               precision, state, result.history, "epoch");
        auto current = update(false);
        if (state.step > 0 && o.tol > 0 && current.changed < o.tol)
        {
            stopped = std::move(current);
            break;
        }
        const auto target = targetDistribution(current.q);
        const auto order = epochOrder(n, o.deep.seed, kGldcOrderStream, state.step, device);
        auto noiseGenerator = at::detail::createCPUGenerator(
            deriveSeed(o.deep.seed, kGldcNoiseStream + static_cast<uint64_t>(state.step)));
        const double localWeight = std::max(
            o.localWeight * std::pow(o.localDecay, static_cast<double>(state.step)), o.localFloor);
        for (int64_t step = 0; step < batchesPerEpoch; ++step)
        {
            waitWhilePaused(progress);
            progress.poll(fraction(state.step, step),
                          [&] { return "clustering, epoch " + std::to_string(state.step + 1); });
            const auto ids = order.slice(0, step * batch, (step + 1) * batch);
            const auto xb = x.index_select(0, ids);
            const auto noise =
                (torch::randn(xb.sizes(), noiseGenerator, torch::kFloat) * o.noiseStd).to(device);
            optimizer->zero_grad();
            const auto loss = precision.forward(
                [&]
                {
                    const auto zb = model->encode(xb, progress);
                    // Soft assignments in float32: 1 / (1 + d²) loses too much in float16.
                    const auto qb = studentT(zb.to(torch::kFloat), centers);
                    const auto qn =
                        studentT(model->encode(xb + noise, progress).to(torch::kFloat), centers);
                    const auto local = gldcPairLoss(
                        qb, gldcLocalTarget(zb.detach(), o.sigma, o.nNeighbors, o.rankDecay));
                    return torch::mse_loss(model->decode(zb, progress).to(torch::kFloat), xb) +
                           localWeight * local + o.consistencyWeight * torch::mse_loss(qn, qb) +
                           o.klWeight * klDivergence(target.index_select(0, ids), qb);
                });
            if (precision.step(loss, *optimizer))
            {
                const double value = loss.item<double>();
                requireFiniteLoss(value,
                                  "clustering, epoch " + std::to_string(state.step + 1) +
                                      ", batch " + std::to_string(step + 1),
                                  "lr");
                state.lossSum += value;
                ++state.lossCount;
            }
        }
        ++state.step;
    }
    model->eval();
    const auto last = stopped ? *stopped : update(true);
    result.labels = state.previous;
    result.soft = last.q.to(torch::kCPU);
    result.embedding = last.z.to(torch::kCPU);
    result.iterations = state.step * batchesPerEpoch;
    progress.report(1.0, "done");
    return result;
}

} // namespace clusterscope

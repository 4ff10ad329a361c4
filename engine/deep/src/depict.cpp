// DEPICT (network in depict_net.h). Pretraining: the denoising autoencoder alone, cached per data
// and settings like the MLP autoencoder. Head: softmax(W z + b), W initialised with the
// L2-normalised k-means centroids of the clean embedding, then `initEpochs` epochs of
// cross-entropy against the k-means labels (the code's initialisation phase, with a fixed epoch
// count instead of its validation early stop). Each epoch: P on all data by the clean path, the
// target Q = p^2 / f (the reference code's form; the paper writes p / f^1/2), then Adam steps on
// -sum q log p_noisy plus the ladder reconstruction. Both phases checkpoint every epoch.

#include "depict_net.h"
#include "flush_denormals.h"
#include "mixed_precision.h"
#include "training.h"

#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/deep/depict.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

namespace clusterscope
{
namespace
{

constexpr uint64_t kPretrainStream = 2000;
constexpr uint64_t kPretrainNoiseStream = 300000;
constexpr uint64_t kClusteringStream = 700000;
constexpr uint64_t kClusteringNoiseStream = 900000;

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string pretrainSettings(const torch::Tensor& x, const DepictOptions& o, bool withEpochs)
{
    return "depict-cae v1 rows " + std::to_string(x.size(0)) + " side " + std::to_string(o.side) +
           " k " + std::to_string(o.k) + " dropout " + std::to_string(o.dropout) + " ladder " +
           std::to_string(o.ladderWeight) +
           (withEpochs ? " epochs " + std::to_string(o.pretrainEpochs) : std::string()) +
           " batch " + std::to_string(o.batchSize) + " lr " +
           std::to_string(o.pretrainLearningRate) + " seed " + std::to_string(o.pretrainSeed) +
           (o.mixedPrecision ? " amp" : "");
}

// Everything that shapes the clustering phase but its length (epochs and tol may change).
std::string clusteringSettings(const torch::Tensor& x, const DepictOptions& o)
{
    return pretrainSettings(x, o, true) + " | init " + std::to_string(o.initEpochs) + " lr " +
           std::to_string(o.learningRate) + " restarts " + std::to_string(o.kmeansRestarts) +
           " seed " + std::to_string(o.seed);
}

// The data scaled to [-1, 1], the range of the tanh output. On 10k images the whole-tensor
// arithmetic takes a quarter second; in chunks it polls in between, with the same values.
torch::Tensor toTanhRange(const torch::Tensor& x, Progress& progress)
{
    constexpr int64_t kChunk = 1024;
    const auto lo = x.min();
    const auto span = (x.max() - lo).clamp_min(1e-12);
    auto out = torch::empty(x.sizes(), x.options().memory_format(torch::MemoryFormat::Contiguous));
    for (int64_t b = 0; b < x.size(0); b += kChunk)
    {
        throwIfCancelled(progress);
        const int64_t e = std::min(x.size(0), b + kChunk);
        out.slice(0, b, e).copy_((x.slice(0, b, e) - lo) / span * 2 - 1);
    }
    return out;
}

// The denoising autoencoder alone: from the cache, or trained (resuming its checkpoint).
void pretrain(DepictNet& net, const torch::Tensor& x, const DepictOptions& o, Progress& progress,
              DeepResult& result)
{
    auto& h = result.history;
    const std::string cached = o.cacheDir.empty()
                                   ? std::string()
                                   : (std::filesystem::path(o.cacheDir) /
                                      (contentKey(x, pretrainSettings(x, o, true)) + ".pt"))
                                         .string();
    const auto readCached = [&](torch::serialize::InputArchive& archive)
    {
        readModule(archive, *net);
        h = readHistory(archive);
    };
    const size_t warned = result.warnings.size();
    if (readCacheEntry(cached, x.device(), readCached, result.warnings))
    {
        result.pretrainedFromCache = true;
        return;
    }
    if (result.warnings.size() > warned)
    {
        // The damaged entry may have been read in part: back to the seeded initial weights,
        // in place, since the caller's optimizer holds these very tensors.
        const auto fresh = makeDepictNet(o.side, o.k, o.pretrainSeed, x.device());
        torch::NoGradGuard noGrad;
        auto params = net->named_parameters();
        for (const auto& p : fresh->named_parameters())
            params[p.key()].copy_(p.value());
        auto buffers = net->named_buffers();
        for (const auto& b : fresh->named_buffers())
            buffers[b.key()].copy_(b.value());
        h.clear();
    }
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(o.pretrainLearningRate));
    MixedPrecision precision(o.mixedPrecision, x.device());
    const std::string checkpoint =
        o.checkpointPath.empty() ? std::string() : o.checkpointPath + ".pretrain";
    const auto settings = pretrainSettings(x, o, false);
    int64_t firstEpoch = 0;
    if (fileExists(checkpoint))
    {
        readCheckpoint(checkpoint, x.device(),
                       [&](torch::serialize::InputArchive& archive)
                       {
                           requireSettings(archive, settings, checkpoint);
                           readModule(archive, *net);
                           readOptimizer(archive, opt);
                           precision.read(archive);
                           firstEpoch = readCount(archive, "epoch");
                           h = readHistory(archive);
                       });
        if (firstEpoch > o.pretrainEpochs)
            throw ParameterError("checkpoint " + checkpoint + " holds " +
                                 std::to_string(firstEpoch) +
                                 " pretraining epochs, more than the " +
                                 std::to_string(o.pretrainEpochs) + " asked for");
        result.resumed = true;
    }
    const int64_t n = x.size(0);
    for (int64_t epoch = firstEpoch; epoch < o.pretrainEpochs; ++epoch)
    {
        const auto started = std::chrono::steady_clock::now();
        const auto order = epochOrder(n, o.pretrainSeed, kPretrainStream, epoch, x.device());
        DropoutNoise noise(o.dropout,
                           deriveSeed(o.pretrainSeed, kPretrainNoiseStream + uint64_t(epoch)));
        EpochLoss epochLoss("pretraining, epoch " + std::to_string(epoch + 1), "pretrain_lr");
        for (int64_t b = 0; b < n; b += o.batchSize)
        {
            waitWhilePaused(progress);
            progress.poll(0.5 * (epoch + static_cast<double>(b) / n) / o.pretrainEpochs,
                          [&] { return "pretraining, epoch " + std::to_string(epoch + 1); });
            const auto xb = x.index_select(0, order.slice(0, b, std::min(n, b + o.batchSize)));
            opt.zero_grad();
            const auto loss = precision.forward(
                [&]
                {
                    return depictReconstruction(net, xb, net->encode(xb, &noise, progress),
                                                o.ladderWeight, progress);
                });
            if (precision.step(loss, opt))
                epochLoss.add(loss);
        }
        h["pretrain_loss"].push_back(epochLoss.mean());
        h["pretrain_seconds"].push_back(secondsSince(started));
        if (o.onUpdate)
            o.onUpdate(h, {});
        if (!checkpoint.empty() &&
            ((epoch + 1) % o.checkpointEvery == 0 || epoch + 1 == o.pretrainEpochs))
        {
            torch::serialize::OutputArchive archive;
            writeSettings(archive, settings);
            writeModule(archive, *net);
            writeOptimizer(archive, opt);
            precision.write(archive);
            archive.write("epoch", torch::tensor(epoch + 1, torch::kLong));
            writeHistory(archive, h);
            saveArchiveAtomically(archive, checkpoint);
        }
    }
    if (!cached.empty())
    {
        torch::serialize::OutputArchive archive;
        writeModule(archive, *net);
        writeHistory(archive, h);
        saveArchiveAtomically(archive, cached);
    }
}

// The clustering phase's state at the start of an epoch: what a checkpoint holds.
struct ClusteringState
{
    int64_t epoch = 0;
    std::vector<int64_t> previous; // labels at the start of the last epoch
    torch::Tensor initialLabels;   // k-means on the pretrained embedding
};

void saveClustering(const std::string& path, const std::string& settings, DepictNet& net,
                    torch::optim::Optimizer& opt, const MixedPrecision& precision,
                    const ClusteringState& state, const TrainingHistory& h)
{
    torch::serialize::OutputArchive archive;
    writeSettings(archive, settings);
    writeModule(archive, *net);
    writeOptimizer(archive, opt);
    precision.write(archive);
    archive.write("epoch", torch::tensor(state.epoch, torch::kLong));
    archive.write("previous", torch::tensor(state.previous, torch::kLong));
    archive.write("initial_labels", state.initialLabels.to(torch::kCPU));
    writeHistory(archive, h);
    saveArchiveAtomically(archive, path);
}

bool loadClustering(const std::string& path, const std::string& settings,
                    const torch::Device& device, DepictNet& net, torch::optim::Optimizer& opt,
                    MixedPrecision& precision, ClusteringState& state, TrainingHistory& h)
{
    if (!fileExists(path))
        return false;
    readCheckpoint(path, device,
                   [&](torch::serialize::InputArchive& archive)
                   {
                       requireSettings(archive, settings, path);
                       readModule(archive, *net);
                       readOptimizer(archive, opt);
                       precision.read(archive);
                       state.epoch = readCount(archive, "epoch");
                       torch::Tensor previous;
                       archive.read("previous", previous);
                       state.previous = intValues(previous);
                       archive.read("initial_labels", state.initialLabels);
                       state.initialLabels = state.initialLabels.to(device);
                       h = readHistory(archive);
                   });
    return true;
}

// The head starts from k-means on the clean embedding; returns the k-means labels.
torch::Tensor initialiseHead(DepictNet& net, const torch::Tensor& x, const DepictOptions& o,
                             Progress& progress)
{
    const auto z = depictCleanPass(net, x, progress, "embedding the data")
                       .embedding.to(torch::kFloat)
                       .contiguous();
    KMeansOptions km;
    km.k = o.k;
    km.nInit = o.kmeansRestarts;
    km.seed = deriveSeed(o.seed, 7);
    const auto clusters = kmeansOnEmbedding(z, km, "DEPICT", "--pretrain-lr", &progress);
    const auto centers = clusters.centers.to(x.device());
    torch::NoGradGuard noGrad;
    // softmax(z·μ/τ − ‖μ‖²/2τ) = softmax(−‖z − μ‖²/2τ): the head starts as soft k-means, its
    // argmax the k-means labels, τ the mean squared distance to the assigned centre.
    const double tau = std::max(clusters.inertia / static_cast<double>(z.size(0)), 1e-12);
    net->head()->weight.copy_(centers / tau);
    net->head()->bias.copy_(-centers.pow(2).sum(1) / (2 * tau));
    return clusters.labels.to(x.device());
}

} // namespace

DeepResult depict(const at::Tensor& xIn, const DepictOptions& options, Progress* progressIn)
{
    // float16 autocast exists on CUDA only; elsewhere the run is float32 and shares its cache.
    DepictOptions o = options;
    o.mixedPrecision = options.mixedPrecision && c10::Device(options.device).is_cuda();
    Progress& progress = progressIn ? *progressIn : nullProgress();
    if (xIn.size(1) != o.side * o.side)
        throw ParameterError(
            "DEPICT needs square single-channel images: " + std::to_string(xIn.size(1)) +
            " features are not " + std::to_string(o.side) + " x " + std::to_string(o.side));
    if (o.k < 2 || o.k >= xIn.size(0))
        throw ParameterError("k must be between 2 and the number of rows - 1; got " +
                             std::to_string(o.k));
    const FlushDenormals flush;
    const torch::Device device(o.device);
    const auto x = toTanhRange(xIn.to(device, torch::kFloat), progress);
    const int64_t n = x.size(0);

    auto net = makeDepictNet(o.side, o.k, o.pretrainSeed, device);
    torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(o.learningRate));
    MixedPrecision precision(o.mixedPrecision, device);
    DeepResult result;
    result.mixedPrecision = o.mixedPrecision;
    auto& h = result.history;
    ClusteringState state;
    const auto settings = clusteringSettings(x, o);
    if (loadClustering(o.checkpointPath, settings, device, net, opt, precision, state, h))
        result.resumed = true;
    else
    {
        pretrain(net, x, o, progress, result);
        // Between pretraining (to 0.5) and clustering (from 0.5): polls, no visible progress.
        ProgressRange headStage(progress, 0.5, 0.5);
        state.initialLabels = initialiseHead(net, x, o, headStage);
        recordScores(h, o.truth, intValues(state.initialLabels), "start_");
    }

    const auto hardTarget = torch::one_hot(state.initialLabels, o.k).to(torch::kFloat);
    // Where `row` of the current epoch lies in the whole run.
    const auto clusteringFraction = [&](int64_t row)
    {
        return 0.5 + 0.5 *
                         (static_cast<double>(state.epoch) +
                          static_cast<double>(row) / static_cast<double>(n)) /
                         static_cast<double>(o.initEpochs + o.epochs);
    };
    for (; state.epoch < o.initEpochs + o.epochs; ++state.epoch)
    {
        const int64_t epoch = state.epoch;
        if (!o.checkpointPath.empty() && epoch > 0 && epoch % o.checkpointEvery == 0)
            saveClustering(o.checkpointPath, settings, net, opt, precision, state, h);
        const auto started = std::chrono::steady_clock::now();
        const bool initPhase = epoch < o.initEpochs;
        // Holds the fraction where it is while the pass over all rows reports.
        ProgressRange targetStage(progress, clusteringFraction(0), clusteringFraction(0));
        const auto p = depictCleanPass(net, x, targetStage, "clustering: target distribution").soft;
        // An empty cluster's frequency underflows to 0 under a confident head: no 0 / 0.
        const auto weight = p.pow(2) / p.sum(0, true).clamp_min(1e-12);
        // The initialisation phase learns the k-means labels; then the auxiliary target.
        const auto target = initPhase ? hardTarget : weight / weight.sum(1, true);
        const auto labels = intValues(p.argmax(1));
        if (!state.previous.empty())
        {
            int64_t diff = 0;
            for (size_t i = 0; i < labels.size(); ++i)
                diff += labels[i] != state.previous[i];
            const double changed = static_cast<double>(diff) / static_cast<double>(n);
            h["changed"].push_back(changed);
            recordScores(h, o.truth, labels);
            if (o.onUpdate)
                o.onUpdate(h, labels);
            if (!initPhase && changed < o.tol)
                break;
        }
        state.previous = labels;
        const auto order = epochOrder(n, o.seed, kClusteringStream, epoch, device);
        DropoutNoise noise(o.dropout, deriveSeed(o.seed, kClusteringNoiseStream + uint64_t(epoch)));
        EpochLoss epochLoss("clustering, epoch " + std::to_string(epoch + 1), "lr");
        for (int64_t b = 0; b < n; b += o.batchSize)
        {
            waitWhilePaused(progress);
            progress.poll(clusteringFraction(b),
                          [&] { return "clustering, epoch " + std::to_string(epoch + 1); });
            const auto ids = order.slice(0, b, std::min(n, b + o.batchSize));
            const auto xb = x.index_select(0, ids);
            opt.zero_grad();
            const auto loss = precision.forward(
                [&]
                {
                    const auto noisy = net->encode(xb, &noise, progress);
                    const auto pn = net->cluster(noisy.z).to(torch::kFloat);
                    return -(target.index_select(0, ids) * pn.clamp_min(1e-12).log())
                                .sum(1)
                                .mean() +
                           depictReconstruction(net, xb, noisy, o.ladderWeight, progress);
                });
            if (precision.step(loss, opt))
                epochLoss.add(loss);
        }
        h["loss"].push_back(epochLoss.mean());
        h["seconds"].push_back(secondsSince(started));
    }
    result.iterations = state.epoch * ((n + o.batchSize - 1) / o.batchSize);
    ProgressRange finalStage(progress, clusteringFraction(0), 1.0);
    const auto pass = depictCleanPass(net, x, finalStage, "embedding the data");
    result.labels = intValues(pass.soft.argmax(1));
    result.soft = pass.soft.to(torch::kCPU);
    result.embedding = pass.embedding.to(torch::kCPU);
    progress.report(1.0, "done");
    return result;
}

} // namespace clusterscope

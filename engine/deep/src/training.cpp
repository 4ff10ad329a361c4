#include "training.h"

#include "cancel_points.h"
#include "mixed_precision.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/io/output.h>
#include <clusterscope/metrics/metrics.h>

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

namespace clusterscope
{
namespace
{

constexpr uint64_t kPretrainStream = 1000;

std::string pretrainCheckpoint(const DeepOptions& o)
{
    return o.checkpointPath.empty() ? std::string() : o.checkpointPath + ".pretrain";
}

uint64_t fnv1a(const void* data, size_t size, uint64_t h)
{
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i)
    {
        h ^= p[i];
        h *= 0x100000001B3ULL;
    }
    return h;
}

} // namespace

std::mutex& globalGeneratorMutex()
{
    static std::mutex mutex;
    return mutex;
}

std::string contentKey(const torch::Tensor& xIn, const std::string& settings)
{
    const auto x = xIn.to(torch::kCPU, torch::kFloat).contiguous();
    uint64_t h = 0xCBF29CE484222325ULL;
    h = fnv1a(x.data_ptr<float>(), static_cast<size_t>(x.numel()) * sizeof(float), h);
    h = fnv1a(settings.data(), settings.size(), h);
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

std::string autoencoderSettings(int64_t rows, int64_t cols, const AutoencoderOptions& o,
                                uint64_t seed, bool withEpochs)
{
    std::string settings =
        "mlp-ae v1 rows " + std::to_string(rows) + " cols " + std::to_string(cols) + " hidden";
    for (int64_t v : o.hidden)
        settings += " " + std::to_string(v);
    settings += " latent " + std::to_string(o.latent);
    if (withEpochs)
        settings += " epochs " + std::to_string(o.epochs);
    settings += " batch " + std::to_string(o.batchSize) + " optimizer " +
                std::to_string(static_cast<int>(o.optimizer.kind)) + " lr " +
                std::to_string(o.optimizer.learningRate) + " momentum " +
                std::to_string(o.optimizer.momentum) + " amp " + std::to_string(o.mixedPrecision) +
                " seed " + std::to_string(seed);
    return settings;
}

void writeSettings(torch::serialize::OutputArchive& archive, const std::string& settings)
{
    archive.write("settings", c10::IValue(settings));
}

void requireFiniteLoss(double loss, const std::string& phase, const std::string& parameter)
{
    if (!std::isfinite(loss))
        throw Error("training diverged in " + phase + ": the loss is " + std::to_string(loss) +
                    ". Lower " + parameter + " and run again.");
}

KMeansResult kmeansOnEmbedding(const torch::Tensor& z, const KMeansOptions& options,
                               const std::string& method, const std::string& learningRate,
                               Progress* progress)
{
    if (!torch::isfinite(z).all().item<bool>())
        throw Error(method +
                    ": the learned embedding holds NaN or infinite values, so its "
                    "k-means has nothing to cluster: the pretraining diverged. Lower " +
                    learningRate + ", or scale the data (--scaling standardize)");
    KMeansOptions o = options;
    o.name = method;
    return kmeans(z.to(torch::kFloat).contiguous(), o, progress);
}

void EpochLoss::add(const torch::Tensor& loss)
{
    const double value = loss.item<double>();
    requireFiniteLoss(value, phase_, parameter_);
    total_ += value;
    ++steps_;
}

void requireSettings(torch::serialize::InputArchive& archive, const std::string& settings,
                     const std::string& path)
{
    c10::IValue stored;
    const std::string made = archive.try_read("settings", stored) && stored.isString()
                                 ? stored.toStringRef()
                                 : std::string("(not recorded: an older checkpoint)");
    if (made != settings)
        throw ParameterError("checkpoint " + path + " was made with other settings [" + made +
                             "]; this run has [" + settings +
                             "]. Delete it or choose another checkpoint path.");
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(std::vector<torch::Tensor> parameters,
                                                       const OptimizerOptions& o)
{
    if (o.kind == OptimizerKind::Sgd)
        return std::make_unique<torch::optim::SGD>(
            std::move(parameters), torch::optim::SGDOptions(o.learningRate).momentum(o.momentum));
    return std::make_unique<torch::optim::Adam>(std::move(parameters),
                                                torch::optim::AdamOptions(o.learningRate));
}

torch::Tensor epochOrder(int64_t rows, uint64_t seed, uint64_t stream, int64_t epoch,
                         const torch::Device& device)
{
    auto gen =
        at::detail::createCPUGenerator(deriveSeed(seed, stream + static_cast<uint64_t>(epoch)));
    return torch::randperm(rows, gen, torch::TensorOptions().dtype(torch::kLong)).to(device);
}

torch::Tensor encodeAll(MlpAutoencoder& model, const torch::Tensor& x, Progress& progress,
                        std::string_view message)
{
    // Linear layers give every row the same result in any chunk; 256 rows keep a layer of the
    // default network within the poll interval.
    constexpr int64_t kChunk = 256;
    torch::NoGradGuard noGrad;
    const int64_t n = x.size(0);
    std::vector<torch::Tensor> parts;
    for (int64_t b = 0, e = 0; b < n; b = e)
    {
        e = chunkEnd(b, n, kChunk);
        progress.poll(static_cast<double>(b) / static_cast<double>(n),
                      [&] { return std::string(message); });
        parts.push_back(model->encode(x.slice(0, b, e), progress));
    }
    return torch::cat(parts);
}

namespace
{

// Modules and optimizers both serialise themselves into an archive; they nest under `key`.
template <class Saved>
void writeNested(torch::serialize::OutputArchive& archive, const std::string& key,
                 const Saved& saved)
{
    torch::serialize::OutputArchive nested;
    saved.save(nested);
    archive.write(key, nested);
}

template <class Loaded>
void readNested(torch::serialize::InputArchive& archive, const std::string& key, Loaded& loaded)
{
    torch::serialize::InputArchive nested;
    archive.read(key, nested);
    loaded.load(nested);
}

} // namespace

void writeModule(torch::serialize::OutputArchive& archive, const torch::nn::Module& module)
{
    writeNested(archive, "model", module);
}

void readModule(torch::serialize::InputArchive& archive, torch::nn::Module& module)
{
    readNested(archive, "model", module);
}

void writeOptimizer(torch::serialize::OutputArchive& archive,
                    const torch::optim::Optimizer& optimizer)
{
    writeNested(archive, "optimizer", optimizer);
}

void readOptimizer(torch::serialize::InputArchive& archive, torch::optim::Optimizer& optimizer)
{
    readNested(archive, "optimizer", optimizer);
}

int64_t readCount(torch::serialize::InputArchive& archive, const std::string& key)
{
    torch::Tensor t;
    archive.read(key, t);
    return t.item<int64_t>();
}

void recordScores(TrainingHistory& history, const std::vector<int64_t>* truth,
                  const std::vector<int64_t>& labels, const std::string& prefix)
{
    if (!truth || truth->size() != labels.size())
        return;
    history[prefix + "acc"].push_back(accuracy(*truth, labels));
    history[prefix + "nmi"].push_back(normalizedMutualInfo(*truth, labels));
}

void writeHistory(torch::serialize::OutputArchive& archive, const TrainingHistory& history)
{
    for (const auto& [name, values] : history)
        archive.write(
            "history/" + name,
            torch::tensor(std::vector<double>(values.begin(), values.end()), torch::kDouble));
}

TrainingHistory readHistory(torch::serialize::InputArchive& archive)
{
    TrainingHistory history;
    for (const auto& key : archive.keys())
    {
        if (key.rfind("history/", 0) != 0)
            continue;
        torch::Tensor t;
        archive.read(key, t);
        auto& values = history[key.substr(8)];
        values.assign(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
    }
    return history;
}

void saveArchiveAtomically(torch::serialize::OutputArchive& archive, const std::string& path)
{
    const std::filesystem::path target(path);
    std::error_code ec;
    if (target.has_parent_path())
        std::filesystem::create_directories(target.parent_path(), ec);
    if (ec)
        throw Error(path + ": cannot create its folder (" + ec.message() + ")");
    std::ostringstream bytes;
    archive.save_to(bytes);
    writeFileAtomically(path, bytes.str());
}

bool fileExists(const std::string& path)
{
    return !path.empty() && std::filesystem::exists(path);
}

namespace
{

// LibTorch's reason without its stack trace: the first line of what it says.
std::string reasonOf(const c10::Error& e)
{
    const std::string what = e.what_without_backtrace();
    return what.substr(0, what.find('\n'));
}

} // namespace

void readCheckpoint(const std::string& path, const torch::Device& device,
                    const std::function<void(torch::serialize::InputArchive&)>& read)
{
    try
    {
        torch::serialize::InputArchive archive;
        archive.load_from(path, device);
        read(archive);
    }
    catch (const c10::Error& e)
    {
        throw DataError("checkpoint " + path + " is damaged or not a ClusterScope checkpoint (" +
                        reasonOf(e) +
                        "). Delete it to train from the start, or choose another checkpoint "
                        "path.");
    }
}

bool readCacheEntry(const std::string& path, const torch::Device& device,
                    const std::function<void(torch::serialize::InputArchive&)>& read,
                    std::vector<std::string>& warnings)
{
    if (!fileExists(path))
        return false;
    try
    {
        torch::serialize::InputArchive archive;
        archive.load_from(path, device);
        read(archive);
        return true;
    }
    catch (const c10::Error& e)
    {
        std::error_code ignored; // the new entry replaces it anyway
        std::filesystem::remove(path, ignored);
        warnings.push_back("the cached pretraining " + path + " was damaged (" + reasonOf(e) +
                           "); pretrained afresh and cached again");
        return false;
    }
}

Pretrained pretrainAutoencoder(const torch::Tensor& x, const DeepOptions& o, Progress& progress)
{
    const auto& ae = o.autoencoder;
    Pretrained out;
    out.model = makeAutoencoder(x.size(1), ae.hidden, ae.latent, o.pretrainSeed, x.device());
    const std::string cached = o.cacheDir.empty()
                                   ? std::string()
                                   : (std::filesystem::path(o.cacheDir) /
                                      (autoencoderCacheKey(x, ae, o.pretrainSeed) + ".pt"))
                                         .string();
    const auto readCached = [&](torch::serialize::InputArchive& archive)
    {
        readModule(archive, *out.model);
        out.history = readHistory(archive);
    };
    if (readCacheEntry(cached, x.device(), readCached, out.warnings))
    {
        out.fromCache = true;
        return out;
    }
    if (!out.warnings.empty()) // the damaged entry may have been read in part: start over
    {
        out.model = makeAutoencoder(x.size(1), ae.hidden, ae.latent, o.pretrainSeed, x.device());
        out.history.clear();
    }
    auto optimizer = makeOptimizer(out.model->parameters(), ae.optimizer);
    MixedPrecision precision(ae.mixedPrecision, x.device());
    int64_t firstEpoch = 0;
    const std::string checkpoint = pretrainCheckpoint(o);
    // Without the epoch count: a checkpoint extends to more epochs.
    const auto settings = autoencoderSettings(x.size(0), x.size(1), ae, o.pretrainSeed, false);
    if (fileExists(checkpoint))
    {
        readCheckpoint(checkpoint, x.device(),
                       [&](torch::serialize::InputArchive& archive)
                       {
                           requireSettings(archive, settings, checkpoint);
                           readModule(archive, *out.model);
                           readOptimizer(archive, *optimizer);
                           precision.read(archive);
                           firstEpoch = readCount(archive, "epoch");
                           out.history = readHistory(archive);
                       });
        if (firstEpoch > ae.epochs)
            throw ParameterError(
                "checkpoint " + checkpoint + " holds " + std::to_string(firstEpoch) +
                " pretraining epochs, more than the " + std::to_string(ae.epochs) + " asked for");
        out.resumed = true;
    }
    const int64_t n = x.size(0);
    for (int64_t epoch = firstEpoch; epoch < ae.epochs; ++epoch)
    {
        const auto started = std::chrono::steady_clock::now();
        const auto order = epochOrder(n, o.pretrainSeed, kPretrainStream, epoch, x.device());
        EpochLoss epochLoss("pretraining, epoch " + std::to_string(epoch + 1), "pretrain_lr");
        out.model->train();
        for (int64_t b = 0; b < n; b += ae.batchSize)
        {
            waitWhilePaused(progress);
            progress.poll(
                (static_cast<double>(epoch) + static_cast<double>(b) / static_cast<double>(n)) /
                    static_cast<double>(ae.epochs),
                [&] { return "pretraining, epoch " + std::to_string(epoch + 1); });
            const auto xb = x.index_select(0, order.slice(0, b, std::min(n, b + ae.batchSize)));
            optimizer->zero_grad();
            const auto loss = precision.forward(
                [&] { return torch::mse_loss(out.model->forward(xb, progress), xb); });
            if (precision.step(loss, *optimizer))
                epochLoss.add(loss);
        }
        out.history["pretrain_loss"].push_back(epochLoss.mean());
        out.history["pretrain_seconds"].push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        if (o.onUpdate)
            o.onUpdate(out.history, {});
        if (!checkpoint.empty() && ((epoch + 1) % o.checkpointEvery == 0 || epoch + 1 == ae.epochs))
        {
            torch::serialize::OutputArchive archive;
            writeModule(archive, *out.model);
            writeOptimizer(archive, *optimizer);
            precision.write(archive);
            archive.write("epoch", torch::tensor(epoch + 1, torch::kLong));
            writeSettings(archive, settings);
            writeHistory(archive, out.history);
            saveArchiveAtomically(archive, checkpoint);
        }
    }
    out.model->eval();
    if (!cached.empty())
    {
        torch::serialize::OutputArchive archive;
        writeModule(archive, *out.model);
        writeHistory(archive, out.history);
        saveArchiveAtomically(archive, cached);
    }
    return out;
}

void saveCentreTraining(const std::string& path, const std::string& settings, MlpAutoencoder& model,
                        const torch::Tensor& centers, torch::optim::Optimizer& optimizer,
                        const MixedPrecision& precision, const CentreTrainingState& state,
                        const TrainingHistory& history, const std::string& stepKey)
{
    torch::serialize::OutputArchive archive;
    writeSettings(archive, settings);
    writeModule(archive, *model);
    archive.write("centers", centers.detach());
    writeOptimizer(archive, optimizer);
    precision.write(archive);
    archive.write(stepKey, torch::tensor(state.step, torch::kLong));
    archive.write("previous", torch::tensor(state.previous, torch::kLong));
    archive.write("loss_sum", torch::tensor(state.lossSum, torch::kDouble));
    archive.write("loss_count", torch::tensor(state.lossCount, torch::kLong));
    writeHistory(archive, history);
    saveArchiveAtomically(archive, path);
}

bool loadCentreTraining(const std::string& path, const std::string& settings,
                        const torch::Device& device, MlpAutoencoder& model, torch::Tensor& centers,
                        torch::optim::Optimizer& optimizer, MixedPrecision& precision,
                        CentreTrainingState& state, TrainingHistory& history,
                        const std::string& stepKey)
{
    if (!fileExists(path))
        return false;
    readCheckpoint(path, device,
                   [&](torch::serialize::InputArchive& archive)
                   {
                       requireSettings(archive, settings, path);
                       readModule(archive, *model);
                       torch::Tensor c;
                       archive.read("centers", c);
                       {
                           torch::NoGradGuard noGrad;
                           centers.copy_(c);
                       }
                       readOptimizer(archive, optimizer);
                       precision.read(archive);
                       state.step = readCount(archive, stepKey);
                       torch::Tensor prev;
                       archive.read("previous", prev);
                       state.previous = intValues(prev);
                       torch::Tensor lossSum;
                       archive.read("loss_sum", lossSum);
                       state.lossSum = lossSum.item<double>();
                       state.lossCount = readCount(archive, "loss_count");
                       history = readHistory(archive);
                   });
    return true;
}

} // namespace clusterscope

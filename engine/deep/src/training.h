#pragma once
// Shared pieces of the deep trainers: optimizers, seeded epoch orders, batched encoding,
// checkpoint archives written atomically.

#include "mixed_precision.h"
#include "mlp_autoencoder.h"

#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/deep/deep.h>

#include <torch/torch.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace clusterscope
{

// Runs `make` with torch's global generator seeded, which its module initialisers draw from; one
// lock for every caller, so concurrent jobs never interleave their draws.
std::mutex& globalGeneratorMutex();
template <class Make> auto withGlobalSeed(uint64_t seed, Make make)
{
    std::lock_guard lock(globalGeneratorMutex());
    torch::manual_seed(seed);
    return make();
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(std::vector<torch::Tensor> parameters,
                                                       const OptimizerOptions& options);

// The row order of one epoch: a permutation drawn from (seed, stream, epoch) alone, so a run
// resumed at any epoch draws what the uninterrupted run drew.
torch::Tensor epochOrder(int64_t rows, uint64_t seed, uint64_t stream, int64_t epoch,
                         const torch::Device& device);

// The embedding of every row, in chunks, without gradients. A pass over 10k rows of a wide
// network takes seconds: it polls `progress` between layers and reports its fraction with
// `message`.
torch::Tensor encodeAll(MlpAutoencoder& model, const torch::Tensor& x, Progress& progress,
                        std::string_view message);

// Pretrains (or resumes pretraining of) an autoencoder, reading and writing the cache.
struct Pretrained
{
    MlpAutoencoder model{nullptr};
    TrainingHistory history;
    bool fromCache = false;
    bool resumed = false;
    std::vector<std::string> warnings; // e.g. a damaged cache entry, retrained
};
Pretrained pretrainAutoencoder(const torch::Tensor& x, const DeepOptions& options,
                               Progress& progress);

// Appends ACC and NMI of `labels` to the series "<prefix>acc" and "<prefix>nmi" when the truth
// is known (and covers the same rows).
void recordScores(TrainingHistory& history, const std::vector<int64_t>* truth,
                  const std::vector<int64_t>& labels, const std::string& prefix = "");

// Checkpoint archives: module and optimizer state as nested archives under "model" and
// "optimizer", counters as scalars, history series beside them.
void writeModule(torch::serialize::OutputArchive& archive, const torch::nn::Module& module);
void readModule(torch::serialize::InputArchive& archive, torch::nn::Module& module);
void writeOptimizer(torch::serialize::OutputArchive& archive,
                    const torch::optim::Optimizer& optimizer);
void readOptimizer(torch::serialize::InputArchive& archive, torch::optim::Optimizer& optimizer);
int64_t readCount(torch::serialize::InputArchive& archive, const std::string& key);
void writeHistory(torch::serialize::OutputArchive& archive, const TrainingHistory& history);
TrainingHistory readHistory(torch::serialize::InputArchive& archive);
// Writes the archive through writeFileAtomically (io/output.h): a failed or killed save leaves
// the old file and no temporary behind. Creates the file's folder. Throws Error naming the path.
void saveArchiveAtomically(torch::serialize::OutputArchive& archive, const std::string& path);
bool fileExists(const std::string& path);

// Reads the checkpoint at `path` with `read`. A file LibTorch cannot read as one (truncated,
// overwritten, not an archive, entries missing) throws DataError naming it, with advice;
// what `read` throws itself (ParameterError for other settings) passes unchanged.
void readCheckpoint(const std::string& path, const torch::Device& device,
                    const std::function<void(torch::serialize::InputArchive&)>& read);

// Reads the cache entry at `path` with `read`; returns false where there is none. A damaged
// entry is no error, since a cache is disposable: it is removed, a warning naming it is added
// to `warnings`, and false is returned so that the caller trains afresh and writes it anew.
// `read` may have changed what it reads into before the damage showed: the caller starts over.
bool readCacheEntry(const std::string& path, const torch::Device& device,
                    const std::function<void(torch::serialize::InputArchive&)>& read,
                    std::vector<std::string>& warnings);

// A hex key for caches: a hash of the data's values and of a settings text (which names the
// data's shape).
std::string contentKey(const torch::Tensor& x, const std::string& settings);

// The settings text of an MLP autoencoder's training; without the epoch count for checkpoints,
// which may be extended to more epochs.
std::string autoencoderSettings(int64_t rows, int64_t cols, const AutoencoderOptions& o,
                                uint64_t seed, bool withEpochs);

// Checkpoints carry the settings they were made with; resuming one under other settings would
// silently continue another training, so it fails with both settings in the message.
void writeSettings(torch::serialize::OutputArchive& archive, const std::string& settings);
// Throws Error naming the phase and the parameter to lower when a training loss is no longer
// finite: a diverged run would only turn out noise. Checkpoints keep the state from before.
void requireFiniteLoss(double loss, const std::string& phase, const std::string& parameter);

// k-means on a learned embedding, its errors under the method the user ran: an embedding with
// NaN or infinite values (a diverged pretraining) is refused first, naming the learning rate,
// since k-means' own advice (a missing-value policy) would be about the input.
KMeansResult kmeansOnEmbedding(const torch::Tensor& z, const KMeansOptions& options,
                               const std::string& method, const std::string& learningRate,
                               Progress* progress);

// The mean loss of one epoch over the steps it took (mixed precision skips those whose gradients
// overflowed), refusing a loss that is no longer finite.
class EpochLoss
{
public:
    EpochLoss(std::string phase, std::string parameter)
        : phase_(std::move(phase)), parameter_(std::move(parameter))
    {
    }
    void add(const torch::Tensor& loss);
    double mean() const { return steps_ ? total_ / static_cast<double>(steps_) : 0.0; }

private:
    std::string phase_;     // "pretraining, epoch 3"
    std::string parameter_; // the learning rate to lower
    double total_ = 0;
    int64_t steps_ = 0;
};

void requireSettings(torch::serialize::InputArchive& archive, const std::string& settings,
                     const std::string& path);

// Where a clustering phase on centres (DEC, IDEC, GLDC) stands between two target updates.
struct CentreTrainingState
{
    int64_t step = 0;              // batches (DEC) or epochs (GLDC) done
    std::vector<int64_t> previous; // labels at the last target update
    double lossSum = 0;            // since the last target update
    int64_t lossCount = 0;
};

// The checkpoint of such a phase: settings, model, centres, optimizer, loss scale, state and
// history; the step is stored under `stepKey` ("iteration", "epoch"). Written atomically.
void saveCentreTraining(const std::string& path, const std::string& settings, MlpAutoencoder& model,
                        const torch::Tensor& centers, torch::optim::Optimizer& optimizer,
                        const MixedPrecision& precision, const CentreTrainingState& state,
                        const TrainingHistory& history, const std::string& stepKey);
// Reads it back into the given objects; false where there is none. Throws as readCheckpoint.
bool loadCentreTraining(const std::string& path, const std::string& settings,
                        const torch::Device& device, MlpAutoencoder& model, torch::Tensor& centers,
                        torch::optim::Optimizer& optimizer, MixedPrecision& precision,
                        CentreTrainingState& state, TrainingHistory& history,
                        const std::string& stepKey);

} // namespace clusterscope

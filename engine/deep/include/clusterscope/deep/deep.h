#pragma once
// Deep clustering I: an MLP autoencoder (d-500-500-2000-10 by default, ReLU hidden layers, linear
// embedding and output) trained with Adam or SGD on shuffled device batches, cached per data and
// settings, then AE + k-means, DEC (Xie et al. 2016) or IDEC (Guo et al. 2017) on its embedding.
// Training is seeded (the same seed on the same device gives the same labels), checkpointed
// (a run resumed from its checkpoint ends as an uninterrupted one), pausable and cancellable.

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class OptimizerKind
{
    Adam,
    Sgd, // with momentum
};

OptimizerKind parseOptimizer(const std::string& name); // "adam", "sgd"

struct OptimizerOptions
{
    OptimizerKind kind = OptimizerKind::Adam;
    double learningRate = 1e-3;
    double momentum = 0.9; // SGD only
};

struct AutoencoderOptions
{
    std::vector<int64_t> hidden{500, 500, 2000};
    int64_t latent = 10;
    int64_t epochs = 50;
    int64_t batchSize = 256;
    OptimizerOptions optimizer;
    bool mixedPrecision = false; // CUDA only: float16 autocast and a dynamic loss scale
};

// Per-epoch (pretraining) or per-target-update (clustering) records: "pretrain_loss",
// "pretrain_seconds", "loss", "seconds", "changed" (fraction of labels that changed), and "acc",
// "nmi" when labels are known, with "start_acc", "start_nmi" (one value each) for the k-means
// labels the clustering phase starts from.
using TrainingHistory = std::map<std::string, std::vector<double>>;

enum class DeepMethod
{
    AeKMeans,
    Dec,
    Idec,
};

struct DeepOptions
{
    DeepMethod method = DeepMethod::Dec;
    int64_t k = 10;
    AutoencoderOptions autoencoder;
    OptimizerOptions clusteringOptimizer{OptimizerKind::Sgd, 0.01, 0.9};
    int64_t clusteringBatchSize = 256;
    int64_t updateInterval = 140; // batches between target-distribution updates
    int64_t maxIterations = 20000;
    double tol = 0.001;          // stop when fewer than this fraction of labels change
    double gamma = 0.1;          // IDEC: weight of the clustering loss against reconstruction
    int64_t kmeansRestarts = 20; // k-means on the embedding, for the centres and AE + k-means
    uint64_t seed = 0;
    // The autoencoder's own seed (initialisation and batch order): runs that share it, and the
    // data and settings, share one cached pretraining.
    uint64_t pretrainSeed = 0;
    c10::Device device = c10::Device(c10::kCPU);
    std::string cacheDir;       // pretrained autoencoders; empty: no cache
    std::string checkpointPath; // saved every `checkpointEvery` epochs/updates; empty: none
    int64_t checkpointEvery = 1;
    const std::vector<int64_t>* truth = nullptr; // for ACC/NMI in the history
    // After each pretraining epoch (labels empty) and each target update, on the caller's
    // thread: the history so far and the current labels.
    std::function<void(const TrainingHistory&, const std::vector<int64_t>&)> onUpdate;
};

struct DeepResult
{
    std::vector<int64_t> labels;
    at::Tensor soft;      // N x K, Q for DEC/IDEC, k-means softmax for AE + k-means
    at::Tensor embedding; // N x latent
    TrainingHistory history;
    bool pretrainedFromCache = false;
    bool resumed = false;
    std::vector<std::string> warnings; // e.g. a damaged cache entry that was retrained
    bool mixedPrecision = false;       // float16 autocast was used: asked for, and on CUDA
    int64_t iterations = 0;            // clustering batches
};

DeepResult deepCluster(const at::Tensor& x, const DeepOptions& options,
                       Progress* progress = nullptr);

// The pieces, exposed for tests.

// Student-t soft assignment with alpha = 1: q_ij proportional to 1 / (1 + |z_i - mu_j|^2).
at::Tensor studentT(const at::Tensor& z, const at::Tensor& centers);
// DEC's target: p_ij proportional to q_ij^2 / f_j, f_j = sum_i q_ij.
at::Tensor targetDistribution(const at::Tensor& q);
// KL(P || Q) summed over clusters, averaged over rows (Keras' 'kld', torch's 'batchmean').
at::Tensor klDivergence(const at::Tensor& p, const at::Tensor& q);

// The cache key of a pretrained autoencoder: a hash of the data and of every setting that
// changes the trained weights (architecture, epochs, batch, optimizer, seed).
std::string autoencoderCacheKey(const at::Tensor& x, const AutoencoderOptions& options,
                                uint64_t seed);

} // namespace clusterscope

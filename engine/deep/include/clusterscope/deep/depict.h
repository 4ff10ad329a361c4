#pragma once
// DEPICT (Ghasedi Dizaji et al. 2017): a convolutional denoising autoencoder whose embedding
// feeds a softmax clustering head, trained on relative entropy against an auxiliary target
// plus a ladder-style reconstruction. Choices where the paper and its code differ are in
// docs/results.md. Seeded, cached, checkpointed, pausable and cancellable like deep.h's methods.

#include <clusterscope/deep/deep.h>

namespace clusterscope
{

struct DepictOptions
{
    int64_t k = 10;
    int64_t side = 28; // square single-channel images, side x side
    int64_t pretrainEpochs = 30;
    int64_t initEpochs = 5; // cross-entropy against the k-means labels first
    int64_t epochs = 30;    // clustering epochs (most)
    int64_t batchSize = 100;
    double pretrainLearningRate = 1e-3;
    double learningRate = 1e-3;
    double dropout = 0.1;
    double ladderWeight = 0.1; // hidden-layer reconstruction terms
    double tol = 0.001;        // stop when fewer than this fraction of labels change
    int64_t kmeansRestarts = 20;
    bool mixedPrecision = false; // CUDA only: float16 autocast and a dynamic loss scale
    uint64_t seed = 0;           // k-means, batch order and noise of the clustering phase
    // The autoencoder's seed (initialisation, batches, noise): runs that share it, and the data
    // and settings, share one cached pretraining.
    uint64_t pretrainSeed = 0;
    c10::Device device = c10::Device(c10::kCPU);
    std::string cacheDir;       // pretrained autoencoders; empty: no cache
    std::string checkpointPath; // saved every `checkpointEvery` epochs; empty: none
    int64_t checkpointEvery = 1;
    const std::vector<int64_t>* truth = nullptr;
    std::function<void(const TrainingHistory&, const std::vector<int64_t>&)> onUpdate;
};

// `x` holds N images of side x side pixels, one per row, in [0, 1] (rescaled internally to
// [-1, 1] for the tanh output).
DeepResult depict(const at::Tensor& x, const DepictOptions& options, Progress* progress = nullptr);

} // namespace clusterscope

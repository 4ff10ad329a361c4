#pragma once
// Shared pieces of the deep trainers: optimizers, seeded epoch orders, batched encoding,
// checkpoint archives written atomically.

#include "mlp_autoencoder.h"

#include <clusterscope/deep.h>

#include <torch/torch.h>

#include <memory>
#include <string>

namespace clusterscope
{

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(std::vector<torch::Tensor> parameters,
                                                       const OptimizerOptions& options);

// The row order of one epoch: a permutation drawn from (seed, stream, epoch) alone, so a run
// resumed at any epoch draws what the uninterrupted run drew.
torch::Tensor epochOrder(int64_t rows, uint64_t seed, uint64_t stream, int64_t epoch,
                         const torch::Device& device);

// The embedding of every row, in batches, without gradients.
torch::Tensor encodeAll(MlpAutoencoder& model, const torch::Tensor& x, int64_t batch = 4096);

// Pretrains (or resumes pretraining of) an autoencoder, reading and writing the cache.
struct Pretrained
{
    MlpAutoencoder model{nullptr};
    TrainingHistory history;
    bool fromCache = false;
    bool resumed = false;
};
Pretrained pretrainAutoencoder(const torch::Tensor& x, const DeepOptions& options,
                               Progress& progress);

// Checkpoint archives: history series and scalars beside module and optimizer state.
void writeHistory(torch::serialize::OutputArchive& archive, const TrainingHistory& history);
TrainingHistory readHistory(torch::serialize::InputArchive& archive);
void saveArchiveAtomically(torch::serialize::OutputArchive& archive, const std::string& path);
bool fileExists(const std::string& path);

} // namespace clusterscope

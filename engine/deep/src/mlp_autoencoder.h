#pragma once
// The MLP autoencoder of DEC and IDEC: d-h1-...-hm-latent with ReLU after each hidden layer, a
// linear embedding, and a mirrored decoder with a linear output. Weights are uniform in
// +-sqrt(1 / fan_in) (LibTorch's default, the same as DEC-keras' VarianceScaling(1/3)), biases 0.

#include <clusterscope/core/progress.h>

#include <torch/torch.h>

#include <vector>

namespace clusterscope
{

class MlpAutoencoderImpl : public torch::nn::Module
{
public:
    MlpAutoencoderImpl(int64_t input, const std::vector<int64_t>& hidden, int64_t latent);
    // Each polls `progress` between its layers, forward and backward (cancel_points.h).
    torch::Tensor encode(const torch::Tensor& x, const Progress& progress = nullProgress());
    torch::Tensor decode(const torch::Tensor& z, const Progress& progress = nullProgress());
    torch::Tensor forward(const torch::Tensor& x, const Progress& progress = nullProgress())
    {
        return decode(encode(x, progress), progress);
    }

    torch::nn::Sequential encoder() const { return encoder_; }

private:
    torch::nn::Sequential encoder_{nullptr};
    torch::nn::Sequential decoder_{nullptr};
};

TORCH_MODULE(MlpAutoencoder);

// Builds the model from a seed: LibTorch's initialisers draw from the global generator, so
// construction is serialised and seeded.
MlpAutoencoder makeAutoencoder(int64_t input, const std::vector<int64_t>& hidden, int64_t latent,
                               uint64_t seed, const torch::Device& device);

} // namespace clusterscope

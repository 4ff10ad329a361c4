#include "mlp_autoencoder.h"

#include "cancel_points.h"
#include "training.h"

namespace clusterscope
{
namespace
{

torch::nn::Sequential stack(const std::vector<int64_t>& sizes)
{
    torch::nn::Sequential s;
    for (size_t i = 0; i + 1 < sizes.size(); ++i)
    {
        auto linear = torch::nn::Linear(sizes[i], sizes[i + 1]);
        torch::nn::init::zeros_(linear->bias);
        s->push_back(linear);
        if (i + 2 < sizes.size())
            s->push_back(torch::nn::ReLU());
    }
    return s;
}

// What Sequential::forward computes, with a cancel point after every layer.
torch::Tensor forwardPolled(torch::nn::Sequential& layers, torch::Tensor x,
                            const Progress& progress)
{
    for (auto& layer : *layers)
        x = cancelPoint(layer.forward(x), progress);
    return x;
}

} // namespace

torch::Tensor MlpAutoencoderImpl::encode(const torch::Tensor& x, const Progress& progress)
{
    return forwardPolled(encoder_, x, progress);
}

torch::Tensor MlpAutoencoderImpl::decode(const torch::Tensor& z, const Progress& progress)
{
    return forwardPolled(decoder_, z, progress);
}

MlpAutoencoderImpl::MlpAutoencoderImpl(int64_t input, const std::vector<int64_t>& hidden,
                                       int64_t latent)
{
    std::vector<int64_t> sizes{input};
    sizes.insert(sizes.end(), hidden.begin(), hidden.end());
    sizes.push_back(latent);
    encoder_ = register_module("encoder", stack(sizes));
    std::vector<int64_t> mirrored(sizes.rbegin(), sizes.rend());
    decoder_ = register_module("decoder", stack(mirrored));
}

MlpAutoencoder makeAutoencoder(int64_t input, const std::vector<int64_t>& hidden, int64_t latent,
                               uint64_t seed, const torch::Device& device)
{
    auto model = withGlobalSeed(seed, [&] { return MlpAutoencoder(input, hidden, latent); });
    model->to(device);
    return model;
}

} // namespace clusterscope

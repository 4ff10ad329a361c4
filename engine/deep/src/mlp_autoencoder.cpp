#include "mlp_autoencoder.h"

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

} // namespace

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

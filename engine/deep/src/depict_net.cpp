#include "depict_net.h"

#include "training.h"

#include <ATen/CPUGeneratorImpl.h>

namespace clusterscope
{
namespace
{

int64_t convOut(int64_t in, int64_t k, int64_t s, int64_t p)
{
    return (in + 2 * p - k) / s + 1;
}

} // namespace

DropoutNoise::DropoutNoise(double rate, uint64_t seed)
    : rate_(rate), generator_(at::detail::createCPUGenerator(seed))
{
}

torch::Tensor DropoutNoise::apply(const torch::Tensor& t)
{
    if (rate_ <= 0)
        return t;
    const auto keep = torch::empty(t.sizes(), torch::kFloat).bernoulli_(1 - rate_, generator_);
    return t * keep.to(t.device(), t.scalar_type()) / (1 - rate_);
}

DepictNetImpl::DepictNetImpl(int64_t side, int64_t k)
    : side_(side), s1_(convOut(side, 4, 2, 0)), s2_(convOut(s1_, 5, 2, 2))
{
    using namespace torch::nn;
    conv1_ = register_module("conv1", Conv2d(Conv2dOptions(1, 50, 4).stride(2)));
    conv2_ = register_module("conv2", Conv2d(Conv2dOptions(50, 50, 5).stride(2).padding(2)));
    embed_ = register_module("embed", Linear(50 * s2_ * s2_, k));
    unembed_ = register_module("unembed", Linear(k, 50 * s2_ * s2_));
    // Output paddings that bring the mirrored sizes back to s1 and side exactly.
    deconv2_ = register_module(
        "deconv2",
        ConvTranspose2d(ConvTranspose2dOptions(50, 50, 5).stride(2).padding(2).output_padding(
            s1_ - ((s2_ - 1) * 2 - 4 + 5))));
    deconv1_ = register_module(
        "deconv1", ConvTranspose2d(ConvTranspose2dOptions(50, 1, 4).stride(2).output_padding(
                       side - ((s1_ - 1) * 2 + 4))));
    head_ = register_module("head", Linear(k, k));
}

DepictActivations DepictNetImpl::encode(const torch::Tensor& x, DropoutNoise* noise)
{
    auto in = x.view({-1, 1, side_, side_});
    if (noise)
        in = noise->apply(in);
    auto h1 = torch::leaky_relu(conv1_->forward(in), 0.01);
    auto h2 = torch::leaky_relu(conv2_->forward(noise ? noise->apply(h1) : h1), 0.01);
    auto z = torch::tanh(embed_->forward(h2.flatten(1)));
    return {h1, h2, z};
}

DepictActivations DepictNetImpl::decode(const torch::Tensor& z)
{
    auto h2 = torch::leaky_relu(unembed_->forward(z), 0.01).view({-1, 50, s2_, s2_});
    auto h1 = torch::leaky_relu(deconv2_->forward(h2), 0.01);
    auto out = torch::tanh(deconv1_->forward(h1)).flatten(1);
    return {h1, h2, out};
}

torch::Tensor DepictNetImpl::cluster(const torch::Tensor& z)
{
    return torch::softmax(head_->forward(z), 1);
}

DepictNet makeDepictNet(int64_t side, int64_t k, uint64_t seed, const torch::Device& device)
{
    auto net = withGlobalSeed(seed, [&] { return DepictNet(side, k); });
    net->to(device);
    return net;
}

torch::Tensor depictReconstruction(DepictNet& net, const torch::Tensor& xb,
                                   const DepictActivations& noisy, double ladder)
{
    DepictActivations clean;
    {
        torch::NoGradGuard noGrad;
        clean = net->encode(xb);
    }
    const auto back = net->decode(noisy.z);
    return torch::mse_loss(back.z, xb) +
           ladder * (torch::mse_loss(back.h1, clean.h1) + torch::mse_loss(back.h2, clean.h2));
}

torch::Tensor depictCleanPass(DepictNet& net, const torch::Tensor& x, bool embedding,
                              const Progress& progress)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parts;
    for (int64_t b = 0; b < x.size(0); b += 2048)
    {
        throwIfCancelled(progress);
        const auto z = net->encode(x.slice(0, b, std::min(x.size(0), b + 2048))).z;
        parts.push_back(embedding ? z : net->cluster(z));
    }
    return torch::cat(parts);
}

} // namespace clusterscope

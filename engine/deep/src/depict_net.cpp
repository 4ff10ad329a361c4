#include "depict_net.h"

#include "cancel_points.h"
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

DepictActivations DepictNetImpl::encode(const torch::Tensor& x, DropoutNoise* noise,
                                        const Progress& progress)
{
    auto in = x.view({-1, 1, side_, side_});
    if (noise)
        in = noise->apply(in);
    auto h1 = cancelPoint(torch::leaky_relu(conv1_->forward(in), 0.01), progress);
    auto h2 = cancelPoint(torch::leaky_relu(conv2_->forward(noise ? noise->apply(h1) : h1), 0.01),
                          progress);
    auto z = cancelPoint(torch::tanh(embed_->forward(h2.flatten(1))), progress);
    return {h1, h2, z};
}

DepictActivations DepictNetImpl::decode(const torch::Tensor& z, const Progress& progress)
{
    auto h2 = cancelPoint(torch::leaky_relu(unembed_->forward(z), 0.01), progress)
                  .view({-1, 50, s2_, s2_});
    auto h1 = cancelPoint(torch::leaky_relu(deconv2_->forward(h2), 0.01), progress);
    auto out = cancelPoint(torch::tanh(deconv1_->forward(h1)), progress).flatten(1);
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
                                   const DepictActivations& noisy, double ladder,
                                   const Progress& progress)
{
    DepictActivations clean;
    {
        torch::NoGradGuard noGrad;
        clean = net->encode(xb, nullptr, progress);
    }
    const auto back = net->decode(noisy.z, progress);
    return torch::mse_loss(back.z, xb) +
           ladder * (torch::mse_loss(back.h1, clean.h1) + torch::mse_loss(back.h2, clean.h2));
}

DepictCleanPass depictCleanPass(DepictNet& net, const torch::Tensor& x, Progress& progress,
                                std::string_view message)
{
    // 128 images keep the second convolution within the poll interval; chunks of at least that
    // many take the kernels the whole-data batches took, so the results do not change.
    constexpr int64_t kChunk = 128;
    torch::NoGradGuard noGrad;
    const int64_t n = x.size(0);
    std::vector<torch::Tensor> embedding, soft;
    for (int64_t b = 0, e = 0; b < n; b = e)
    {
        e = chunkEnd(b, n, kChunk);
        progress.poll(static_cast<double>(b) / static_cast<double>(n),
                      [&] { return std::string(message); });
        embedding.push_back(net->encode(x.slice(0, b, e), nullptr, progress).z);
        soft.push_back(net->cluster(embedding.back()));
    }
    return {torch::cat(embedding), torch::cat(soft)};
}

} // namespace clusterscope

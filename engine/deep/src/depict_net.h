#pragma once
// DEPICT's network (the reference code's architecture): an encoder Conv(1 -> 50, k4, s2) +
// LeakyReLU(0.01) -> Conv(50 -> 50, k5, s2, p2) + LeakyReLU -> Linear(-> K) + tanh = z; a
// mirrored decoder with transposed convolutions and a tanh output; a softmax head on z. The
// noisy pathway drops inputs and first-layer activations.

#include <clusterscope/core/progress.h>

#include <ATen/core/Generator.h>
#include <torch/torch.h>

#include <string_view>

namespace clusterscope
{

// Dropout whose masks come from a host generator seeded per epoch, so the noisy pathway draws
// the same on every device and a run resumed at an epoch draws what the uninterrupted one drew.
class DropoutNoise
{
public:
    DropoutNoise(double rate, uint64_t seed);
    torch::Tensor apply(const torch::Tensor& t);

private:
    double rate_;
    at::Generator generator_;
};

struct DepictActivations
{
    torch::Tensor h1, h2, z;
};

class DepictNetImpl : public torch::nn::Module
{
public:
    DepictNetImpl(int64_t side, int64_t k);

    // The clean pathway without noise; the noisy one with it. Both directions poll `progress`
    // between layers, forward and backward (cancel_points.h).
    DepictActivations encode(const torch::Tensor& x, DropoutNoise* noise = nullptr,
                             const Progress& progress = nullProgress());
    // h1, h2 and the image (in z).
    DepictActivations decode(const torch::Tensor& z, const Progress& progress = nullProgress());
    torch::Tensor cluster(const torch::Tensor& z); // softmax over the K clusters
    torch::nn::Linear head() const { return head_; }

private:
    int64_t side_, s1_, s2_;
    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
    torch::nn::Linear embed_{nullptr}, unembed_{nullptr}, head_{nullptr};
    torch::nn::ConvTranspose2d deconv2_{nullptr}, deconv1_{nullptr};
};

TORCH_MODULE(DepictNet);

DepictNet makeDepictNet(int64_t side, int64_t k, uint64_t seed, const torch::Device& device);

// The noisy pathway's reconstruction against the clean one: pixels plus `ladder` times the
// hidden layers' errors. Polls `progress` between layers.
torch::Tensor depictReconstruction(DepictNet& net, const torch::Tensor& xb,
                                   const DepictActivations& noisy, double ladder,
                                   const Progress& progress = nullProgress());

// The clean pathway over all rows in chunks, without gradients: the embedding (N x K) and the
// softmax (N x K). Polls `progress` between layers and reports its fraction with `message`.
struct DepictCleanPass
{
    torch::Tensor embedding, soft;
};
DepictCleanPass depictCleanPass(DepictNet& net, const torch::Tensor& x, Progress& progress,
                                std::string_view message);

} // namespace clusterscope

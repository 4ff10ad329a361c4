// DEPICT. Encoder (noisy path: dropout on the input and after the first convolution):
//   Conv(1 -> 50, k4, s2) + LeakyReLU(0.01) -> Conv(50 -> 50, k5, s2, p2) + LeakyReLU ->
//   Linear(-> K) + tanh = z.   Decoder: the mirror with transposed convolutions, tanh output.
// Head: softmax(W z + b), W initialised with the L2-normalised k-means centroids of the clean
// embedding, then `initEpochs` epochs of cross-entropy against the k-means labels (the code's
// initialisation phase, with a fixed epoch count instead of its validation early stop). Each epoch:
// P on all data by the clean path, the target Q = p^2 / f (the reference code's form; the paper
// writes p / f^1/2), then Adam steps on -sum q log p_noisy plus MSE(x_hat, x) + 0.1 (MSE(h1_hat,
// h1) + MSE(h2_hat, h2)) against the clean activations.

#include "../random.h"
#include "training.h"

#include <clusterscope/depict.h>
#include <clusterscope/errors.h>
#include <clusterscope/kmeans.h>
#include <clusterscope/metrics.h>
#include <clusterscope/progress.h>
#include <clusterscope/tensor_io.h>

#include <torch/torch.h>

#include <chrono>
#include <mutex>

namespace clusterscope
{
namespace
{

constexpr uint64_t kPretrainStream = 2000;
constexpr uint64_t kClusteringStream = 700000;

int64_t convOut(int64_t in, int64_t k, int64_t s, int64_t p)
{
    return (in + 2 * p - k) / s + 1;
}

struct Activations
{
    torch::Tensor h1, h2, z;
};

class DepictNetImpl : public torch::nn::Module
{
public:
    DepictNetImpl(int64_t side, int64_t k, double dropout)
        : side_(side), s1_(convOut(side, 4, 2, 0)), s2_(convOut(s1_, 5, 2, 2)), dropout_(dropout)
    {
        conv1_ = register_module("conv1",
                                 torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 50, 4).stride(2)));
        conv2_ = register_module(
            "conv2", torch::nn::Conv2d(torch::nn::Conv2dOptions(50, 50, 5).stride(2).padding(2)));
        embed_ = register_module("embed", torch::nn::Linear(50 * s2_ * s2_, k));
        unembed_ = register_module("unembed", torch::nn::Linear(k, 50 * s2_ * s2_));
        deconv2_ = register_module(
            "deconv2",
            torch::nn::ConvTranspose2d(
                torch::nn::ConvTranspose2dOptions(50, 50, 5).stride(2).padding(2).output_padding(
                    s1_ - ((s2_ - 1) * 2 - 4 + 5))));
        deconv1_ = register_module(
            "deconv1", torch::nn::ConvTranspose2d(
                           torch::nn::ConvTranspose2dOptions(50, 1, 4).stride(2).output_padding(
                               side - ((s1_ - 1) * 2 + 4))));
        head_ = register_module("head", torch::nn::Linear(k, k));
    }

    Activations encode(const torch::Tensor& x, bool noisy)
    {
        auto in = x.view({-1, 1, side_, side_});
        if (noisy)
            in = torch::dropout(in, dropout_, true);
        auto h1 = torch::leaky_relu(conv1_->forward(in), 0.01);
        auto h1n = noisy ? torch::dropout(h1, dropout_, true) : h1;
        auto h2 = torch::leaky_relu(conv2_->forward(h1n), 0.01);
        auto z = torch::tanh(embed_->forward(h2.flatten(1)));
        return {h1, h2, z};
    }

    Activations decode(const torch::Tensor& z)
    {
        auto h2 = torch::leaky_relu(unembed_->forward(z), 0.01).view({-1, 50, s2_, s2_});
        auto h1 = torch::leaky_relu(deconv2_->forward(h2), 0.01);
        auto out = torch::tanh(deconv1_->forward(h1)).flatten(1);
        return {h1, h2, out};
    }

    torch::Tensor cluster(const torch::Tensor& z) { return torch::softmax(head_->forward(z), 1); }
    torch::nn::Linear head() const { return head_; }

private:
    int64_t side_, s1_, s2_;
    double dropout_;
    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
    torch::nn::Linear embed_{nullptr}, unembed_{nullptr}, head_{nullptr};
    torch::nn::ConvTranspose2d deconv2_{nullptr}, deconv1_{nullptr};
};

TORCH_MODULE(DepictNet);

// Reconstruction of the noisy path against the clean one: pixels plus the ladder terms.
torch::Tensor reconstruction(DepictNet& net, const torch::Tensor& xb, const Activations& noisy,
                             double ladder)
{
    Activations clean;
    {
        torch::NoGradGuard noGrad;
        clean = net->encode(xb, false);
    }
    const auto back = net->decode(noisy.z);
    return torch::mse_loss(back.z, xb) +
           ladder * (torch::mse_loss(back.h1, clean.h1) + torch::mse_loss(back.h2, clean.h2));
}

torch::Tensor cleanPass(DepictNet& net, const torch::Tensor& x, bool embedding)
{
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> parts;
    for (int64_t b = 0; b < x.size(0); b += 2048)
    {
        const auto z = net->encode(x.slice(0, b, std::min(x.size(0), b + 2048)), false).z;
        parts.push_back(embedding ? z : net->cluster(z));
    }
    return torch::cat(parts);
}

} // namespace

DeepResult depict(const at::Tensor& xIn, const DepictOptions& o, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    if (xIn.size(1) != o.side * o.side)
        throw ParameterError(
            "DEPICT needs square single-channel images: " + std::to_string(xIn.size(1)) +
            " features are not " + std::to_string(o.side) + " x " + std::to_string(o.side));
    const torch::Device device(o.device);
    // To [-1, 1], the range of the tanh output.
    auto x = xIn.to(device, torch::kFloat);
    const auto lo = x.min();
    const auto hi = x.max();
    x = ((x - lo) / (hi - lo).clamp_min(1e-12) * 2 - 1).contiguous();
    const int64_t n = x.size(0);

    DepictNet net{nullptr};
    {
        static std::mutex globalGenerator;
        std::lock_guard lock(globalGenerator);
        torch::manual_seed(o.seed); // initialisers and dropout draw from the global generator
        net = DepictNet(o.side, o.k, o.dropout);
    }
    net->to(device);
    DeepResult result;
    auto& h = result.history;

    // Pretraining: the denoising autoencoder alone.
    {
        auto params = net->parameters();
        torch::optim::Adam opt(params, torch::optim::AdamOptions(o.pretrainLearningRate));
        for (int64_t epoch = 0; epoch < o.pretrainEpochs; ++epoch)
        {
            const auto started = std::chrono::steady_clock::now();
            const auto order = epochOrder(n, o.seed, kPretrainStream, epoch, device);
            double total = 0;
            int64_t batches = 0;
            for (int64_t b = 0; b < n; b += o.batchSize, ++batches)
            {
                if (batches % 16 == 0)
                {
                    waitWhilePaused(progress);
                    progress.report(0.5 * (epoch + static_cast<double>(b) / n) / o.pretrainEpochs,
                                    "pretraining, epoch " + std::to_string(epoch + 1));
                }
                const auto xb = x.index_select(0, order.slice(0, b, std::min(n, b + o.batchSize)));
                opt.zero_grad();
                auto loss = reconstruction(net, xb, net->encode(xb, true), o.ladderWeight);
                loss.backward();
                opt.step();
                total += loss.item<double>();
            }
            h["pretrain_loss"].push_back(total / static_cast<double>(batches));
            h["pretrain_seconds"].push_back(
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            if (o.onUpdate)
                o.onUpdate(h, {});
        }
    }

    // The head starts from k-means on the clean embedding.
    torch::Tensor initialLabels;
    {
        const auto z = cleanPass(net, x, true).to(torch::kFloat).contiguous();
        KMeansOptions km;
        km.k = o.k;
        km.nInit = o.kmeansRestarts;
        km.seed = deriveSeed(o.seed, 7);
        const auto clusters = kmeans(z, km);
        const auto& centers = clusters.centers;
        initialLabels = clusters.labels.to(device);
        torch::NoGradGuard noGrad;
        net->head()->weight.copy_(centers / centers.norm(2, 1, true).clamp_min(1e-12));
        net->head()->bias.zero_();
    }

    auto params = net->parameters();
    torch::optim::Adam opt(params, torch::optim::AdamOptions(o.learningRate));
    std::vector<int64_t> previous;
    const auto hardTarget = torch::one_hot(initialLabels, o.k).to(torch::kFloat);
    for (int64_t epoch = 0; epoch < o.initEpochs + o.epochs; ++epoch)
    {
        const auto started = std::chrono::steady_clock::now();
        const bool initPhase = epoch < o.initEpochs;
        const auto p = cleanPass(net, x, false);
        const auto weight = p.pow(2) / p.sum(0, true);
        // The initialisation phase learns the k-means labels; then the auxiliary target.
        const auto target = initPhase ? hardTarget : weight / weight.sum(1, true);
        const auto labels = intValues(p.argmax(1));
        if (!previous.empty())
        {
            int64_t diff = 0;
            for (size_t i = 0; i < labels.size(); ++i)
                diff += labels[i] != previous[i];
            const double changed = static_cast<double>(diff) / static_cast<double>(n);
            h["changed"].push_back(changed);
            if (o.truth && o.truth->size() == labels.size())
            {
                h["acc"].push_back(accuracy(*o.truth, labels));
                h["nmi"].push_back(normalizedMutualInfo(*o.truth, labels));
            }
            if (o.onUpdate)
                o.onUpdate(h, labels);
            if (!initPhase && changed < o.tol)
                break;
        }
        previous = labels;
        const auto order = epochOrder(n, o.seed, kClusteringStream, epoch, device);
        double total = 0;
        int64_t batches = 0;
        for (int64_t b = 0; b < n; b += o.batchSize, ++batches)
        {
            if (batches % 16 == 0)
            {
                waitWhilePaused(progress);
                progress.report(0.5 + 0.5 * (epoch + static_cast<double>(b) / n) /
                                          static_cast<double>(o.initEpochs + o.epochs),
                                "clustering, epoch " + std::to_string(epoch + 1));
            }
            const auto ids = order.slice(0, b, std::min(n, b + o.batchSize));
            const auto xb = x.index_select(0, ids);
            opt.zero_grad();
            const auto noisy = net->encode(xb, true);
            const auto pn = net->cluster(noisy.z);
            auto loss = -(target.index_select(0, ids) * pn.clamp_min(1e-12).log()).sum(1).mean() +
                        reconstruction(net, xb, noisy, o.ladderWeight);
            loss.backward();
            opt.step();
            total += loss.item<double>();
        }
        h["loss"].push_back(total / static_cast<double>(batches));
        h["seconds"].push_back(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        result.iterations += batches;
    }
    const auto p = cleanPass(net, x, false);
    result.labels = intValues(p.argmax(1));
    result.soft = p.to(torch::kCPU);
    result.embedding = cleanPass(net, x, true).to(torch::kCPU);
    progress.report(1.0, "done");
    return result;
}

} // namespace clusterscope

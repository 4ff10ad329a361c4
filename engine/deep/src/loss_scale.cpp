#include <clusterscope/core/errors.h>
#include <clusterscope/deep/loss_scale.h>

#include <torch/torch.h>

#include <cmath>
#include <string>

namespace clusterscope
{

LossScale::LossScale() : LossScale(Options{}) {}

LossScale::LossScale(Options options) : options_(options), scale_(options.initial)
{
    if (!(options.initial > 0) || !(options.growthFactor >= 1) || !(options.backoffFactor > 0) ||
        !(options.backoffFactor < 1) || options.growthInterval < 1 || !(options.minimum > 0) ||
        options.minimum > options.initial)
        throw ParameterError("loss scale: need initial > 0, growth >= 1, 0 < backoff < 1, a "
                             "growth interval of at least 1 step and 0 < minimum <= initial");
}

at::Tensor LossScale::scaled(const at::Tensor& loss) const
{
    return loss * scale_;
}

bool LossScale::unscale(const std::vector<at::Tensor>& parameters)
{
    std::vector<at::Tensor> grads;
    for (const auto& p : parameters)
        if (p.grad().defined())
            grads.push_back(p.grad());
    if (grads.empty())
        return true;
    // One flag per tensor, summed on the device: a single host sync per step, as GradScaler has.
    std::vector<at::Tensor> bad;
    bad.reserve(grads.size());
    for (const auto& g : grads)
        bad.push_back(torch::logical_not(torch::isfinite(g)).any());
    const bool finite = !torch::stack(bad).any().item<bool>();
    if (finite)
    {
        for (auto& g : grads)
            g.mul_(1.0 / scale_);
        if (++cleanSteps_ >= options_.growthInterval)
        {
            scale_ *= options_.growthFactor;
            cleanSteps_ = 0;
        }
    }
    else
    {
        if (scale_ * options_.backoffFactor < options_.minimum)
            throw Error("training diverged: the gradients stayed infinite or NaN down to loss "
                        "scale " +
                        std::to_string(scale_) +
                        ". Lower the learning rate, or turn mixed precision off.");
        scale_ *= options_.backoffFactor;
        cleanSteps_ = 0;
    }
    return finite;
}

void LossScale::restore(double value, int64_t cleanSteps)
{
    if (!(value > 0) || !std::isfinite(value) || cleanSteps < 0)
        throw ParameterError("loss scale: a checkpoint holds scale " + std::to_string(value) +
                             " after " + std::to_string(cleanSteps) +
                             " clean steps; expected a positive finite scale");
    scale_ = value;
    cleanSteps_ = cleanSteps;
}

} // namespace clusterscope

#include "mixed_precision.h"

#include <ATen/autocast_mode.h>

namespace clusterscope
{

MixedPrecision::MixedPrecision(bool requested, const torch::Device& device)
    : active_(requested && device.is_cuda())
{
}

MixedPrecision::AutocastScope::AutocastScope(bool enable) : enabled_(enable)
{
    if (!enabled_)
        return;
    previous_ = at::autocast::is_enabled();
    at::autocast::set_enabled(true);
    at::autocast::increment_nesting();
}

MixedPrecision::AutocastScope::~AutocastScope()
{
    if (!enabled_)
        return;
    // The float16 copies of the weights are cached per autocast region; drop them with it.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    at::autocast::set_enabled(previous_);
}

bool MixedPrecision::step(const torch::Tensor& loss, torch::optim::Optimizer& optimizer)
{
    if (!active_)
    {
        loss.backward();
        optimizer.step();
        return true;
    }
    scale_.scaled(loss.to(torch::kFloat)).backward();
    std::vector<torch::Tensor> parameters;
    for (const auto& group : optimizer.param_groups())
        parameters.insert(parameters.end(), group.params().begin(), group.params().end());
    if (!scale_.unscale(parameters))
        return false;
    optimizer.step();
    return true;
}

void MixedPrecision::write(torch::serialize::OutputArchive& archive) const
{
    if (!active_)
        return;
    archive.write("loss_scale", torch::tensor(scale_.value(), torch::kDouble));
    archive.write("loss_scale_clean_steps", torch::tensor(scale_.cleanSteps(), torch::kLong));
}

void MixedPrecision::read(torch::serialize::InputArchive& archive)
{
    torch::Tensor value;
    torch::Tensor cleanSteps;
    if (active_ && archive.try_read("loss_scale", value) &&
        archive.try_read("loss_scale_clean_steps", cleanSteps))
        scale_.restore(value.item<double>(), cleanSteps.item<int64_t>());
}

} // namespace clusterscope

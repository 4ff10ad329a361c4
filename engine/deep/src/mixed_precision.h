#pragma once
// Mixed precision for the deep trainers. On CUDA, when asked for, forward passes run under
// autocast (float16 matrix products and convolutions) and each step goes through a dynamic loss
// scale. Anywhere else every call is a plain float32 step, so a trainer has one code path.

#include <clusterscope/deep/loss_scale.h>

#include <torch/torch.h>

namespace clusterscope
{

class MixedPrecision
{
public:
    MixedPrecision(bool requested, const torch::Device& device);

    bool active() const { return active_; }

    // Runs `forward` under autocast when active; autocast is switched off again even on a throw.
    template <class Forward> auto forward(Forward&& forward)
    {
        const AutocastScope scope(active_);
        return forward();
    }

    // loss.backward() and optimizer.step(), through the loss scale when active. Returns false when
    // the step was skipped because float16 gradients overflowed.
    bool step(const torch::Tensor& loss, torch::optim::Optimizer& optimizer);

    // The scale travels with checkpoints, so a resumed run scales as the uninterrupted one.
    void write(torch::serialize::OutputArchive& archive) const;
    void read(torch::serialize::InputArchive& archive);

private:
    class AutocastScope
    {
    public:
        explicit AutocastScope(bool enable);
        ~AutocastScope();
        AutocastScope(const AutocastScope&) = delete;
        AutocastScope& operator=(const AutocastScope&) = delete;

    private:
        bool enabled_;
        bool previous_ = false;
    };

    bool active_;
    LossScale scale_;
};

} // namespace clusterscope

#pragma once
// Dynamic loss scaling for float16 training, the policy of PyTorch's GradScaler: scale the loss
// up so that small gradients survive float16, skip any step whose gradients overflowed and halve
// the scale, and double it again after a run of clean steps. LibTorch 1.13 has no C++ GradScaler,
// and its fused kernels for this are CUDA-only, so this one uses plain tensor ops on any device.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <vector>

namespace clusterscope
{

class LossScale
{
public:
    struct Options
    {
        double initial = 65536.0;
        double growthFactor = 2.0;
        double backoffFactor = 0.5;
        int64_t growthInterval = 2000; // clean steps before the scale grows
        double minimum = 1.0 / 65536;  // below this, overflow is divergence, not float16's range
    };

    LossScale();
    explicit LossScale(Options options);

    at::Tensor scaled(const at::Tensor& loss) const;

    // Divides the gradients of `parameters` by the scale and updates the scale. Returns false when
    // any gradient is infinite or NaN: the caller must skip this optimizer step. Throws Error when
    // the scale would fall below the minimum: the gradients are not finite at any scale.
    bool unscale(const std::vector<at::Tensor>& parameters);

    double value() const { return scale_; }
    int64_t cleanSteps() const { return cleanSteps_; }
    // Restores the state saved with a checkpoint, so a resumed run scales as the original did.
    void restore(double value, int64_t cleanSteps);

private:
    Options options_;
    double scale_;
    int64_t cleanSteps_ = 0;
};

} // namespace clusterscope

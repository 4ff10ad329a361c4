#pragma once
// Cancel points inside one training step and one pass over the data. A batch through the deep
// methods' networks takes a few hundred milliseconds on a CPU (the MLP 784-500-500-2000-10 on
// 256 rows: ~60 ms forward, ~120 ms backward), longer than core/progress.h's poll contract
// allows, so the networks poll between their layers on the way forward and, through gradient
// hooks on those layers' outputs, on the way back. The hooks leave the gradients as they are:
// results do not change.

#include <clusterscope/core/progress.h>

#include <torch/torch.h>

#include <algorithm>
#include <cstdint>

namespace clusterscope
{

// Polls `progress` now and, when `activation` takes part in a backward pass, again when its
// gradient arrives (a CancelledError thrown there leaves backward() as it is). Returns
// `activation`. `progress` must outlive the backward pass.
inline torch::Tensor cancelPoint(const torch::Tensor& activation, const Progress& progress)
{
    throwIfCancelled(progress);
    if (activation.requires_grad() && &progress != &nullProgress())
        activation.register_hook([&progress](const torch::Tensor&) { throwIfCancelled(progress); });
    return activation;
}

// Where the chunk of a pass over `rows` rows that starts at `begin` ends: `chunk` rows, and the
// last chunk takes a remainder smaller than `chunk` too. Small batches can take other kernels
// (oneDNN's convolutions under ~64 rows), so no chunk is smaller than `chunk` unless the whole
// pass is, and the results do not depend on the chunk size above that.
inline int64_t chunkEnd(int64_t begin, int64_t rows, int64_t chunk)
{
    return rows - begin < 2 * chunk ? rows : begin + chunk;
}

} // namespace clusterscope

#pragma once
// Feature preprocessing: scaling and PCA. Inputs and outputs are N x D float32 tensors.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

// Zero mean, unit variance per column, and each column to [0, 1]: computed in float64 (any
// finite float32 input, up to 3.4e38, scales without overflow) and returned in x's type.
at::Tensor standardize(const at::Tensor& x);
at::Tensor minMaxScale(const at::Tensor& x);
at::Tensor scaleUnit(const at::Tensor& x); // images: divide by 255 (uint8 range) to [0, 1]

// Applies one of scalingNames(): "none", "standardize", "minmax", "scale01". Throws
// ParameterError naming --scaling for another name.
std::vector<std::string> scalingNames();
// One line on what a scaling does and when it fits, for the import step and the help; ""
// for an unknown name.
std::string scalingExplanation(const std::string& name);
at::Tensor applyScaling(const at::Tensor& x, const std::string& method);

enum class PcaSolver
{
    Exact,      // eigendecomposition of the covariance, accumulated in float64
    Randomized, // Halko et al. range finder with power iterations
};

struct PcaOptions
{
    int64_t components = 2;
    PcaSolver solver = PcaSolver::Exact;
    int64_t oversamples = 10;
    int64_t powerIterations = -1; // -1: 7 when components < 10% of min(N, D), else 4 (sklearn)
    uint64_t seed = 0;
};

struct PcaResult
{
    at::Tensor mean;                   // D, float64: exact far from zero
    at::Tensor components;             // m x D, rows are unit directions
    at::Tensor explainedVariance;      // m, float64, ddof = 1 as in scikit-learn
    at::Tensor explainedVarianceRatio; // m, float64
    // `x` is N x D; returns its N x m projections (components' dtype, x's device), by row blocks
    // with a cancel poll between them: throws CancelledError when `progress` asks for a cancel.
    at::Tensor transform(const at::Tensor& x, Progress* progress = nullptr) const;
};

// `x` is N x D (N >= 2). Throws ParameterError for a bad shape or component count, DataError
// when x holds NaN or infinite values, CancelledError when `progress` asks for a cancel (it is
// polled every few milliseconds of work, except in the one LAPACK call that the exact solver
// makes for more than D / 4 components).
PcaResult fitPca(const at::Tensor& x, const PcaOptions& options, Progress* progress = nullptr);

} // namespace clusterscope

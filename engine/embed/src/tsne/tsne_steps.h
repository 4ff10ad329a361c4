#pragma once
// The steps of t-SNE (embed/src/tsne/*.cpp), each in its own file; tsne.cpp runs them in turn.

#include <clusterscope/embed/tsne.h>

#include <cstdint>
#include <vector>

namespace clusterscope
{

class Progress;

// Each row's p(j|i) over its neighbours from their squared distances (rows x k), with the
// precision found by scikit-learn's binary search (_utils._binary_search_perplexity: entropy in
// nats within 1e-5 of log(perplexity), at most 100 steps), in float64. Fills `conditional` and
// `beta`; parallel over rows.
void conditionalProbabilities(const std::vector<float>& squaredDistances, double perplexity,
                              TsneAffinities& a, Progress& progress);

// joint = (P + P^T) / sum(P + P^T), from `conditional` and `neighbors`, as sorted CSR; with
// `floorAtEpsilon` no entry below machine epsilon (scikit-learn's exact method).
void symmetrise(TsneAffinities& a, bool floorAtEpsilon);

// The KL gradient at y (N x dim, row-major), scikit-learn's formulas with dof = max(dim - 1, 1),
// scaled by 2 (dof + 1) / dof. P is `a.joint` times `exaggeration`. Returns KL(P || Q) when
// `withError`, else 0. Stops early (returning garbage) when `progress` asks to cancel; the
// caller checks.
double barnesHutGradient(const std::vector<double>& y, int64_t dim, const TsneAffinities& a,
                         double exaggeration, double angle, bool withError,
                         std::vector<double>& grad, Progress& progress);
double exactGradient(const std::vector<double>& y, int64_t dim, const TsneAffinities& a,
                     double exaggeration, bool withError, std::vector<double>& grad,
                     Progress& progress);

// FIt-SNE's interpolation (fft_gradient.cpp): `points` equispaced nodes per interval, and
// max(minIntervals, extent / intervalWidth) intervals per axis over the embedding's bounding
// square (rounded up to FIt-SNE's FFT-friendly counts below 200).
struct FftInterpolation
{
    int points = 3;
    int64_t minIntervals = 50;
    double intervalWidth = 1.0;
};

// The unnormalised repulsion sum_j q_ij^2 (y_i - y_j) of each point (N x dim, dim 1 or 2) into
// `repulsion`, with q_ij = 1 / (1 + |y_i - y_j|^2); returns Z = sum over i != j of q_ij. Both by
// FIt-SNE's interpolation and FFT convolution. Returns early (garbage) when `progress` asks to
// cancel; the caller checks.
double fftRepulsion(const std::vector<double>& y, int64_t dim, std::vector<double>& repulsion,
                    Progress& progress, const FftInterpolation& settings = {});
// The KL gradient as barnesHutGradient, with fftRepulsion's repulsion (dim 1 or 2).
double fftGradient(const std::vector<double>& y, int64_t dim, const TsneAffinities& a,
                   double exaggeration, bool withError, std::vector<double>& grad,
                   Progress& progress, const FftInterpolation& settings = {});

// The attraction over P's nonzeros (times `exaggeration`), combined with the unnormalised
// repulsion already in `grad` (as fftRepulsion leaves it) and its normaliser z:
// grad_i = 2 (dof + 1) / dof (attraction_i - repulsion_i / z), dof = max(dim - 1, 1), point by
// point in parallel. Returns KL(P || Q) estimated over P's nonzeros when `withError`, else 0.
double attractAndCombine(const std::vector<double>& y, int64_t dim, const TsneAffinities& a,
                         double exaggeration, double z, bool withError, std::vector<double>& grad,
                         Progress& progress);

} // namespace clusterscope

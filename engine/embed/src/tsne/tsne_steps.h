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

} // namespace clusterscope

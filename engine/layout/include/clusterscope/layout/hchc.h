#pragma once
// HCHC: the soft assignment of N samples to K clusters laid out on a circle (Huang, Cheng, Li,
// Zhang, "High-dimensional Clustering onto Hamiltonian Cycle", ICML 2023; the authors' code
// TianyiHuang2022/HCHC, HCHC_mapping.py). The K cluster anchors sit on the unit circle in the
// order of the shortest Hamiltonian cycle through the clusters' dissimilarities, with arc gaps
// proportional to the dissimilarity of neighbouring clusters; each sample sits at the
// q-weighted mean of the anchors. Everything here runs on the CPU, in double precision; a
// soft assignment on CUDA is copied to the CPU first.

#include <clusterscope/core/registry.h>

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class OutlierScore
{
    Distance, // the distance of the sample's position from the nearest anchor, in [0, 2]
    Entropy,  // the entropy of q / sum(q) divided by log K, in [0, 1]
};

struct HchcOptions
{
    // Held-Karp (exact, O(2^K K^2) time, O(2^K K) memory) for K up to this many clusters; the
    // heuristic above it (0: always the heuristic). At most 20.
    int64_t exactMaxClusters = 16;
    int64_t starts = 8;  // heuristic: independent seeded starts
    int64_t kicks = 200; // heuristic: double-bridge perturbations per start (0: none)
    OutlierScore score = OutlierScore::Distance;
    double outlierThreshold = 0.5; // a sample whose score exceeds this is an outlier
    uint64_t seed = 0;
};

// A Hamiltonian cycle through K clusters: `order` holds each cluster once, starting at cluster
// 0, in the canonical direction (order[1] < order[K-1]), so a cycle has one spelling.
// `length` is the sum of the dissimilarities of consecutive clusters, the closing edge
// included, summed in `order`'s order (so the same cycle has the same bits however found).
struct HamiltonianCycle
{
    std::vector<int64_t> order;
    double length = 0;
};

// The K x K cluster dissimilarity d_ab = (1 - r_ab) / 2 in [0, 1], row-major, where r is the
// Pearson correlation of the columns a and b of `soft` (numpy.corrcoef(Q.T)), computed in
// float64 with a fixed summation order (the same bits at any thread count).
// A constant column (a cluster no sample belongs to more or less than another, e.g. an empty
// one) has no correlation: it is taken as 0 with every other column (d = 0.5) and 1 with
// itself (d = 0), and a warning naming the cluster is appended to `warnings`.
// `soft`: N x K, any floating dtype, any device (copied to the CPU); validated as hchcLayout
// does. Throws DataError (shape, NaN, negative entries, rows summing above 1) and
// CancelledError.
std::vector<double> clusterDissimilarity(const at::Tensor& soft, Progress& progress,
                                         std::vector<std::string>* warnings = nullptr);

// The shortest Hamiltonian cycle by Held-Karp dynamic programming: exact, deterministic (ties go
// to the first cycle found in a fixed order), O(2^K K^2) time and O(2^K K) memory.
// `d`: K x K symmetric, row-major. Throws ParameterError when K < 2 or K > 20, CancelledError.
HamiltonianCycle heldKarpCycle(const std::vector<double>& d, int64_t k, Progress& progress);

// A short Hamiltonian cycle by multi-start local search: each start draws a random tour from
// deriveSeed(seed, start), descends with 2-opt and Or-opt (segments of 1 to 3 clusters, both
// orientations, over each cluster's 16 nearest neighbours; a queue of clusters to look at, as
// don't-look bits), then makes `kicks` double-bridge perturbations, each followed by the same
// descent from the clusters whose edges changed, and kept when it shortens the tour; a last
// full descent ends each start in a local optimum of both moves (over the candidate lists:
// for K <= 17 every cluster, so no 2-opt or Or-opt move shortens the result). The
// shortest tour of all starts wins (ties: the lowest start). The starts run on the kernels'
// threads; the result is the same at any thread count. Throws ParameterError when K < 2,
// CancelledError.
HamiltonianCycle heuristicCycle(const std::vector<double>& d, int64_t k, int64_t starts,
                                int64_t kicks, uint64_t seed, Progress& progress);

// The length of the cycle `order` under `d`, summed in `order`'s order.
double cycleLength(const std::vector<double>& d, int64_t k, const std::vector<int64_t>& order);

// The whole layout (LayoutResult in core/registry.h):
// - cycle, length, exact: heldKarpCycle when K <= exactMaxClusters, else heuristicCycle;
// - anchorAngles[c]: the angle of cluster c's anchor in degrees; cluster order[0] = 0 sits at
//   -90 degrees and the angles grow along the cycle, each gap 360 * d(a, b) / length (equal
//   gaps when the length is 0), so they lie in [-90, 270);
// - coordinates: N x 2 float32 on the CPU, row i = sum_c q_ic A_c / sum_c q_ic with
//   A_c = (cos, sin) of the anchor's angle; (0, 0) for a row with sum 0 (all noise);
// - outlierScores: N float32 (see OutlierScore; a row with sum 0 scores 1 for both kinds);
//   outliers: N bytes, 1 where the score exceeds outlierThreshold;
// - stats: "outliers" (their count), "clusters" (K), "cycle_seconds" (the cycle search's wall
//   time, for benchmarks).
// `soft`: N x K, float32 (other floating dtypes are converted), on any device (copied to the
// CPU), finite, non-negative, each row summing to at most 1 (+1e-3 for rounding): rows that
// sum to less are partly noise (HDBSCAN*'s membership). Throws DataError naming the shape,
// the row and the column of a bad value, ParameterError for options out of range,
// CancelledError. Polls `progress` throughout (Held-Karp every 64 subsets).
LayoutResult hchcLayout(const at::Tensor& soft, const HchcOptions& options, Progress& progress);

} // namespace clusterscope

#pragma once
// Polyhedral cluster descriptions (Lawless & Guenluek, "Cluster Explanation via Polyhedral
// Descriptions", ICML 2023; notes: shared/reference/layouts-explanations-classic.md §2). Each
// cluster is described by the intersection of a few half-spaces w.z <= b over the standardised
// features z = (x - mean) / sd, with integer weights |w_j| <= max_weight on at most `beta`
// features, and reported in the original units. The master integer program chooses the
// half-spaces under an error budget; column generation prices new half-spaces from the duals
// of its LP relaxation; above max_points rows, groups of rows (bounding boxes, the paper's
// grouping scheme) stand for the rows and are refined where they are mis-described. Solved with
// COIN-OR CLP (the LPs) and CBC (the integer program).

#include <clusterscope/core/explanation.h>
#include <clusterscope/core/registry.h>

#include <cstdint>

namespace clusterscope
{

class Progress;

enum class DescriptionObjective
{
    Halfspaces, // the fewest half-spaces
    Complexity, // the lowest complexity, sum over half-spaces of (nonzero weights + 1) (LC-PDP)
    Features,   // the fewest distinct features (Sp-PDP)
    Errors,     // the fewest mis-described rows (with max_halfspaces as the budget)
};

struct PolyhedralOptions
{
    DescriptionObjective objective = DescriptionObjective::Complexity;
    // The error budget: at most this fraction of the rows may be mis-described (a row of a
    // cluster its polyhedron cuts off, or a row inside another cluster's polyhedron). A budget
    // no description meets is exceeded, with a warning, rather than failing.
    double alpha = 0.05;
    int64_t maxHalfspaces = 0; // per cluster (0: no limit)
    int64_t beta = 1;          // features per half-space, 1 to 3 (1: axis-parallel thresholds)
    int64_t maxWeight = 1;     // the largest |integer weight| on a standardised feature, 1 to 3
    double timeLimit = 60;     // seconds for column generation and the integer program together
    int64_t maxPoints = 2000;  // more rows than this are grouped (0: never)
    int64_t refineRounds = 3;  // grouping: rounds that split mis-described groups
    uint64_t seed = 0;         // the grouping's k-means
};

// Describes every cluster of `input.labels` (ids >= 0; noise rows, -1, must lie outside every
// polyhedron). Returns one Rule per cluster (its half-spaces; none when nothing needs cutting
// off), scored on all rows by scoreDescriptions, and Explanation::optimal true only when the
// description is proven optimal: column generation ended with exact pricing (beta 1, or every
// feature enumerated), no grouping, and CBC's integer optimum meets the LP bound. stats:
// "errors" (rows mis-described), "objective", "lp_bound", "columns", "cg_iterations", "units"
// (rows or groups the program saw), "seconds". The features are N x D float32 on the CPU (a
// CUDA tensor is copied). Throws ParameterError for options out of range or fewer than two
// clusters, DataError for non-finite values (naming the row and column), CancelledError (polled
// in the pricing, the LP and the branch and bound).
Explanation polyhedralDescriptions(const ExplainInput& input, const PolyhedralOptions& options,
                                   Progress& progress);

} // namespace clusterscope

#pragma once
// Half-spaces w.z <= t over the standardised features, and the pricing that finds those with a
// negative reduced cost in the master's LP relaxation. A half-space of cluster k "cuts" a unit
// when some row of the unit lies outside it (a unit of k: the box's largest w.z exceeds t) or,
// for a unit of another cluster, when the whole box lies outside (its smallest w.z exceeds t).
// For a given direction w every threshold is tried by one sweep over the units sorted by that
// key, so the pricing is exact over the directions it enumerates.

#include "units.h"

#include <cstdint>
#include <vector>

namespace clusterscope
{

class Progress;

struct HalfSpace
{
    int64_t cluster = 0;
    std::vector<std::pair<int64_t, int>> w; // (standardised feature, nonzero integer weight)
    double threshold = 0;                   // inside: w.z <= threshold
    std::vector<int32_t> cuts;              // the units it cuts, ascending
};

// The units `h` cuts (see above).
std::vector<int32_t> cutsOf(const Units& units, const HalfSpace& h);

// Per cluster k, per unit u, what cutting u is worth in the LP: the dual of u's separation row
// for k when u is not of k, minus the dual of u's containment row when it is.
struct PricingDuals
{
    std::vector<std::vector<double>> unitValue; // [k][u]
    std::vector<double> cap;                    // [k]: the dual of k's half-space budget (or 0)
    std::vector<double> feature;                // [f]: the dual of f's feature row (or 0)
};

struct PricingOptions
{
    int64_t beta = 1;            // features per half-space
    int64_t maxWeight = 1;       // |integer weight|
    bool complexityCost = false; // a column costs (nonzeros + 1), else its cost is `unitCost`
    double unitCost = 1;
    int64_t perCluster = 5;         // new columns per cluster and round, the most negative first
    int64_t directionBudget = 3000; // oriented oblique directions tried per cluster
};

// Sorted views of every feature's box corners, built once per set of units.
class FeatureOrder
{
public:
    FeatureOrder(const Units& units, Progress& progress); // polls `progress`
    // (unit, is the upper corner) ascending by value, for feature f.
    const std::vector<std::pair<int32_t, bool>>& events(int64_t f) const
    {
        return events_[static_cast<size_t>(f)];
    }

private:
    std::vector<std::vector<std::pair<int32_t, bool>>> events_;
};

struct PricingResult
{
    std::vector<HalfSpace> columns; // reduced cost < 0, with cuts filled
    bool exact = true; // false when the oblique directions were screened, not all enumerated
};

// The columns of cluster k with a negative reduced cost.
PricingResult priceCluster(int64_t k, const Units& units, const FeatureOrder& order,
                           const PricingDuals& duals, const PricingOptions& options,
                           Progress& progress);

// The initial columns of cluster k: per feature and direction, the threshold just outside the
// cluster's units (cutting none of them), when it cuts any other unit.
std::vector<HalfSpace> boundingColumns(int64_t k, const Units& units, const FeatureOrder& order,
                                       Progress& progress);

} // namespace clusterscope

#pragma once
// What the master program of the polyhedral descriptions sees: the rows in standardised units,
// one by one, or (the grouping scheme of Lawless & Guenluek for large N) groups of rows of one
// cluster, each represented by its bounding box and weighted by its size.

#include "../explain_input.h"

#include <cstdint>
#include <vector>

namespace clusterscope
{

class Progress;

// z = (x - mean) / scale over the non-constant features.
struct Standardiser
{
    std::vector<int64_t> features; // the original index of each standardised feature
    std::vector<double> mean;
    std::vector<double> scale;
    const float* x = nullptr; // N x D original values
    int64_t n = 0;
    int64_t columns = 0; // D

    int64_t d() const { return static_cast<int64_t>(features.size()); }
    double z(int64_t row, int64_t f) const
    {
        return (static_cast<double>(x[row * columns + features[static_cast<size_t>(f)]]) -
                mean[static_cast<size_t>(f)]) /
               scale[static_cast<size_t>(f)];
    }
};

// Drops the features constant over all rows (nothing can cut on them).
Standardiser standardise(const CheckedInput& in);

struct Units
{
    int64_t d = 0;
    std::vector<double> lower; // count x d, row-major: the box's corners (equal for one row)
    std::vector<double> upper;
    std::vector<int64_t> cluster; // -1: noise
    std::vector<double> weight;   // rows it stands for
    std::vector<std::vector<int64_t>> rows;

    int64_t count() const { return static_cast<int64_t>(cluster.size()); }
    bool grouped() const;
    void add(const Standardiser& s, int64_t cluster, std::vector<int64_t> rows);
};

// One unit per row.
Units singleRows(const Standardiser& s, const std::vector<int64_t>& labels);

// The k-means calls report through `progress` at fraction 0 to 1 of their own: pass a
// ProgressRange that holds the caller's place.

// About `maxUnits` units: each cluster (and the noise) split by k-means into groups in
// proportion to its size.
Units groupedRows(const Standardiser& s, const std::vector<int64_t>& labels, int64_t maxUnits,
                  uint64_t seed, Progress& progress);

// Splits the listed units: those of at most 20 rows into single rows, larger ones by k-means
// into 4 groups (the paper's refinement of mis-described groups).
Units splitUnits(const Units& units, const Standardiser& s, const std::vector<int64_t>& which,
                 uint64_t seed, Progress& progress);

} // namespace clusterscope

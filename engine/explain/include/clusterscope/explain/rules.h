#pragma once
// Reading and scoring cluster descriptions (core/explanation.h): whether a row satisfies a
// condition or a rule, coverage and precision by a direct count, and the rules as text.

#include <clusterscope/core/explanation.h>

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

// Whether `row` (D float32 values in the original units) satisfies the condition or every
// condition of the rule; the sum is taken in float64.
bool satisfies(const Condition& condition, const float* row);
bool satisfies(const Rule& rule, const float* row);

// Fills, by a direct count over the rows of `features` (N x D float32, CPU), each rule's
// covered and correct counts and each cluster's covered, coverage, precision and
// featuresUsed (a row is covered by a cluster's description when it satisfies any of its
// rules). `labels`: N cluster ids, -1 for noise. Throws ParameterError when the lengths differ.
void scoreDescriptions(const at::Tensor& features, const std::vector<int64_t>& labels,
                       std::vector<ClusterExplanation>& clusters);

// Per row, the clusters whose description covers it (for views that highlight a rule's rows
// and its errors): N x K bytes, row-major, 1 where covered.
std::vector<uint8_t> coveredBy(const at::Tensor& features,
                               const std::vector<ClusterExplanation>& clusters);

// Per feature, how the explained features map back to the file's numbers:
// file = shift + scale * feature, scale > 0 (a loader's centring offset, a --scaling), and each
// column's smallest value in the file (where the log fold change is defined).
struct FeatureFrame
{
    std::vector<double> shift;
    std::vector<double> scale;
    std::vector<double> minimum;
};

// The frame of features `explained` (N x D float32, CPU) made from the loader's `raw` features
// by a per-column affine scaling (preprocess.h's: none, standardize, minmax, scale01), and the
// loader's centring offsets (Dataset::featureOffsets, may be empty): each column's two extreme
// rows give its map. A constant column maps with scale 1.
FeatureFrame fileFrameOf(const at::Tensor& raw, const at::Tensor& explained,
                         const std::vector<double>& offsets);

// Moves an explanation into the file's frame: thresholds (a condition on several features
// gets weights rescaled to a largest |weight| of 1), means, standard deviations and log fold
// changes (recomputed from the file's means; NaN where a column takes negative values).
void toFileFrame(Explanation& explanation, const FeatureFrame& frame);

// "petal_width <= 0.8", "sepal_length > 5.1", "0.5 x1 - x2 <= 3" (numbers to `digits`
// significant digits); a name missing from `names` reads "x<index>".
std::string conditionText(const Condition& condition, const std::vector<std::string>& names,
                          int digits = 4);
// The conditions joined by " AND " ("(all rows)" for a rule without conditions).
std::string ruleText(const Rule& rule, const std::vector<std::string>& names, int digits = 4);

} // namespace clusterscope

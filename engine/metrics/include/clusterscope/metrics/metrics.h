#pragma once
// Clustering metrics. External ones compare two labelings; internal ones need the features.
// Noise (-1) is one more cluster for external metrics, as in scikit-learn, and is left out of
// internal metrics.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace clusterscope
{

using Labels = std::vector<int64_t>;

double accuracy(const Labels& truth, const Labels& predicted); // best one-to-one matching
double normalizedMutualInfo(const Labels& truth, const Labels& predicted); // arithmetic mean
double adjustedRandIndex(const Labels& truth, const Labels& predicted);
double adjustedMutualInfo(const Labels& truth, const Labels& predicted); // arithmetic mean

// For each cluster 0..k-1 of `clusters`, the true label most of its rows carry and their share
// of its labelled rows (the lowest such label on a tie); label -1 and share 0 for a cluster
// without labelled rows. Rows whose cluster or truth is negative (noise, missing) are left out.
// Throws std::invalid_argument when the two differ in length or a cluster id is k or more.
struct MajorityLabel
{
    int64_t label = -1;
    double share = 0;
};
std::vector<MajorityLabel> majorityLabels(const Labels& clusters, const Labels& truth, int64_t k);

// Exact when sampleSize <= 0 or >= N; otherwise on a seeded sample of rows.
double silhouetteScore(const at::Tensor& x, const Labels& labels, int64_t sampleSize = 0,
                       uint64_t seed = 0);
double calinskiHarabasz(const at::Tensor& x, const Labels& labels);
double daviesBouldin(const at::Tensor& x, const Labels& labels);

// The columns of the assignment problem that maximise the total weight (Hungarian algorithm).
// weights is rows x cols, row-major; returns for each row its column, or -1.
std::vector<int64_t> maxWeightMatching(const std::vector<double>& weights, int64_t rows,
                                       int64_t cols);

struct MetricOptions
{
    int64_t silhouetteSample = 5000;
    uint64_t seed = 0;
};

// Every metric that applies: the external ones when `truth` is given, the internal ones always.
std::map<std::string, double> allMetrics(const at::Tensor& x, const Labels& truth,
                                         const Labels& predicted,
                                         const MetricOptions& options = {});

} // namespace clusterscope

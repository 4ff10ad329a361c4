#pragma once
// Choosing the number of clusters: one sweep of k over a range, with k-means (and a diagonal
// Gaussian mixture for BIC/AIC) at each k, returning the curves of silhouette, Calinski-Harabasz,
// Davies-Bouldin, BIC, AIC and Tibshirani's gap statistic, each criterion's preferred k, and a
// suggestion: the k most criteria prefer (ties to the smaller k).

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

struct ChooseKOptions
{
    int64_t kMin = 2;
    int64_t kMax = 12;
    int64_t nInit = 3;           // k-means restarts at each k
    bool mixtureCriteria = true; // BIC and AIC from a diagonal Gaussian mixture
    bool gap = true;             // the gap statistic
    int64_t gapReferences = 10;  // B uniform reference sets
    int64_t sampleSize = 5000;   // rows used for silhouette and the gap statistic (0: all)
    uint64_t seed = 0;
};

struct ChooseKResult
{
    std::vector<int64_t> ks;
    // Per criterion, one value per k: "inertia", "silhouette", "calinski_harabasz",
    // "davies_bouldin", "bic", "aic", "gap", "gap_sd".
    std::map<std::string, std::vector<double>> curves;
    // Per criterion, its k; a criterion undefined at every k (e.g. silhouette when all rows
    // are identical) has NaN values in its curve and no entry here.
    std::map<std::string, int64_t> preferred;
    int64_t suggested = 0;
    // What the user should know about the suggestion: every row is identical (no k means
    // anything), k_max was capped below the row count, the suggestion sits at an edge of the
    // swept range (widen it, unless the cap is that edge), or some criteria are undefined.
    std::vector<std::string> warnings;
};

// Whether larger values of a criterion are better (silhouette, CH, gap) or smaller ones.
bool largerIsBetter(const std::string& criterion);

// Throws DataError when no criterion is defined at any k (all rows identical, say);
// ParameterError for a range of k the data cannot hold; CancelledError when asked to stop.
ChooseKResult chooseK(const at::Tensor& x, const ChooseKOptions& options,
                      Progress* progress = nullptr);

// Tibshirani's rule: the smallest k with gap(k) >= gap(k + 1) - sd(k + 1); the index into ks.
int64_t gapChoice(const std::vector<double>& gap, const std::vector<double>& sd);

} // namespace clusterscope

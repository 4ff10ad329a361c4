#pragma once
// Gaussian mixture models fitted by EM, with scikit-learn's formulation so that results can be
// compared one to one: full, diagonal, tied and spherical covariances, k-means initialisation,
// reg_covar, n_init, per-sample probabilities, the log-likelihood, BIC and AIC.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class CovarianceType
{
    Full,
    Diagonal,
    Tied,
    Spherical,
};

CovarianceType parseCovarianceType(const std::string& name); // "full", "diag", "tied", "spherical"

struct GmmOptions
{
    int64_t k = 1;
    CovarianceType covariance = CovarianceType::Full;
    double regCovar = 1e-6; // added to the covariances' diagonals
    int64_t nInit = 1;
    int64_t maxIter = 100;
    double tol = 1e-3; // on the change of the mean log-likelihood lower bound
    uint64_t seed = 0;
    // Start from these hard labels (values 0..k-1) instead of k-means: for comparisons.
    std::vector<int64_t> initLabels;
    // The method its input errors (and its k-means start's) name: the one the user ran.
    std::string name = "Gaussian mixture";
};

struct GmmResult
{
    at::Tensor weights;          // K
    at::Tensor means;            // K x D
    at::Tensor covariances;      // K x D x D, D x D, K x D or K, by covariance type
    at::Tensor responsibilities; // N x K: the probability of each component for each row
    at::Tensor labels;           // N int64: the most probable component
    double logLikelihood = 0;    // mean log-likelihood per row under the final parameters
    double lowerBound = 0;       // the best run's last lower bound (scikit-learn's lower_bound_)
    double bic = 0;
    double aic = 0;
    int64_t iterations = 0;
    bool converged = false;
};

// `x` is N x D on the device to compute on; the arithmetic is float64, on the rows centred by
// their column means (the returned means are in x's frame). Throws ParameterError for k outside
// 1..N or bad n_init, max_iter, tol, reg_covar; DataError when x holds NaN or infinite values;
// Error naming reg_covar when a component collapses (a covariance that is not positive definite
// after adding reg_covar, any covariance type) or the likelihood stops being finite.
GmmResult gaussianMixture(const at::Tensor& x, const GmmOptions& options,
                          Progress* progress = nullptr);

// Free parameters of a mixture: covariances, means and K - 1 weights.
int64_t gmmParameterCount(CovarianceType type, int64_t k, int64_t d);

} // namespace clusterscope

// t-SNE's input similarities: the perplexity search per row and the symmetric joint P
// (scikit-learn's _binary_search_perplexity and _joint_probabilities[_nn]).

#include "tsne_steps.h"

#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace clusterscope
{

void conditionalProbabilities(const std::vector<float>& sq, double perplexity, TsneAffinities& a,
                              Progress& progress)
{
    constexpr int kSteps = 100;
    constexpr double kTolerance = 1e-5;
    constexpr double kEpsilon = 1e-8; // scikit-learn's EPSILON_DBL for an all-zero row
    const int64_t k = a.k;
    const double desiredEntropy = std::log(perplexity);
    a.conditional.assign(static_cast<size_t>(a.rows * k), 0.0);
    a.beta.assign(static_cast<size_t>(a.rows), 1.0);
    parallelSlices(a.rows, computeThreads(),
                   [&](int, int64_t begin, int64_t end)
                   {
                       for (int64_t i = begin; i < end; ++i)
                       {
                           if ((i & 255) == 0 && progress.cancelRequested())
                               return;
                           const float* d = sq.data() + i * k;
                           double* p = a.conditional.data() + i * k;
                           double beta = 1.0;
                           double betaMin = -std::numeric_limits<double>::infinity();
                           double betaMax = std::numeric_limits<double>::infinity();
                           for (int step = 0; step < kSteps; ++step)
                           {
                               double sum = 0;
                               for (int64_t j = 0; j < k; ++j)
                               {
                                   p[j] = std::exp(-static_cast<double>(d[j]) * beta);
                                   sum += p[j];
                               }
                               if (sum == 0.0)
                                   sum = kEpsilon;
                               double weighted = 0;
                               for (int64_t j = 0; j < k; ++j)
                               {
                                   p[j] /= sum;
                                   weighted += static_cast<double>(d[j]) * p[j];
                               }
                               const double entropy = std::log(sum) + beta * weighted;
                               const double diff = entropy - desiredEntropy;
                               if (std::abs(diff) <= kTolerance)
                                   break;
                               if (diff > 0)
                               {
                                   betaMin = beta;
                                   beta = std::isinf(betaMax) ? beta * 2 : (beta + betaMax) / 2;
                               }
                               else
                               {
                                   betaMax = beta;
                                   beta = std::isinf(betaMin) ? beta / 2 : (beta + betaMin) / 2;
                               }
                           }
                           a.beta[static_cast<size_t>(i)] = beta;
                       }
                   });
}

void symmetrise(TsneAffinities& a, bool floorAtEpsilon)
{
    const int64_t n = a.rows, k = a.k;
    // Count each row's entries of P + P^T: its own neighbours plus those that name it.
    std::vector<std::vector<std::pair<int64_t, double>>> rows(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < k; ++j)
        {
            const auto c = a.neighbors[static_cast<size_t>(i * k + j)];
            const double v = a.conditional[static_cast<size_t>(i * k + j)];
            rows[static_cast<size_t>(i)].emplace_back(c, v);
            rows[static_cast<size_t>(c)].emplace_back(i, v);
        }
    a.rowStart.assign(static_cast<size_t>(n) + 1, 0);
    a.columns.clear();
    a.joint.clear();
    double total = 0;
    for (int64_t i = 0; i < n; ++i)
    {
        auto& r = rows[static_cast<size_t>(i)];
        // Sorted by column, then the two halves of a pair in a fixed order, so the sum is too.
        std::sort(r.begin(), r.end());
        for (size_t e = 0; e < r.size();)
        {
            double v = 0;
            const auto c = r[e].first;
            for (; e < r.size() && r[e].first == c; ++e)
                v += r[e].second;
            a.columns.push_back(c);
            a.joint.push_back(v);
            total += v;
        }
        a.rowStart[static_cast<size_t>(i) + 1] = static_cast<int64_t>(a.columns.size());
        r = {};
    }
    total = std::max(total, std::numeric_limits<double>::epsilon());
    for (auto& v : a.joint)
        v = floorAtEpsilon ? std::max(v / total, std::numeric_limits<double>::epsilon())
                           : v / total;
}

} // namespace clusterscope

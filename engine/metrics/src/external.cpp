// Metrics that compare two labelings, from their contingency table. Edge cases follow
// scikit-learn 1.2 so that numbers can be compared one to one.

#include <clusterscope/core/errors.h>
#include <clusterscope/metrics/metrics.h>

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>

namespace clusterscope
{

namespace
{

struct Contingency
{
    Eigen::MatrixXd counts; // truth classes x predicted clusters
    Eigen::VectorXd a;      // class sizes
    Eigen::VectorXd b;      // cluster sizes
    double n = 0;
};

std::vector<int64_t> encode(const Labels& labels, int64_t& distinct)
{
    std::map<int64_t, int64_t> codes;
    for (int64_t l : labels)
    {
        codes.emplace(l, 0);
    }
    int64_t next = 0;
    for (auto& [label, code] : codes)
    {
        code = next++;
    }
    distinct = next;
    std::vector<int64_t> out;
    out.reserve(labels.size());
    for (int64_t l : labels)
    {
        out.push_back(codes[l]);
    }
    return out;
}

Contingency contingency(const Labels& truth, const Labels& predicted)
{
    if (truth.size() != predicted.size())
    {
        throw ParameterError("the two labelings have different lengths (" +
                             std::to_string(truth.size()) + " and " +
                             std::to_string(predicted.size()) + ")");
    }
    int64_t r = 0;
    int64_t c = 0;
    const auto t = encode(truth, r);
    const auto p = encode(predicted, c);
    Contingency m;
    m.counts = Eigen::MatrixXd::Zero(r, c);
    for (size_t i = 0; i < t.size(); ++i)
    {
        m.counts(t[i], p[i]) += 1;
    }
    m.a = m.counts.rowwise().sum();
    m.b = m.counts.colwise().sum().transpose();
    m.n = static_cast<double>(truth.size());
    return m;
}

double entropy(const Eigen::VectorXd& sizes, double n)
{
    double h = 0;
    for (Eigen::Index i = 0; i < sizes.size(); ++i)
    {
        if (sizes[i] > 0)
        {
            const double p = sizes[i] / n;
            h -= p * std::log(p);
        }
    }
    return h;
}

double mutualInfo(const Contingency& m)
{
    double mi = 0;
    for (Eigen::Index i = 0; i < m.counts.rows(); ++i)
    {
        for (Eigen::Index j = 0; j < m.counts.cols(); ++j)
        {
            const double nij = m.counts(i, j);
            if (nij > 0)
            {
                mi += nij / m.n * std::log(m.n * nij / (m.a[i] * m.b[j]));
            }
        }
    }
    return std::max(mi, 0.0);
}

// Expected mutual information under the permutation model (Vinh, Epps & Bailey 2010).
double expectedMutualInfo(const Contingency& m)
{
    const double n = m.n;
    const double lgN = std::lgamma(n + 1);
    double emi = 0;
    for (Eigen::Index i = 0; i < m.a.size(); ++i)
    {
        const double ai = m.a[i];
        for (Eigen::Index j = 0; j < m.b.size(); ++j)
        {
            const double bj = m.b[j];
            const double fixed = std::lgamma(ai + 1) + std::lgamma(bj + 1) +
                                 std::lgamma(n - ai + 1) + std::lgamma(n - bj + 1) - lgN;
            for (double nij = std::max(1.0, ai + bj - n); nij <= std::min(ai, bj); nij += 1)
            {
                const double logP = fixed - std::lgamma(nij + 1) - std::lgamma(ai - nij + 1) -
                                    std::lgamma(bj - nij + 1) - std::lgamma(n - ai - bj + nij + 1);
                emi += nij / n * std::log(n * nij / (ai * bj)) * std::exp(logP);
            }
        }
    }
    return emi;
}

bool bothTrivial(const Contingency& m)
{
    return m.a.size() == m.b.size() && m.a.size() <= 1;
}

} // namespace

double accuracy(const Labels& truth, const Labels& predicted)
{
    const auto m = contingency(truth, predicted);
    if (m.n == 0)
    {
        return 1.0;
    }
    std::vector<double> weights(static_cast<size_t>(m.counts.size()));
    for (Eigen::Index i = 0; i < m.counts.rows(); ++i)
    {
        for (Eigen::Index j = 0; j < m.counts.cols(); ++j)
        {
            weights[static_cast<size_t>(i * m.counts.cols() + j)] = m.counts(i, j);
        }
    }
    const auto match = maxWeightMatching(weights, m.counts.rows(), m.counts.cols());
    double hits = 0;
    for (Eigen::Index i = 0; i < m.counts.rows(); ++i)
    {
        if (match[static_cast<size_t>(i)] >= 0)
        {
            hits += m.counts(i, match[static_cast<size_t>(i)]);
        }
    }
    return hits / m.n;
}

double normalizedMutualInfo(const Labels& truth, const Labels& predicted)
{
    const auto m = contingency(truth, predicted);
    if (bothTrivial(m))
    {
        return 1.0;
    }
    const double mi = mutualInfo(m);
    if (mi == 0)
    {
        return 0.0;
    }
    const double normalizer = 0.5 * (entropy(m.a, m.n) + entropy(m.b, m.n));
    return mi / std::max(normalizer, std::numeric_limits<double>::epsilon());
}

double adjustedRandIndex(const Labels& truth, const Labels& predicted)
{
    const auto m = contingency(truth, predicted);
    auto pairs = [](double x) { return x * (x - 1) / 2; };
    long double sumCells = 0;
    for (Eigen::Index i = 0; i < m.counts.size(); ++i)
    {
        sumCells += pairs(m.counts.data()[i]);
    }
    long double sumA = 0;
    long double sumB = 0;
    for (Eigen::Index i = 0; i < m.a.size(); ++i)
    {
        sumA += pairs(m.a[i]);
    }
    for (Eigen::Index j = 0; j < m.b.size(); ++j)
    {
        sumB += pairs(m.b[j]);
    }
    const long double total = pairs(m.n);
    const long double expected = total > 0 ? sumA * sumB / total : 0;
    const long double maximum = (sumA + sumB) / 2;
    if (maximum == expected)
    {
        return 1.0; // both labelings are trivial in the same way (e.g. identical)
    }
    return static_cast<double>((sumCells - expected) / (maximum - expected));
}

double adjustedMutualInfo(const Labels& truth, const Labels& predicted)
{
    const auto m = contingency(truth, predicted);
    if (bothTrivial(m))
    {
        return 1.0;
    }
    const double mi = mutualInfo(m);
    const double emi = expectedMutualInfo(m);
    const double normalizer = 0.5 * (entropy(m.a, m.n) + entropy(m.b, m.n));
    double denominator = normalizer - emi;
    const double eps = std::numeric_limits<double>::epsilon();
    denominator = denominator < 0 ? std::min(denominator, -eps) : std::max(denominator, eps);
    return (mi - emi) / denominator;
}

std::vector<MajorityLabel> majorityLabels(const Labels& clusters, const Labels& truth, int64_t k)
{
    if (clusters.size() != truth.size())
        throw std::invalid_argument("majorityLabels: " + std::to_string(clusters.size()) +
                                    " clusters for " + std::to_string(truth.size()) + " labels");
    std::vector<std::map<int64_t, int64_t>> counts(static_cast<size_t>(std::max<int64_t>(k, 0)));
    for (size_t i = 0; i < clusters.size(); ++i)
    {
        if (clusters[i] >= k)
            throw std::invalid_argument("majorityLabels: cluster " + std::to_string(clusters[i]) +
                                        " of " + std::to_string(k));
        if (clusters[i] >= 0 && truth[i] >= 0)
            ++counts[static_cast<size_t>(clusters[i])][truth[i]];
    }
    std::vector<MajorityLabel> out(counts.size());
    for (size_t c = 0; c < counts.size(); ++c)
    {
        int64_t total = 0, best = 0;
        for (const auto& [label, count] : counts[c])
        {
            total += count;
            if (count > best)
            {
                best = count;
                out[c].label = label;
            }
        }
        if (total > 0)
            out[c].share = static_cast<double>(best) / static_cast<double>(total);
    }
    return out;
}

} // namespace clusterscope

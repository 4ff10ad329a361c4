#include "explain_input.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/explain/profile.h>
#include <clusterscope/kernels/parallel.h>
#include <clusterscope/metrics/metrics.h>

#include <algorithm>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <numeric>

namespace clusterscope
{

std::vector<double> benjaminiHochberg(const std::vector<double>& p)
{
    const auto m = p.size();
    std::vector<size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
    std::vector<double> out(m);
    double running = 1;
    for (size_t r = m; r-- > 0;)
    {
        const auto i = order[r];
        running = std::min(running, p[i] * static_cast<double>(m) / static_cast<double>(r + 1));
        out[i] = running;
    }
    return out;
}

namespace
{

double twoSidedNormal(double z)
{
    return std::erfc(std::abs(z) / std::sqrt(2.0));
}

double twoSidedT(double t, double df)
{
    if (!std::isfinite(t) || !(df > 0))
        return 1;
    const boost::math::students_t dist(df);
    return 2 * boost::math::cdf(boost::math::complement(dist, std::abs(t)));
}

struct Moments
{
    double n = 0, mean = 0, m2 = 0; // Welford
    void add(double v)
    {
        n += 1;
        const double d = v - mean;
        mean += d / n;
        m2 += d * (v - mean);
    }
    double var() const { return n > 1 ? m2 / (n - 1) : NAN; }
};

// Welch's t of the group against the rest, and its two-sided p (scipy's
// ttest_ind_from_stats(equal_var=False)); 0 and 1 where undefined, as scanpy sets them.
std::pair<double, double> welch(const Moments& g, const Moments& r)
{
    if (g.n < 2 || r.n < 2)
        return {0, 1};
    const double a = g.var() / g.n, b = r.var() / r.n;
    const double se2 = a + b;
    if (!(se2 > 0))
        return {0, 1};
    const double t = (g.mean - r.mean) / std::sqrt(se2);
    const double df = se2 * se2 / (a * a / (g.n - 1) + b * b / (r.n - 1));
    return {t, twoSidedT(t, df)};
}

void rankTop(std::vector<FeatureRank>& ranks, int64_t top)
{
    const auto adjusted = [&]
    {
        std::vector<double> p;
        for (const auto& r : ranks)
            p.push_back(r.pvalue);
        return benjaminiHochberg(p);
    }();
    for (size_t i = 0; i < ranks.size(); ++i)
        ranks[i].pvalueAdjusted = adjusted[i];
    std::stable_sort(ranks.begin(), ranks.end(),
                     [](const FeatureRank& a, const FeatureRank& b) { return a.score > b.score; });
    if (top > 0 && static_cast<int64_t>(ranks.size()) > top)
        ranks.resize(static_cast<size_t>(top));
}

} // namespace

Explanation clusterProfiles(const ExplainInput& input, const ProfileOptions& options,
                            Progress& progress)
{
    const auto in = checkExplainInput(input, 2); // a cluster against the rest
    if (options.topFeatures < 0 || options.prototypes < 0)
        throw ParameterError("profile: n_top_features and n_prototypes cannot be negative");
    const int64_t n = in.n, d = in.d, k = in.k;
    const auto& labels = input.labels;
    std::vector<int64_t> sizes(static_cast<size_t>(k), 0);
    for (auto c : labels)
        if (c >= 0)
            ++sizes[static_cast<size_t>(c)];

    // Per feature: moments in each cluster and overall, the rank sums of each cluster (average
    // ranks over ties) and the tie term sum(t^3 - t).
    std::vector<Moments> inCluster(static_cast<size_t>(k * d)), all(static_cast<size_t>(d));
    std::vector<double> rankSum(static_cast<size_t>(k * d), 0), ties(static_cast<size_t>(d), 0);
    std::vector<char> nonNegative(static_cast<size_t>(d), 1);
    const int threads = computeThreads();
    parallelSlices(
        d, threads,
        [&](int slice, int64_t begin, int64_t end)
        {
            std::vector<std::pair<float, int64_t>> sorted(static_cast<size_t>(n));
            for (int64_t j = begin; j < end; ++j)
            {
                if (slice == 0)
                    progress.poll(0.8 * static_cast<double>(j - begin) /
                                      static_cast<double>(end - begin),
                                  [] { return "profiling features"; });
                else if (progress.cancelRequested())
                    return;
                for (int64_t i = 0; i < n; ++i)
                {
                    const float v = in.data[i * d + j];
                    sorted[static_cast<size_t>(i)] = {v, i};
                    all[static_cast<size_t>(j)].add(v);
                    if (const auto c = labels[static_cast<size_t>(i)]; c >= 0)
                        inCluster[static_cast<size_t>(c * d + j)].add(v);
                    if (v < 0)
                        nonNegative[static_cast<size_t>(j)] = 0;
                }
                std::sort(sorted.begin(), sorted.end());
                for (int64_t a = 0; a < n;)
                {
                    int64_t b = a;
                    while (b < n && sorted[static_cast<size_t>(b)].first ==
                                        sorted[static_cast<size_t>(a)].first)
                        ++b;
                    const double rank = 0.5 * static_cast<double>(a + 1 + b); // ranks a+1..b
                    const double t = static_cast<double>(b - a);
                    ties[static_cast<size_t>(j)] += t * t * t - t;
                    for (int64_t i = a; i < b; ++i)
                        if (const auto c =
                                labels[static_cast<size_t>(sorted[static_cast<size_t>(i)].second)];
                            c >= 0)
                            rankSum[static_cast<size_t>(c * d + j)] += rank;
                    a = b;
                }
            }
        });
    throwIfCancelled(progress);

    Explanation e;
    e.method = "profile";
    for (int64_t j = 0; j < d; ++j)
    {
        e.mean.push_back(all[static_cast<size_t>(j)].mean);
        e.std.push_back(std::sqrt(all[static_cast<size_t>(j)].var()));
    }
    const double total = static_cast<double>(n);
    for (int64_t c = 0; c < k; ++c)
    {
        if (sizes[static_cast<size_t>(c)] == 0)
            continue;
        ClusterExplanation ce;
        ce.cluster = c;
        ce.size = sizes[static_cast<size_t>(c)];
        std::vector<FeatureRank> t, w;
        for (int64_t j = 0; j < d; ++j)
        {
            const auto& g = inCluster[static_cast<size_t>(c * d + j)];
            const auto& a = all[static_cast<size_t>(j)];
            // The rest: all rows but the cluster's, by removing its moments from the total.
            Moments r;
            r.n = a.n - g.n;
            if (r.n > 0)
            {
                r.mean = (a.mean * a.n - g.mean * g.n) / r.n;
                const double delta = g.mean - r.mean;
                r.m2 = std::max(0.0, a.m2 - g.m2 - delta * delta * g.n * r.n / a.n);
            }
            ce.mean.push_back(g.mean);
            ce.std.push_back(std::sqrt(g.var()));
            FeatureRank base;
            base.feature = j;
            base.meanIn = g.mean;
            base.meanOut = r.mean;
            base.logFoldChange = nonNegative[static_cast<size_t>(j)]
                                     ? std::log2((g.mean + 1e-9) / (r.mean + 1e-9))
                                     : NAN;
            FeatureRank tr = base;
            std::tie(tr.score, tr.pvalue) = welch(g, r);
            t.push_back(tr);
            // The rank-sum z with the tie correction.
            FeatureRank wr = base;
            const double n1 = g.n, n2 = r.n;
            const double u = rankSum[static_cast<size_t>(c * d + j)] - n1 * (n1 + 1) / 2;
            const double var =
                n1 * n2 / 12 * ((total + 1) - ties[static_cast<size_t>(j)] / (total * (total - 1)));
            if (n2 > 0 && var > 0)
            {
                wr.score = (u - n1 * n2 / 2) / std::sqrt(var);
                wr.pvalue = twoSidedNormal(wr.score);
            }
            w.push_back(wr);
        }
        rankTop(t, options.topFeatures);
        rankTop(w, options.topFeatures);
        ce.tTest = std::move(t);
        ce.wilcoxon = std::move(w);

        // Prototypes: the rows nearest the cluster's mean.
        std::vector<std::pair<double, int64_t>> near;
        for (int64_t i = 0; i < n; ++i)
            if (labels[static_cast<size_t>(i)] == c)
            {
                double s = 0;
                for (int64_t j = 0; j < d; ++j)
                {
                    const double v = in.data[i * d + j] - ce.mean[static_cast<size_t>(j)];
                    s += v * v;
                }
                near.emplace_back(s, i);
            }
        const auto m = std::min<size_t>(near.size(), static_cast<size_t>(options.prototypes));
        std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(m), near.end());
        for (size_t i = 0; i < m; ++i)
            ce.prototypes.push_back(near[i].second);
        e.clusters.push_back(std::move(ce));
        progress.poll(0.8 + 0.2 * static_cast<double>(c + 1) / static_cast<double>(k),
                      [] { return "ranking features"; });
    }
    return e;
}

void nameClusters(Explanation& e, const ExplainInput& input, const std::vector<int64_t>* truth)
{
    const auto name = [&](int64_t j)
    {
        return j < static_cast<int64_t>(input.featureNames.size())
                   ? input.featureNames[static_cast<size_t>(j)]
                   : "x" + std::to_string(j);
    };
    std::vector<MajorityLabel> majority;
    if (truth && truth->size() == input.labels.size())
    {
        int64_t k = 0;
        for (auto c : input.labels)
            k = std::max(k, c + 1);
        majority = majorityLabels(input.labels, *truth, k);
    }
    for (auto& c : e.clusters)
    {
        if (!majority.empty() && majority[static_cast<size_t>(c.cluster)].label >= 0)
        {
            const auto& m = majority[static_cast<size_t>(c.cluster)];
            const auto label = m.label < static_cast<int64_t>(input.labelNames.size())
                                   ? input.labelNames[static_cast<size_t>(m.label)]
                                   : "class " + std::to_string(m.label);
            c.name = label + " (" + std::to_string(std::lround(100 * m.share)) + "%)";
            continue;
        }
        std::string text;
        int taken = 0;
        for (const auto& r : c.tTest) // highest score first
        {
            if (r.score <= 0 || taken == 2)
                break;
            text += (taken++ ? ", high " : "high ") + name(r.feature);
        }
        c.name = text.empty() ? "cluster " + std::to_string(c.cluster) : text;
    }
}

} // namespace clusterscope

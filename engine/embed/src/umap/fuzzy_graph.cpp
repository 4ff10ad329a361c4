// UMAP's fuzzy simplicial set (McInnes et al. 2018, section 3; umap-learn's smooth_knn_dist,
// compute_membership_strengths and fuzzy_simplicial_set).

#include "umap_steps.h"

#include <clusterscope/kernels/union_find.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

namespace clusterscope
{
namespace
{

constexpr double kSmoothTolerance = 1e-5; // umap-learn's SMOOTH_K_TOLERANCE
constexpr double kMinDistScale = 1e-3;    // umap-learn's MIN_K_DIST_SCALE

} // namespace

SmoothKnn smoothKnnDistances(const KnnGraph& g, int64_t nNeighbors)
{
    const double target = std::log2(static_cast<double>(nNeighbors));
    SmoothKnn s{std::vector<double>(static_cast<size_t>(g.rows)),
                std::vector<double>(static_cast<size_t>(g.rows))};
    // umap-learn's means include the point itself at distance 0, so they divide by k + 1.
    double total = 0;
    for (float d : g.distances)
        total += d;
    const double meanAll = total / static_cast<double>(g.rows * (g.k + 1));
    for (int64_t i = 0; i < g.rows; ++i)
    {
        double rho = 0, rowSum = 0;
        for (int64_t j = 0; j < g.k; ++j)
        {
            const double d = g.distance(i, j);
            rowSum += d;
            if (rho == 0 && d > 0)
                rho = d; // the nearest neighbour at a positive distance: local connectivity 1
        }
        double lo = 0, hi = std::numeric_limits<double>::infinity(), mid = 1;
        for (int iteration = 0; iteration < 64; ++iteration)
        {
            double sum = 0;
            for (int64_t j = 0; j < g.k; ++j)
            {
                const double d = g.distance(i, j) - rho;
                sum += d > 0 ? std::exp(-d / mid) : 1.0;
            }
            if (std::fabs(sum - target) < kSmoothTolerance)
                break;
            if (sum > target)
            {
                hi = mid;
                mid = (lo + hi) / 2;
            }
            else
            {
                lo = mid;
                mid = std::isinf(hi) ? mid * 2 : (lo + hi) / 2;
            }
        }
        const double floor =
            kMinDistScale * (rho > 0 ? rowSum / static_cast<double>(g.k + 1) : meanAll);
        s.rho[static_cast<size_t>(i)] = rho;
        s.sigma[static_cast<size_t>(i)] = std::max(mid, floor);
    }
    return s;
}

FuzzyGraph fuzzySimplicialSet(const KnnGraph& g, const SmoothKnn& s)
{
    // Directed memberships, and their transposes, sorted by (row, column): equal neighbours meet.
    std::vector<std::tuple<int64_t, int64_t, float>> entries;
    entries.reserve(static_cast<size_t>(2 * g.rows * g.k));
    for (int64_t i = 0; i < g.rows; ++i)
    {
        for (int64_t j = 0; j < g.k; ++j)
        {
            const int64_t other = g.neighbor(i, j);
            if (other < 0 || other == i)
                continue;
            const double d = g.distance(i, j) - s.rho[static_cast<size_t>(i)];
            const double sigma = s.sigma[static_cast<size_t>(i)];
            const auto w = static_cast<float>(d <= 0 || sigma == 0 ? 1.0 : std::exp(-d / sigma));
            if (w <= 0)
                continue;
            entries.emplace_back(i, other, w);
            entries.emplace_back(other, i, w);
        }
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& x, const auto& y) {
                  return std::tie(std::get<0>(x), std::get<1>(x)) <
                         std::tie(std::get<0>(y), std::get<1>(y));
              });
    FuzzyGraph graph;
    graph.rows = g.rows;
    graph.rowStart.assign(static_cast<size_t>(g.rows) + 1, 0);
    for (size_t e = 0; e < entries.size();)
    {
        const auto [row, column, w] = entries[e];
        // A pair present both ways appears twice: a + b - ab; once: a (b = 0).
        double weight = w;
        if (e + 1 < entries.size() && std::get<0>(entries[e + 1]) == row &&
            std::get<1>(entries[e + 1]) == column)
        {
            const double b = std::get<2>(entries[e + 1]);
            weight = weight + b - weight * b;
            e += 2;
        }
        else
        {
            e += 1;
        }
        graph.columns.push_back(column);
        graph.weights.push_back(static_cast<float>(weight));
        ++graph.rowStart[static_cast<size_t>(row) + 1];
    }
    for (int64_t i = 0; i < g.rows; ++i)
        graph.rowStart[static_cast<size_t>(i) + 1] += graph.rowStart[static_cast<size_t>(i)];
    return graph;
}

int64_t graphComponents(const FuzzyGraph& graph, std::vector<int64_t>& component)
{
    UnionFind sets(graph.rows);
    for (int64_t i = 0; i < graph.rows; ++i)
        for (int64_t e = graph.rowStart[static_cast<size_t>(i)];
             e < graph.rowStart[static_cast<size_t>(i) + 1]; ++e)
            sets.unite(i, graph.columns[static_cast<size_t>(e)]);
    component.assign(static_cast<size_t>(graph.rows), -1);
    std::vector<int64_t> idOfRoot(static_cast<size_t>(graph.rows), -1);
    int64_t count = 0;
    for (int64_t i = 0; i < graph.rows; ++i)
    {
        auto& id = idOfRoot[static_cast<size_t>(sets.find(i))];
        if (id < 0)
            id = count++;
        component[static_cast<size_t>(i)] = id;
    }
    return count;
}

} // namespace clusterscope

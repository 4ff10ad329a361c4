// The assignment problem by the Hungarian algorithm with potentials, O(n^3).

#include <clusterscope/metrics/metrics.h>

#include <algorithm>
#include <limits>

namespace clusterscope
{

std::vector<int64_t> maxWeightMatching(const std::vector<double>& weights, int64_t rows,
                                       int64_t cols)
{
    // Square cost matrix (1-based, as the classic formulation): cost = max - weight, padded.
    const int64_t n = std::max(rows, cols);
    double maxWeight = 0;
    for (double w : weights)
    {
        maxWeight = std::max(maxWeight, w);
    }
    auto cost = [&](int64_t i, int64_t j) -> double
    {
        if (i > rows || j > cols)
        {
            return maxWeight;
        }
        return maxWeight - weights[static_cast<size_t>((i - 1) * cols + (j - 1))];
    };
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> u(static_cast<size_t>(n + 1)), v(static_cast<size_t>(n + 1));
    std::vector<int64_t> match(static_cast<size_t>(n + 1)), way(static_cast<size_t>(n + 1));
    for (int64_t i = 1; i <= n; ++i)
    {
        match[0] = i;
        int64_t j0 = 0;
        std::vector<double> minv(static_cast<size_t>(n + 1), inf);
        std::vector<char> used(static_cast<size_t>(n + 1), 0);
        do
        {
            used[static_cast<size_t>(j0)] = 1;
            const int64_t i0 = match[static_cast<size_t>(j0)];
            double delta = inf;
            int64_t j1 = 0;
            for (int64_t j = 1; j <= n; ++j)
            {
                const auto sj = static_cast<size_t>(j);
                if (used[sj])
                {
                    continue;
                }
                const double cur = cost(i0, j) - u[static_cast<size_t>(i0)] - v[sj];
                if (cur < minv[sj])
                {
                    minv[sj] = cur;
                    way[sj] = j0;
                }
                if (minv[sj] < delta)
                {
                    delta = minv[sj];
                    j1 = j;
                }
            }
            for (int64_t j = 0; j <= n; ++j)
            {
                const auto sj = static_cast<size_t>(j);
                if (used[sj])
                {
                    u[static_cast<size_t>(match[sj])] += delta;
                    v[sj] -= delta;
                }
                else
                {
                    minv[sj] -= delta;
                }
            }
            j0 = j1;
        } while (match[static_cast<size_t>(j0)] != 0);
        do
        {
            const int64_t j1 = way[static_cast<size_t>(j0)];
            match[static_cast<size_t>(j0)] = match[static_cast<size_t>(j1)];
            j0 = j1;
        } while (j0 != 0);
    }
    std::vector<int64_t> result(static_cast<size_t>(rows), -1);
    for (int64_t j = 1; j <= n; ++j)
    {
        const int64_t i = match[static_cast<size_t>(j)];
        if (i >= 1 && i <= rows && j <= cols)
        {
            result[static_cast<size_t>(i - 1)] = j - 1;
        }
    }
    return result;
}

} // namespace clusterscope

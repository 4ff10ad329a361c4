// Agglomerative clustering the way SciPy's hierarchy.linkage does it, so that partitions match
// scikit-learn's: nn_chain for Ward, complete and average linkage, mst_single_linkage for single
// linkage, then a stable sort of the merges by distance and union-find relabelling.

#include "linkage_tree.h"

#include <clusterscope/cluster/agglomerative.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/parallel.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numeric>

namespace clusterscope
{

namespace
{

constexpr double kInfinity = std::numeric_limits<double>::infinity();

double euclidean(const double* a, const double* b, int64_t d)
{
    double s = 0;
    for (int64_t j = 0; j < d; ++j)
    {
        const double diff = a[j] - b[j];
        s += diff * diff;
    }
    return std::sqrt(s);
}

// The upper triangle of the distance matrix, row by row, as SciPy's pdist lays it out. Filling it
// is the first fifth of the progress range.
class Condensed
{
public:
    Condensed(const double* x, int64_t n, int64_t d, Progress& progress) : n_(n)
    {
        // Zeroing N^2 / 2 doubles takes a noticeable while (0.4 GB at 10^4 rows): by 4 MB,
        // with polls.
        const auto size = static_cast<size_t>(n * (n - 1) / 2);
        values_.reserve(size);
        while (values_.size() < size)
        {
            progress.poll(0.0, [] { return "allocating the distance matrix"; });
            values_.resize(std::min(size, values_.size() + (size_t{1} << 19)));
        }
        // Row r is paired with row n - 1 - r: every pair of rows holds n - 1 distances, so the
        // threads get equal work from a triangle.
        auto fill = [&](int64_t i)
        {
            double* row = values_.data() + index(i, i + 1);
            for (int64_t j = i + 1; j < n; ++j)
                row[j - i - 1] = euclidean(x + i * d, x + j * d, d);
        };
        // A pair of rows is O(N D) work (milliseconds at 10^4 x 784): every thread polls after
        // each, and all stop on a cancel (thrown below).
        std::atomic<bool> stop{false};
        parallelSlices((n + 1) / 2, computeThreads(),
                       [&](int thread, int64_t begin, int64_t end)
                       {
                           for (int64_t r = begin; r < end && !stop; ++r)
                           {
                               fill(r);
                               if (n - 1 - r != r)
                                   fill(n - 1 - r);
                               if (progress.cancelRequested())
                                   stop = true;
                               if (thread == 0)
                                   progress.reportThrottled(0.2 * static_cast<double>(r - begin) /
                                                                static_cast<double>(end - begin),
                                                            [] { return "distances"; });
                           }
                       });
        if (stop)
            throw CancelledError();
    }
    double& at(int64_t i, int64_t j)
    {
        return values_[static_cast<size_t>(i < j ? index(i, j) : index(j, i))];
    }

private:
    size_t index(int64_t i, int64_t j) const
    {
        return static_cast<size_t>(n_ * i - i * (i + 1) / 2 + (j - i - 1));
    }
    int64_t n_;
    std::vector<double> values_;
};

// Lance-Williams: the distance from cluster i to the union of x and y.
double updated(Linkage linkage, double dix, double diy, double dxy, double nx, double ny, double ni)
{
    switch (linkage)
    {
    case Linkage::Complete:
        return std::max(dix, diy);
    case Linkage::Average:
        return (nx * dix + ny * diy) / (nx + ny);
    case Linkage::Ward:
    {
        const double t = 1.0 / (nx + ny + ni);
        return std::sqrt((ni + nx) * t * dix * dix + (ni + ny) * t * diy * diy -
                         ni * t * dxy * dxy);
    }
    case Linkage::Single:
        return std::min(dix, diy);
    }
    return 0;
}

std::vector<Merge> nearestNeighbourChain(const double* x, int64_t n, int64_t d, Linkage linkage,
                                         Progress& progress)
{
    Condensed dist(x, n, d, progress);
    std::vector<int64_t> size(static_cast<size_t>(n), 1);
    std::vector<int64_t> chain;
    std::vector<Merge> merges;
    for (int64_t k = 0; k < n - 1; ++k)
    {
        if (chain.empty())
        {
            for (int64_t i = 0; i < n; ++i)
            {
                if (size[static_cast<size_t>(i)] > 0)
                {
                    chain.push_back(i);
                    break;
                }
            }
        }
        int64_t x0 = 0;
        int64_t y0 = 0;
        double best = kInfinity;
        while (true)
        {
            // A chain step reads a column of the condensed matrix (N cache misses, about a
            // millisecond at 10^4 rows) and one merge may take many steps: poll at each.
            progress.poll(0.2 + 0.8 * static_cast<double>(k) / static_cast<double>(n),
                          [] { return "merging"; });
            x0 = chain.back();
            if (chain.size() > 1)
            {
                y0 = chain[chain.size() - 2];
                best = dist.at(x0, y0);
            }
            else
            {
                best = kInfinity;
            }
            for (int64_t i = 0; i < n; ++i)
            {
                if (size[static_cast<size_t>(i)] == 0 || i == x0)
                    continue;
                const double v = dist.at(x0, i);
                if (v < best)
                {
                    best = v;
                    y0 = i;
                }
            }
            if (chain.size() > 1 && y0 == chain[chain.size() - 2])
                break;
            chain.push_back(y0);
        }
        chain.resize(chain.size() - 2);
        if (x0 > y0)
            std::swap(x0, y0);
        const auto nx = static_cast<double>(size[static_cast<size_t>(x0)]);
        const auto ny = static_cast<double>(size[static_cast<size_t>(y0)]);
        merges.push_back(
            {x0, y0, best, size[static_cast<size_t>(x0)] + size[static_cast<size_t>(y0)]});
        size[static_cast<size_t>(x0)] = 0;
        size[static_cast<size_t>(y0)] += static_cast<int64_t>(nx);
        for (int64_t i = 0; i < n; ++i)
        {
            const auto ni = static_cast<double>(size[static_cast<size_t>(i)]);
            if (ni == 0 || i == y0)
                continue;
            dist.at(i, y0) = updated(linkage, dist.at(i, x0), dist.at(i, y0), best, nx, ny, ni);
        }
    }
    return merges;
}

// Prim's algorithm with distances computed on the fly: no matrix.
std::vector<Merge> minimumSpanningTree(const double* x, int64_t n, int64_t d, Progress& progress)
{
    std::vector<char> merged(static_cast<size_t>(n), 0);
    std::vector<double> nearest(static_cast<size_t>(n), kInfinity);
    std::vector<Merge> merges;
    int64_t current = 0;
    for (int64_t k = 0; k < n - 1; ++k)
    {
        // A step is N distances (milliseconds at 10^4 x 784): poll at each.
        progress.poll(static_cast<double>(k) / static_cast<double>(n),
                      [] { return "spanning tree"; });
        merged[static_cast<size_t>(current)] = 1;
        double best = kInfinity;
        int64_t next = -1;
        for (int64_t i = 0; i < n; ++i)
        {
            if (merged[static_cast<size_t>(i)])
                continue;
            const double v = euclidean(x + current * d, x + i * d, d);
            auto& ni = nearest[static_cast<size_t>(i)];
            if (ni > v)
                ni = v;
            if (ni < best)
            {
                best = ni;
                next = i;
            }
        }
        merges.push_back({current, next, best, 0});
        current = next;
    }
    return merges;
}

} // namespace

Linkage parseLinkage(const std::string& name)
{
    if (name == "ward")
        return Linkage::Ward;
    if (name == "complete")
        return Linkage::Complete;
    if (name == "average")
        return Linkage::Average;
    if (name == "single")
        return Linkage::Single;
    throw ParameterError("linkage '" + name + "' is not one of ward|complete|average|single");
}

Dendrogram agglomerate(const at::Tensor& input, Linkage linkage, Progress* progress)
{
    Progress& p = progress ? *progress : nullProgress();
    const int64_t n = input.size(0);
    if (input.dim() != 2 || n < 2)
    {
        throw ParameterError("agglomerative clustering needs an N x D matrix with N >= 2");
    }
    if (linkage != Linkage::Single && n > kAgglomerativeMaxRows)
    {
        throw ParameterError(
            "agglomerative clustering with " + std::to_string(n) + " rows would need a " +
            std::to_string(n * (n - 1) / 2 * 8 / (1 << 20)) +
            " MiB distance matrix; the limit is " + std::to_string(kAgglomerativeMaxRows) +
            " rows (single linkage has none): subsample, or use k-means");
    }
    const auto x = input.to(at::kCPU, at::kDouble).contiguous();
    if (!at::isfinite(x.sum()).item<bool>())
    {
        throw DataError("agglomerative clustering: the features contain NaN or infinite values");
    }
    const int64_t d = x.size(1);
    auto merges = linkage == Linkage::Single
                      ? minimumSpanningTree(x.data_ptr<double>(), n, d, p)
                      : nearestNeighbourChain(x.data_ptr<double>(), n, d, linkage, p);
    // Releasing the distance matrix takes tens of milliseconds at 10^4 rows: poll after it.
    p.poll(1.0, [] { return "dendrogram"; });
    p.report(1.0, "dendrogram done");
    return {n, linkageFromEdges(std::move(merges), n)};
}

std::vector<int64_t> cutTree(const Dendrogram& tree, int64_t k)
{
    const int64_t n = tree.leaves;
    if (k < 1 || k > n)
    {
        throw ParameterError("cannot cut " + std::to_string(n) + " leaves into " +
                             std::to_string(k) + " clusters");
    }
    // Apply the first n - k merges; each cluster id stands for one of its leaves.
    std::vector<int64_t> leafOf(static_cast<size_t>(2 * n - 1));
    std::iota(leafOf.begin(), leafOf.begin() + n, 0);
    std::vector<int64_t> parent(static_cast<size_t>(n));
    std::iota(parent.begin(), parent.end(), 0);
    auto find = [&](int64_t v)
    {
        while (parent[static_cast<size_t>(v)] != v)
            v = parent[static_cast<size_t>(v)] =
                parent[static_cast<size_t>(parent[static_cast<size_t>(v)])];
        return v;
    };
    for (int64_t i = 0; i < n - 1; ++i)
    {
        const auto& m = tree.merges[static_cast<size_t>(i)];
        const int64_t a = leafOf[static_cast<size_t>(m.a)];
        leafOf[static_cast<size_t>(n + i)] = a;
        if (i < n - k)
            parent[static_cast<size_t>(find(leafOf[static_cast<size_t>(m.b)]))] = find(a);
    }
    std::vector<int64_t> labels(static_cast<size_t>(n));
    std::vector<int64_t> ids(static_cast<size_t>(n), -1);
    int64_t next = 0;
    for (int64_t i = 0; i < n; ++i)
    {
        auto& id = ids[static_cast<size_t>(find(i))];
        if (id < 0)
            id = next++;
        labels[static_cast<size_t>(i)] = id;
    }
    return labels;
}

} // namespace clusterscope

// The mutual-reachability minimum spanning tree, exactly by Prim or from a kNN graph.

#include <clusterscope/cluster/hdbscan.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/centring.h>
#include <clusterscope/kernels/cpu_kernels.h>
#include <clusterscope/kernels/distance_scan.h>
#include <clusterscope/kernels/distances.h>
#include <clusterscope/kernels/union_find.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace clusterscope
{
namespace
{

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Exact lightest mutual-reachability edges from the `queries` rows to rows of other components,
// by the tiled distance scan: one entry per query, {query, other, weight}.
std::vector<Merge> exhaustiveLeavingEdges(const at::Tensor& x, const at::Tensor& xSq,
                                          const std::vector<double>& core,
                                          const std::vector<int64_t>& component,
                                          const std::vector<int64_t>& queries, Progress& progress)
{
    const int64_t d = x.size(1);
    auto ids = at::tensor(at::ArrayRef<int64_t>(queries), at::kLong);
    const auto q = x.index_select(0, ids).contiguous();
    const auto qSq = xSq.index_select(0, ids).contiguous();
    const ScanRows queryRows{q.data_ptr<float>(), qSq.data_ptr<float>(),
                             static_cast<int64_t>(queries.size())};
    const ScanRows all{x.data_ptr<float>(), xSq.data_ptr<float>(), x.size(0)};
    // Squared mutual reachability, so the scan compares squared distances.
    std::vector<float> coreSq(core.size());
    for (size_t i = 0; i < core.size(); ++i)
        coreSq[i] = static_cast<float>(core[i] * core[i]);
    std::vector<Merge> out(queries.size(), Merge{-1, -1, kInfinity, 0});
    scanSquaredDistances(
        queryRows, all, d, progress,
        [&](int64_t qi, int64_t r0, const float* d2, int64_t count)
        {
            const int64_t a = queries[static_cast<size_t>(qi)];
            const int64_t ca = component[static_cast<size_t>(a)];
            const float floor = coreSq[static_cast<size_t>(a)];
            auto& best = out[static_cast<size_t>(qi)];
            auto bestValue = static_cast<float>(best.distance);
            for (int64_t j = 0; j < count; ++j)
            {
                const int64_t b = r0 + j;
                const float mr = std::max({d2[j], floor, coreSq[static_cast<size_t>(b)]});
                if (mr < bestValue && component[static_cast<size_t>(b)] != ca)
                {
                    bestValue = mr;
                    best = {a, b, mr, 0};
                }
            }
        });
    throwIfCancelled(progress);
    for (auto& e : out)
    {
        // A few tensor operations per edge: thousands of queries add up to a stage of their own.
        progress.poll(1.0, [] { return "exact edge weights"; });
        // The exact weight, from the points themselves rather than the norms trick.
        const double dist = (x[e.a] - x[e.b]).norm().item<double>();
        e.distance =
            std::max({dist, core[static_cast<size_t>(e.a)], core[static_cast<size_t>(e.b)]});
    }
    return out;
}

// Distances that are not finite (features near float32's limit, squared) leave no lightest
// edge; the trees below stop with this rather than write through a missing index or loop.
[[noreturn]] void throwNoEdge()
{
    throw DataError("HDBSCAN*: distances between rows are not finite (features too large to "
                    "square in float32); scale the features, e.g. standardize them");
}

} // namespace

std::vector<double> coreDistances(const KnnGraph& graph, int64_t minSamples)
{
    const int64_t k = std::clamp<int64_t>(minSamples, 1, graph.k);
    std::vector<double> core(static_cast<size_t>(graph.rows));
    for (int64_t i = 0; i < graph.rows; ++i)
        core[static_cast<size_t>(i)] = graph.distance(i, k - 1);
    return core;
}

std::vector<Merge> exactReachabilityMst(const at::Tensor& xIn, const std::vector<double>& core,
                                        Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    progress.poll(0.0, [] { return "spanning tree"; });
    // Prim's algorithm on a compacted copy: the rows not yet in the tree stay contiguous, so
    // each step is one pass of the distance kernel over them.
    // Centred where the offset matters (far from zero the norms would swamp the distances), and
    // always a copy of our own, which the compaction overwrites.
    const auto centred = centreFeatures(xIn, "HDBSCAN*", at::kFloat, &progress);
    auto x = centred.rows.is_same(xIn) ? centred.rows.clone() : centred.rows.to(at::kCPU);
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    auto sq = rowSquaredNorms(x).contiguous();
    float* rows = x.data_ptr<float>();
    float* rowSq = sq.data_ptr<float>();
    std::vector<int64_t> id(static_cast<size_t>(n));
    std::iota(id.begin(), id.end(), 0);
    std::vector<double> nearest(static_cast<size_t>(n), kInfinity);
    std::vector<int64_t> from(static_cast<size_t>(n), -1);
    std::vector<float> d2(static_cast<size_t>(n));
    std::vector<Merge> tree;
    tree.reserve(static_cast<size_t>(n - 1));
    auto removeAt = [&](int64_t pos, int64_t last)
    {
        std::copy_n(rows + last * d, d, rows + pos * d);
        rowSq[pos] = rowSq[last];
        id[static_cast<size_t>(pos)] = id[static_cast<size_t>(last)];
        nearest[static_cast<size_t>(pos)] = nearest[static_cast<size_t>(last)];
        from[static_cast<size_t>(pos)] = from[static_cast<size_t>(last)];
    };
    std::vector<float> current(static_cast<size_t>(d));
    int64_t currentId = 0;
    std::copy_n(rows, d, current.data());
    float currentSq = rowSq[0];
    int64_t remaining = n - 1;
    removeAt(0, remaining);
    while (remaining > 0)
    {
        // A step is one pass over the remaining rows (milliseconds at 10^4 x 784): poll each.
        const double done = 1.0 - static_cast<double>(remaining) / static_cast<double>(n);
        progress.poll(done * (2.0 - done), [] { return "spanning tree"; }); // work shrinks as n^2
        cpu::squaredDistances(rows, rowSq, remaining, d, current.data(), &currentSq, 1, d2.data());
        const double coreCurrent = core[static_cast<size_t>(currentId)];
        double best = kInfinity;
        int64_t bestPos = -1;
        for (int64_t i = 0; i < remaining; ++i)
        {
            const double mr =
                std::max({std::sqrt(static_cast<double>(d2[static_cast<size_t>(i)])), coreCurrent,
                          core[static_cast<size_t>(id[static_cast<size_t>(i)])]});
            auto& ni = nearest[static_cast<size_t>(i)];
            if (mr < ni)
            {
                ni = mr;
                from[static_cast<size_t>(i)] = currentId;
            }
            if (ni < best)
            {
                best = ni;
                bestPos = i;
            }
        }
        if (bestPos < 0)
            throwNoEdge();
        currentId = id[static_cast<size_t>(bestPos)];
        tree.push_back({from[static_cast<size_t>(bestPos)], currentId, best, 0});
        std::copy_n(rows + bestPos * d, d, current.data());
        currentSq = rowSq[bestPos];
        --remaining;
        removeAt(bestPos, remaining);
    }
    return tree;
}

std::vector<Merge> knnGraphReachabilityMst(const at::Tensor& xIn, const std::vector<double>& core,
                                           const KnnGraph& graph, Progress* progressIn)
{
    // Boruvka rounds. Each point's lightest edge to another component is read from its
    // neighbour list when it beats the bound that holds for every unlisted point y:
    //   d_mr(o, y) >= max(core o, |o - y|) >= max(core o, distance to the k-th neighbour).
    // Only the points whose bound is below their component's best edge so far are searched
    // exhaustively. With an exact graph the tree is exact; the largest component is left out
    // of each round (adding the lightest edge leaving any component is safe).
    Progress& progress = progressIn ? *progressIn : nullProgress();
    const int64_t n = graph.rows;
    const auto x = centreFeatures(xIn, "HDBSCAN*", at::kFloat, &progress).rows.to(at::kCPU);
    const auto xSq = rowSquaredNorms(x).contiguous();
    std::vector<double> bound(static_cast<size_t>(n));
    for (int64_t o = 0; o < n; ++o)
        bound[static_cast<size_t>(o)] = std::max(
            core[static_cast<size_t>(o)], static_cast<double>(graph.distance(o, graph.k - 1)));
    UnionFind forest(n);
    std::vector<Merge> tree;
    tree.reserve(static_cast<size_t>(n - 1));
    std::vector<int64_t> component(static_cast<size_t>(n));
    while (static_cast<int64_t>(tree.size()) < n - 1)
    {
        progress.poll(static_cast<double>(tree.size()) / static_cast<double>(n),
                      [] { return "spanning tree (Boruvka)"; });
        std::vector<int64_t> size(static_cast<size_t>(n), 0);
        for (int64_t i = 0; i < n; ++i)
        {
            component[static_cast<size_t>(i)] = forest.find(i);
            ++size[static_cast<size_t>(component[static_cast<size_t>(i)])];
        }
        const auto largest = std::max_element(size.begin(), size.end()) - size.begin();
        // Per component, the best edge known and its points that may still beat it.
        std::vector<Merge> best(static_cast<size_t>(n), Merge{-1, -1, kInfinity, 0});
        std::vector<Merge> listed(static_cast<size_t>(n), Merge{-1, -1, kInfinity, 0});
        for (int64_t o = 0; o < n; ++o)
        {
            const int64_t c = component[static_cast<size_t>(o)];
            if (c == largest)
                continue;
            for (int64_t j = 0; j < graph.k; ++j)
            {
                const int64_t y = graph.neighbor(o, j);
                if (component[static_cast<size_t>(y)] == c)
                    continue;
                const double w =
                    std::max({static_cast<double>(graph.distance(o, j)),
                              core[static_cast<size_t>(o)], core[static_cast<size_t>(y)]});
                if (w < listed[static_cast<size_t>(o)].distance)
                    listed[static_cast<size_t>(o)] = {o, y, w, 0};
            }
            auto& b = best[static_cast<size_t>(c)];
            if (listed[static_cast<size_t>(o)].distance < b.distance)
                b = listed[static_cast<size_t>(o)];
        }
        std::vector<int64_t> queries;
        for (int64_t o = 0; o < n; ++o)
        {
            const int64_t c = component[static_cast<size_t>(o)];
            if (c != largest &&
                listed[static_cast<size_t>(o)].distance > bound[static_cast<size_t>(o)] &&
                bound[static_cast<size_t>(o)] < best[static_cast<size_t>(c)].distance)
                queries.push_back(o);
        }
        if (!queries.empty())
        {
            // Every component but the largest adds an edge and at most two pick the same one,
            // so a round of c components ends with at least (c - 1) / 2 more edges: a quarter
            // of what is left to do is a range the next round never reports below.
            const double before = static_cast<double>(tree.size()) / static_cast<double>(n);
            ProgressRange round(progress, before, before + (1.0 - before) / 4.0);
            for (const auto& e : exhaustiveLeavingEdges(x, xSq, core, component, queries, round))
            {
                auto& b = best[static_cast<size_t>(component[static_cast<size_t>(e.a)])];
                if (e.distance < b.distance)
                    b = e;
            }
        }
        std::vector<Merge> joins;
        for (const auto& b : best)
        {
            if (b.a >= 0)
                joins.push_back(b);
        }
        std::stable_sort(joins.begin(), joins.end(),
                         [](const Merge& a, const Merge& b) { return a.distance < b.distance; });
        const size_t before = tree.size();
        for (const auto& e : joins)
        {
            if (forest.unite(e.a, e.b))
                tree.push_back(e);
        }
        if (tree.size() == before)
            throwNoEdge();
    }
    return tree;
}

} // namespace clusterscope

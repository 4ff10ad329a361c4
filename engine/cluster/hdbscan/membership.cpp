// HDBSCAN*'s soft membership vectors, as the contrib package's all_points_membership_vectors:
// a distance term (to each cluster's exemplars) times an outlier term (how high in the tree the
// point's cluster merges with each), scaled by the probability of being in some cluster.

#include "membership.h"

#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/distances.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace clusterscope
{
namespace
{

size_t at(int64_t i)
{
    return static_cast<size_t>(i);
}

struct TreeIndex
{
    int64_t n = 0;
    int64_t clusters = 0;
    std::vector<int64_t> parent;   // per cluster; -1 for the root
    std::vector<double> birth;     // per cluster
    std::vector<double> maxLambda; // per cluster, over its direct rows
    // Per cluster, the lambda its points' lambdas are measured against: the largest finite one
    // of its direct rows; infinity when every one is infinite (a cluster of duplicates only).
    // Exact duplicates leave at distance 0, lambda infinity: against that, every other member's
    // share would be 0 although it is in the cluster (issue 13's trial).
    std::vector<double> scaleLambda;
    std::vector<std::vector<int64_t>> kids; // cluster children
    std::vector<int64_t> pointParent;       // per point: the cluster it falls out of
    std::vector<double> pointLambda;

    TreeIndex(const std::vector<CondensedRow>& tree, int64_t rows) : n(rows)
    {
        int64_t last = n;
        for (const auto& r : tree)
            last = std::max({last, r.parent, r.child});
        clusters = last - n + 1;
        parent.assign(at(clusters), -1);
        birth.assign(at(clusters), 0.0);
        maxLambda.assign(at(clusters), 0.0);
        scaleLambda.assign(at(clusters), 0.0);
        kids.resize(at(clusters));
        pointParent.assign(at(n), n);
        pointLambda.assign(at(n), 0.0);
        for (const auto& r : tree)
        {
            maxLambda[at(r.parent - n)] = std::max(maxLambda[at(r.parent - n)], r.lambda);
            if (std::isfinite(r.lambda))
                scaleLambda[at(r.parent - n)] = std::max(scaleLambda[at(r.parent - n)], r.lambda);
            if (r.child >= n)
            {
                parent[at(r.child - n)] = r.parent;
                birth[at(r.child - n)] = r.lambda;
                kids[at(r.parent - n)].push_back(r.child);
            }
            else
            {
                pointParent[at(r.child)] = r.parent;
                pointLambda[at(r.child)] = r.lambda;
            }
        }
        for (auto& scale : scaleLambda)
            if (scale == 0)
                scale = INFINITY;
    }

    // The lambda at which a point of `pointCluster` joins `cluster`: its own lambda when one
    // cluster contains the other, else the birth of the child of their lowest common ancestor.
    double mergeHeight(int64_t pointCluster, double lambda, int64_t cluster) const
    {
        int64_t left = pointCluster;
        int64_t right = cluster;
        int64_t last = -1;
        bool tookLeft = false;
        bool tookRight = false;
        while (left != right)
        {
            if (left > right)
            {
                tookLeft = true;
                last = left;
                left = parent[at(left - n)];
            }
            else
            {
                tookRight = true;
                last = right;
                right = parent[at(right - n)];
            }
        }
        return tookLeft && tookRight ? birth[at(last - n)] : lambda;
    }

    // The points of a selected cluster's leaves that persist to their leaf's end.
    std::vector<int64_t> exemplars(int64_t cluster, const std::vector<CondensedRow>& tree) const
    {
        std::vector<int64_t> leaves;
        std::vector<int64_t> stack{cluster};
        while (!stack.empty())
        {
            const int64_t v = stack.back();
            stack.pop_back();
            if (kids[at(v - n)].empty())
                leaves.push_back(v);
            for (int64_t k : kids[at(v - n)])
                stack.push_back(k);
        }
        std::vector<int64_t> out;
        for (const auto& r : tree)
        {
            if (r.child < n && std::find(leaves.begin(), leaves.end(), r.parent) != leaves.end() &&
                r.lambda == maxLambda[at(r.parent - n)])
                out.push_back(r.child);
        }
        return out;
    }
};

// Row i, cluster c: the smallest euclidean distance from point i to cluster c's exemplars.
at::Tensor exemplarDistances(const at::Tensor& x, const std::vector<std::vector<int64_t>>& sets,
                             Progress& progress)
{
    const int64_t n = x.size(0);
    auto out = at::empty({n, static_cast<int64_t>(sets.size())}, x.options().dtype(at::kDouble));
    const auto xSq = rowSquaredNorms(x);
    for (size_t c = 0; c < sets.size(); ++c)
    {
        auto ids = at::tensor(at::ArrayRef<int64_t>(sets[c]), at::kLong).to(x.device());
        auto e = x.index_select(0, ids);
        auto best = at::full({n}, INFINITY, x.options());
        // About 10^8 multiply-adds per block, with a poll between blocks.
        const int64_t step =
            std::clamp<int64_t>((int64_t{1} << 27) / std::max<int64_t>(1, n * x.size(1)), 1, 4096);
        for (int64_t b = 0; b < e.size(0); b += step)
        {
            progress.poll(0.0, [] { return "soft membership"; });
            auto block = e.slice(0, b, std::min(e.size(0), b + step));
            best = at::minimum(best, squaredDistances(x, xSq, block).amin(1));
        }
        out.select(1, static_cast<int64_t>(c)).copy_(best.sqrt());
    }
    return out.to(at::kCPU).contiguous();
}

// The contrib package's outlier score exp(-lambda_max / merge height), with lambda_max the
// cluster's scale (TreeIndex::scaleLambda). A height past it is an exact duplicate's (infinite):
// a point that stays in its cluster to the end, ratio 1 as at the scale itself.
double outlierScore(double scale, double height)
{
    if (std::isinf(scale) && std::isinf(height))
        return std::exp(-1.0);
    return std::exp(-(scale / std::min(height, scale)));
}

// A clustered point's row peaks at its own cluster: where the distance term favours another
// cluster (points near a boundary; the contrib package's issues #123 and #462), the two shares
// are exchanged, and an equal share elsewhere is lowered by one ulp. The row's sum is kept.
void peakAtLabel(float* row, int64_t k, int64_t label)
{
    const auto top = std::max_element(row, row + k) - row;
    std::swap(row[label], row[top]);
    for (int64_t c = 0; c < k; ++c)
    {
        if (c != label && row[c] >= row[label])
            row[c] = std::nextafter(row[label], 0.0F);
    }
}

} // namespace

at::Tensor softMembership(const at::Tensor& xIn, const std::vector<CondensedRow>& tree, int64_t n,
                          const std::vector<int64_t>& selected, const std::vector<int64_t>& labels,
                          Progress& progress)
{
    const auto k = static_cast<int64_t>(selected.size());
    if (k == 0 || tree.empty())
        return {};
    const TreeIndex t(tree, n);
    std::vector<std::vector<int64_t>> exemplarSets;
    for (int64_t c : selected)
        exemplarSets.push_back(t.exemplars(c, tree));
    auto x = xIn.to(at::kFloat).contiguous();
    auto dist = exemplarDistances(x, exemplarSets, progress);
    const double* dv = dist.data_ptr<double>();

    // Per point: merge heights, the outlier scores exp(-maxLambda / height), their maximum
    // over all points (the contrib package's softmax shift is global).
    std::vector<double> heights(at(n * k));
    std::vector<double> scores(at(n * k));
    double shift = -INFINITY;
    for (int64_t i = 0; i < n; ++i)
    {
        const int64_t pc = t.pointParent[at(i)];
        const double maxLambda = t.scaleLambda[at(pc - n)] + 1e-8;
        for (int64_t c = 0; c < k; ++c)
        {
            const double h = t.mergeHeight(pc, t.pointLambda[at(i)], selected[at(c)]);
            heights[at(i * k + c)] = h;
            const double s = outlierScore(maxLambda, h);
            scores[at(i * k + c)] = s;
            if (!std::isnan(s))
                shift = std::max(shift, s);
        }
    }
    auto out = at::empty({n, k}, at::kFloat);
    float* ov = out.data_ptr<float>();
    std::vector<double> row(at(k));
    for (int64_t i = 0; i < n; ++i)
    {
        double distSum = 0;
        double outlierSum = 0;
        for (int64_t c = 0; c < k; ++c)
        {
            const double d = dv[i * k + c];
            distSum += d != 0 ? 1.0 / d : DBL_MAX / static_cast<double>(k);
            outlierSum += std::exp(scores[at(i * k + c)] - shift);
        }
        double total = 0;
        for (int64_t c = 0; c < k; ++c)
        {
            const double d = dv[i * k + c];
            const double distTerm = (d != 0 ? 1.0 / d : DBL_MAX / static_cast<double>(k)) / distSum;
            const double outlierTerm = std::exp(scores[at(i * k + c)] - shift) / outlierSum;
            row[at(c)] = distTerm * outlierTerm;
            total += row[at(c)];
        }
        // The cluster the point is nearest in the tree: its own when it has one (its merge
        // height is then the largest; among equal heights the label decides, so the row agrees
        // with it), else the one it merges with last.
        const auto hBegin = heights.begin() + static_cast<std::ptrdiff_t>(i * k);
        const auto nearest =
            labels[at(i)] >= 0 ? labels[at(i)] : std::max_element(hBegin, hBegin + k) - hBegin;
        // Against a cluster of duplicates only (scale infinite), a point that is not one of
        // them is measured against its own lambda.
        const double own = t.pointLambda[at(i)];
        double lambdaMax = t.scaleLambda[at(selected[at(nearest)] - n)];
        if (std::isfinite(own))
            lambdaMax = std::isinf(lambdaMax) ? own : std::max(lambdaMax, own);
        const double height = heights[at(i * k + nearest)];
        // A duplicate's height (infinite) counts as the scale's: it stays in to the end.
        double inSome = lambdaMax > 0 ? std::min(height, lambdaMax) / lambdaMax : 1.0;
        if (!std::isfinite(inSome))
            inSome = 1.0; // a cluster of duplicates only: inf / inf

        for (int64_t c = 0; c < k; ++c)
            ov[i * k + c] = static_cast<float>(total > 0 ? row[at(c)] / total * inSome : 0.0);
        if (labels[at(i)] >= 0)
            peakAtLabel(ov + i * k, k, labels[at(i)]);
    }
    return out;
}

} // namespace clusterscope

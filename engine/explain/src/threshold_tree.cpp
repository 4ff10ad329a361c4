#include "explain_input.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/explain/rules.h>
#include <clusterscope/explain/threshold_tree.h>
#include <clusterscope/kernels/parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace clusterscope
{

int64_t ThresholdTree::leaves() const
{
    return std::count_if(nodes.begin(), nodes.end(), [](const Node& n) { return n.feature < 0; });
}

int64_t ThresholdTree::predict(const float* row) const
{
    int64_t at = 0;
    while (nodes[static_cast<size_t>(at)].feature >= 0)
    {
        const auto& n = nodes[static_cast<size_t>(at)];
        at = row[n.feature] <= n.threshold ? n.left : n.right;
    }
    return nodes[static_cast<size_t>(at)].cluster;
}

std::vector<std::pair<int64_t, Rule>> ThresholdTree::leafRules() const
{
    std::vector<std::pair<int64_t, Rule>> out;
    const auto walk = [&](auto&& self, int64_t at, Rule path) -> void
    {
        const auto& n = nodes[static_cast<size_t>(at)];
        if (n.feature < 0)
        {
            out.emplace_back(n.cluster, std::move(path));
            return;
        }
        Rule left = path;
        left.conditions.push_back({{{n.feature, 1.0}}, Condition::Op::LessEqual, n.threshold});
        self(self, n.left, std::move(left));
        path.conditions.push_back({{{n.feature, 1.0}}, Condition::Op::Greater, n.threshold});
        self(self, n.right, std::move(path));
    };
    if (!nodes.empty())
        walk(walk, 0, Rule{});
    // A path may cut one feature twice the same way (x > 595, then x > 953.5): keep the
    // tighter bound, in the order the path first cut the feature.
    for (auto& [cluster, rule] : out)
    {
        std::vector<Condition> tight;
        for (const auto& c : rule.conditions)
        {
            const auto same =
                std::find_if(tight.begin(), tight.end(),
                             [&](const Condition& t)
                             { return t.terms[0].first == c.terms[0].first && t.op == c.op; });
            if (same == tight.end())
                tight.push_back(c);
            else if (c.op == Condition::Op::LessEqual ? c.threshold < same->threshold
                                                      : c.threshold > same->threshold)
                same->threshold = c.threshold;
        }
        rule.conditions = std::move(tight);
    }
    return out;
}

namespace
{

// Each cluster's mean (K x D, float64); rows of noise left out.
std::vector<double> clusterMeans(const CheckedInput& in, const std::vector<int64_t>& labels,
                                 std::vector<int64_t>& sizes)
{
    std::vector<double> mu(static_cast<size_t>(in.k * in.d), 0);
    sizes.assign(static_cast<size_t>(in.k), 0);
    for (int64_t i = 0; i < in.n; ++i)
        if (const auto c = labels[static_cast<size_t>(i)]; c >= 0)
        {
            ++sizes[static_cast<size_t>(c)];
            for (int64_t j = 0; j < in.d; ++j)
                mu[static_cast<size_t>(c * in.d + j)] += in.data[i * in.d + j];
        }
    for (int64_t c = 0; c < in.k; ++c)
        for (int64_t j = 0; j < in.d; ++j)
            if (sizes[static_cast<size_t>(c)] > 0)
                mu[static_cast<size_t>(c * in.d + j)] /=
                    static_cast<double>(sizes[static_cast<size_t>(c)]);
    return mu;
}

struct Split
{
    int64_t mistakes = std::numeric_limits<int64_t>::max();
    int64_t feature = -1;
    double theta = 0;     // rows with x <= theta go left
    double threshold = 0; // theta moved halfway to the next value, for reading
};

class ImmBuilder
{
public:
    ImmBuilder(const CheckedInput& in, const std::vector<int64_t>& labels,
               const std::vector<double>& mu, Progress& progress)
        : in_(in), labels_(labels), mu_(mu), progress_(progress)
    {
    }

    int64_t build(std::vector<int64_t> rows, std::vector<int64_t> centres, ThresholdTree& tree)
    {
        const auto at = static_cast<int64_t>(tree.nodes.size());
        tree.nodes.emplace_back();
        if (centres.size() == 1)
        {
            tree.nodes[static_cast<size_t>(at)].cluster = centres[0];
            return at;
        }
        const auto split = bestSplit(rows, centres);
        if (split.feature < 0) // the centres coincide on every feature
        {
            tree.nodes[static_cast<size_t>(at)].cluster = centres[0];
            return at;
        }
        std::vector<int64_t> leftRows, rightRows, leftCentres, rightCentres;
        for (auto c : centres)
            (centre(c, split.feature) <= split.theta ? leftCentres : rightCentres).push_back(c);
        for (auto r : rows)
        {
            const bool left = value(r, split.feature) <= split.theta;
            const bool centreLeft =
                centre(labels_[static_cast<size_t>(r)], split.feature) <= split.theta;
            if (left == centreLeft) // a mistaken row is dropped below the cut
                (left ? leftRows : rightRows).push_back(r);
        }
        progress_.poll(0.0, [] { return "IMM: building the tree"; });
        const auto left = build(std::move(leftRows), std::move(leftCentres), tree);
        const auto right = build(std::move(rightRows), std::move(rightCentres), tree);
        auto& node = tree.nodes[static_cast<size_t>(at)];
        node.feature = split.feature;
        node.threshold = split.threshold;
        node.mistakes = split.mistakes;
        node.left = left;
        node.right = right;
        return at;
    }

private:
    double value(int64_t row, int64_t f) const { return in_.data[row * in_.d + f]; }
    double centre(int64_t c, int64_t f) const { return mu_[static_cast<size_t>(c * in_.d + f)]; }

    Split bestSplit(const std::vector<int64_t>& rows, const std::vector<int64_t>& centres)
    {
        const int threads = computeThreads();
        std::vector<Split> best(static_cast<size_t>(threads));
        parallelSlices(
            in_.d, threads,
            [&](int slice, int64_t begin, int64_t end)
            {
                std::vector<std::pair<double, int64_t>> events; // (value, row or ~centre)
                std::vector<int64_t> left(static_cast<size_t>(in_.k));
                for (int64_t f = begin; f < end; ++f)
                {
                    if (slice == 0)
                        progress_.poll(0.0, [] { return "IMM: choosing a cut"; });
                    else if (progress_.cancelRequested())
                        return;
                    const auto s = featureSplit(f, rows, centres, events, left);
                    auto& b = best[static_cast<size_t>(slice)];
                    if (s.mistakes < b.mistakes)
                        b = s;
                }
            });
        Split out;
        for (const auto& b : best) // slices hold ascending features: the first wins ties
            if (b.mistakes < out.mistakes)
                out = b;
        return out;
    }

    // The cut on feature f with the fewest mistakes, by one sweep over the rows' and centres'
    // values (see threshold_tree.h).
    Split featureSplit(int64_t f, const std::vector<int64_t>& rows,
                       const std::vector<int64_t>& centres,
                       std::vector<std::pair<double, int64_t>>& events,
                       std::vector<int64_t>& left) const
    {
        double lo = INFINITY, hi = -INFINITY;
        for (auto c : centres)
        {
            lo = std::min(lo, centre(c, f));
            hi = std::max(hi, centre(c, f));
        }
        Split best;
        if (!(lo < hi))
            return best;
        events.clear();
        for (auto r : rows)
            events.emplace_back(value(r, f), r);
        for (auto c : centres)
            events.emplace_back(centre(c, f), ~c);
        std::sort(events.begin(), events.end());
        std::vector<int64_t> sizes(static_cast<size_t>(in_.k), 0);
        std::vector<char> centreLeft(static_cast<size_t>(in_.k), 0);
        for (auto r : rows)
            ++sizes[static_cast<size_t>(labels_[static_cast<size_t>(r)])];
        std::fill(left.begin(), left.end(), 0);
        int64_t mistakes = 0;
        for (size_t i = 0; i < events.size();)
        {
            const double v = events[i].first;
            for (; i < events.size() && events[i].first == v; ++i)
            {
                const auto e = events[i].second;
                if (e >= 0)
                {
                    const auto c = static_cast<size_t>(labels_[static_cast<size_t>(e)]);
                    ++left[c];
                    mistakes += centreLeft[c] ? -1 : 1;
                }
                else
                {
                    const auto c = static_cast<size_t>(~e);
                    centreLeft[c] = 1;
                    mistakes += sizes[c] - 2 * left[c];
                }
            }
            if (v >= lo && v < hi && mistakes < best.mistakes)
                best = {mistakes, f, v, 0.5 * (v + events[i].first)}; // i < size: v < hi
        }
        return best;
    }

    const CheckedInput& in_;
    const std::vector<int64_t>& labels_;
    const std::vector<double>& mu_;
    Progress& progress_;
};

std::vector<int64_t> presentClusters(const std::vector<int64_t>& sizes)
{
    std::vector<int64_t> out;
    for (size_t c = 0; c < sizes.size(); ++c)
        if (sizes[c] > 0)
            out.push_back(static_cast<int64_t>(c));
    return out;
}

ThresholdTree imm(const CheckedInput& in, const std::vector<int64_t>& labels,
                  const std::vector<double>& mu, const std::vector<int64_t>& sizes,
                  Progress& progress)
{
    std::vector<int64_t> rows;
    for (int64_t i = 0; i < in.n; ++i)
        if (labels[static_cast<size_t>(i)] >= 0)
            rows.push_back(i);
    ThresholdTree tree;
    ImmBuilder(in, labels, mu, progress).build(std::move(rows), presentClusters(sizes), tree);
    return tree;
}

} // namespace

ThresholdTree immTree(const at::Tensor& x, const std::vector<int64_t>& labels, Progress& progress)
{
    const auto in = checkExplainInput({x, {}, labels, {}}, 2);
    std::vector<int64_t> sizes;
    const auto mu = clusterMeans(in, labels, sizes);
    return imm(in, labels, mu, sizes, progress);
}

namespace
{

// ExKMC's surrogate cost of a set of rows, less their summed squared norms: the smallest over
// the centres of |S| |mu_c|^2 - 2 mu_c . sum(S), and that centre.
std::pair<double, int64_t> surrogate(double count, const double* dot,
                                     const std::vector<double>& norm2,
                                     const std::vector<int64_t>& present)
{
    double best = INFINITY;
    int64_t arg = -1;
    for (auto c : present)
    {
        const double v = count * norm2[static_cast<size_t>(c)] - 2 * dot[c];
        if (v < best)
        {
            best = v;
            arg = c;
        }
    }
    return {best, arg};
}

struct LeafSplit
{
    double gain = 0; // the change of the surrogate cost (negative: better)
    int64_t feature = -1;
    double threshold = 0;
    int64_t leftCentre = -1;
    int64_t rightCentre = -1;
};

} // namespace

ThresholdTree exkmcTree(const at::Tensor& x, const std::vector<int64_t>& labels, int64_t maxLeaves,
                        Progress& progress)
{
    const auto in = checkExplainInput({x, {}, labels, {}}, 2);
    std::vector<int64_t> sizes;
    const auto mu = clusterMeans(in, labels, sizes);
    const auto present = presentClusters(sizes);
    if (maxLeaves < static_cast<int64_t>(present.size()))
        throw ParameterError("exkmc: max_leaves (" + std::to_string(maxLeaves) +
                             ") must be at least the number of clusters (" +
                             std::to_string(present.size()) + ")");
    ProgressRange immRange(progress, 0, 0.3);
    auto tree = imm(in, labels, mu, sizes, immRange);

    // dot[i * K + c] = x_i . mu_c; norm2[c] = |mu_c|^2.
    const int64_t k = in.k;
    std::vector<double> dot(static_cast<size_t>(in.n * k)), norm2(static_cast<size_t>(k), 0);
    for (int64_t c = 0; c < k; ++c)
        for (int64_t j = 0; j < in.d; ++j)
            norm2[static_cast<size_t>(c)] +=
                mu[static_cast<size_t>(c * in.d + j)] * mu[static_cast<size_t>(c * in.d + j)];
    for (int64_t i = 0; i < in.n; ++i)
        for (int64_t c = 0; c < k; ++c)
        {
            if (c == 0 && i % 256 == 0)
                progress.poll(0.3, [] { return "ExKMC: projecting on the centres"; });
            double s = 0;
            for (int64_t j = 0; j < in.d; ++j)
                s += in.data[i * in.d + j] * mu[static_cast<size_t>(c * in.d + j)];
            dot[static_cast<size_t>(i * k + c)] = s;
        }

    // The rows of each leaf (every non-noise row, as the tree routes it).
    std::vector<std::vector<int64_t>> leafRows(tree.nodes.size());
    for (int64_t i = 0; i < in.n; ++i)
        if (labels[static_cast<size_t>(i)] >= 0)
        {
            int64_t at = 0;
            while (tree.nodes[static_cast<size_t>(at)].feature >= 0)
            {
                const auto& n = tree.nodes[static_cast<size_t>(at)];
                at = in.data[i * in.d + n.feature] <= n.threshold ? n.left : n.right;
            }
            leafRows[static_cast<size_t>(at)].push_back(i);
        }

    double done = 0.3; // the fraction reported so far
    const auto bestLeafSplit = [&](const std::vector<int64_t>& rows)
    {
        LeafSplit best;
        if (rows.size() < 2)
            return best;
        std::vector<double> total(static_cast<size_t>(k), 0);
        for (auto r : rows)
            for (int64_t c = 0; c < k; ++c)
                total[static_cast<size_t>(c)] += dot[static_cast<size_t>(r * k + c)];
        const double whole =
            surrogate(static_cast<double>(rows.size()), total.data(), norm2, present).first;
        const int threads = computeThreads();
        std::vector<LeafSplit> bests(static_cast<size_t>(threads));
        parallelSlices(
            in.d, threads,
            [&](int slice, int64_t begin, int64_t end)
            {
                std::vector<std::pair<float, int64_t>> sorted;
                std::vector<double> leftDot(static_cast<size_t>(k)),
                    rightDot(static_cast<size_t>(k));
                for (int64_t f = begin; f < end; ++f)
                {
                    if (slice == 0)
                        progress.poll(done, [] { return "ExKMC: growing the tree"; });
                    else if (progress.cancelRequested())
                        return;
                    sorted.clear();
                    for (auto r : rows)
                        sorted.emplace_back(in.data[r * in.d + f], r);
                    std::sort(sorted.begin(), sorted.end());
                    std::fill(leftDot.begin(), leftDot.end(), 0.0);
                    for (size_t i = 0; i + 1 < sorted.size(); ++i)
                    {
                        const auto r = sorted[i].second;
                        for (int64_t c = 0; c < k; ++c)
                            leftDot[static_cast<size_t>(c)] += dot[static_cast<size_t>(r * k + c)];
                        if (!(sorted[i + 1].first > sorted[i].first))
                            continue;
                        for (int64_t c = 0; c < k; ++c)
                            rightDot[static_cast<size_t>(c)] =
                                total[static_cast<size_t>(c)] - leftDot[static_cast<size_t>(c)];
                        const double nl = static_cast<double>(i + 1);
                        const auto l = surrogate(nl, leftDot.data(), norm2, present);
                        const auto rr = surrogate(static_cast<double>(sorted.size()) - nl,
                                                  rightDot.data(), norm2, present);
                        const double gain = l.first + rr.first - whole;
                        auto& b = bests[static_cast<size_t>(slice)];
                        if (gain < b.gain - 1e-9 * std::abs(whole))
                            b = {gain, f,
                                 0.5 * (static_cast<double>(sorted[i].first) + sorted[i + 1].first),
                                 l.second, rr.second};
                    }
                }
            });
        for (const auto& b : bests)
            if (b.gain < best.gain)
                best = b;
        return best;
    };

    std::vector<LeafSplit> cached(tree.nodes.size());
    for (size_t at = 0; at < tree.nodes.size(); ++at)
        if (tree.nodes[at].feature < 0)
            cached[at] = bestLeafSplit(leafRows[at]);
    while (tree.leaves() < maxLeaves)
    {
        int64_t pick = -1;
        for (size_t at = 0; at < tree.nodes.size(); ++at)
            if (tree.nodes[at].feature < 0 && cached[at].feature >= 0 &&
                (pick < 0 || cached[at].gain < cached[static_cast<size_t>(pick)].gain))
                pick = static_cast<int64_t>(at);
        if (pick < 0)
            break; // no split lowers the surrogate cost
        const auto s = cached[static_cast<size_t>(pick)];
        const auto left = static_cast<int64_t>(tree.nodes.size());
        tree.nodes.push_back({-1, 0, -1, -1, s.leftCentre, 0});
        tree.nodes.push_back({-1, 0, -1, -1, s.rightCentre, 0});
        auto& node = tree.nodes[static_cast<size_t>(pick)];
        node.feature = s.feature;
        node.threshold = s.threshold;
        node.left = left;
        node.right = left + 1;
        node.cluster = -1;
        std::vector<int64_t> l, r;
        for (auto row : leafRows[static_cast<size_t>(pick)])
            (in.data[row * in.d + s.feature] <= s.threshold ? l : r).push_back(row);
        leafRows[static_cast<size_t>(pick)].clear();
        leafRows.push_back(std::move(l));
        leafRows.push_back(std::move(r));
        cached.resize(tree.nodes.size());
        cached[static_cast<size_t>(pick)] = {};
        cached[static_cast<size_t>(left)] = bestLeafSplit(leafRows[static_cast<size_t>(left)]);
        cached[static_cast<size_t>(left + 1)] =
            bestLeafSplit(leafRows[static_cast<size_t>(left + 1)]);
        done = 0.3 + 0.7 * static_cast<double>(tree.leaves()) / static_cast<double>(maxLeaves);
        progress.poll(done, [&] { return "ExKMC: " + std::to_string(tree.leaves()) + " leaves"; });
    }
    return tree;
}

double kmeansCost(const at::Tensor& x, const std::vector<int64_t>& labels)
{
    const auto in = checkExplainInput({x, {}, labels, {}}, 1);
    std::vector<int64_t> sizes;
    const auto mu = clusterMeans(in, labels, sizes);
    double cost = 0;
    for (int64_t i = 0; i < in.n; ++i)
        if (const auto c = labels[static_cast<size_t>(i)]; c >= 0)
            for (int64_t j = 0; j < in.d; ++j)
            {
                const double v = in.data[i * in.d + j] - mu[static_cast<size_t>(c * in.d + j)];
                cost += v * v;
            }
    return cost;
}

Explanation treeExplanation(const ThresholdTree& tree, const ExplainInput& input,
                            const std::string& method)
{
    const auto in = checkExplainInput(input, 2);
    std::vector<int64_t> sizes;
    const auto mu = clusterMeans(in, input.labels, sizes);
    Explanation e;
    e.method = method;
    const auto rules = tree.leafRules();
    for (int64_t c = 0; c < in.k; ++c)
    {
        if (sizes[static_cast<size_t>(c)] == 0)
            continue;
        ClusterExplanation ce;
        ce.cluster = c;
        ce.size = sizes[static_cast<size_t>(c)];
        for (const auto& [cluster, rule] : rules)
            if (cluster == c)
                ce.rules.push_back(rule);
        e.clusters.push_back(std::move(ce));
    }
    scoreDescriptions(in.x, input.labels, e.clusters);

    std::vector<int64_t> predicted(static_cast<size_t>(in.n), -1);
    double surrogateCost = 0;
    for (int64_t i = 0; i < in.n; ++i)
        if (input.labels[static_cast<size_t>(i)] >= 0)
        {
            const auto c = tree.predict(in.data + i * in.d);
            predicted[static_cast<size_t>(i)] = c;
            for (int64_t j = 0; j < in.d; ++j)
            {
                const double v = in.data[i * in.d + j] - mu[static_cast<size_t>(c * in.d + j)];
                surrogateCost += v * v;
            }
        }
    const double clustering = kmeansCost(in.x, input.labels);
    const double treeCost = kmeansCost(in.x, predicted);
    e.stats = {{"leaves", static_cast<double>(tree.leaves())},
               {"cost_clustering", clustering},
               {"cost_tree", treeCost},
               {"price_of_explainability", clustering > 0 ? treeCost / clustering : 1.0},
               {"surrogate_cost", surrogateCost},
               {"surrogate_price", clustering > 0 ? surrogateCost / clustering : 1.0}};
    int64_t mistakes = 0;
    for (const auto& n : tree.nodes)
        mistakes += n.mistakes;
    e.stats["imm_mistakes"] = static_cast<double>(mistakes); // rows IMM's cuts separated
    return e;
}

} // namespace clusterscope

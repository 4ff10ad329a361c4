// HDBSCAN*'s condensed tree, cluster selection, labels, membership strengths and GLOSH, with the
// scikit-learn-contrib package's semantics (hdbscan/_hdbscan_tree.pyx).

#include <clusterscope/cluster/hdbscan.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/kernels/union_find.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace clusterscope
{
namespace
{

constexpr double kInfinity = std::numeric_limits<double>::infinity();

size_t at(int64_t i)
{
    return static_cast<size_t>(i);
}

// The cluster rows of the condensed tree, as parent -> children and child -> parent.
struct ClusterTree
{
    int64_t root = 0;
    int64_t count = 0; // clusters, ids root .. root + count - 1
    std::vector<std::vector<int64_t>> children;
    std::vector<int64_t> parent; // -1 for the root
    std::vector<double> birth;   // lambda at which the cluster appears; 0 for the root

    ClusterTree(const std::vector<CondensedRow>& tree, int64_t n) : root(n)
    {
        int64_t last = n;
        for (const auto& r : tree)
            last = std::max({last, r.parent, r.child});
        count = last - n + 1;
        children.resize(at(count));
        parent.assign(at(count), -1);
        birth.assign(at(count), 0.0);
        for (const auto& r : tree)
        {
            if (r.childSize > 1)
            {
                children[at(r.parent - n)].push_back(r.child);
                parent[at(r.child - n)] = r.parent;
                birth[at(r.child - n)] = r.lambda;
            }
        }
    }

    bool hasSplits() const { return count > 1; }
    const std::vector<int64_t>& childrenOf(int64_t c) const { return children[at(c - root)]; }
    int64_t parentOf(int64_t c) const { return parent[at(c - root)]; }

    template <typename Visit> void forSubtree(int64_t c, Visit&& visit) const
    {
        std::vector<int64_t> stack{c};
        while (!stack.empty())
        {
            const int64_t v = stack.back();
            stack.pop_back();
            visit(v);
            for (int64_t ch : childrenOf(v))
                stack.push_back(ch);
        }
    }

    std::vector<int64_t> leavesUnder(int64_t c) const
    {
        std::vector<int64_t> leaves;
        forSubtree(c,
                   [&](int64_t v)
                   {
                       if (childrenOf(v).empty())
                           leaves.push_back(v);
                   });
        return leaves;
    }
};

// The ancestor of a selected leaf at which clusters stop being split below epsilon
// (Malzer & Baum's hybrid selection): the first one born at a distance of at least epsilon.
int64_t traverseUpwards(const ClusterTree& t, double epsilon, int64_t leaf, bool allowSingle)
{
    while (true)
    {
        const int64_t parent = t.parentOf(leaf);
        if (parent == t.root)
            return allowSingle ? parent : leaf;
        if (1.0 / t.birth[at(parent - t.root)] > epsilon)
            return parent;
        leaf = parent;
    }
}

std::set<int64_t> epsilonSearch(const std::set<int64_t>& leaves, const ClusterTree& t,
                                double epsilon, bool allowSingle)
{
    std::set<int64_t> selected;
    std::set<int64_t> processed;
    for (int64_t leaf : leaves)
    {
        const double leafEpsilon = 1.0 / t.birth[at(leaf - t.root)];
        if (leafEpsilon >= epsilon)
        {
            selected.insert(leaf);
            continue;
        }
        if (processed.count(leaf))
            continue;
        const int64_t up = traverseUpwards(t, epsilon, leaf, allowSingle);
        selected.insert(up);
        t.forSubtree(up,
                     [&](int64_t v)
                     {
                         if (v != up)
                             processed.insert(v);
                     });
    }
    return selected;
}

// For each cluster, the largest lambda among the rows leaving it directly.
std::vector<double> directMaxLambdas(const std::vector<CondensedRow>& tree, int64_t n,
                                     int64_t clusters)
{
    std::vector<double> out(at(clusters), 0.0);
    for (const auto& r : tree)
        out[at(r.parent - n)] = std::max(out[at(r.parent - n)], r.lambda);
    return out;
}

// The same over finite lambdas only (0 when a cluster has none). Exact duplicates leave at
// distance 0, lambda infinity; measured against that, every other member would score 0.
std::vector<double> directFiniteMaxLambdas(const std::vector<CondensedRow>& tree, int64_t n,
                                           int64_t clusters)
{
    std::vector<double> out(at(clusters), 0.0);
    for (const auto& r : tree)
        if (std::isfinite(r.lambda))
            out[at(r.parent - n)] = std::max(out[at(r.parent - n)], r.lambda);
    return out;
}

} // namespace

ClusterSelection parseClusterSelection(const std::string& name)
{
    if (name == "eom")
        return ClusterSelection::ExcessOfMass;
    if (name == "leaf")
        return ClusterSelection::Leaf;
    throw ParameterError("cluster selection '" + name + "' is not one of eom|leaf");
}

MstMethod parseMstMethod(const std::string& name)
{
    if (name == "auto")
        return MstMethod::Auto;
    if (name == "exact")
        return MstMethod::Exact;
    if (name == "knn")
        return MstMethod::KnnGraph;
    throw ParameterError("spanning-tree method '" + name + "' is not one of auto|exact|knn");
}

std::vector<CondensedRow> condenseTree(const std::vector<Merge>& linkage, int64_t n,
                                       int64_t minClusterSize)
{
    std::vector<CondensedRow> out;
    if (n < 2)
        return out;
    const int64_t root = 2 * n - 2;
    auto sizeOf = [&](int64_t node) { return node < n ? int64_t{1} : linkage[at(node - n)].size; };
    std::vector<int64_t> label(at(2 * n - 1), -1);
    std::vector<char> ignore(at(2 * n - 1), 0);
    label[at(root)] = n;
    int64_t next = n + 1;
    // Every point under `node` falls out of cluster `parent` at lambda.
    auto fallOut = [&](int64_t node, int64_t parent, double lambda)
    {
        std::vector<int64_t> stack{node};
        while (!stack.empty())
        {
            const int64_t v = stack.back();
            stack.pop_back();
            ignore[at(v)] = 1;
            if (v < n)
            {
                out.push_back({parent, v, lambda, 1});
                continue;
            }
            stack.push_back(linkage[at(v - n)].b);
            stack.push_back(linkage[at(v - n)].a);
        }
    };
    // Breadth-first from the root, left before right, so clusters are numbered as the contrib
    // package numbers them.
    std::vector<int64_t> order{root};
    for (size_t i = 0; i < order.size(); ++i)
    {
        if (order[i] >= n)
        {
            order.push_back(linkage[at(order[i] - n)].a);
            order.push_back(linkage[at(order[i] - n)].b);
        }
    }
    for (int64_t node : order)
    {
        if (node < n)
            continue;
        if (ignore[at(node)])
            continue;
        const auto& m = linkage[at(node - n)];
        const double lambda = m.distance > 0 ? 1.0 / m.distance : kInfinity;
        const int64_t parent = label[at(node)];
        const bool bigLeft = sizeOf(m.a) >= minClusterSize;
        const bool bigRight = sizeOf(m.b) >= minClusterSize;
        if (bigLeft && bigRight)
        {
            for (int64_t child : {m.a, m.b})
            {
                label[at(child)] = next++;
                out.push_back({parent, label[at(child)], lambda, sizeOf(child)});
            }
        }
        else
        {
            for (int64_t child : {m.a, m.b})
            {
                if (sizeOf(child) >= minClusterSize)
                    label[at(child)] = parent; // the bigger side carries on as the parent
                else
                    fallOut(child, parent, lambda);
            }
        }
    }
    return out;
}

std::vector<double> clusterStabilities(const std::vector<CondensedRow>& tree, int64_t n)
{
    const ClusterTree t(tree, n);
    std::vector<double> stability(at(t.count), 0.0);
    for (const auto& r : tree)
        stability[at(r.parent - n)] +=
            (r.lambda - t.birth[at(r.parent - n)]) * static_cast<double>(r.childSize);
    return stability;
}

std::vector<int64_t> selectClusters(const std::vector<CondensedRow>& tree, int64_t n,
                                    const HdbscanOptions& options)
{
    if (tree.empty())
        return {};
    const ClusterTree t(tree, n);
    std::set<int64_t> selected;
    if (options.selection == ClusterSelection::ExcessOfMass)
    {
        auto stability = clusterStabilities(tree, n);
        std::vector<char> isCluster(at(t.count), 1);
        if (!options.allowSingleCluster)
            isCluster[0] = 0;
        // Bottom-up: children have larger ids than their parents.
        const int64_t lowest = options.allowSingleCluster ? n : n + 1;
        for (int64_t c = n + t.count - 1; c >= lowest; --c)
        {
            double subtree = 0;
            for (int64_t ch : t.childrenOf(c))
                subtree += stability[at(ch - n)];
            if (subtree > stability[at(c - n)])
            {
                isCluster[at(c - n)] = 0;
                stability[at(c - n)] = subtree;
            }
            else
            {
                t.forSubtree(c,
                             [&](int64_t v)
                             {
                                 if (v != c)
                                     isCluster[at(v - n)] = 0;
                             });
            }
        }
        for (int64_t c = 0; c < t.count; ++c)
        {
            if (isCluster[at(c)])
                selected.insert(n + c);
        }
        if (options.epsilon > 0 && t.hasSplits())
        {
            if (selected.size() == 1 && *selected.begin() == n)
            {
                if (!options.allowSingleCluster)
                    selected.clear();
            }
            else
            {
                selected = epsilonSearch(selected, t, options.epsilon, options.allowSingleCluster);
            }
        }
    }
    else
    {
        if (!t.hasSplits())
        {
            if (options.allowSingleCluster)
                selected.insert(n);
        }
        else
        {
            const auto leaves = t.leavesUnder(n);
            selected = std::set<int64_t>(leaves.begin(), leaves.end());
            if (options.epsilon > 0)
                selected = epsilonSearch(selected, t, options.epsilon, options.allowSingleCluster);
        }
    }
    return {selected.begin(), selected.end()};
}

std::vector<int64_t> labelPoints(const std::vector<CondensedRow>& tree, int64_t n,
                                 const std::vector<int64_t>& selected,
                                 const HdbscanOptions& options)
{
    std::vector<int64_t> labels(at(n), -1);
    if (tree.empty())
        return labels;
    const ClusterTree t(tree, n);
    std::map<int64_t, int64_t> labelOf;
    for (size_t i = 0; i < selected.size(); ++i)
        labelOf[selected[i]] = static_cast<int64_t>(i);
    // Union every row except the edges into selected clusters: each point joins the selected
    // cluster above it, or the root's set.
    UnionFind sets(n + t.count);
    for (const auto& r : tree)
    {
        if (!labelOf.count(r.child))
            sets.unite(r.parent, r.child);
    }
    // The representative of a set is arbitrary; map each set to the smallest cluster id in it,
    // which is its topmost cluster (a selected cluster, or the root for everything else).
    std::vector<int64_t> top(at(n + t.count), std::numeric_limits<int64_t>::max());
    for (int64_t c = n; c < n + t.count; ++c)
    {
        auto& v = top[at(sets.find(c))];
        v = std::min(v, c);
    }
    std::vector<double> pointLambda(at(n), 0.0);
    for (const auto& r : tree)
    {
        if (r.child < n)
            pointLambda[at(r.child)] = r.lambda;
    }
    const auto maxLambdas = directMaxLambdas(tree, n, t.count);
    for (int64_t i = 0; i < n; ++i)
    {
        const int64_t cluster = top[at(sets.find(i))];
        if (cluster != n)
        {
            labels[at(i)] = labelOf.at(cluster);
            continue;
        }
        if (selected.size() == 1 && selected[0] == n && options.allowSingleCluster)
        {
            // The contrib package's rule for the single cluster: points that stay to its end,
            // or to 1 / epsilon when epsilon is set.
            const double threshold = options.epsilon > 0 ? 1.0 / options.epsilon : maxLambdas[0];
            if (pointLambda[at(i)] >= threshold)
                labels[at(i)] = 0;
        }
    }
    return labels;
}

std::vector<double> membershipStrengths(const std::vector<CondensedRow>& tree, int64_t n,
                                        const std::vector<int64_t>& labels,
                                        const std::vector<int64_t>& selected)
{
    std::vector<double> out(at(n), 0.0);
    if (tree.empty())
        return out;
    const ClusterTree t(tree, n);
    const auto maxLambdas = directFiniteMaxLambdas(tree, n, t.count);
    for (const auto& r : tree)
    {
        if (r.child >= n || labels[at(r.child)] < 0)
            continue;
        const int64_t cluster = selected[at(labels[at(r.child)])];
        const double maxLambda = maxLambdas[at(cluster - n)];
        if (maxLambda == 0 || !std::isfinite(r.lambda))
            out[at(r.child)] = 1.0;
        else
            out[at(r.child)] = std::min(r.lambda, maxLambda) / maxLambda;
    }
    return out;
}

std::vector<double> outlierScores(const std::vector<CondensedRow>& tree, int64_t n)
{
    std::vector<double> out(at(n), 0.0);
    if (tree.empty())
        return out;
    const ClusterTree t(tree, n);
    // The largest lambda anywhere below each cluster: deaths propagate to the root.
    auto deaths = directFiniteMaxLambdas(tree, n, t.count);
    for (int64_t c = n + t.count - 1; c > n; --c)
    {
        auto& p = deaths[at(t.parentOf(c) - n)];
        p = std::max(p, deaths[at(c - n)]);
    }
    for (const auto& r : tree)
    {
        if (r.child >= n)
            continue;
        const double lambdaMax = deaths[at(r.parent - n)];
        if (lambdaMax == 0 || !std::isfinite(r.lambda))
            out[at(r.child)] = 0;
        else // a lambda past the finite largest is below it (the clusters' deaths propagate)
            out[at(r.child)] = std::max(0.0, (lambdaMax - r.lambda) / lambdaMax);
    }
    return out;
}

} // namespace clusterscope

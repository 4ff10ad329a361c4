#pragma once
// Threshold-tree explanations of a partition: IMM (Dasgupta, Frost, Moshkovitz, Rashtchian,
// "Explainable k-Means and k-Medians Clustering", ICML 2020) and its ExKMC expansion (Frost,
// Moshkovitz, Rashtchian 2020; notes: shared/reference/layouts-explanations-classic.md §9).
// The reference centres are the clusters' means, so any partition can be explained, whichever
// algorithm made it.

#include <clusterscope/core/explanation.h>
#include <clusterscope/core/registry.h>

#include <cstdint>
#include <vector>

namespace clusterscope
{

class Progress;

// A binary tree over axis-parallel cuts: row goes left when x[feature] <= threshold.
struct ThresholdTree
{
    struct Node
    {
        int64_t feature = -1; // -1 for a leaf
        double threshold = 0; // in the original units, halfway between the values it separates
        int64_t left = -1;
        int64_t right = -1;
        int64_t cluster = -1; // a leaf's cluster
        int64_t mistakes = 0; // IMM: rows this cut separated from their centre
    };
    std::vector<Node> nodes; // nodes[0] is the root

    int64_t leaves() const;
    int64_t predict(const float* row) const; // the cluster of the leaf a row reaches
    // One rule per leaf: the conditions on the path to it (x <= t to the left, x > t right),
    // with two cuts of one feature in one direction merged into the tighter.
    std::vector<std::pair<int64_t, Rule>> leafRules() const; // (cluster, rule)
};

// IMM: the tree with exactly one leaf per cluster, each cut chosen to separate the fewest rows
// from their cluster's mean, mistaken rows dropped below it. Deterministic (ties: the lowest
// feature, then the lowest threshold). `x`: N x D float32 on the CPU, `labels`: N ids, -1
// (noise) ignored, at least two clusters. Throws ParameterError (shapes, fewer than 2
// clusters), CancelledError.
ThresholdTree immTree(const at::Tensor& x, const std::vector<int64_t>& labels, Progress& progress);

// ExKMC: IMM's tree grown to `maxLeaves` (>= the clusters) leaves, each step splitting the leaf
// whose best cut lowers the surrogate cost the most (each leaf labelled with the centre nearest
// its rows in summed squared distance). Stops early when no split lowers the cost.
ThresholdTree exkmcTree(const at::Tensor& x, const std::vector<int64_t>& labels, int64_t maxLeaves,
                        Progress& progress);

// The k-means cost of a labelling: sum of squared distances of rows to their cluster's mean
// (noise left out), in float64.
double kmeansCost(const at::Tensor& x, const std::vector<int64_t>& labels);

// The tree as an Explanation: each cluster's rules are its leaves' paths, scored on all rows;
// stats "leaves", "cost_clustering", "cost_tree" (the tree's clusters with their own means),
// "price_of_explainability" (cost_tree / cost_clustering), "surrogate_cost" (the tree's
// rows to the clustering's means) and "surrogate_price".
Explanation treeExplanation(const ThresholdTree& tree, const ExplainInput& input,
                            const std::string& method);

} // namespace clusterscope

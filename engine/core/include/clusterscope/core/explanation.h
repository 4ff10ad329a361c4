#pragma once
// What an explainer returns: for each cluster, rules over the original features (a polyhedron,
// or the paths of a threshold tree) and a profile of how its features differ from the rest.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace clusterscope
{

// A linear condition over the original (unscaled) features:
// sum_j weight_j * x[feature_j]  op  threshold. A condition on one feature has weight 1.
struct Condition
{
    enum class Op
    {
        LessEqual,    // <=
        GreaterEqual, // >=
        Greater,      // >
    };
    std::vector<std::pair<int64_t, double>> terms; // (feature index, nonzero weight)
    Op op = Op::LessEqual;
    double threshold = 0;
};

// A conjunction of conditions (one polyhedron, or one root-to-leaf path of a tree).
struct Rule
{
    std::vector<Condition> conditions;
    int64_t covered = 0; // rows that satisfy every condition
    int64_t correct = 0; // of those, rows of the rule's cluster
};

// A feature ranked by how it distinguishes one cluster from the rest of the rows (scanpy's
// rank_genes_groups, group against rest).
struct FeatureRank
{
    int64_t feature = 0;
    double score = 0;          // Welch's t, or the rank-sum z (positive: higher in the cluster)
    double pvalue = 1;         // two-sided
    double pvalueAdjusted = 1; // Benjamini-Hochberg over the features
    double logFoldChange = 0;  // log2 of the ratio of means (NaN unless the feature is >= 0)
    double meanIn = 0;         // the feature's mean in the cluster
    double meanOut = 0;        // and in the rest
};

struct ClusterExplanation
{
    int64_t cluster = 0; // the cluster id
    int64_t size = 0;    // its rows
    std::string name;    // an automatic name (the majority true label, or its top features)
    // The rows the description covers are those satisfying any rule (one rule for a
    // polyhedron, one per leaf for a tree). Empty for a profile alone.
    std::vector<Rule> rules;
    double coverage = 0;      // covered rows of the cluster / its size
    double precision = 0;     // covered rows of the cluster / all covered rows (1 if none)
    int64_t covered = 0;      // all rows covered
    int64_t featuresUsed = 0; // distinct features in its rules
    // Profile: each feature's mean and standard deviation (ddof 1) in the cluster, and the
    // features ranked by Welch's t-test and by the Wilcoxon rank-sum test (the top ones).
    std::vector<double> mean;
    std::vector<double> std;
    std::vector<FeatureRank> tTest;
    std::vector<FeatureRank> wilcoxon;
    std::vector<int64_t> prototypes; // rows nearest the cluster's mean (its medoids under
                                     // squared Euclidean distance), nearest first
};

struct Explanation
{
    std::string method; // the explainer's id
    std::vector<ClusterExplanation> clusters;
    // The solver proved the description optimal for its objective (polyhedral descriptions);
    // false when a time limit or a heuristic step stopped it first, and for trees and profiles.
    bool optimal = false;
    std::vector<double> mean; // each feature's mean and standard deviation over all rows
    std::vector<double> std;
    std::map<std::string, double> stats; // e.g. "errors", "price_of_explainability"
    std::vector<std::string> warnings;   // what the user should know, with what to do
};

} // namespace clusterscope

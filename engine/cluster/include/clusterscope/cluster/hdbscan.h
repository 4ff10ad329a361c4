#pragma once
// HDBSCAN* (Campello, Moulavi & Sander; McInnes & Healy's accelerated form) with the semantics of
// the scikit-learn-contrib `hdbscan` package:
//   core distances -> mutual-reachability minimum spanning tree -> single-linkage tree ->
//   condensed tree -> Excess-of-Mass or leaf selection -> labels, membership strengths,
//   GLOSH outlier scores and soft membership vectors.
// `min_samples` counts neighbours *excluding* the point itself, as the contrib package does;
// scikit-learn's own HDBSCAN counts the point, so its min_samples = ours + 1.

#include <clusterscope/cluster/agglomerative.h>
#include <clusterscope/embed/knn.h>

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class ClusterSelection
{
    ExcessOfMass,
    Leaf,
};

enum class MstMethod
{
    Auto,     // Exact up to HdbscanOptions::exactMaxRows rows, else KnnGraph
    Exact,    // Prim's algorithm over every pair: O(N^2 D) time, O(N D) memory
    KnnGraph, // Boruvka pruned by the kNN graph: exact with exact neighbours, O(N k) memory
};

ClusterSelection parseClusterSelection(const std::string& name); // "eom", "leaf"
MstMethod parseMstMethod(const std::string& name);               // "auto", "exact", "knn"

struct HdbscanOptions
{
    int64_t minClusterSize = 5;
    int64_t minSamples = 0; // 0: the same as minClusterSize
    ClusterSelection selection = ClusterSelection::ExcessOfMass;
    double epsilon = 0; // cluster_selection_epsilon: clusters split below it are merged
    bool allowSingleCluster = false;
    MstMethod mst = MstMethod::Auto;
    int64_t exactMaxRows = 20000;
    KnnMethod neighbors = KnnMethod::Exact; // for the core distances and the kNN graph
    int64_t graphNeighbors = 0;             // the kNN graph's k; 0: max(min_samples, 16)
    bool softMembership = true;
    uint64_t seed = 0;
};

// One row of the condensed tree: `child` is a point (< N) or a cluster (>= N, the root is N)
// that leaves `parent` at density lambda = 1 / distance.
struct CondensedRow
{
    int64_t parent = 0;
    int64_t child = 0;
    double lambda = 0;
    int64_t childSize = 0;
};

struct HdbscanResult
{
    std::vector<int64_t> labels;           // -1 is noise
    std::vector<double> probabilities;     // membership strength in the point's cluster
    std::vector<double> outlierScores;     // GLOSH, in [0, 1]
    at::Tensor membership;                 // N x K soft membership (float32), or undefined
    std::vector<double> coreDistances;     // N
    std::vector<Merge> mst;                // N - 1 edges (a, b, mutual-reachability distance)
    bool exactMst = true;                  // false when the kNN-graph MST was used
    std::vector<CondensedRow> condensed;   // the condensed tree
    std::vector<int64_t> selectedClusters; // condensed-tree ids in label order
    std::vector<double> persistence;       // per selected cluster, as the contrib package
    double knnRecall = -1;                 // HNSW's estimated recall; -1: exact search
    std::vector<std::string> warnings;     // an HNSW graph replaced by the exact one
};

// `x` is N x D (any floating dtype), centred by its column means before any distance is taken.
// Throws ParameterError for min_cluster_size below 2 and DataError for fewer than 2 rows or NaN
// or infinite values.
HdbscanResult hdbscan(const at::Tensor& x, const HdbscanOptions& options,
                      Progress* progress = nullptr);

// The stages, for tests and for other methods.

// Distance to the min_samples-th neighbour (excluding the point): graph.k >= minSamples.
std::vector<double> coreDistances(const KnnGraph& graph, int64_t minSamples);

// The exact mutual-reachability MST: d_mr(a, b) = max(core a, core b, |a - b|). Both trees
// centre x first and throw DataError on NaN, infinite or unsquarable values.
std::vector<Merge> exactReachabilityMst(const at::Tensor& x, const std::vector<double>& core,
                                        Progress* progress = nullptr);

// The same tree by Boruvka rounds that read each point's lightest edge to another component
// from its neighbour list when it provably beats every unlisted point, and search exhaustively
// (GEMM) otherwise. Exact when `graph` is exact; with an approximate graph, nearly so.
std::vector<Merge> knnGraphReachabilityMst(const at::Tensor& x, const std::vector<double>& core,
                                           const KnnGraph& graph, Progress* progress = nullptr);

// The condensed tree of a linkage (SciPy form, N - 1 merges) at min_cluster_size.
std::vector<CondensedRow> condenseTree(const std::vector<Merge>& linkage, int64_t n,
                                       int64_t minClusterSize);

// Stability of every cluster: sum over its rows of (lambda - lambda_birth) * child size.
// Indexed by cluster id - N.
std::vector<double> clusterStabilities(const std::vector<CondensedRow>& tree, int64_t n);

// The selected clusters (condensed-tree ids, ascending).
std::vector<int64_t> selectClusters(const std::vector<CondensedRow>& tree, int64_t n,
                                    const HdbscanOptions& options);

// Labels 0..K-1 in the order of `selected`, -1 for noise.
std::vector<int64_t> labelPoints(const std::vector<CondensedRow>& tree, int64_t n,
                                 const std::vector<int64_t>& selected,
                                 const HdbscanOptions& options);

std::vector<double> membershipStrengths(const std::vector<CondensedRow>& tree, int64_t n,
                                        const std::vector<int64_t>& labels,
                                        const std::vector<int64_t>& selected);

std::vector<double> outlierScores(const std::vector<CondensedRow>& tree, int64_t n);

} // namespace clusterscope

#pragma once
// Leiden community detection (Traag, Waltman & van Eck 2019) on the symmetrised kNN graph of
// the rows, through igraph's igraph_community_leiden, with the modularity or the Constant Potts
// Model as the objective.

#include <clusterscope/embed/knn.h>

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class LeidenObjective
{
    Modularity, // (1 / 2m) sum_ij (A_ij - resolution k_i k_j / 2m) [c_i = c_j]
    Cpm,        // (1 / 2m) sum_ij (A_ij - resolution) [c_i = c_j]
};

LeidenObjective parseLeidenObjective(const std::string& name); // "modularity", "cpm"

// An undirected weighted graph as an edge list (a < b, each pair once).
struct WeightedGraph
{
    int64_t nodes = 0;
    std::vector<int64_t> from;
    std::vector<int64_t> to;
    std::vector<double> weights;
};

// The union of the kNN relation and its transpose; every edge has weight 1.
WeightedGraph symmetricKnnGraph(const KnnGraph& knn);

struct LeidenOptions
{
    LeidenObjective objective = LeidenObjective::Modularity;
    double resolution = 1.0;
    double beta = 0.01;     // randomness of the refinement step
    int64_t iterations = 0; // 0: until an iteration changes nothing
    uint64_t seed = 0;
};

struct LeidenResult
{
    std::vector<int64_t> labels; // communities numbered by decreasing size
    double quality = 0;          // the objective's value, as igraph computes it
    int64_t iterations = 0;
};

LeidenResult leiden(const WeightedGraph& graph, const LeidenOptions& options,
                    Progress* progress = nullptr);

// igraph's own modularity of a partition (for tests and reports).
double modularity(const WeightedGraph& graph, const std::vector<int64_t>& labels,
                  double resolution = 1.0);

} // namespace clusterscope

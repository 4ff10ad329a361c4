#pragma once
// Agglomerative clustering with Ward, complete, average and single linkage on euclidean
// distances, following SciPy's algorithms (which scikit-learn uses): the nearest-neighbour chain
// with Lance-Williams updates on a float64 condensed distance matrix, and Prim's minimum
// spanning tree for single linkage. The dendrogram is kept for views.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class Linkage
{
    Ward,
    Complete,
    Average,
    Single,
};

Linkage parseLinkage(const std::string& name); // "ward", "complete", "average", "single"

// One merge, as a row of SciPy's linkage matrix: clusters a < b (ids below N are rows, id N + i
// is the cluster made by merge i), their distance, and the new cluster's size.
struct Merge
{
    int64_t a = 0;
    int64_t b = 0;
    double distance = 0;
    int64_t size = 0;
};

struct Dendrogram
{
    int64_t leaves = 0;
    std::vector<Merge> merges; // N - 1 merges by increasing distance
};

// The condensed matrix takes N (N - 1) / 2 doubles: 1.6 GB at 20000 rows. Above this limit
// agglomerate() refuses with an error that says so. Single linkage needs no matrix and has no
// limit beyond time.
constexpr int64_t kAgglomerativeMaxRows = 30000;

Dendrogram agglomerate(const at::Tensor& x, Linkage linkage, Progress* progress = nullptr);

// Labels 0..k-1 from undoing the last k - 1 merges.
std::vector<int64_t> cutTree(const Dendrogram& tree, int64_t k);

} // namespace clusterscope

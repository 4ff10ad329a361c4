#pragma once
// N2D (McConville, Santos-Rodriguez, Piechocki & Craddock 2020, "N2D: (Not Too) Deep Clustering
// via Clustering the Local Manifold of an Autoencoded Embedding", ICPR): an autoencoder's
// embedding (deep.h's, pretrained and cached as for AE + k-means), its UMAP manifold in a few
// dimensions (umap.h; min_dist 0, as the paper), then a full-covariance Gaussian mixture
// (gmm.h). The manifold may also be learned on the input itself, without an autoencoder.

#include <clusterscope/deep/deep.h>

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

struct N2dOptions
{
    DeepOptions deep;        // k, the autoencoder, seeds, device, cache, checkpoint, truth
    bool onInput = false;    // learn the manifold on the input (no autoencoder)
    int64_t nNeighbors = 20; // UMAP's n_neighbors (the paper's)
    double minDist = 0.0;    // UMAP's min_dist (the paper's)
    int64_t components = 0;  // manifold dimensions; 0: the number of clusters (the paper's)
    bool approximateNeighbors = false; // HNSW instead of the exact kNN scan
    int64_t gmmInits = 1;              // the mixture's restarts
};

struct N2dResult
{
    std::vector<int64_t> labels;
    at::Tensor soft;     // N x k float32: the mixture's responsibilities
    at::Tensor manifold; // N x components float32: the UMAP coordinates the mixture fitted
    TrainingHistory history;
    bool pretrainedFromCache = false;
    bool resumed = false;
    std::vector<std::string> warnings;
    double logLikelihood = 0;
    double knnRecall = -1; // HNSW's measured recall in UMAP (-1: exact neighbours)
};

// `x` is N x D float32 (any device: the autoencoder trains there; UMAP and the mixture run on
// the CPU). Throws what deepCluster, umap and gaussianMixture throw: ParameterError naming the
// parameter (k, n_neighbors above the rows, ...), DataError for non-finite values,
// CancelledError when `progress` asks.
N2dResult n2d(const at::Tensor& x, const N2dOptions& options, Progress* progress = nullptr);

} // namespace clusterscope

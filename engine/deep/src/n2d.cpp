// N2D: autoencoder, UMAP, Gaussian mixture (n2d.h).

#include "training.h"

#include <clusterscope/cluster/gmm.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/deep/n2d.h>
#include <clusterscope/embed/umap.h>

#include <ATen/ATen.h>

namespace clusterscope
{

N2dResult n2d(const at::Tensor& x, const N2dOptions& o, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    N2dResult r;
    at::Tensor features;
    if (o.onInput)
    {
        features = x.to(at::kCPU).to(at::kFloat).contiguous();
    }
    else
    {
        // The autoencoder alone: AE + k-means' pretraining, with one k-means start on its
        // embedding (its labels are not used).
        DeepOptions ae = o.deep;
        ae.method = DeepMethod::AeKMeans;
        ae.kmeansRestarts = 1;
        ProgressRange stage(progress, 0.0, 0.6);
        auto trained = deepCluster(x, ae, &stage);
        features = trained.embedding.to(at::kCPU).to(at::kFloat).contiguous();
        r.history = std::move(trained.history);
        r.history.erase("acc"); // those of the unused k-means labels
        r.history.erase("nmi");
        r.pretrainedFromCache = trained.pretrainedFromCache;
        r.resumed = trained.resumed;
        r.warnings = std::move(trained.warnings);
    }

    UmapOptions u;
    u.nNeighbors = o.nNeighbors;
    u.nComponents = o.components > 0 ? o.components : o.deep.k;
    u.minDist = o.minDist;
    u.approximateNeighbors = o.approximateNeighbors;
    u.seed = deriveSeed(o.deep.seed, 51);
    UmapResult manifold;
    {
        ProgressRange stage(progress, o.onInput ? 0.0 : 0.6, 0.95);
        manifold = umap(features, u, &stage);
    }
    r.warnings.insert(r.warnings.end(), manifold.warnings.begin(), manifold.warnings.end());
    r.knnRecall = manifold.knnRecall;

    GmmOptions g;
    g.k = o.deep.k;
    g.covariance = CovarianceType::Full;
    g.nInit = o.gmmInits;
    g.seed = deriveSeed(o.deep.seed, 52);
    ProgressRange stage(progress, 0.95, 1.0);
    const auto mixture = gaussianMixture(manifold.embedding, g, &stage);
    r.labels = intValues(mixture.labels);
    r.soft = mixture.responsibilities.to(at::kCPU, at::kFloat);
    r.manifold = manifold.embedding;
    r.logLikelihood = mixture.logLikelihood;
    recordScores(r.history, o.deep.truth, r.labels);
    progress.report(1.0, "done");
    return r;
}

} // namespace clusterscope

#include <clusterscope/cluster/algorithms.h>
#include <clusterscope/cluster/spectral.h>

namespace clusterscope
{

AlgorithmInfo spectralAlgorithm()
{
    AlgorithmInfo info;
    info.id = "spectral";
    info.displayName = "Spectral";
    info.summary = "Spectral clustering (scikit-learn's semantics): affinity graph, normalised "
                   "Laplacian eigenvectors by Lanczos, k-means on them";
    info.caps.clusterCount = "k";
    info.params = {
        ParamSpec::integer("k", 8, 1, 10'000, "Number of clusters (and of eigenvectors)")
            .atMostRows(1, "the Lanczos eigen-solver finds k eigenvectors of the rows x rows "
                           "affinity matrix and needs k below its size"),
        ParamSpec::choice("affinity", "nearest_neighbors", {"nearest_neighbors", "rbf"},
                          "kNN connectivity (sparse), or the dense RBF kernel exp(-gamma d^2) "
                          "(up to 30000 rows)"),
        ParamSpec::integer("neighbors", 10, 2, 1000,
                           "Neighbours per point for the kNN affinity, the point included")
            .atMostRows(0, "the point itself is one of its neighbours and the others are "
                           "rows too"),
        ParamSpec::real("gamma", 1.0, 1e-12, 1e12, "RBF kernel width"),
        ParamSpec::choice("knn", "exact", {"exact", "hnsw"}, "Neighbour search"),
        ParamSpec::integer("n_init", 10, 1, 1000, "k-means restarts on the embedding"),
    };
    info.run = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        SpectralOptions o;
        o.k = p.integer("k");
        o.affinity = parseAffinity(p.choice("affinity"));
        o.neighbors = p.integer("neighbors");
        o.gamma = p.real("gamma");
        o.knn = parseKnnMethod(p.choice("knn"));
        o.nInit = p.integer("n_init");
        o.seed = ctx.seed;
        const auto r = spectralClustering(x.to(ctx.device), o, ctx.progress);
        ClusteringResult out;
        out.labels = r.labels;
        out.warnings = r.warnings;
        out.stats = {
            {"lanczos_restarts", static_cast<double>(r.solverIterations)},
            {"smallest_nonzero_eigenvalue", r.eigenvalues.size() > 1 ? r.eigenvalues[1] : 0.0},
            {"largest_eigenvalue_kept", r.eigenvalues.back()}};
        if (r.knnRecall >= 0)
            out.stats["knn_recall"] = r.knnRecall;
        return out;
    };
    return info;
}

} // namespace clusterscope

#include <clusterscope/cluster/algorithms.h>
#include <clusterscope/cluster/gmm.h>
#include <clusterscope/core/tensor_io.h>

#include <ATen/ATen.h>

namespace clusterscope
{

AlgorithmInfo gmmAlgorithm()
{
    AlgorithmInfo info;
    info.id = "gmm";
    info.displayName = "Gaussian mixture";
    info.summary = "EM for Gaussian mixtures, initialised by k-means (scikit-learn's formulation); "
                   "the confidence is the most probable component's probability";
    info.caps.clusterCount = "k";
    info.caps.softAssignments = true;
    info.params = {
        ParamSpec::integer("k", 8, 1, 100'000, "Number of mixture components"),
        ParamSpec::choice("covariance_type", "full", {"full", "diag", "tied", "spherical"},
                          "Shape of each component's covariance"),
        ParamSpec::integer("n_init", 1, 1, 1000, "Restarts; the best lower bound wins"),
        ParamSpec::integer("max_iter", 100, 1, 1'000'000, "Most EM iterations per restart"),
        ParamSpec::real("tol", 1e-3, 0, 1e6,
                        "Stop when the mean log-likelihood changes by less than this"),
        ParamSpec::real("reg_covar", 1e-6, 0, 1e6,
                        "Added to the covariances' diagonals, so they stay invertible"),
    };
    info.run = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        GmmOptions o;
        o.k = p.integer("k");
        o.covariance = parseCovarianceType(p.choice("covariance_type"));
        o.nInit = p.integer("n_init");
        o.maxIter = p.integer("max_iter");
        o.tol = p.real("tol");
        o.regCovar = p.real("reg_covar");
        o.seed = ctx.seed;
        const auto r = gaussianMixture(x.to(ctx.device), o, ctx.progress);
        ClusteringResult out;
        out.labels = intValues(r.labels);
        out.soft = r.responsibilities.to(at::kCPU, at::kFloat);
        out.confidence = floatValues(std::get<0>(out.soft.max(1)));
        out.stats = {{"log_likelihood", r.logLikelihood},
                     {"bic", r.bic},
                     {"aic", r.aic},
                     {"iterations", static_cast<double>(r.iterations)},
                     {"converged", r.converged ? 1.0 : 0.0}};
        return out;
    };
    return info;
}

} // namespace clusterscope

#include <clusterscope/embed/preprocess.h>
#include <clusterscope/embed/reducers.h>

#include <ATen/ATen.h>

namespace clusterscope
{

ReducerInfo pcaReducer()
{
    ReducerInfo info;
    info.id = "pca";
    info.displayName = "PCA";
    info.summary = "Principal component analysis: exact (float64 covariance) or randomized "
                   "(Halko et al.), as scikit-learn's PCA";
    info.caps.cuda = false;
    info.params = {
        ParamSpec::integer("n_components", 2, 1, 4096, "Output dimensions"),
        ParamSpec::choice("svd_solver", "exact", {"exact", "randomized"},
                          "Exact eigendecomposition, or the randomized range finder"),
    };
    info.reduce = [](const at::Tensor& x, const ParamSet& p, const RunContext& ctx)
    {
        PcaOptions o;
        o.components = p.integer("n_components");
        o.solver =
            p.choice("svd_solver") == "randomized" ? PcaSolver::Randomized : PcaSolver::Exact;
        o.seed = ctx.seed;
        const auto fit = fitPca(x, o, ctx.progress);
        return fit.transform(x, ctx.progress).to(at::kFloat).contiguous();
    };
    return info;
}

} // namespace clusterscope

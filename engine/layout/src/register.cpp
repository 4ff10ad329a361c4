#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/layout/hchc.h>
#include <clusterscope/layout/layouts.h>

namespace clusterscope
{

LayoutInfo hchcLayoutEntry()
{
    LayoutInfo info;
    info.id = "hchc";
    info.displayName = "HCHC";
    info.summary =
        "Hamiltonian-cycle layout of a soft assignment (Huang et al., ICML 2023): anchors on a "
        "circle in the order of the shortest cycle through d = (1 - Pearson r of Q's "
        "columns) / 2, arc gaps proportional to d, each sample at its q-weighted mean of the "
        "anchors; exact (Held-Karp) up to exact_max_clusters, else multi-start 2-opt + Or-opt";
    info.caps.cuda = false; // a soft assignment on CUDA is laid out on the CPU
    info.caps.input = InputKind::SoftAssignment;
    info.params = {
        ParamSpec::integer("exact_max_clusters", 16, 0, 20,
                           "Held-Karp (exact; time 2^K K^2, memory 2^K K) up to this many "
                           "clusters, the heuristic above (0: always the heuristic)"),
        ParamSpec::integer("n_init", 8, 1, 1000,
                           "Heuristic: independent seeded starts (the shortest cycle wins)"),
        ParamSpec::integer("n_kicks", 200, 0, 100'000,
                           "Heuristic: double-bridge perturbations per start, each followed "
                           "by 2-opt and Or-opt"),
        ParamSpec::choice("outlier_score", "distance", {"distance", "entropy"},
                          "Outlier score: distance from the nearest anchor (0 to 2), or the "
                          "entropy of q over log K (0 to 1)"),
        ParamSpec::real("outlier_threshold", 0.5, 0.0, 2.0,
                        "Samples whose outlier score exceeds this are outliers"),
    };
    info.layout = [](const at::Tensor& soft, const ParamSet& p, const RunContext& ctx)
    {
        HchcOptions o;
        o.exactMaxClusters = p.integer("exact_max_clusters");
        o.starts = p.integer("n_init");
        o.kicks = p.integer("n_kicks");
        o.score =
            p.choice("outlier_score") == "entropy" ? OutlierScore::Entropy : OutlierScore::Distance;
        o.outlierThreshold = p.real("outlier_threshold");
        o.seed = ctx.seed;
        return hchcLayout(soft, o, ctx.progress ? *ctx.progress : nullProgress());
    };
    return info;
}

} // namespace clusterscope

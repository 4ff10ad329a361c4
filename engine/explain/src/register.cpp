#include <clusterscope/core/progress.h>
#include <clusterscope/explain/explainers.h>
#include <clusterscope/explain/polyhedral.h>
#include <clusterscope/explain/profile.h>
#include <clusterscope/explain/threshold_tree.h>

namespace clusterscope
{
namespace
{

Progress& progressOf(const RunContext& ctx)
{
    return ctx.progress ? *ctx.progress : nullProgress();
}

// Every explainer names its clusters the same way (profile.h's nameClusters).
Explanation named(Explanation e, const ExplainInput& input, const RunContext& ctx)
{
    nameClusters(e, input, ctx.truth);
    return e;
}

Capabilities explainerCaps()
{
    Capabilities caps;
    caps.input = InputKind::Partition;
    caps.cuda = false; // sweeps and integer programs on the CPU; CUDA features are copied
    return caps;
}

} // namespace

ExplainerInfo polyhedralExplainer()
{
    ExplainerInfo info;
    info.id = "polyhedral";
    info.displayName = "Polyhedral descriptions";
    info.summary = "Each cluster as a few half-spaces over the original features (Lawless & "
                   "Guenluek, ICML 2023): an integer program under an error budget, column "
                   "generation from its LP duals, grouping for large N; COIN-OR CLP and CBC";
    info.caps = explainerCaps();
    info.params = {
        ParamSpec::choice("objective", "complexity",
                          {"complexity", "halfspaces", "features", "errors"},
                          "What to minimise: complexity = sum of (features + 1) over the "
                          "half-spaces (LC-PDP), halfspaces, distinct features (Sp-PDP), or "
                          "mis-described rows (with max_halfspaces as the budget)"),
        ParamSpec::real("alpha", 0.05, 0.0, 1.0,
                        "Error budget: the fraction of rows that may be mis-described (outside "
                        "their cluster's polyhedron or inside another's)"),
        ParamSpec::integer("max_halfspaces", 0, 0, 1000,
                           "Half-spaces per cluster at most (0: no limit)"),
        ParamSpec::integer("beta", 1, 1, 3,
                           "Features per half-space (1: thresholds on one feature; 2 or 3: "
                           "oblique cuts with small integer weights on standardised features)"),
        ParamSpec::integer("max_weight", 1, 1, 3,
                           "Largest |integer weight| of a feature in an oblique half-space"),
        ParamSpec::real("time_limit", 60.0, 0.01, 86400.0,
                        "Seconds for the whole search; the best description found by then is "
                        "returned, marked not proven optimal"),
        ParamSpec::integer("max_points", 2000, 0, 10'000'000,
                           "Above this many rows, groups of rows stand for the rows (the "
                           "grouping scheme; 0: never group)"),
        ParamSpec::integer("refine_rounds", 3, 0, 20,
                           "Grouping: rounds that split mis-described groups and solve again"),
    };
    info.explain = [](const ExplainInput& input, const ParamSet& p, const RunContext& ctx)
    {
        PolyhedralOptions o;
        const auto objective = p.choice("objective");
        o.objective = objective == "halfspaces" ? DescriptionObjective::Halfspaces
                      : objective == "features" ? DescriptionObjective::Features
                      : objective == "errors"   ? DescriptionObjective::Errors
                                                : DescriptionObjective::Complexity;
        o.alpha = p.real("alpha");
        o.maxHalfspaces = p.integer("max_halfspaces");
        o.beta = p.integer("beta");
        o.maxWeight = p.integer("max_weight");
        o.timeLimit = p.real("time_limit");
        o.maxPoints = p.integer("max_points");
        o.refineRounds = p.integer("refine_rounds");
        o.seed = ctx.seed;
        return named(polyhedralDescriptions(input, o, progressOf(ctx)), input, ctx);
    };
    return info;
}

ExplainerInfo immExplainer()
{
    ExplainerInfo info;
    info.id = "imm";
    info.displayName = "IMM threshold tree";
    info.summary = "A threshold tree with one leaf per cluster, each cut separating the fewest "
                   "rows from their cluster's mean (Dasgupta et al., ICML 2020); reports the "
                   "price of explainability";
    info.caps = explainerCaps();
    info.explain = [](const ExplainInput& input, const ParamSet&, const RunContext& ctx)
    {
        const auto tree = immTree(input.features, input.labels, progressOf(ctx));
        return named(treeExplanation(tree, input, "imm"), input, ctx);
    };
    return info;
}

ExplainerInfo exkmcExplainer()
{
    ExplainerInfo info;
    info.id = "exkmc";
    info.displayName = "ExKMC threshold tree";
    info.summary = "IMM's tree grown to max_leaves leaves, each split lowering the k-means "
                   "surrogate cost the most (Frost, Moshkovitz, Rashtchian 2020)";
    info.caps = explainerCaps();
    info.params = {ParamSpec::integer("max_leaves", 0, 0, 100'000,
                                      "Leaves of the grown tree (0: twice the clusters)")};
    info.explain = [](const ExplainInput& input, const ParamSet& p, const RunContext& ctx)
    {
        int64_t leaves = p.integer("max_leaves");
        if (leaves == 0)
        {
            int64_t k = 0;
            for (auto c : input.labels)
                k = std::max(k, c + 1);
            leaves = 2 * k;
        }
        const auto tree = exkmcTree(input.features, input.labels, leaves, progressOf(ctx));
        auto e = treeExplanation(tree, input, "exkmc");
        if (tree.leaves() < leaves)
            e.warnings.push_back("the tree stopped at " + std::to_string(tree.leaves()) + " of " +
                                 std::to_string(leaves) +
                                 " leaves: no further split lowers the k-means surrogate cost "
                                 "(each split would keep both halves with one centre)");
        return named(std::move(e), input, ctx);
    };
    return info;
}

ExplainerInfo profileExplainer()
{
    ExplainerInfo info;
    info.id = "profile";
    info.displayName = "Cluster profiles";
    info.summary = "Each feature's mean and spread per cluster, and the most distinguishing "
                   "features by Welch's t-test and the Wilcoxon rank-sum test against the rest "
                   "(scanpy's rank_genes_groups), Benjamini-Hochberg adjusted; the rows nearest "
                   "each cluster's mean";
    info.caps = explainerCaps();
    info.params = {
        ParamSpec::integer("n_top_features", 10, 0, 1'000'000,
                           "Features kept per cluster in each ranking (0: all)"),
        ParamSpec::integer("n_prototypes", 8, 0, 1000,
                           "Rows nearest each cluster's mean to keep (its typical members)"),
    };
    info.explain = [](const ExplainInput& input, const ParamSet& p, const RunContext& ctx)
    {
        ProfileOptions o;
        o.topFeatures = p.integer("n_top_features");
        o.prototypes = p.integer("n_prototypes");
        return named(clusterProfiles(input, o, progressOf(ctx)), input, ctx);
    };
    return info;
}

} // namespace clusterscope

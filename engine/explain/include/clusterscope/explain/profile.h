#pragma once
// Per-cluster profiles: how each cluster's features differ from the rest of the rows, ranked as
// scanpy's rank_genes_groups ranks genes (one group against the rest): Welch's t-test
// (scipy.stats.ttest_ind(equal_var=False)) and the Wilcoxon rank-sum test (the normal
// approximation with the tie correction, no continuity correction: scipy.stats.mannwhitneyu
// (method="asymptotic", use_continuity=False)), two-sided p-values adjusted by
// Benjamini-Hochberg over the features. Also the rows nearest each cluster's mean (its medoids
// under squared Euclidean distance), which show an image cluster's typical members.

#include <clusterscope/core/explanation.h>
#include <clusterscope/core/registry.h>

#include <cstdint>
#include <vector>

namespace clusterscope
{

class Progress;

struct ProfileOptions
{
    int64_t topFeatures = 10; // features kept per cluster in each ranking (0: all)
    int64_t prototypes = 8;   // rows nearest the mean kept per cluster
};

// For every cluster (ids >= 0; noise rows count in "the rest"): mean and std (ddof 1) of each
// feature, the two rankings (by score, highest first; a feature constant in both groups scores
// 0 with p 1), the log2 fold change of means (NaN where a feature takes negative values), and
// the prototypes; Explanation::mean and ::std over all rows. Features N x D float32 on the CPU.
// Throws ParameterError (shapes, fewer than two clusters), DataError (non-finite values),
// CancelledError.
Explanation clusterProfiles(const ExplainInput& input, const ProfileOptions& options,
                            Progress& progress);

// Benjamini-Hochberg adjusted p-values, in the input's order (statsmodels' fdr_bh).
std::vector<double> benjaminiHochberg(const std::vector<double>& pvalues);

// Names each cluster: the majority true label and its share ("Sneaker (91%)", or "class 3
// (91%)" for labels without names) when `truth` is given, else its two most distinguishing features
// by t-score ("high petal_width, low sepal_width"; needs the profile's tTest, else "cluster <id>").
void nameClusters(Explanation& explanation, const ExplainInput& input,
                  const std::vector<int64_t>* truth);

} // namespace clusterscope

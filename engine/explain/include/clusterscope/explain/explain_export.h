#pragma once
// An Explanation written out: JSON (what `clusterscope-cli explain --out` writes), plain text,
// and a LaTeX table of the rules.

#include <clusterscope/core/explanation.h>

#include <string>
#include <vector>

namespace clusterscope
{

// JSON: method, optimal, stats, warnings, and per cluster its id, name, size, coverage,
// precision, covered, features_used, rules (each a list of conditions: terms as
// {"feature": name, "index": j, "weight": w}, "op" "<=", ">=" or ">", "threshold", and the
// rule's text, covered and correct) and, where profiled, the top features of each test.
std::string explanationJson(const Explanation& explanation,
                            const std::vector<std::string>& featureNames);

// One block per cluster: its name, size, coverage and precision, then its rules (or its top
// features).
std::string explanationText(const Explanation& explanation,
                            const std::vector<std::string>& featureNames);

// A booktabs table: cluster, rules (conditions joined by \wedge), coverage, precision. Names
// and numbers are escaped for LaTeX.
std::string explanationLatex(const Explanation& explanation,
                             const std::vector<std::string>& featureNames);

} // namespace clusterscope

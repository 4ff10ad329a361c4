#include <clusterscope/core/parameters.h>
#include <clusterscope/explain/explain_export.h>
#include <clusterscope/explain/rules.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

namespace clusterscope
{
namespace
{

std::string featureName(const std::vector<std::string>& names, int64_t j)
{
    return j < static_cast<int64_t>(names.size()) ? names[static_cast<size_t>(j)]
                                                  : "x" + std::to_string(j);
}

const char* opText(Condition::Op op)
{
    return op == Condition::Op::LessEqual ? "<=" : op == Condition::Op::GreaterEqual ? ">=" : ">";
}

// JSON has no NaN: null, as dumpJson writes it elsewhere.
nlohmann::json number(double v)
{
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

nlohmann::json ranksJson(const std::vector<FeatureRank>& ranks,
                         const std::vector<std::string>& names)
{
    auto out = nlohmann::json::array();
    for (const auto& r : ranks)
        out.push_back({{"feature", featureName(names, r.feature)},
                       {"index", r.feature},
                       {"score", number(r.score)},
                       {"pvalue", number(r.pvalue)},
                       {"pvalue_adjusted", number(r.pvalueAdjusted)},
                       {"log_fold_change", number(r.logFoldChange)},
                       {"mean_in", number(r.meanIn)},
                       {"mean_out", number(r.meanOut)}});
    return out;
}

std::string latexEscape(const std::string& s)
{
    std::string out;
    for (char c : s)
        switch (c)
        {
        case '_':
        case '%':
        case '&':
        case '#':
        case '$':
        case '{':
        case '}':
            out += '\\';
            out += c;
            break;
        case '\\':
            out += "\\textbackslash{}";
            break;
        case '~':
            out += "\\textasciitilde{}";
            break;
        case '^':
            out += "\\textasciicircum{}";
            break;
        default:
            out += c;
        }
    return out;
}

std::string latexCondition(const Condition& c, const std::vector<std::string>& names)
{
    std::string lhs;
    for (const auto& [j, w] : c.terms)
    {
        const double a = std::abs(w);
        lhs += (w < 0 ? (lhs.empty() ? "-" : " - ") : (lhs.empty() ? "" : " + "));
        if (a != 1)
            lhs += formatNumber(a, 4) + "\\,";
        lhs += "\\text{" + latexEscape(featureName(names, j)) + "}";
    }
    const char* op = c.op == Condition::Op::LessEqual      ? " \\le "
                     : c.op == Condition::Op::GreaterEqual ? " \\ge "
                                                           : " > ";
    return "$" + lhs + op + formatNumber(c.threshold, 4) + "$";
}

} // namespace

std::string explanationJson(const Explanation& e, const std::vector<std::string>& names)
{
    nlohmann::json doc;
    doc["method"] = e.method;
    doc["optimal"] = e.optimal;
    nlohmann::json stats = nlohmann::json::object();
    for (const auto& [key, v] : e.stats)
        stats[key] = number(v);
    doc["stats"] = stats;
    doc["warnings"] = e.warnings;
    auto clusters = nlohmann::json::array();
    for (const auto& c : e.clusters)
    {
        nlohmann::json cj;
        cj["cluster"] = c.cluster;
        cj["name"] = c.name;
        cj["size"] = c.size;
        if (!c.rules.empty() || c.tTest.empty()) // a profile alone has no rules
        {
            cj["coverage"] = c.coverage;
            cj["precision"] = c.precision;
            cj["covered"] = c.covered;
            cj["features_used"] = c.featuresUsed;
            auto rules = nlohmann::json::array();
            for (const auto& r : c.rules)
            {
                auto conditions = nlohmann::json::array();
                for (const auto& cond : r.conditions)
                {
                    auto terms = nlohmann::json::array();
                    for (const auto& [j, w] : cond.terms)
                        terms.push_back(
                            {{"feature", featureName(names, j)}, {"index", j}, {"weight", w}});
                    conditions.push_back({{"terms", terms},
                                          {"op", opText(cond.op)},
                                          {"threshold", cond.threshold},
                                          {"text", conditionText(cond, names, 6)}});
                }
                rules.push_back({{"conditions", conditions},
                                 {"text", ruleText(r, names)},
                                 {"covered", r.covered},
                                 {"correct", r.correct}});
            }
            cj["rules"] = rules;
        }
        if (!c.tTest.empty())
        {
            cj["t_test"] = ranksJson(c.tTest, names);
            cj["wilcoxon"] = ranksJson(c.wilcoxon, names);
            cj["prototypes"] = c.prototypes;
        }
        clusters.push_back(cj);
    }
    doc["clusters"] = clusters;
    return doc.dump(2) + "\n";
}

std::string explanationText(const Explanation& e, const std::vector<std::string>& names)
{
    std::ostringstream out;
    out << e.method << (e.optimal ? " (proven optimal)" : "") << "\n";
    if (const auto price = e.stats.find("price_of_explainability"); price != e.stats.end())
        out << "price of explainability " << formatNumber(price->second, 4)
            << " (the tree's k-means cost over the clustering's)\n";
    for (const auto& c : e.clusters)
    {
        out << "\ncluster " << c.cluster << (c.name.empty() ? "" : " · " + c.name) << ": " << c.size
            << " rows";
        if (!c.rules.empty())
            out << ", coverage " << formatNumber(c.coverage, 3) << ", precision "
                << formatNumber(c.precision, 3);
        out << "\n";
        for (size_t i = 0; i < c.rules.size(); ++i)
            out << (i == 0 ? "     " : "  OR ") << ruleText(c.rules[i], names) << "  ["
                << c.rules[i].correct << " of " << c.rules[i].covered
                << " covered rows in the cluster]\n";
        for (const auto& r : c.tTest)
            out << "  " << featureName(names, r.feature) << ": t " << formatNumber(r.score, 4)
                << ", adjusted p " << formatNumber(r.pvalueAdjusted, 3) << ", mean "
                << formatNumber(r.meanIn, 4) << " vs " << formatNumber(r.meanOut, 4) << "\n";
    }
    for (const auto& w : e.warnings)
        out << "\nwarning: " << w << "\n";
    return out.str();
}

std::string explanationLatex(const Explanation& e, const std::vector<std::string>& names)
{
    std::ostringstream out;
    out << "% " << e.method << (e.optimal ? ", proven optimal" : "")
        << "; needs \\usepackage{booktabs}\n"
        << "\\begin{tabular}{llrr}\n\\toprule\nCluster & Description & Coverage & Precision "
           "\\\\\n\\midrule\n";
    for (const auto& c : e.clusters)
    {
        std::string rules;
        for (const auto& r : c.rules)
        {
            std::string conj;
            for (const auto& cond : r.conditions)
                conj += (conj.empty() ? "" : " $\\wedge$ ") + latexCondition(cond, names);
            rules += (rules.empty() ? "" : " $\\vee$ ") +
                     (conj.empty() ? std::string("(all rows)") : conj);
        }
        out << latexEscape(std::to_string(c.cluster) + (c.name.empty() ? "" : " " + c.name))
            << " & " << rules << " & " << formatNumber(c.coverage, 3) << " & "
            << formatNumber(c.precision, 3) << " \\\\\n";
    }
    out << "\\bottomrule\n\\end{tabular}\n";
    return out.str();
}

} // namespace clusterscope

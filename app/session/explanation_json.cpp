#include "explanation_json.h"

#include <clusterscope/pipeline/json_values.h>

namespace clusterscope
{

namespace
{

using json = nlohmann::json;

double number(const json& j)
{
    return numberFromJson(j);
}

std::vector<double> numbers(const json& j)
{
    std::vector<double> out;
    for (const auto& v : j)
        out.push_back(number(v));
    return out;
}

const char* opName(Condition::Op op)
{
    switch (op)
    {
    case Condition::Op::LessEqual:
        return "<=";
    case Condition::Op::GreaterEqual:
        return ">=";
    case Condition::Op::Greater:
        break;
    }
    return ">";
}

Condition::Op opFrom(const std::string& name)
{
    if (name == "<=")
        return Condition::Op::LessEqual;
    if (name == ">=")
        return Condition::Op::GreaterEqual;
    return Condition::Op::Greater;
}

// A feature ranking as rows of [feature, score, p, p_adj, lfc, mean_in, mean_out].
json ranksJson(const std::vector<FeatureRank>& ranks)
{
    json out = json::array();
    for (const auto& r : ranks)
        out.push_back(
            {r.feature, r.score, r.pvalue, r.pvalueAdjusted, r.logFoldChange, r.meanIn, r.meanOut});
    return out;
}

std::vector<FeatureRank> ranksFrom(const json& j)
{
    std::vector<FeatureRank> out;
    for (const auto& r : j)
        out.push_back({r.at(0).get<int64_t>(), number(r.at(1)), number(r.at(2)), number(r.at(3)),
                       number(r.at(4)), number(r.at(5)), number(r.at(6))});
    return out;
}

} // namespace

json explanationToJson(const Explanation& e)
{
    json clusters = json::array();
    for (const auto& c : e.clusters)
    {
        json rules = json::array();
        for (const auto& rule : c.rules)
        {
            json conditions = json::array();
            for (const auto& cond : rule.conditions)
                conditions.push_back({{"terms", cond.terms},
                                      {"op", opName(cond.op)},
                                      {"threshold", cond.threshold}});
            rules.push_back(
                {{"conditions", conditions}, {"covered", rule.covered}, {"correct", rule.correct}});
        }
        clusters.push_back({{"cluster", c.cluster},
                            {"size", c.size},
                            {"name", c.name},
                            {"rules", rules},
                            {"coverage", c.coverage},
                            {"precision", c.precision},
                            {"covered", c.covered},
                            {"features_used", c.featuresUsed},
                            {"mean", c.mean},
                            {"std", c.std},
                            {"t_test", ranksJson(c.tTest)},
                            {"wilcoxon", ranksJson(c.wilcoxon)},
                            {"prototypes", c.prototypes}});
    }
    return {{"method", e.method}, {"clusters", clusters}, {"optimal", e.optimal},  {"mean", e.mean},
            {"std", e.std},       {"stats", e.stats},     {"warnings", e.warnings}};
}

Explanation explanationFromJson(const json& j)
{
    Explanation e;
    e.method = j.at("method").get<std::string>();
    for (const auto& c : j.at("clusters"))
    {
        ClusterExplanation out;
        out.cluster = c.at("cluster").get<int64_t>();
        out.size = c.at("size").get<int64_t>();
        out.name = c.at("name").get<std::string>();
        for (const auto& rule : c.at("rules"))
        {
            Rule r;
            for (const auto& cond : rule.at("conditions"))
            {
                Condition k;
                for (const auto& term : cond.at("terms"))
                    k.terms.emplace_back(term.at(0).get<int64_t>(), number(term.at(1)));
                k.op = opFrom(cond.at("op").get<std::string>());
                k.threshold = number(cond.at("threshold"));
                r.conditions.push_back(std::move(k));
            }
            r.covered = rule.at("covered").get<int64_t>();
            r.correct = rule.at("correct").get<int64_t>();
            out.rules.push_back(std::move(r));
        }
        out.coverage = number(c.at("coverage"));
        out.precision = number(c.at("precision"));
        out.covered = c.at("covered").get<int64_t>();
        out.featuresUsed = c.at("features_used").get<int64_t>();
        out.mean = numbers(c.at("mean"));
        out.std = numbers(c.at("std"));
        out.tTest = ranksFrom(c.at("t_test"));
        out.wilcoxon = ranksFrom(c.at("wilcoxon"));
        out.prototypes = c.at("prototypes").get<std::vector<int64_t>>();
        e.clusters.push_back(std::move(out));
    }
    e.optimal = j.at("optimal").get<bool>();
    e.mean = numbers(j.at("mean"));
    e.std = numbers(j.at("std"));
    for (const auto& [k, v] : j.at("stats").items())
        e.stats[k] = number(v);
    e.warnings = j.at("warnings").get<std::vector<std::string>>();
    return e;
}

} // namespace clusterscope

// Cluster explanations (engine/explain): polyhedral descriptions on hand-made data whose best
// description is known (boxes, an oblique line), coverage and precision against a direct count,
// iris and wine k-means clusterings, the time limit; IMM on a worked example with its costs,
// ExKMC's growth; the profiles' statistics against scipy (tests/reference/explain_reference.py)
// and Benjamini-Hochberg by hand; the map back to the file's units.

#include "sanitized_build.h"

#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/explain/explain_export.h>
#include <clusterscope/explain/polyhedral.h>
#include <clusterscope/explain/profile.h>
#include <clusterscope/explain/rules.h>
#include <clusterscope/explain/threshold_tree.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <QtTest>

#include <chrono>
#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

using namespace clusterscope;

namespace
{

ExplainInput inputOf(const std::vector<float>& values, int64_t d, std::vector<int64_t> labels)
{
    const auto n = static_cast<int64_t>(labels.size());
    return {matrixFromValues(values, n, d), {}, std::move(labels), {}};
}

// Coverage and precision by a count written out here, independent of rules.cpp.
void checkAgainstDirectCount(const Explanation& e, const ExplainInput& input)
{
    const auto x = floatValues(input.features);
    const auto d = input.features.size(1);
    for (const auto& c : e.clusters)
    {
        int64_t covered = 0, correct = 0;
        for (size_t i = 0; i < input.labels.size(); ++i)
        {
            bool any = false;
            for (const auto& r : c.rules)
            {
                bool all = true;
                for (const auto& cond : r.conditions)
                {
                    double v = 0;
                    for (const auto& [j, w] : cond.terms)
                        v += w * x[i * static_cast<size_t>(d) + static_cast<size_t>(j)];
                    const bool ok = cond.op == Condition::Op::LessEqual      ? v <= cond.threshold
                                    : cond.op == Condition::Op::GreaterEqual ? v >= cond.threshold
                                                                             : v > cond.threshold;
                    all = all && ok;
                }
                any = any || all;
            }
            covered += any;
            correct += any && input.labels[i] == c.cluster;
        }
        QCOMPARE(c.covered, covered);
        QCOMPARE(c.coverage, static_cast<double>(correct) / static_cast<double>(c.size));
        QCOMPARE(c.precision,
                 covered ? static_cast<double>(correct) / static_cast<double>(covered) : 1.0);
    } // The rows mis-described, as the paper counts them: outside their own cluster's
    // description or inside another's (each row once).
    if (const auto it = e.stats.find("errors"); it != e.stats.end())
    {
        const auto covers = [&](const ClusterExplanation& c, size_t i)
        {
            for (const auto& r : c.rules)
                if (satisfies(r, x.data() + i * static_cast<size_t>(d)))
                    return true;
            return false;
        };
        int64_t errors = 0;
        for (size_t i = 0; i < input.labels.size(); ++i)
        {
            bool wrong = false;
            for (const auto& c : e.clusters)
                wrong = wrong || (covers(c, i) != (input.labels[i] == c.cluster));
            errors += wrong;
        }
        QCOMPARE(it->second, static_cast<double>(errors));
    }
}

int64_t halfspaces(const Explanation& e)
{
    int64_t total = 0;
    for (const auto& c : e.clusters)
        for (const auto& r : c.rules)
            total += static_cast<int64_t>(r.conditions.size());
    return total;
}

Dataset loadTable(const std::string& path, const std::string& labelColumn = "")
{
    LoadOptions o;
    o.labelColumn = labelColumn;
    return loadDataset(path, o);
}

std::vector<int64_t> kmeansLabels(const at::Tensor& x, int64_t k)
{
    KMeansOptions o;
    o.k = k;
    o.nInit = 10;
    o.seed = 0;
    const auto r = kmeans(x, o);
    const auto l = r.labels.contiguous();
    return {l.data_ptr<int64_t>(), l.data_ptr<int64_t>() + l.numel()};
}

const std::string kSklearnData = "/usr/lib/python3/dist-packages/sklearn/datasets/data/";

} // namespace

class TestExplain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { at::set_num_threads(1); }

    // Three boxes in (x0, x1) and a column of noise: A = [0,1]^2 needs two cuts (x0 and x1
    // below the gaps), B = [2,3]x[0,1] one (x0 above), C = [0,1]x[2,3] one (x1 above).
    void boxesAreDescribedByTheFewestHalfspaces()
    {
        std::mt19937_64 rng(1);
        std::uniform_real_distribution<float> u(0, 1), noise(-5, 5);
        std::vector<float> v;
        std::vector<int64_t> labels;
        for (int64_t c = 0; c < 3; ++c)
            for (int i = 0; i < 60; ++i)
            {
                v.insert(v.end(), {u(rng) + (c == 1 ? 2.0F : 0.0F), u(rng) + (c == 2 ? 2.0F : 0.0F),
                                   noise(rng)});
                labels.push_back(c);
            }
        const auto input = inputOf(v, 3, labels);
        PolyhedralOptions o;
        o.objective = DescriptionObjective::Halfspaces;
        o.alpha = 0;
        const auto e = polyhedralDescriptions(input, o, nullProgress());
        QCOMPARE(halfspaces(e), int64_t{4});
        QCOMPARE(e.stats.at("errors"), 0.0);
        QVERIFY2(e.optimal, "four half-spaces meet the LP bound: the proof should hold");
        const std::vector<size_t> expected{2, 1, 1};
        for (size_t c = 0; c < 3; ++c)
        {
            const auto& ce = e.clusters[c];
            QCOMPARE(ce.coverage, 1.0);
            QCOMPARE(ce.precision, 1.0);
            QCOMPARE(ce.rules.at(0).conditions.size(), expected[c]);
            for (const auto& cond : ce.rules[0].conditions)
            {
                QCOMPARE(cond.terms.size(), size_t{1});
                QVERIFY2(cond.terms[0].first != 2, "the noise column was used");
                // At the edge of the cluster's box or in the gap beyond it.
                QVERIFY(cond.threshold > 0.9 && cond.threshold < 2.1);
            }
        }
        checkAgainstDirectCount(e, input);
    }

    // Two clusters split by the line x0 + x1 = 0 with a margin: one oblique half-space each
    // with beta = 2; thresholds on one feature need more.
    void anObliqueLineIsFound()
    {
        std::mt19937_64 rng(2);
        std::uniform_real_distribution<float> u(-1, 1);
        std::vector<float> v;
        std::vector<int64_t> labels;
        while (labels.size() < 200)
        {
            const float a = u(rng), b = u(rng);
            if (std::abs(a + b) < 0.1F)
                continue;
            v.insert(v.end(), {a, b});
            labels.push_back(a + b > 0 ? 1 : 0);
        }
        const auto input = inputOf(v, 2, labels);
        PolyhedralOptions o;
        o.objective = DescriptionObjective::Halfspaces;
        o.alpha = 0;
        o.beta = 2;
        const auto oblique = polyhedralDescriptions(input, o, nullProgress());
        QCOMPARE(halfspaces(oblique), int64_t{2});
        QCOMPARE(oblique.stats.at("errors"), 0.0);
        QVERIFY2(oblique.optimal, qPrintable(QString("LP bound %1, objective %2")
                                                 .arg(oblique.stats.at("lp_bound"))
                                                 .arg(oblique.stats.at("objective"))));
        for (const auto& c : oblique.clusters)
        {
            const auto& cond = c.rules.at(0).conditions.at(0);
            QCOMPARE(cond.terms.size(), size_t{2});
            // Standardised weights (1, 1) on columns of about equal spread: near-equal weights.
            QVERIFY(std::abs(cond.terms[0].second / cond.terms[1].second - 1) < 0.1);
            QCOMPARE(c.coverage, 1.0);
            QCOMPARE(c.precision, 1.0);
        }
        checkAgainstDirectCount(oblique, input);
        o.beta = 1;
        const auto axis = polyhedralDescriptions(input, o, nullProgress());
        QVERIFY(halfspaces(axis) > 2 || axis.stats.at("errors") > 0);
    }

    // Found by mutation testing: the oblique line away from the origin (the map back to the
    // original units shifts by the means), also through groups of rows.
    void anObliqueLineAwayFromTheOrigin()
    {
        std::mt19937_64 rng(5);
        std::uniform_real_distribution<float> u(0, 10);
        std::vector<float> v;
        std::vector<int64_t> labels;
        while (labels.size() < 400)
        {
            const float a = u(rng), b = u(rng);
            if (std::abs(a + b - 10) < 0.5F)
                continue;
            v.insert(v.end(), {a, b});
            labels.push_back(a + b > 10 ? 1 : 0);
        }
        const auto input = inputOf(v, 2, labels);
        PolyhedralOptions o;
        o.objective = DescriptionObjective::Halfspaces;
        o.alpha = 0;
        o.beta = 2;
        const auto e = polyhedralDescriptions(input, o, nullProgress());
        QCOMPARE(halfspaces(e), int64_t{2});
        for (const auto& c : e.clusters)
        {
            QCOMPARE(c.coverage, 1.0);
            QCOMPARE(c.precision, 1.0);
        }
        checkAgainstDirectCount(e, input);
        o.maxPoints = 100;
        o.alpha = 0.05;
        const auto grouped = polyhedralDescriptions(input, o, nullProgress());
        QVERIFY(grouped.stats.at("units") < 400);
        for (const auto& c : grouped.clusters)
            QVERIFY2(
                c.coverage >= 0.95 && c.precision >= 0.95,
                qPrintable(QString("coverage %1, precision %2").arg(c.coverage).arg(c.precision)));
        checkAgainstDirectCount(grouped, input);
    }

    // Integer data with many ties: no threshold may sit on a value (a tied row would then be
    // counted as cut and not be), so the description still holds exactly.
    void tiedValuesAreNeverSplit()
    {
        std::mt19937_64 rng(6);
        std::uniform_int_distribution<int> coordinate(0, 5);
        std::vector<float> v;
        std::vector<int64_t> labels;
        for (int i = 0; i < 300; ++i)
        {
            const int a = coordinate(rng), b = coordinate(rng);
            v.insert(v.end(), {static_cast<float>(a), static_cast<float>(b)});
            labels.push_back(a <= 2 ? 0 : b <= 2 ? 1 : 2);
        }
        const auto input = inputOf(v, 2, labels);
        PolyhedralOptions o;
        o.objective = DescriptionObjective::Halfspaces;
        o.alpha = 0;
        const auto e = polyhedralDescriptions(input, o, nullProgress());
        QCOMPARE(halfspaces(e), int64_t{5}); // a <= 2 | a > 2, b <= 2 | a > 2, b > 2
        QCOMPARE(e.stats.at("errors"), 0.0);
        QVERIFY(e.optimal);
        for (const auto& c : e.clusters)
            for (const auto& cond : c.rules[0].conditions)
                QVERIFY2(cond.threshold != std::round(cond.threshold),
                         "a threshold sits on a value");
        checkAgainstDirectCount(e, input);
    }

    // The operators at their boundary, and a description that covers nothing.
    void operatorsAtTheBoundary()
    {
        const float row[] = {1.0F, 2.0F};
        QVERIFY(satisfies(Condition{{{0, 1.0}}, Condition::Op::LessEqual, 1}, row));
        QVERIFY(satisfies(Condition{{{0, 1.0}}, Condition::Op::GreaterEqual, 1}, row));
        QVERIFY(!satisfies(Condition{{{0, 1.0}}, Condition::Op::Greater, 1}, row));
        QVERIFY(satisfies(Condition{{{0, 2.0}, {1, -1.0}}, Condition::Op::LessEqual, 0}, row));
        const auto input = inputOf({0, 0, 1, 0, 5, 5, 6, 5}, 2, {0, 0, 1, 1});
        std::vector<ClusterExplanation> clusters(1);
        clusters[0].cluster = 1;
        clusters[0].size = 2;
        Rule never;
        never.conditions = {Condition{{{0, 1.0}}, Condition::Op::Greater, 100}};
        clusters[0].rules = {never};
        scoreDescriptions(input.features, input.labels, clusters);
        QCOMPARE(clusters[0].covered, int64_t{0});
        QCOMPARE(clusters[0].coverage, 0.0);
        QCOMPARE(clusters[0].precision, 1.0); // no covered row is wrong
    }

    // A profile made on standardised features and mapped back equals the raw profile.
    void profilesMapBackToTheFileUnits()
    {
        const auto data = loadTable(std::string(CLUSTERSCOPE_TEST_DATA) + "/wine.csv");
        const ExplainInput raw{data.features, data.featureNames, data.labels, {}};
        const auto z = standardize(data.features);
        const ExplainInput scaled{z, data.featureNames, data.labels, {}};
        ProfileOptions o;
        o.topFeatures = 0;
        const auto a = clusterProfiles(raw, o, nullProgress());
        auto b = clusterProfiles(scaled, o, nullProgress());
        toFileFrame(b, fileFrameOf(data.features, z, {}));
        const auto close = [](double p, double q)
        { return std::abs(p - q) <= 1e-4 * std::max(1.0, std::abs(q)); };
        for (size_t j = 0; j < a.mean.size(); ++j)
            QVERIFY(close(b.mean[j], a.mean[j]) && close(b.std[j], a.std[j]));
        for (size_t c = 0; c < a.clusters.size(); ++c)
        {
            for (size_t j = 0; j < a.clusters[c].mean.size(); ++j)
                QVERIFY(close(b.clusters[c].mean[j], a.clusters[c].mean[j]));
            for (const auto& ra : a.clusters[c].tTest)
            {
                const auto& rb =
                    *std::find_if(b.clusters[c].tTest.begin(), b.clusters[c].tTest.end(),
                                  [&](const FeatureRank& r) { return r.feature == ra.feature; });
                QVERIFY(close(rb.meanIn, ra.meanIn) && close(rb.meanOut, ra.meanOut));
                QVERIFY(close(rb.logFoldChange, ra.logFoldChange));
                QVERIFY(std::abs(rb.score - ra.score) < 1e-3 * std::max(1.0, std::abs(ra.score)));
            }
        }
    }

    // scikit-learn's iris and wine, clustered by k-means (wine standardised): with at most three
    // half-spaces per cluster, the fewest errors reachable leave coverage and precision of at
    // least 0.9 in every cluster.
    void irisAndWineKMeansAreDescribed_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<bool>("standardise");
        QTest::newRow("iris") << QString("iris.csv") << false;
        QTest::newRow("wine") << QString("wine_data.csv") << true;
    }
    void irisAndWineKMeansAreDescribed()
    {
        QFETCH(QString, file);
        QFETCH(bool, standardise);
        const auto data = loadTable(kSklearnData + file.toStdString());
        const auto x = standardise ? standardize(data.features) : data.features;
        const ExplainInput input{data.features, data.featureNames, kmeansLabels(x, 3), {}};
        PolyhedralOptions o;
        o.maxHalfspaces = 3;
        o.objective = DescriptionObjective::Errors;
        const auto e = polyhedralDescriptions(input, o, nullProgress());
        double meanCoverage = 0, meanPrecision = 0;
        for (const auto& c : e.clusters)
        {
            qInfo("%s cluster %lld: %s; coverage %.3f, precision %.3f", qPrintable(file),
                  static_cast<long long>(c.cluster),
                  ruleText(c.rules.at(0), data.featureNames).c_str(), c.coverage, c.precision);
            QVERIFY(c.rules.at(0).conditions.size() <= 3);
            // Reachable here (k-means puts a few rows across the best axis-parallel cuts):
            // every cluster at least 0.85, and 0.9 on average.
            QVERIFY(c.coverage >= 0.85 && c.precision >= 0.85);
            meanCoverage += c.coverage / 3;
            meanPrecision += c.precision / 3;
        }
        QVERIFY(meanCoverage >= 0.9 && meanPrecision >= 0.9);
        checkAgainstDirectCount(e, input);
    }

    // Digits' ten classes with a one-second limit: the best description found by then, marked
    // as not proven optimal, with a warning that says so.
    void aTimeLimitReturnsTheBestSoFar()
    {
        const auto data = loadTable(kSklearnData + "digits.csv.gz", "last");
        const ExplainInput input{data.features, data.featureNames, data.labels, {}};
        PolyhedralOptions o;
        o.timeLimit = 1;
        o.maxPoints = 0;
        const auto start = std::chrono::steady_clock::now();
        const auto e = polyhedralDescriptions(input, o, nullProgress());
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        // The wall clock says nothing under a sanitizer's instrumentation (2-15x slower).
        if (!clusterscope::testing::kSanitizedBuild)
            QVERIFY2(seconds < 3, qPrintable(QString("took %1 s").arg(seconds)));
        QVERIFY(!e.optimal);
        QCOMPARE(e.clusters.size(), size_t{10});
        QVERIFY(std::any_of(e.warnings.begin(), e.warnings.end(),
                            [](const std::string& w)
                            { return w.find("time limit") != std::string::npos; }));
        int64_t described = 0;
        for (const auto& c : e.clusters)
            described += c.precision > 0.5 && c.coverage > 0.5;
        QVERIFY2(described >= 5, "the best-so-far description is no description");
        checkAgainstDirectCount(e, input);
    }

    // Grouping: 3000 rows of the three boxes through about 300 groups give the same four
    // half-spaces, scored on every row.
    void largeDataAreGrouped()
    {
        std::mt19937_64 rng(4);
        std::uniform_real_distribution<float> u(0, 1);
        std::vector<float> v;
        std::vector<int64_t> labels;
        for (int i = 0; i < 3000; ++i)
        {
            const int64_t c = i % 3;
            v.insert(v.end(), {u(rng) + (c == 1 ? 2.0F : 0.0F), u(rng) + (c == 2 ? 2.0F : 0.0F)});
            labels.push_back(c);
        }
        const auto input = inputOf(v, 2, labels);
        PolyhedralOptions o;
        o.objective = DescriptionObjective::Halfspaces;
        o.alpha = 0;
        o.maxPoints = 300;
        const auto e = polyhedralDescriptions(input, o, nullProgress());
        QVERIFY(e.stats.at("units") < 600);
        QVERIFY(!e.optimal); // groups, not rows: no proof
        QCOMPARE(halfspaces(e), int64_t{4});
        for (const auto& c : e.clusters)
        {
            QCOMPARE(c.coverage, 1.0);
            QCOMPARE(c.precision, 1.0);
        }
        checkAgainstDirectCount(e, input);
    }

    // The worked example in the comments: IMM cuts x1 <= 2.5 (no mistake), then x0 <= 2.6875,
    // which separates row 3 (4.5, 0.5) from its centre (1.375, 0.375).
    void immWorkedExample()
    {
        const std::vector<float> v{0, 0, 1, 0, 0, 1, 4.5F, 0.5F, // cluster 0
                                   4, 0, 5, 0, 4, 1,             // cluster 1
                                   0, 4, 1, 4, 0, 5};            // cluster 2
        const auto input = inputOf(v, 2, {0, 0, 0, 0, 1, 1, 1, 2, 2, 2});
        const auto tree = immTree(input.features, input.labels, nullProgress());
        QCOMPARE(tree.leaves(), int64_t{3});
        const auto& root = tree.nodes[0];
        QCOMPARE(root.feature, int64_t{1});
        QCOMPARE(root.threshold, 2.5);
        QCOMPARE(root.mistakes, int64_t{0});
        const auto& left = tree.nodes[static_cast<size_t>(root.left)];
        QCOMPARE(left.feature, int64_t{0});
        QCOMPARE(left.threshold, 2.6875);
        QCOMPARE(left.mistakes, int64_t{1});
        QCOMPARE(tree.nodes[static_cast<size_t>(root.right)].cluster, int64_t{2});
        QCOMPARE(tree.nodes[static_cast<size_t>(left.left)].cluster, int64_t{0});
        QCOMPARE(tree.nodes[static_cast<size_t>(left.right)].cluster, int64_t{1});
        // Costs by hand: the clustering 14.375 + 4/3 + 4/3; the tree moves row 3 to cluster 1:
        // 4/3 + 1.375 + 4/3.
        const auto e = treeExplanation(tree, input, "imm");
        QVERIFY(std::abs(e.stats.at("cost_clustering") - (14.375 + 8.0 / 3)) < 1e-9);
        QVERIFY(std::abs(e.stats.at("cost_tree") - (1.375 + 8.0 / 3)) < 1e-9);
        QVERIFY(std::abs(e.stats.at("price_of_explainability") -
                         (1.375 + 8.0 / 3) / (14.375 + 8.0 / 3)) < 1e-12);
        // The surrogate keeps the clustering's centres: row 3 to (13/3, 1/3).
        const double surrogate =
            4.0 / 3 + 4.0 / 3 + 4.0 / 3 + 1.0 / 3 * 0 +
            (std::pow(4.5 - 13.0 / 3, 2) + std::pow(0.5 - 1.0 / 3, 2)) +
            // cluster 0's three rows around (1.375, 0.375) instead of (1/3, 1/3)
            (std::pow(1.375, 2) + std::pow(0.375, 2)) + (std::pow(0.375, 2) + std::pow(0.375, 2)) +
            (std::pow(1.375, 2) + std::pow(0.625, 2)) - 4.0 / 3;
        QVERIFY(std::abs(e.stats.at("surrogate_cost") - surrogate) < 1e-9);
        QCOMPARE(e.clusters[0].coverage, 0.75);
        QCOMPARE(e.clusters[1].precision, 0.75);
        checkAgainstDirectCount(e, input);
    }

    // ExKMC: exactly k' leaves, and the surrogate cost never rises as the tree grows.
    void exkmcGrowsAndLowersTheSurrogateCost()
    {
        const auto data = loadTable(kSklearnData + "wine_data.csv");
        const auto x = standardize(data.features);
        const ExplainInput input{x, data.featureNames, kmeansLabels(x, 3), {}};
        double previous = INFINITY;
        for (const int64_t leaves : {3, 4, 6, 10})
        {
            const auto tree = exkmcTree(x, input.labels, leaves, nullProgress());
            qInfo("max_leaves %lld: %lld leaves", static_cast<long long>(leaves),
                  static_cast<long long>(tree.leaves()));
            // It stops early only when no split lowers the cost.
            QVERIFY(leaves <= 6 ? tree.leaves() == leaves : tree.leaves() <= leaves);
            const auto e = treeExplanation(tree, input, "exkmc");
            QVERIFY(e.stats.at("surrogate_cost") <= previous + 1e-9);
            previous = e.stats.at("surrogate_cost");
            checkAgainstDirectCount(e, input);
        }
        QVERIFY_THROWS_EXCEPTION(ParameterError, exkmcTree(x, input.labels, 2, nullProgress()));
    }

    // Every statistic of every feature of every wine class, against scipy.
    void profilesMatchScipy()
    {
        const auto data = loadTable(std::string(CLUSTERSCOPE_TEST_DATA) + "/wine.csv");
        const ExplainInput input{data.features, data.featureNames, data.labels, {}};
        ProfileOptions o;
        o.topFeatures = 0;
        const auto e = clusterProfiles(input, o, nullProgress());
        std::ifstream in(std::string(CLUSTERSCOPE_TEST_DATA) + "/explain/profile_wine.csv");
        std::string line;
        std::getline(in, line);
        const auto close = [](double a, double b)
        { return std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(b)); };
        const auto closeP = [](double a, double b) // p-values to 1e-6, relative when tiny
        {
            return std::abs(a - b) <= 1e-6 * std::max(1e-300, std::abs(b)) ||
                   std::abs(a - b) < 1e-12;
        };
        int rows = 0;
        std::map<int64_t, std::vector<std::pair<double, int64_t>>> scipyOrder;
        while (std::getline(in, line))
        {
            std::stringstream s(line);
            std::vector<double> f;
            for (std::string cell; std::getline(s, cell, ',');)
                f.push_back(std::stod(cell));
            const auto c = static_cast<int64_t>(f[0]), j = static_cast<int64_t>(f[1]);
            const auto& ce = e.clusters.at(static_cast<size_t>(c));
            const auto find = [&](const std::vector<FeatureRank>& ranks)
            {
                return *std::find_if(ranks.begin(), ranks.end(),
                                     [&](const FeatureRank& r) { return r.feature == j; });
            };
            const auto t = find(ce.tTest), w = find(ce.wilcoxon);
            const auto where = QString("class %1, feature %2").arg(c).arg(j);
            QVERIFY2(close(t.score, f[2]),
                     qPrintable(where + QString(": t %1 vs %2").arg(t.score).arg(f[2])));
            QVERIFY2(closeP(t.pvalue, f[3]),
                     qPrintable(where + QString(": p %1 vs %2").arg(t.pvalue).arg(f[3])));
            QVERIFY2(closeP(t.pvalueAdjusted, f[4]), qPrintable(where + ": adjusted p of t"));
            QVERIFY2(close(w.score, f[5]),
                     qPrintable(where + QString(": z %1 vs %2").arg(w.score).arg(f[5])));
            QVERIFY2(closeP(w.pvalue, f[6]), qPrintable(where + ": p of the rank-sum test"));
            QVERIFY2(closeP(w.pvalueAdjusted, f[7]),
                     qPrintable(where + ": adjusted p of the rank sum"));
            QVERIFY(close(t.meanIn, f[8]) && close(t.meanOut, f[9]));
            QVERIFY(close(t.logFoldChange, f[10]));
            scipyOrder[c].emplace_back(-f[2], j);
            ++rows;
        }
        QCOMPARE(rows, 3 * 13);
        for (auto& [c, order] : scipyOrder) // the ranking: highest t first
        {
            std::sort(order.begin(), order.end());
            const auto& ranks = e.clusters[static_cast<size_t>(c)].tTest;
            for (size_t i = 0; i < order.size(); ++i)
                QCOMPARE(ranks[i].feature, order[i].second);
        }
    }

    void benjaminiHochbergByHand()
    {
        // Sorted: 0.01, 0.03, 0.04, 0.2 -> 0.04, min(0.06, 0.0533), 0.0533, 0.2.
        const auto adjusted = benjaminiHochberg({0.01, 0.04, 0.03, 0.2});
        const std::vector<double> expected{0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.2};
        for (size_t i = 0; i < 4; ++i)
            QVERIFY(std::abs(adjusted[i] - expected[i]) < 1e-15);
    }

    void prototypesAndNames()
    {
        // Cluster 0 around (0, 0), cluster 1 around (10, 0); row 1 is cluster 0's nearest.
        const std::vector<float> v{1, 1, 0.1F, 0, -1, -1, -2, 2, 10, 0, 11, 0, 9, 0};
        auto input = inputOf(v, 2, {0, 0, 0, 0, 1, 1, 1});
        input.featureNames = {"width", "height"};
        ProfileOptions o;
        o.prototypes = 2;
        auto e = clusterProfiles(input, o, nullProgress());
        QCOMPARE(e.clusters[0].prototypes, (std::vector<int64_t>{1, 0}));
        QCOMPARE(e.clusters[1].prototypes.front(), int64_t{4});
        nameClusters(e, input, nullptr);
        QCOMPARE(e.clusters[1].name, std::string("high width"));
        const std::vector<int64_t> truth{3, 3, 3, 5, 2, 2, 2};
        input.labelNames = {"a", "b", "coat", "shirt", "e", "bag"};
        nameClusters(e, input, &truth);
        QCOMPARE(e.clusters[0].name, std::string("shirt (75%)"));
        QCOMPARE(e.clusters[1].name, std::string("coat (100%)"));
    }

    // Explained in standardised units and mapped back, the rules read as on the raw data.
    void rulesMapBackToTheFileUnits()
    {
        const auto data = loadTable(std::string(CLUSTERSCOPE_TEST_DATA) + "/wine.csv");
        const ExplainInput raw{data.features, data.featureNames, data.labels, {}};
        const auto z = standardize(data.features);
        const ExplainInput scaled{z, data.featureNames, data.labels, {}};
        const auto a =
            treeExplanation(immTree(raw.features, raw.labels, nullProgress()), raw, "imm");
        auto b = treeExplanation(immTree(z, raw.labels, nullProgress()), scaled, "imm");
        FeatureFrame frame;
        const auto x = floatValues(data.features), s = floatValues(z);
        const auto d = data.cols();
        for (int64_t j = 0; j < d; ++j) // two rows give each column's affine map
        {
            const double x0 = x[static_cast<size_t>(j)], x1 = x[static_cast<size_t>(d + j)];
            const double z0 = s[static_cast<size_t>(j)], z1 = s[static_cast<size_t>(d + j)];
            const double scale = (x1 - x0) / (z1 - z0);
            frame.scale.push_back(scale);
            frame.shift.push_back(x0 - scale * z0);
        }
        toFileFrame(b, frame);
        for (size_t c = 0; c < a.clusters.size(); ++c)
            for (size_t r = 0; r < a.clusters[c].rules.size(); ++r)
                for (size_t k = 0; k < a.clusters[c].rules[r].conditions.size(); ++k)
                {
                    const auto& ca = a.clusters[c].rules[r].conditions[k];
                    const auto& cb = b.clusters[c].rules[r].conditions[k];
                    QCOMPARE(cb.terms[0].first, ca.terms[0].first);
                    QVERIFY(std::abs(cb.terms[0].second - 1) < 1e-12);
                    QVERIFY(std::abs(cb.threshold - ca.threshold) <
                            1e-4 * std::abs(ca.threshold) + 1e-4);
                }
        QCOMPARE(b.clusters[0].coverage, a.clusters[0].coverage);
    }

    void exportsSayTheSame()
    {
        const auto input = inputOf({0, 0, 1, 0, 5, 5, 6, 5}, 2, {0, 0, 1, 1});
        auto e =
            treeExplanation(immTree(input.features, input.labels, nullProgress()), input, "imm");
        const std::vector<std::string> names{"petal_width", "sepal_length"};
        const auto json = explanationJson(e, names);
        QVERIFY(json.find("\"op\": \"<=\"") != std::string::npos);
        QVERIFY(json.find("\"feature\": \"petal_width\"") != std::string::npos);
        QVERIFY(json.find("\"coverage\": 1.0") != std::string::npos);
        const auto text = explanationText(e, names);
        QVERIFY(text.find("petal_width <= 3") != std::string::npos);
        const auto latex = explanationLatex(e, names);
        QVERIFY(latex.find("\\text{petal\\_width} \\le 3") != std::string::npos);
        QVERIFY(latex.find("\\toprule") != std::string::npos);
    }

    void badInputIsRefused()
    {
        const auto input = inputOf({0, 0, 1, 0, 5, 5, 6, 5}, 2, {0, 0, 1, 1});
        auto bad = input;
        bad.labels = {0, 0, 1};
        QVERIFY_THROWS_EXCEPTION(ParameterError, polyhedralDescriptions(bad, {}, nullProgress()));
        bad = input;
        bad.labels = {0, 0, 0, 0};
        QVERIFY_THROWS_EXCEPTION(ParameterError, immTree(bad.features, bad.labels, nullProgress()));
        bad = input;
        bad.features = input.features.clone();
        bad.features[2][1] = NAN;
        try
        {
            clusterProfiles(bad, {}, nullProgress());
            QFAIL("NaN accepted");
        }
        catch (const DataError& error)
        {
            QVERIFY(std::string(error.what()).find("row 2, column 1") != std::string::npos);
        }
        PolyhedralOptions o;
        o.beta = 4;
        QVERIFY_THROWS_EXCEPTION(ParameterError, polyhedralDescriptions(input, o, nullProgress()));
    }
};

QTEST_APPLESS_MAIN(TestExplain)
#include "test_explain.moc"

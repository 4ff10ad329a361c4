// Every distance-based method, through its registry entry, on values that break naive float32
// arithmetic:
// - data far from zero (map coordinates, timestamps): the same groups shifted by 1e3, 1e5 and
//   1e7, every value exact in float32, must give the labels of the unshifted run, and k-means'
//   soft rows must agree with its labels. |x|^2 - 2 x.c + |c|^2 used to cancel to noise there.
// - NaN and infinity: each method refuses them with k-means' DataError instead of crashing,
//   hanging or returning garbage.

#include "fixtures.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/registry.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/metrics/metrics.h>
#include <clusterscope/pipeline/builtin.h>

#include <QtTest>

#include <cmath>
#include <limits>
#include <map>
#include <random>

using namespace clusterscope;

namespace
{

using Overrides = std::map<std::string, ParamValue>;

// Three groups of 20 points with integer coordinates (jitter in [0, 12), groups 100 apart),
// plus `offset` in both columns: exact in float32 for offsets up to 2^24 - 300.
std::vector<float> threeGroups(double offset)
{
    std::mt19937_64 rng(5);
    std::uniform_int_distribution<int> jitter(0, 11);
    std::vector<float> v;
    for (int i = 0; i < 60; ++i)
    {
        const int group = i % 3;
        v.push_back(static_cast<float>(offset + 100.0 * group + jitter(rng)));
        v.push_back(static_cast<float>(offset + 100.0 * (group == 2) + jitter(rng)));
    }
    return v;
}

ClusteringResult runMethod(const std::string& id, const Overrides& overrides, const at::Tensor& x)
{
    const auto& algorithm = builtinRegistry().get(id);
    ParamSet params(algorithm.params);
    for (const auto& [name, value] : overrides)
        params.set(name, value);
    return algorithm.run(x, params, RunContext{c10::Device(c10::kCPU), 0, &nullProgress()});
}

struct Case
{
    const char* name;
    std::string id;
    Overrides params;
};

std::vector<Case> distanceMethods()
{
    return {
        {"kmeans", "kmeans", {{"k", int64_t{3}}}},
        {"kmeans random", "kmeans", {{"k", int64_t{3}}, {"init", std::string("random")}}},
        {"minibatch", "minibatch_kmeans", {{"k", int64_t{3}}, {"batch_size", int64_t{16}}}},
        {"gmm full", "gmm", {{"k", int64_t{3}}}},
        {"gmm tied", "gmm", {{"k", int64_t{3}}, {"covariance_type", std::string("tied")}}},
        {"gmm diag", "gmm", {{"k", int64_t{3}}, {"covariance_type", std::string("diag")}}},
        {"gmm spherical",
         "gmm",
         {{"k", int64_t{3}}, {"covariance_type", std::string("spherical")}}},
        {"kmedoids", "kmedoids", {{"k", int64_t{3}}}},
        {"spectral knn", "spectral", {{"k", int64_t{3}}, {"neighbors", int64_t{10}}}},
        {"spectral rbf",
         "spectral",
         {{"k", int64_t{3}}, {"affinity", std::string("rbf")}, {"gamma", 0.02}}},
        {"leiden", "leiden", {{"neighbors", int64_t{10}}}},
        {"leiden hnsw", "leiden", {{"neighbors", int64_t{10}}, {"knn", std::string("hnsw")}}},
        {"hdbscan exact", "hdbscan", {{"mst", std::string("exact")}}},
        {"hdbscan knn", "hdbscan", {{"mst", std::string("knn")}}},
        {"hdbscan hnsw",
         "hdbscan",
         {{"mst", std::string("knn")}, {"neighbors", std::string("hnsw")}}},
    };
}

std::vector<int64_t> softArgmax(const at::Tensor& soft)
{
    return intValues(std::get<1>(soft.max(1)));
}

} // namespace

class TestDataValues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void farFromZeroGivesTheSameLabels_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<double>("offset");
        const auto methods = distanceMethods();
        for (size_t m = 0; m < methods.size(); ++m)
        {
            for (double offset : {1e3, 1e5, 1e7})
                QTest::addRow("%s at %g", methods[m].name, offset) << static_cast<int>(m) << offset;
        }
    }

    void farFromZeroGivesTheSameLabels()
    {
        QFETCH(int, method);
        QFETCH(double, offset);
        const auto c = distanceMethods()[static_cast<size_t>(method)];
        const auto near = runMethod(c.id, c.params, matrixFromValues(threeGroups(0), 60, 2));
        const auto far = runMethod(c.id, c.params, matrixFromValues(threeGroups(offset), 60, 2));
        QCOMPARE(adjustedRandIndex(far.labels, near.labels), 1.0);
        if (c.id == "kmeans" || c.id == "minibatch_kmeans" || c.id == "gmm")
        {
            // The planted groups themselves, and soft rows that agree with the labels.
            std::vector<int64_t> truth;
            for (int i = 0; i < 60; ++i)
                truth.push_back(i % 3);
            QCOMPARE(adjustedRandIndex(far.labels, truth), 1.0);
            QCOMPARE(softArgmax(far.soft), far.labels);
        }
    }

    void kmeansOnOneShiftedColumn()
    {
        // The case: 1e6 + {0, 0.5, 1, 100, 100.5, 101}, every value exact in float32.
        const auto x = matrixFromValues(
            {1e6F, 1e6F + 0.5F, 1e6F + 1, 1e6F + 100, 1e6F + 100.5F, 1e6F + 101}, 6, 1);
        const std::vector<int64_t> truth{0, 0, 0, 1, 1, 1};
        const std::vector<std::pair<std::string, Overrides>> methods{
            {"kmeans", {{"k", int64_t{2}}}},
            {"minibatch_kmeans", {{"k", int64_t{2}}}},
            {"gmm", {{"k", int64_t{2}}}},
            {"kmedoids", {{"k", int64_t{2}}}},
            {"spectral", {{"k", int64_t{2}}, {"neighbors", int64_t{3}}}},
            {"hdbscan", {{"min_cluster_size", int64_t{3}}, {"min_samples", int64_t{1}}}}};
        for (const auto& [id, params] : methods)
        {
            const auto r = runMethod(id, params, x);
            QVERIFY2(adjustedRandIndex(r.labels, truth) == 1.0, id.c_str());
            if (r.soft.defined())
                QVERIFY2(softArgmax(r.soft) == r.labels, id.c_str());
        }
    }

    void nonFiniteValuesAreRefused_data()
    {
        QTest::addColumn<int>("method");
        QTest::addColumn<float>("value");
        const auto methods = distanceMethods();
        for (size_t m = 0; m < methods.size(); ++m)
        {
            QTest::addRow("%s nan", methods[m].name)
                << static_cast<int>(m) << std::numeric_limits<float>::quiet_NaN();
            QTest::addRow("%s inf", methods[m].name)
                << static_cast<int>(m) << std::numeric_limits<float>::infinity();
            QTest::addRow("%s -inf", methods[m].name)
                << static_cast<int>(m) << -std::numeric_limits<float>::infinity();
        }
    }

    void nonFiniteValuesAreRefused()
    {
        QFETCH(int, method);
        QFETCH(float, value);
        const auto c = distanceMethods()[static_cast<size_t>(method)];
        auto v = threeGroups(0);
        v[2 * 7 + 1] = value; // row 7, column 1
        v[2 * 40] = value;
        const auto x = matrixFromValues(v, 60, 2);
        CS_EXPECT_ERROR(DataError, runMethod(c.id, c.params, x), "NaN or infinite values",
                        "row 7, column 1", "missing-value policy");
    }

    void valuesTooLargeToSquareAreRefused_data()
    {
        QTest::addColumn<int>("method");
        const auto methods = distanceMethods();
        for (size_t m = 0; m < methods.size(); ++m)
        {
            if (methods[m].id != "gmm") // float64 throughout, apart from its k-means start
                QTest::addRow("%s", methods[m].name) << static_cast<int>(m);
        }
    }

    void valuesTooLargeToSquareAreRefused()
    {
        // Finite, but their squared distances overflow float32: Prim was left without an edge.
        QFETCH(int, method);
        const auto c = distanceMethods()[static_cast<size_t>(method)];
        auto v = threeGroups(0);
        for (size_t i = 0; i < v.size(); ++i)
            v[i] *= (i % 4 == 0 ? 1e30F : -1e30F);
        CS_EXPECT_ERROR(DataError, runMethod(c.id, c.params, matrixFromValues(v, 60, 2)), "row ",
                        ", column ", "from its column's mean", "overflow float32",
                        "--scaling standardize");
    }

    void kmedoidsRefusesNonFiniteValuesForEveryMetric()
    {
        auto v = threeGroups(0);
        v[5] = std::numeric_limits<float>::infinity();
        const auto x = matrixFromValues(v, 60, 2);
        for (const char* metric : {"euclidean", "cosine", "manhattan"})
            CS_EXPECT_ERROR(
                DataError,
                runMethod("kmedoids", {{"k", int64_t{3}}, {"metric", std::string(metric)}}, x),
                "k-medoids", "NaN or infinite values");
    }
};

QTEST_APPLESS_MAIN(TestDataValues)
#include "test_data_values.moc"

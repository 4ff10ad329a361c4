// Metrics against hand-computed cases and scikit-learn 1.2 values for fixed label vectors
// (tests/reference/make_reference.py prints them).

#include "fixtures.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/metrics/metrics.h>

#include <QtTest>

using namespace clusterscope;

class TestMetrics : public QObject
{
    Q_OBJECT

    const Labels truth{0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3};
    const Labels predicted{1, 1, 0, 0, 2, 2, 2, 2, 3, 3, 3, -1};

private Q_SLOTS:
    void majorityLabelsByHand()
    {
        // Cluster 0: labels 3, 3, 5; cluster 1: one missing truth and a 7; cluster 2: no truth;
        // cluster 3: a tie between 4 and 2 goes to the lower label; noise (-1) is left out.
        const Labels clusters{0, 0, 0, 1, 1, 2, 3, 3, -1};
        const Labels classes{3, 3, 5, -1, 7, -1, 4, 2, 9};
        const auto m = majorityLabels(clusters, classes, 4);
        QCOMPARE(m.size(), size_t{4});
        QCOMPARE(m[0].label, int64_t{3});
        QVERIFY(std::abs(m[0].share - 2.0 / 3.0) < 1e-12);
        QCOMPARE(m[1].label, int64_t{7});
        QCOMPARE(m[1].share, 1.0);
        QCOMPARE(m[2].label, int64_t{-1});
        QCOMPARE(m[2].share, 0.0);
        QCOMPARE(m[3].label, int64_t{2});
        QCOMPARE(m[3].share, 0.5);
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, majorityLabels({0, 1}, {0}, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, majorityLabels({0, 2}, {0, 1}, 2));
    }

    void accuracyByHand()
    {
        // Best one-to-one matching: 0->1 (2), 1->2 (2), 2->3 (2), 3->-1 (1): 7 of 12.
        QCOMPARE(accuracy(truth, predicted), 7.0 / 12.0);
        QCOMPARE(accuracy({0, 0, 1, 1}, {5, 5, 9, 9}), 1.0);
        // More clusters than classes: the extra cluster's points count as errors.
        QCOMPARE(accuracy({0, 0, 0, 1}, {0, 1, 2, 3}), 0.5);
    }

    void matchingOnARectangularMatrix()
    {
        // 2 rows x 3 columns: best is row 0 -> column 2 (5), row 1 -> column 0 (4).
        const auto m = maxWeightMatching({1, 2, 5, 4, 0, 5}, 2, 3);
        QCOMPARE(m, (std::vector<int64_t>{2, 0}));
    }

    void matchesScikitLearn()
    {
        QVERIFY(qAbs(normalizedMutualInfo(truth, predicted) - 0.592870085129815) < 1e-12);
        QVERIFY(qAbs(adjustedRandIndex(truth, predicted) - 0.186440677966102) < 1e-12);
        QVERIFY(qAbs(adjustedMutualInfo(truth, predicted) - 0.274541955044394) < 1e-10);
    }

    void perfectAndTrivialCases()
    {
        const Labels a{0, 0, 1, 1, 2};
        const Labels renamed{7, 7, 3, 3, 9};
        QCOMPARE(normalizedMutualInfo(a, renamed), 1.0);
        QCOMPARE(adjustedRandIndex(a, renamed), 1.0);
        QVERIFY(qAbs(adjustedMutualInfo(a, renamed) - 1.0) < 1e-12);
        const Labels one{4, 4, 4, 4, 4};
        QCOMPARE(normalizedMutualInfo(one, one), 1.0); // scikit-learn's convention
        QCOMPARE(normalizedMutualInfo(a, one), 0.0);
        QCOMPARE(adjustedRandIndex(a, one), 0.0);
        CS_EXPECT_ERROR(ParameterError, accuracy({0, 1}, {0}), "different lengths");
    }

    void internalMetricsMatchScikitLearn()
    {
        LoadOptions o;
        const Dataset d = loadDataset(CLUSTERSCOPE_TEST_DATA "/internal_metrics_40x3.csv", o);
        Labels labels(40, 1);
        std::fill(labels.begin(), labels.begin() + 15, 0);
        std::fill(labels.begin() + 25, labels.end(), 2);
        // The fixture is stored as text with 17 digits and loaded as float32: 1e-6 relative.
        QVERIFY(qAbs(silhouetteScore(d.features, labels) / 0.0928772572862193 - 1) < 1e-5);
        QVERIFY(qAbs(calinskiHarabasz(d.features, labels) / 8.65009164517069 - 1) < 1e-5);
        QVERIFY(qAbs(daviesBouldin(d.features, labels) / 2.76296025487788 - 1) < 1e-5);
    }

    void noiseIsLeftOutOfInternalMetrics()
    {
        const Dataset d = loadDataset(CLUSTERSCOPE_TEST_DATA "/internal_metrics_40x3.csv");
        Labels labels(40, 1);
        std::fill(labels.begin(), labels.begin() + 15, 0);
        std::fill(labels.begin() + 25, labels.end(), 2);
        Labels withNoise = labels;
        withNoise.push_back(-1); // an extra far-away row marked as noise must change nothing
        std::vector<float> rows = clusterscope::floatValues(d.features);
        rows.insert(rows.end(), {100.0f, 100.0f, 100.0f});
        const auto x = matrixFromValues(rows, 41, 3);
        QCOMPARE(silhouetteScore(x, withNoise), silhouetteScore(d.features, labels));
        const auto all = allMetrics(x, {}, withNoise);
        QCOMPARE(all.at("n_clusters"), 3.0);
        QCOMPARE(all.at("noise_fraction"), 1.0 / 41.0);
        QVERIFY(!all.count("acc"));
    }

    void silhouetteByHand()
    {
        // Two clusters on a line: {0, 1} and {4}. Point 0: a = 1, b = 4 -> 0.75;
        // point 1: a = 1, b = 3 -> 2/3; point 4 is alone -> 0. Mean = (0.75 + 2/3) / 3.
        const auto x = matrixFromValues({0, 1, 4}, 3, 1);
        QVERIFY(qAbs(silhouetteScore(x, {0, 0, 1}) - (0.75 + 2.0 / 3.0) / 3.0) < 1e-12);
        CS_EXPECT_ERROR(ParameterError, silhouetteScore(x, {0, 0, 0}), "2 <= clusters");
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "test_metrics.moc"

// Mini-batch k-means: on digits its mean inertia over seeds is within 3% of scikit-learn's
// MiniBatchKMeans (1 202 918 over seeds 0-9 with n_init=3) and within 5% of full k-means';
// planted blobs are recovered; the same seed gives the same labels; early stopping works.

#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/cluster/minibatch_kmeans.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/registry.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/metrics/metrics.h>
#include <clusterscope/pipeline/builtin.h>

#include <QtTest>

#include <random>
#include <set>

using namespace clusterscope;

class TestMiniBatchKMeans : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void inertiaCloseToScikitLearnOnDigits()
    {
        const auto digits = loadDataset(CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz");
        double sum = 0;
        double full = 0;
        for (uint64_t seed = 0; seed < 10; ++seed)
        {
            MiniBatchKMeansOptions o;
            o.k = 10;
            o.seed = seed;
            sum += miniBatchKMeans(digits.features, o).inertia;
            KMeansOptions k;
            k.k = 10;
            k.seed = seed;
            full += kmeans(digits.features, k).inertia;
        }
        const double mean = sum / 10;
        const double sklearn = 1202918.4;
        QVERIFY2(std::abs(mean - sklearn) < 0.03 * sklearn, qPrintable(QString::number(mean)));
        QVERIFY2(mean < 1.05 * full / 10, qPrintable(QString("%1 vs %2").arg(mean).arg(full / 10)));
    }

    void recoversBlobsAndIsSeeded()
    {
        std::mt19937_64 rng(3);
        std::normal_distribution<float> g(0.0F, 0.3F);
        std::vector<float> v;
        std::vector<int64_t> truth;
        for (int64_t i = 0; i < 6000; ++i)
        {
            const auto c = i % 4;
            v.push_back(g(rng) + static_cast<float>(c) * 5);
            v.push_back(g(rng) + static_cast<float>(c % 2) * 5);
            truth.push_back(c);
        }
        const auto x = matrixFromValues(v, 6000, 2);
        MiniBatchKMeansOptions o;
        o.k = 4;
        o.batchSize = 256;
        o.seed = 9;
        const auto r = miniBatchKMeans(x, o);
        const auto labels = intValues(r.labels);
        QCOMPARE(adjustedRandIndex(truth, labels), 1.0);
        QCOMPARE(intValues(miniBatchKMeans(x, o).labels), labels);
        // Converged long before 100 passes (2344 batches): the smoothed inertia stops falling.
        QVERIFY2(r.steps < 500, qPrintable(QString::number(r.steps)));
        QCOMPARE(r.centers.size(0), int64_t{4});
    }

    void asManyClustersAsDistinctRows()
    {
        // 16 distinct rows and k = 16: every row its own center, inertia 0, whatever the
        // reassignment ratio (scikit-learn's documented fix is ratio 0). Seeding used to draw
        // the init sample with replacement and starved centers landed on taken rows.
        std::vector<float> v;
        for (int i = 0; i < 16; ++i)
        {
            v.push_back(static_cast<float>(i % 4));
            v.push_back(static_cast<float>(i / 4) * 3);
        }
        const auto x = matrixFromValues(v, 16, 2);
        const auto& info = builtinRegistry().get("minibatch_kmeans");
        for (double ratio : {0.0, 0.01, 0.5})
        {
            for (uint64_t seed = 0; seed < 5; ++seed)
            {
                ParamSet p(info.params);
                p.set("k", int64_t{16});
                p.set("reassignment_ratio", ratio);
                const auto r =
                    info.run(x, p, RunContext{c10::Device(c10::kCPU), seed, &nullProgress()});
                const std::set<int64_t> distinct(r.labels.begin(), r.labels.end());
                QCOMPARE(distinct.size(), size_t{16});
                QCOMPARE(r.stats.at("clusters"), 16.0);
                QCOMPARE(r.stats.at("inertia"), 0.0);
            }
        }
    }

    void fewerDistinctRowsThanKSaySo()
    {
        // 5 distinct rows, each three times, and k = 8: 5 clusters, and the result says so.
        std::vector<float> v;
        for (int i = 0; i < 15; ++i)
            v.push_back(static_cast<float>(i % 5) * 10);
        MiniBatchKMeansOptions o;
        o.k = 8;
        o.batchSize = 4;
        for (double ratio : {0.0, 0.01})
        {
            o.reassignmentRatio = ratio;
            const auto r = miniBatchKMeans(matrixFromValues(v, 15, 1), o);
            QCOMPARE(r.clusters, int64_t{5});
            QCOMPARE(r.inertia, 0.0);
            const auto labels = intValues(r.labels);
            QCOMPARE(std::set<int64_t>(labels.begin(), labels.end()).size(), size_t{5});
        }
    }

    void duplicateCentersAreReseeded()
    {
        // 20 distinct rows, 50 copies each, k = 20: the init sample (drawn with replacement,
        // smaller than the data) misses some rows, so k-means++ seeds duplicate centers, which
        // starve. They are moved to the farthest rows at the end: 20 clusters, none empty.
        std::vector<float> v;
        for (int i = 0; i < 1000; ++i)
        {
            v.push_back(static_cast<float>(i % 20 % 5) * 10);
            v.push_back(static_cast<float>(i % 20 / 5) * 10);
        }
        const auto x = matrixFromValues(v, 1000, 2);
        MiniBatchKMeansOptions o;
        o.k = 20;
        o.batchSize = 8;
        for (double ratio : {0.0, 0.01})
        {
            o.reassignmentRatio = ratio;
            for (uint64_t seed = 0; seed < 4; ++seed)
            {
                o.seed = seed;
                const auto r = miniBatchKMeans(x, o);
                QCOMPARE(r.clusters, int64_t{20});
                const auto labels = intValues(r.labels);
                QCOMPARE(std::set<int64_t>(labels.begin(), labels.end()).size(), size_t{20});
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestMiniBatchKMeans)
#include "test_minibatch_kmeans.moc"

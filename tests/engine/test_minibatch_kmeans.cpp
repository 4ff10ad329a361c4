// Mini-batch k-means: on digits its mean inertia over seeds is within 3% of scikit-learn's
// MiniBatchKMeans (1 202 918 over seeds 0-9 with n_init=3) and within 5% of full k-means';
// planted blobs are recovered; the same seed gives the same labels; early stopping works.

#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/cluster/minibatch_kmeans.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/metrics/metrics.h>

#include <QtTest>

#include <random>

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
};

QTEST_APPLESS_MAIN(TestMiniBatchKMeans)
#include "test_minibatch_kmeans.moc"

// Agglomerative clustering: the same partitions as scikit-learn's AgglomerativeClustering
// (ARI = 1) on iris, wine and digits for every linkage, the same top merge heights as SciPy's
// linkage, and hand-built cases. References: tests/reference/agglomerative_reference.py.

#include "fixtures.h"
#include "poll_watchdog.h"

#include <clusterscope/cluster/agglomerative.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/metrics/metrics.h>

#include <QtTest>

#include <random>

using namespace clusterscope;

namespace
{

Dataset load(const QString& name)
{
    if (name == "iris")
    {
        LoadOptions o;
        o.labelColumn = "last";
        return loadDataset("/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv", o);
    }
    if (name == "wine")
        return loadDataset(CLUSTERSCOPE_TEST_DATA "/wine.csv");
    return loadDataset(CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz");
}

// scikit-learn's labels for one linkage, from tests/data/agglomerative_<name>.csv.
std::vector<int64_t> reference(const QString& name, const QString& linkage)
{
    LoadOptions o;
    o.labelColumn = linkage.toStdString();
    return loadDataset((CLUSTERSCOPE_TEST_DATA "/agglomerative_" + name + ".csv").toStdString(), o)
        .labels;
}

} // namespace

class TestAgglomerative : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void samePartitionsAsScikitLearn_data()
    {
        QTest::addColumn<QString>("data");
        QTest::addColumn<QString>("linkage");
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("topHeight");
        const struct
        {
            const char* data;
            int k;
            double heights[4];
        } cases[] = {{"iris", 3, {32.447607, 7.085195834, 4.062682686, 1.640121947}},
                     {"wine", 3, {5078.327101, 1402.191865, 606.9690305, 133.2221558}},
                     {"digits", 10, {691.9612268, 77.03895119, 54.79396407, 32.10918872}}};
        const char* linkages[] = {"ward", "complete", "average", "single"};
        for (const auto& c : cases)
            for (int l = 0; l < 4; ++l)
                QTest::addRow("%s %s", c.data, linkages[l])
                    << c.data << linkages[l] << c.k << c.heights[l];
    }

    void samePartitionsAsScikitLearn()
    {
        QFETCH(QString, data);
        QFETCH(QString, linkage);
        QFETCH(int, k);
        QFETCH(double, topHeight);
        const Dataset d = load(data);
        const auto tree = agglomerate(d.features, parseLinkage(linkage.toStdString()));
        QCOMPARE(static_cast<int64_t>(tree.merges.size()), d.rows() - 1);
        // Features are stored as float32, SciPy's as float64: heights agree to ~1e-6.
        QVERIFY2(std::abs(tree.merges.back().distance / topHeight - 1) < 1e-6,
                 qPrintable(QString::number(tree.merges.back().distance, 'g', 12)));
        QCOMPARE(tree.merges.back().size, d.rows());
        const auto labels = cutTree(tree, k);
        QCOMPARE(adjustedRandIndex(reference(data, linkage), labels), 1.0);
    }

    void handBuiltCase()
    {
        // Points on a line at 0, 1, 5, 6, 20: single linkage merges 0-1 (1), 2-3 (1), then
        // {0,1}-{2,3} (4), then 4 (14).
        const auto x = matrixFromValues({0, 1, 5, 6, 20}, 5, 1);
        const auto tree = agglomerate(x, Linkage::Single);
        QCOMPARE(tree.merges.size(), size_t{4});
        QCOMPARE(tree.merges[0].distance, 1.0);
        QCOMPARE(tree.merges[1].distance, 1.0);
        QCOMPARE(tree.merges[2].distance, 4.0);
        QCOMPARE(tree.merges[3].distance, 14.0);
        QCOMPARE(tree.merges[2].a, int64_t{5}); // the clusters made by the first two merges
        QCOMPARE(tree.merges[2].b, int64_t{6});
        QCOMPARE(cutTree(tree, 2), (std::vector<int64_t>{0, 0, 0, 0, 1}));
        QCOMPARE(cutTree(tree, 3), (std::vector<int64_t>{0, 0, 1, 1, 2}));
        // Complete linkage: {0,1} to {5,6} is 6 apart at the far ends.
        QCOMPARE(agglomerate(x, Linkage::Complete).merges[2].distance, 6.0);
        // Average linkage: (5 + 6 + 4 + 5) / 4 = 5.
        QCOMPARE(agglomerate(x, Linkage::Average).merges[2].distance, 5.0);
        // Ward: sqrt(2 * |mean distance|^2 * n1 n2 / (n1 + n2)) = sqrt(2 * 25 * 1) = sqrt(50).
        QVERIFY(std::abs(agglomerate(x, Linkage::Ward).merges[2].distance - std::sqrt(50.0)) <
                1e-12);
    }

    void everyStepPolls_data()
    {
        QTest::addColumn<QString>("linkage");
        for (const char* l : {"ward", "average", "single"})
            QTest::newRow(l) << QString(l);
    }
    void everyStepPolls()
    {
        // The distance matrix, each nn-chain step and each spanning-tree step are O(N D) or O(N)
        // work (milliseconds at 10^4 x 784): the old polls every 256 merges, none while the
        // matrix was filled, left 69 s between polls on Fashion-MNIST 10k.
        QFETCH(QString, linkage);
        const int64_t n = 600;
        std::mt19937_64 rng(3);
        std::normal_distribution<float> g;
        std::vector<float> v(static_cast<size_t>(n * 8));
        for (auto& value : v)
            value = g(rng);
        testing::PollWatchdog watchdog;
        agglomerate(matrixFromValues(v, n, 8), parseLinkage(linkage.toStdString()), &watchdog);
        QVERIFY2(watchdog.polls() >= n - 1,
                 qPrintable(QString("%1 polls for %2 rows").arg(watchdog.polls()).arg(n)));
        QCOMPARE(watchdog.progressProblem(), std::string());
    }

    void limitsAreClear()
    {
        CS_EXPECT_ERROR(ParameterError, parseLinkage("median"), "ward|complete|average|single");
        const auto x = matrixFromValues({0, 1, 2}, 3, 1);
        CS_EXPECT_ERROR(ParameterError, cutTree(agglomerate(x, Linkage::Ward), 4), "into 4");
    }
};

QTEST_GUILESS_MAIN(TestAgglomerative)
#include "test_agglomerative.moc"

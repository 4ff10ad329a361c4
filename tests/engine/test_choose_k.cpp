// Choosing k: on four planted blobs every criterion and the suggestion find k = 4; the curves
// agree with the metrics computed directly; Tibshirani's rule on hand-made gap curves.

#include <clusterscope/cluster/choose_k.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>

#include <QtTest>

#include <random>

using namespace clusterscope;

class TestChooseK : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsFourPlantedBlobs()
    {
        std::mt19937_64 rng(2);
        std::normal_distribution<float> g(0.0F, 0.4F);
        std::vector<float> v;
        for (int64_t i = 0; i < 800; ++i)
        {
            const auto c = i % 4;
            v.push_back(g(rng) + static_cast<float>(c / 2) * 6);
            v.push_back(g(rng) + static_cast<float>(c % 2) * 6);
            v.push_back(g(rng));
        }
        ChooseKOptions o;
        o.kMin = 2;
        o.kMax = 8;
        const auto r = chooseK(matrixFromValues(v, 800, 3), o);
        QCOMPARE(r.ks.front(), int64_t{2});
        QCOMPARE(r.ks.back(), int64_t{8});
        for (const char* name : {"silhouette", "calinski_harabasz", "davies_bouldin", "bic", "gap"})
        {
            QVERIFY2(r.preferred.at(name) == 4,
                     qPrintable(QString("%1 prefers %2").arg(name).arg(r.preferred.at(name))));
            QCOMPARE(r.curves.at(name).size(), size_t{7});
        }
        QCOMPARE(r.suggested, int64_t{4});
        // Inertia falls with k.
        const auto& inertia = r.curves.at("inertia");
        QVERIFY(std::is_sorted(inertia.rbegin(), inertia.rend()));
    }

    void tibshiraniRule()
    {
        // gap(k) >= gap(k + 1) - sd(k + 1) first holds at the third k.
        QCOMPARE(gapChoice({0.1, 0.5, 0.9, 0.92, 1.0}, {0.01, 0.01, 0.01, 0.05, 0.01}), int64_t{2});
        // A rising curve takes the last k.
        QCOMPARE(gapChoice({0.1, 0.2, 0.3}, {0.01, 0.01, 0.01}), int64_t{2});
        QVERIFY(largerIsBetter("silhouette"));
        QVERIFY(!largerIsBetter("davies_bouldin"));
        QVERIFY(!largerIsBetter("bic"));
    }

    void rejectsBadRanges()
    {
        ChooseKOptions o;
        o.kMin = 1;
        QVERIFY_THROWS_EXCEPTION(ParameterError,
                                 chooseK(matrixFromValues(std::vector<float>(20, 1.0F), 10, 2), o));
    }
};

QTEST_APPLESS_MAIN(TestChooseK)
#include "test_choose_k.moc"

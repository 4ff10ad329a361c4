// Choosing k: on four planted blobs every criterion (silhouette, Calinski-Harabasz,
// Davies-Bouldin, BIC, AIC, gap) and the suggestion find k = 4; the curves agree with the
// metrics computed directly; Tibshirani's rule on hand-made gap curves.

#include "fixtures.h"

#include <clusterscope/cluster/choose_k.h>
#include <clusterscope/cluster/gmm.h>
#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/metrics/metrics.h>

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace clusterscope;

namespace
{

// Four blobs (sd 0.4) at the corners of a 6 x 6 square, 200 points each.
at::Tensor fourBlobs()
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
    return matrixFromValues(v, 800, 3);
}

bool close(double a, double b)
{
    return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b));
}

} // namespace

class TestChooseK : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsFourPlantedBlobs()
    {
        ChooseKOptions o;
        o.kMin = 2;
        o.kMax = 8;
        const auto r = chooseK(fourBlobs(), o);
        QCOMPARE(r.ks.front(), int64_t{2});
        QCOMPARE(r.ks.back(), int64_t{8});
        for (const char* name :
             {"silhouette", "calinski_harabasz", "davies_bouldin", "bic", "aic", "gap"})
        {
            QVERIFY2(r.preferred.count(name), name);
            QVERIFY2(r.preferred.at(name) == 4,
                     qPrintable(QString("%1 prefers %2").arg(name).arg(r.preferred.at(name))));
            QCOMPARE(r.curves.at(name).size(), size_t{7});
        }
        QCOMPARE(r.suggested, int64_t{4});
        QVERIFY(r.warnings.empty());
        // Inertia falls with k.
        const auto& inertia = r.curves.at("inertia");
        QVERIFY(std::is_sorted(inertia.rbegin(), inertia.rend()));
    }

    void curvesAgreeWithTheMetricsComputedDirectly()
    {
        // At each k: k-means with the sweep's restarts and seed, then the metrics of
        // metrics.h (checked against scikit-learn in test_metrics) on its labels; BIC and AIC of
        // a diagonal mixture with the same seed. 800 rows: the silhouette uses them all.
        const auto x = fourBlobs();
        ChooseKOptions o;
        o.kMin = 2;
        o.kMax = 6;
        o.gap = false;
        o.seed = 5;
        const auto r = chooseK(x, o);
        QCOMPARE(r.ks.size(), size_t{5});
        for (size_t i = 0; i < r.ks.size(); ++i)
        {
            KMeansOptions km;
            km.k = r.ks[i];
            km.nInit = o.nInit;
            km.seed = o.seed;
            const auto clusters = kmeans(x, km);
            const auto labels = intValues(clusters.labels);
            GmmOptions g;
            g.k = r.ks[i];
            g.covariance = CovarianceType::Diagonal;
            g.seed = o.seed;
            const auto mixture = gaussianMixture(x, g);
            const std::pair<const char*, double> expected[] = {
                {"inertia", clusters.inertia},
                {"silhouette", silhouetteScore(x, labels)},
                {"calinski_harabasz", calinskiHarabasz(x, labels)},
                {"davies_bouldin", daviesBouldin(x, labels)},
                {"bic", mixture.bic},
                {"aic", mixture.aic},
            };
            for (const auto& [name, value] : expected)
            {
                const double curve = r.curves.at(name)[i];
                QVERIFY2(close(curve, value), qPrintable(QString("%1 at k = %2: %3, directly %4")
                                                             .arg(name)
                                                             .arg(r.ks[i])
                                                             .arg(curve, 0, 'g', 12)
                                                             .arg(value, 0, 'g', 12)));
            }
        }
    }

    // Four blobs swept over 2..3: the suggestion sits at the top of the range, and says so.
    void aSuggestionAtTheEdgeSaysSo()
    {
        ChooseKOptions o;
        o.kMin = 2;
        o.kMax = 3;
        const auto r = chooseK(fourBlobs(), o);
        QCOMPARE(r.suggested, int64_t{3});
        QCOMPARE(r.warnings.size(), size_t{1});
        QVERIFY2(r.warnings[0].find("largest k swept") != std::string::npos &&
                     r.warnings[0].find("widen the range") != std::string::npos,
                 r.warnings[0].c_str());
    }

    // One Gaussian blob: every criterion but the gap statistic must pick some k >= 2, and the
    // smallest one swept, 2, came out with no warning (issue 13's second trial). The gap
    // statistic can weigh one group against two, and says so; two real groups stay quiet.
    void twoAtTheLowerEdgeAsksWhetherThereAreClustersAtAll()
    {
        const auto blobs = [](int groups, float apart = 12.0F)
        {
            std::mt19937_64 rng(5);
            std::normal_distribution<float> g(0.0F, 1.0F);
            std::vector<float> v;
            for (int64_t i = 0; i < 400; ++i)
            {
                v.push_back(g(rng) + static_cast<float>(i % groups) * apart);
                v.push_back(g(rng));
            }
            return matrixFromValues(v, 400, 2);
        };
        const auto said = [](const ChooseKResult& r, const std::string& text)
        {
            return std::any_of(r.warnings.begin(), r.warnings.end(),
                               [&](const std::string& w)
                               { return w.find(text) != std::string::npos; });
        };
        ChooseKOptions o;
        o.kMin = 2;
        o.kMax = 6;
        const auto one = chooseK(blobs(1), o);
        QCOMPARE(one.suggested, int64_t{2});
        QVERIFY2(said(one, "prefers one group to two"),
                 one.warnings.empty() ? "no warning" : one.warnings[0].c_str());
        const auto two = chooseK(blobs(2), o);
        QCOMPARE(two.suggested, int64_t{2});
        QVERIFY2(two.warnings.empty(), two.warnings.empty() ? "" : two.warnings[0].c_str());
        o.gap = false; // the curve off, gap(1) against gap(2) is still weighed (a sweep of 2..2)
        o.kMax = 2;
        QVERIFY2(chooseK(blobs(2), o).warnings.empty(), "two clear groups were doubted");
        // Unit blobs 6 sd apart are two clear groups too (silhouette about 0.70).
        const auto six = chooseK(blobs(2, 6.0F), o);
        QVERIFY2(six.warnings.empty(), six.warnings.empty() ? "" : six.warnings[0].c_str());
        // One blob stretched tenfold: its split's silhouette is about 0.54, still no structure.
        auto stretched = blobs(1).clone();
        stretched.select(1, 0).mul_(10);
        const auto lean = chooseK(stretched, o);
        QVERIFY2(lean.warnings.size() == 1 &&
                     lean.warnings[0].find("prefers one group to two") != std::string::npos,
                 lean.warnings.empty() ? "no warning" : lean.warnings[0].c_str());
        const auto blind = chooseK(blobs(1), o);
        QVERIFY2(said(blind, "prefers one group to two"),
                 qPrintable(QString("k = %1: %2")
                                .arg(blind.suggested)
                                .arg(blind.warnings.empty() ? "" : blind.warnings[0].c_str())));
    }

    // Identical rows: every criterion is undefined, which is said instead of a crash mid-sweep.
    void identicalRowsAreSaidToBe()
    {
        ChooseKOptions o;
        o.kMin = 2;
        o.kMax = 4;
        const auto same = matrixFromValues(std::vector<float>(60, 1.5f), 20, 3);
        const auto r = chooseK(same, o);
        QVERIFY(!r.preferred.count("silhouette"));
        QVERIFY(std::isnan(r.curves.at("silhouette").front()));
        const auto said = [&](const std::string& text)
        {
            return std::any_of(r.warnings.begin(), r.warnings.end(),
                               [&](const std::string& w)
                               { return w.find(text) != std::string::npos; });
        };
        QVERIFY(said("silhouette is undefined at every k"));
        QVERIFY(said("calinski_harabasz is undefined at every k"));
        // The suggestion (from the mixture's criteria) is arbitrary, and that is said first.
        QVERIFY2(!r.warnings.empty() && r.warnings[0].find("all 20 rows are identical") == 0,
                 r.warnings.empty() ? "no warning" : r.warnings[0].c_str());
        // Without the mixture's criteria nothing is left to vote: a clear error.
        o.mixtureCriteria = false;
        CS_EXPECT_ERROR(DataError, chooseK(same, o), "no criterion is defined",
                        "all rows identical");
    }

    // Five rows cannot hold 12 clusters: the cap is said, with its reason, and a suggestion
    // at the cap is not answered with advice to raise k_max past it.
    void aCappedKMaxIsSaidAndNotAdvisedAgainst()
    {
        ChooseKOptions o;
        o.kMin = 2;
        o.kMax = 12;
        o.gap = false;
        const auto five = matrixFromValues({0, 0, 1, 0, 5, 5, 9, 0, 0, 9}, 5, 2);
        const auto r = chooseK(five, o);
        QCOMPARE(r.ks.back(), int64_t{4});
        const auto said = [&](const std::string& text)
        {
            return std::any_of(r.warnings.begin(), r.warnings.end(),
                               [&](const std::string& w)
                               { return w.find(text) != std::string::npos; });
        };
        QVERIFY(said("k_max = 12 was capped at 4: k must be less than the 5 rows"));
        QVERIFY(!said("raise k_max"));
        if (r.suggested == 4)
            QVERIFY(said("the largest k these 5 rows allow"));
    }

    // Three distinct rows, each repeated: k above 3 only splits copies, which is said with the
    // k_max that would do (scikit-learn's KMeans warns of fewer distinct clusters too).
    void fewerDistinctRowsThanKMaxIsSaid()
    {
        std::vector<float> values;
        for (int copy = 0; copy < 10; ++copy)
            for (float v : {0.0f, 0.0f, 4.0f, 1.0f, 9.0f, 7.0f})
                values.push_back(v);
        ChooseKOptions o;
        o.kMin = 2;
        o.kMax = 6;
        o.gap = false;
        o.mixtureCriteria = false;
        const auto r = chooseK(matrixFromValues(values, 30, 2), o);
        const bool said =
            std::any_of(r.warnings.begin(), r.warnings.end(),
                        [](const std::string& w)
                        {
                            return w.find("only 3 distinct rows") != std::string::npos &&
                                   w.find("set k_max to at most 3") != std::string::npos;
                        });
        QVERIFY(said);
        // Within the distinct rows nothing is said.
        o.kMax = 3;
        const auto within = chooseK(matrixFromValues(values, 30, 2), o);
        for (const auto& w : within.warnings)
            QVERIFY2(w.find("distinct rows") == std::string::npos, w.c_str());
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

    // The sweep's fits are choose-k's: values 1e20 apart (finite, but not their squares in
    // float32) were refused as "k-means: ...", naming a method the user did not run.
    void errorsNameChooseK()
    {
        std::vector<float> v;
        for (int i = 0; i < 40; ++i)
            v.push_back(static_cast<float>(i % 4) * 1e20F);
        ChooseKOptions o;
        o.kMax = 4;
        try
        {
            chooseK(matrixFromValues(v, 20, 2), o);
            QFAIL("no error");
        }
        catch (const DataError& e)
        {
            QVERIFY2(std::string(e.what()).rfind("choose-k: ", 0) == 0, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestChooseK)
#include "test_choose_k.moc"

// FasterPAM: the reference implementation's test vector, the same loss as exhaustive search and
// as classic PAM (BUILD + best-swap SWAP, written out here) on small cases, the three
// dissimilarities by hand, and the size limit.

#include "poll_watchdog.h"

#include <clusterscope/cluster/kmedoids.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>

#include <QtTest>

#include <cmath>
#include <random>

using namespace clusterscope;

namespace
{

// kno10/rust-kmedoids' test: the lower triangle 1..9, 1 of a 5 x 5 matrix.
DissimilarityMatrix referenceMatrix()
{
    const float lower[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 1};
    DissimilarityMatrix d{5, std::vector<float>(25, 0.0F)};
    int k = 0;
    for (int64_t i = 1; i < 5; ++i)
    {
        for (int64_t j = 0; j < i; ++j)
        {
            d.values[static_cast<size_t>(i * 5 + j)] = lower[k];
            d.values[static_cast<size_t>(j * 5 + i)] = lower[k];
            ++k;
        }
    }
    return d;
}

double lossOf(const DissimilarityMatrix& d, const std::vector<int64_t>& med)
{
    double loss = 0;
    for (int64_t o = 0; o < d.n; ++o)
    {
        float best = INFINITY;
        for (int64_t m : med)
            best = std::min(best, d(o, m));
        loss += best;
    }
    return loss;
}

double exhaustiveOptimum(const DissimilarityMatrix& d, int64_t k)
{
    std::vector<char> pick(static_cast<size_t>(d.n), 0);
    std::fill(pick.begin(), pick.begin() + k, 1);
    double best = INFINITY;
    do
    {
        std::vector<int64_t> med;
        for (int64_t i = 0; i < d.n; ++i)
        {
            if (pick[static_cast<size_t>(i)])
                med.push_back(i);
        }
        best = std::min(best, lossOf(d, med));
    } while (std::prev_permutation(pick.begin(), pick.end()));
    return best;
}

// Classic PAM's SWAP: the best (medoid, non-medoid) exchange each round, until none improves.
double classicPam(const DissimilarityMatrix& d, std::vector<int64_t> med)
{
    double loss = lossOf(d, med);
    while (true)
    {
        double bestLoss = loss;
        size_t bestM = 0;
        int64_t bestJ = -1;
        for (size_t m = 0; m < med.size(); ++m)
        {
            for (int64_t j = 0; j < d.n; ++j)
            {
                if (std::find(med.begin(), med.end(), j) != med.end())
                    continue;
                auto trial = med;
                trial[m] = j;
                const double l = lossOf(d, trial);
                if (l < bestLoss - 1e-9)
                {
                    bestLoss = l;
                    bestM = m;
                    bestJ = j;
                }
            }
        }
        if (bestJ < 0)
            return loss;
        med[bestM] = bestJ;
        loss = bestLoss;
    }
}

at::Tensor randomPoints(int64_t n, int64_t dim, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.0F, 1.0F);
    std::vector<float> v;
    for (int64_t i = 0; i < n * dim; ++i)
        v.push_back(g(rng) + static_cast<float>((i / dim) % 3) * 2.5F);
    return matrixFromValues(v, n, dim);
}

} // namespace

class TestKMedoids : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void referenceTestVector()
    {
        const auto d = referenceMatrix();
        const auto r = fasterPam(d, {0, 1}, 10);
        QCOMPARE(r.loss, 4.0);
        QCOMPARE(r.swaps, int64_t{2});
        QCOMPARE(r.iterations, int64_t{2});
        QCOMPARE(r.labels, (std::vector<int64_t>{0, 0, 0, 1, 1}));
        QCOMPARE(r.medoids, (std::vector<int64_t>{0, 3}));
        const auto one = fasterPam(d, {1}, 10);
        QCOMPARE(one.loss, 14.0);
        QCOMPARE(one.swaps, int64_t{1});
        QCOMPARE(one.medoids, (std::vector<int64_t>{0}));
    }

    void sameLossAsExhaustiveSearchAndClassicPam()
    {
        int64_t optimal = 0;
        int64_t cases = 0;
        for (uint64_t seed = 1; seed <= 6; ++seed)
        {
            for (int64_t k : {2, 3, 4})
            {
                for (auto metric :
                     {Dissimilarity::Euclidean, Dissimilarity::Manhattan, Dissimilarity::Cosine})
                {
                    const auto d = dissimilarities(randomPoints(14, 3, seed), metric);
                    const auto build = buildMedoids(d, k);
                    const auto r = fasterPam(d, build);
                    QVERIFY(std::abs(r.loss - lossOf(d, r.medoids)) < 1e-4);
                    const double pam = classicPam(d, build);
                    const double best = exhaustiveOptimum(d, k);
                    QVERIFY2(std::abs(r.loss - pam) < 1e-4,
                             qPrintable(QString("seed %1 k %2: %3 vs PAM %4")
                                            .arg(seed)
                                            .arg(k)
                                            .arg(r.loss)
                                            .arg(pam)));
                    optimal += std::abs(r.loss - best) < 1e-4;
                    ++cases;
                }
            }
        }
        // PAM is a local search too; from BUILD it reaches the optimum in nearly every case.
        QVERIFY2(optimal >= cases * 9 / 10,
                 qPrintable(QString("%1 of %2").arg(optimal).arg(cases)));
    }

    void fromAnyStartTheLossIsALocalOptimum()
    {
        const auto d = dissimilarities(randomPoints(40, 4, 9), Dissimilarity::Euclidean);
        for (uint64_t seed = 0; seed < 5; ++seed)
        {
            const auto r = fasterPam(d, kmeansPlusPlusMedoids(d, 4, seed));
            // No single swap improves it.
            for (size_t m = 0; m < r.medoids.size(); ++m)
            {
                for (int64_t j = 0; j < d.n; ++j)
                {
                    auto trial = r.medoids;
                    trial[m] = j;
                    QVERIFY(lossOf(d, trial) >= r.loss - 1e-4);
                }
            }
        }
    }

    void dissimilaritiesByHand()
    {
        const auto x = matrixFromValues({0, 0, 3, 4, 1, 0}, 3, 2);
        const auto e = dissimilarities(x, Dissimilarity::Euclidean);
        QVERIFY(std::abs(e(0, 1) - 5.0F) < 1e-5F);
        QVERIFY(std::abs(e(1, 2) - std::sqrt(20.0F)) < 1e-5F);
        QCOMPARE(e(2, 2), 0.0F);
        const auto m = dissimilarities(x, Dissimilarity::Manhattan);
        QCOMPARE(m(0, 1), 7.0F);
        QCOMPARE(m(2, 1), 6.0F);
        const auto c = dissimilarities(x, Dissimilarity::Cosine);
        QVERIFY(std::abs(c(1, 2) - (1.0F - 3.0F / 5.0F)) < 1e-6F); // (3,4).(1,0) / 5
        QCOMPARE(c(1, 1), 0.0F);
    }

    void buildPollsWithinItsSteps()
    {
        // A BUILD step scores N candidates at O(N) each (0.2 s at 10^4 rows): its threads poll
        // every 256 candidates, where one poll per step left 1.4 s gaps on Fashion-MNIST 10k.
        const int64_t n = 2000;
        const int64_t k = 4;
        std::mt19937_64 rng(5);
        std::normal_distribution<float> g;
        std::vector<float> v(static_cast<size_t>(n * 3));
        for (auto& value : v)
            value = g(rng);
        const auto d = dissimilarities(matrixFromValues(v, n, 3), Dissimilarity::Euclidean);
        testing::PollWatchdog watchdog;
        buildMedoids(d, k, &watchdog);
        QVERIFY2(watchdog.polls() >= k * (n / 256),
                 qPrintable(QString("%1 polls for %2 steps").arg(watchdog.polls()).arg(k)));
        QCOMPARE(watchdog.progressProblem(), std::string());
    }

    void sizeLimitIsAClearError()
    {
        const auto x = matrixFromValues(std::vector<float>(kKMedoidsMaxRows + 1, 0.0F),
                                        kKMedoidsMaxRows + 1, 1);
        try
        {
            dissimilarities(x, Dissimilarity::Euclidean);
            QFAIL("expected an error");
        }
        catch (const ParameterError& e)
        {
            QVERIFY(QString(e.what()).contains("at most"));
        }
    }
};

QTEST_APPLESS_MAIN(TestKMedoids)
#include "test_kmedoids.moc"

// HDBSCAN*: neighbours against brute force, spanning trees against a brute-force MST, the
// condensed tree, stabilities, Excess-of-Mass, leaf and epsilon selection, membership strengths
// and GLOSH on hand-built hierarchies, and noise on data with planted outliers.

#include "poll_watchdog.h"

#include <clusterscope/cluster/hdbscan.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/metrics/metrics.h>

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace clusterscope;

namespace
{

struct Points
{
    int64_t n = 0;
    int64_t d = 0;
    std::vector<float> values;
    std::vector<int64_t> truth; // -1 for planted outliers

    double distance(int64_t a, int64_t b) const
    {
        double s = 0;
        for (int64_t j = 0; j < d; ++j)
        {
            const double diff =
                values[static_cast<size_t>(a * d + j)] - values[static_cast<size_t>(b * d + j)];
            s += diff * diff;
        }
        return std::sqrt(s);
    }
    at::Tensor tensor() const { return matrixFromValues(values, n, d); }
};

Points uniform(int64_t n, int64_t d, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> u(0.0F, 1.0F);
    Points p{n, d, {}, {}};
    for (int64_t i = 0; i < n * d; ++i)
        p.values.push_back(u(rng));
    return p;
}

// Three tight 2-D blobs 10 apart, and `outliers` points scattered far outside them.
Points blobsWithOutliers(int64_t perBlob, int64_t outliers, uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> g(0.0F, 0.5F);
    std::uniform_real_distribution<float> angle(0.0F, 6.2831853F);
    std::uniform_real_distribution<float> radius(25.0F, 40.0F);
    const float centers[3][2] = {{0, 0}, {10, 0}, {5, 9}};
    Points p{3 * perBlob + outliers, 2, {}, {}};
    for (int c = 0; c < 3; ++c)
    {
        for (int64_t i = 0; i < perBlob; ++i)
        {
            p.values.push_back(centers[c][0] + g(rng));
            p.values.push_back(centers[c][1] + g(rng));
            p.truth.push_back(c);
        }
    }
    for (int64_t i = 0; i < outliers; ++i)
    {
        const float a = angle(rng);
        const float r = radius(rng);
        p.values.push_back(5 + r * std::cos(a));
        p.values.push_back(3 + r * std::sin(a));
        p.truth.push_back(-1);
    }
    return p;
}

std::vector<double> bruteCore(const Points& p, int64_t minSamples)
{
    std::vector<double> core;
    for (int64_t i = 0; i < p.n; ++i)
    {
        std::vector<double> d;
        for (int64_t j = 0; j < p.n; ++j)
        {
            if (j != i)
                d.push_back(p.distance(i, j));
        }
        std::nth_element(d.begin(), d.begin() + minSamples - 1, d.end());
        core.push_back(d[static_cast<size_t>(minSamples - 1)]);
    }
    return core;
}

// Prim's algorithm on the full mutual-reachability matrix, in float64.
double bruteMstWeight(const Points& p, const std::vector<double>& core)
{
    const auto n = static_cast<size_t>(p.n);
    std::vector<double> best(n, INFINITY);
    std::vector<char> in(n, 0);
    double total = 0;
    size_t current = 0;
    for (size_t step = 1; step < n; ++step)
    {
        in[current] = 1;
        size_t next = 0;
        double nextValue = INFINITY;
        for (size_t i = 0; i < n; ++i)
        {
            if (in[i])
                continue;
            const double mr =
                std::max({p.distance(static_cast<int64_t>(current), static_cast<int64_t>(i)),
                          core[current], core[i]});
            best[i] = std::min(best[i], mr);
            if (best[i] < nextValue)
            {
                nextValue = best[i];
                next = i;
            }
        }
        total += nextValue;
        current = next;
    }
    return total;
}

double weight(const std::vector<Merge>& tree)
{
    double w = 0;
    for (const auto& e : tree)
        w += e.distance;
    return w;
}

bool spansAll(const std::vector<Merge>& tree, int64_t n)
{
    std::vector<int64_t> parent(static_cast<size_t>(n));
    std::iota(parent.begin(), parent.end(), 0);
    std::function<int64_t(int64_t)> find = [&](int64_t v)
    {
        return parent[static_cast<size_t>(v)] == v
                   ? v
                   : parent[static_cast<size_t>(v)] = find(parent[static_cast<size_t>(v)]);
    };
    for (const auto& e : tree)
        parent[static_cast<size_t>(find(e.a))] = find(e.b);
    for (int64_t i = 1; i < n; ++i)
    {
        if (find(i) != find(0))
            return false;
    }
    return static_cast<int64_t>(tree.size()) == n - 1;
}

// Two groups of four, each two pairs (distance 1) joined at 1.25; the groups join at 10.
std::vector<Merge> nestedPairs()
{
    return {{0, 1, 1, 2},    {2, 3, 1, 2},      {4, 5, 1, 2},   {6, 7, 1, 2},
            {8, 9, 1.25, 4}, {10, 11, 1.25, 4}, {12, 13, 10, 8}};
}

// Two triples (distances 1) joined at 4, and a lone point 5 away from everything.
std::vector<Merge> triplesAndOutlier()
{
    return {{0, 1, 1, 2}, {2, 7, 1, 3}, {3, 4, 1, 2}, {5, 9, 1, 3}, {8, 10, 4, 6}, {6, 11, 5, 7}};
}

bool hasRow(const std::vector<CondensedRow>& tree, CondensedRow want)
{
    return std::any_of(tree.begin(), tree.end(),
                       [&](const CondensedRow& r)
                       {
                           return r.parent == want.parent && r.child == want.child &&
                                  std::abs(r.lambda - want.lambda) < 1e-12 &&
                                  r.childSize == want.childSize;
                       });
}

} // namespace

class TestHdbscan : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactNeighboursMatchBruteForce()
    {
        const auto p = uniform(300, 5, 1);
        KnnOptions o;
        o.k = 7;
        const auto g = nearestNeighbors(p.tensor(), o);
        for (int64_t i = 0; i < p.n; ++i)
        {
            std::vector<double> d;
            for (int64_t j = 0; j < p.n; ++j)
            {
                if (j != i)
                    d.push_back(p.distance(i, j));
            }
            std::sort(d.begin(), d.end());
            for (int64_t j = 0; j < o.k; ++j)
            {
                QVERIFY(g.neighbor(i, j) != i);
                QVERIFY(std::abs(g.distance(i, j) - d[static_cast<size_t>(j)]) < 1e-4);
                QVERIFY(std::abs(p.distance(i, g.neighbor(i, j)) - d[static_cast<size_t>(j)]) <
                        1e-4);
            }
        }
    }

    void hnswRecallIsHighAndSeeded()
    {
        const auto p = uniform(3000, 8, 2);
        KnnOptions exact;
        exact.k = 10;
        KnnOptions approx = exact;
        approx.method = KnnMethod::Hnsw;
        approx.seed = 5;
        const auto e = nearestNeighbors(p.tensor(), exact);
        const auto a = nearestNeighbors(p.tensor(), approx);
        int64_t hits = 0;
        for (int64_t i = 0; i < p.n; ++i)
        {
            for (int64_t j = 0; j < exact.k; ++j)
            {
                const auto* row = &a.indices[static_cast<size_t>(i * exact.k)];
                hits += std::count(row, row + exact.k, e.neighbor(i, j));
            }
        }
        const double recall = static_cast<double>(hits) / static_cast<double>(p.n * exact.k);
        QVERIFY2(recall > 0.97, qPrintable(QString::number(recall)));
        QCOMPARE(nearestNeighbors(p.tensor(), approx).indices, a.indices);
    }

    void coreDistancesExcludeThePoint()
    {
        // A line: 0, 1, 3, 6, 10. Second neighbours: 3, 2, 3, 4, 7.
        const Points p{5, 1, {0, 1, 3, 6, 10}, {}};
        KnnOptions o;
        o.k = 2;
        const auto core = coreDistances(nearestNeighbors(p.tensor(), o), 2);
        const std::vector<double> want{3, 2, 3, 4, 7};
        for (size_t i = 0; i < want.size(); ++i)
            QCOMPARE(core[i], want[i]);
    }

    void neighboursAndTreesFarFromZero()
    {
        // Points on an integer grid of 64 steps, then shifted by 1e7: still exact in float32,
        // with the same distances. The norms of the shifted rows used to swamp them.
        auto p = uniform(300, 3, 7);
        for (auto& v : p.values)
            v = std::round(v * 64);
        auto far = p;
        for (auto& v : far.values)
            v += 1e7F;
        const auto core = bruteCore(p, 5);
        const double want = bruteMstWeight(p, core);
        for (auto method : {KnnMethod::Exact, KnnMethod::Hnsw})
        {
            KnnOptions o;
            o.k = 8;
            o.method = method;
            const auto g = nearestNeighbors(far.tensor(), o);
            for (int64_t i = 0; i < p.n; ++i)
            {
                for (int64_t j = 0; j < o.k; ++j)
                    QVERIFY(std::abs(g.distance(i, j) - p.distance(i, g.neighbor(i, j))) < 1e-5);
            }
            // The unshifted grid is close enough to zero to be used uncopied (kernels/centring.h),
            // so its round-off differs from the centred shifted copy's in the last bits.
            const auto near = nearestNeighbors(p.tensor(), o).distances;
            QCOMPARE(g.distances.size(), near.size());
            for (size_t e = 0; e < near.size(); ++e)
                QVERIFY(std::abs(g.distances[e] - near[e]) < 1e-5);
            const double boruvka = weight(knnGraphReachabilityMst(far.tensor(), core, g));
            QVERIFY2(std::abs(boruvka - want) < 1e-6 * want,
                     qPrintable(QString("%1 vs %2").arg(boruvka).arg(want)));
        }
        const double prim = weight(exactReachabilityMst(far.tensor(), core));
        QVERIFY2(std::abs(prim - want) < 1e-6 * want,
                 qPrintable(QString("%1 vs %2").arg(prim).arg(want)));
    }

    void exactMstMatchesBruteForce()
    {
        for (uint64_t seed : {3, 4})
        {
            const auto p = uniform(400, 4, seed);
            const auto core = bruteCore(p, 5);
            const auto tree = exactReachabilityMst(p.tensor(), core);
            QVERIFY(spansAll(tree, p.n));
            const double want = bruteMstWeight(p, core);
            QVERIFY2(std::abs(weight(tree) - want) < 1e-5 * want,
                     qPrintable(QString("%1 vs %2").arg(weight(tree)).arg(want)));
            for (const auto& e : tree)
            {
                const double mr = std::max({p.distance(e.a, e.b), core[static_cast<size_t>(e.a)],
                                            core[static_cast<size_t>(e.b)]});
                QVERIFY(std::abs(e.distance - mr) < 1e-5);
            }
        }
    }

    void primPollsAtEveryStep()
    {
        // A Prim step is a pass over the remaining rows (milliseconds at 10^4 x 784): polling
        // every 512 steps left 4.6 s between polls on Fashion-MNIST 10k (progress.h's contract).
        const auto p = uniform(1500, 4, 5);
        testing::PollWatchdog watchdog;
        exactReachabilityMst(p.tensor(), bruteCore(p, 5), &watchdog);
        QVERIFY2(watchdog.polls() >= p.n - 1,
                 qPrintable(QString("%1 polls for %2 rows").arg(watchdog.polls()).arg(p.n)));
        QCOMPARE(watchdog.progressProblem(), std::string());
    }

    void boruvkaOnTheKnnGraphIsExact()
    {
        // Planted outliers make the kNN graph a poor guide: their neighbours' edges are heavy.
        const auto p = blobsWithOutliers(100, 10, 6);
        KnnOptions o;
        o.k = 5;
        const auto core = coreDistances(nearestNeighbors(p.tensor(), o), 5);
        const double exact = bruteMstWeight(p, core);
        for (int64_t k : {5, 16, 60})
        {
            o.k = k;
            const auto tree =
                knnGraphReachabilityMst(p.tensor(), core, nearestNeighbors(p.tensor(), o));
            QVERIFY(spansAll(tree, p.n));
            QVERIFY2(std::abs(weight(tree) - exact) < 1e-5 * exact,
                     qPrintable(QString("k %1: %2 vs %3").arg(k).arg(weight(tree)).arg(exact)));
        }
    }

    void condensedTreeOfNestedPairs()
    {
        const auto tree = condenseTree(nestedPairs(), 8, 2);
        QCOMPARE(tree.size(), size_t{14});
        QVERIFY(hasRow(tree, {8, 9, 0.1, 4}));
        QVERIFY(hasRow(tree, {8, 10, 0.1, 4}));
        QVERIFY(hasRow(tree, {9, 11, 0.8, 2}));
        QVERIFY(hasRow(tree, {9, 12, 0.8, 2}));
        QVERIFY(hasRow(tree, {10, 13, 0.8, 2}));
        QVERIFY(hasRow(tree, {10, 14, 0.8, 2}));
        for (int64_t point = 0; point < 8; ++point)
            QVERIFY(hasRow(tree, {11 + point / 2, point, 1.0, 1}));
        // Stability: sum of (lambda - birth) x size over each cluster's rows.
        const auto s = clusterStabilities(tree, 8);
        QCOMPARE(s.size(), size_t{7});
        QVERIFY(std::abs(s[0] - 0.8) < 1e-12); // root: 2 x 4 x 0.1
        QVERIFY(std::abs(s[1] - 2.8) < 1e-12); // (0.8 - 0.1) x 2 x 2
        QVERIFY(std::abs(s[3] - 0.4) < 1e-12); // (1 - 0.8) x 1 x 2
    }

    void excessOfMassPrefersTheStablerParent()
    {
        const auto tree = condenseTree(nestedPairs(), 8, 2);
        HdbscanOptions o;
        const auto selected = selectClusters(tree, 8, o);
        QCOMPARE(selected, (std::vector<int64_t>{9, 10}));
        QCOMPARE(labelPoints(tree, 8, selected, o), (std::vector<int64_t>{0, 0, 0, 0, 1, 1, 1, 1}));
        // Leaf selection takes the pairs.
        o.selection = ClusterSelection::Leaf;
        const auto leaves = selectClusters(tree, 8, o);
        QCOMPARE(leaves, (std::vector<int64_t>{11, 12, 13, 14}));
        QCOMPARE(labelPoints(tree, 8, leaves, o), (std::vector<int64_t>{0, 0, 1, 1, 2, 2, 3, 3}));
        // Epsilon 2: the pairs split at distance 1.25 < 2, so each climbs to its group.
        o.epsilon = 2;
        QCOMPARE(selectClusters(tree, 8, o), (std::vector<int64_t>{9, 10}));
        // Epsilon 20 would climb to the root, which is not allowed without a single cluster.
        o.epsilon = 20;
        QCOMPARE(selectClusters(tree, 8, o), (std::vector<int64_t>{9, 10}));
        o.allowSingleCluster = true;
        QCOMPARE(selectClusters(tree, 8, o), (std::vector<int64_t>{8}));
    }

    void excessOfMassPrefersStablerChildren()
    {
        // Raise the pairs' internal distance to 0.1: the pairs become far more stable than the
        // groups (sum (10 - 0.8) x 2 x 2 = 36.8 > (0.8 - 0.1) x 4 = 2.8).
        auto linkage = nestedPairs();
        for (int i = 0; i < 4; ++i)
            linkage[static_cast<size_t>(i)].distance = 0.1;
        const auto tree = condenseTree(linkage, 8, 2);
        HdbscanOptions o;
        QCOMPARE(selectClusters(tree, 8, o), (std::vector<int64_t>{11, 12, 13, 14}));
    }

    void noiseGloshAndStrengthOnAHandBuiltTree()
    {
        const auto tree = condenseTree(triplesAndOutlier(), 7, 3);
        QVERIFY(hasRow(tree, {7, 6, 0.2, 1}));
        QVERIFY(hasRow(tree, {7, 8, 0.25, 3}));
        QVERIFY(hasRow(tree, {7, 9, 0.25, 3}));
        const auto s = clusterStabilities(tree, 7);
        QVERIFY(std::abs(s[0] - 1.7) < 1e-12); // 0.2 + 2 x 3 x 0.25
        QVERIFY(std::abs(s[1] - 2.25) < 1e-12);
        HdbscanOptions o;
        const auto selected = selectClusters(tree, 7, o);
        const auto labels = labelPoints(tree, 7, selected, o);
        QCOMPARE(labels, (std::vector<int64_t>{0, 0, 0, 1, 1, 1, -1}));
        const auto glosh = outlierScores(tree, 7);
        QVERIFY(std::abs(glosh[6] - 0.8) < 1e-12); // (1 - 0.2) / 1
        QCOMPARE(glosh[0], 0.0);
        const auto strength = membershipStrengths(tree, 7, labels, selected);
        QCOMPARE(strength[0], 1.0);
        QCOMPARE(strength[6], 0.0);
    }

    void membershipStrengthIsRelativeToTheClustersEnd()
    {
        // Two groups of four: a triple at distance 1 (lambda 1) that a fourth point joins at
        // distance 2 (lambda 0.5). With min size 3 the fourth point leaves its cluster at 0.5
        // while the triple stays to lambda 1: strength 0.5, GLOSH (1 - 0.5) / 1.
        const std::vector<Merge> linkage{{0, 1, 1, 2},  {2, 8, 1, 3},  {3, 9, 2, 4},  {4, 5, 1, 2},
                                         {6, 11, 1, 3}, {7, 12, 2, 4}, {10, 13, 8, 8}};
        const auto tree = condenseTree(linkage, 8, 3);
        HdbscanOptions o;
        const auto selected = selectClusters(tree, 8, o);
        const auto labels = labelPoints(tree, 8, selected, o);
        QCOMPARE(labels, (std::vector<int64_t>{0, 0, 0, 0, 1, 1, 1, 1}));
        const auto strength = membershipStrengths(tree, 8, labels, selected);
        QCOMPARE(strength[0], 1.0);
        QCOMPARE(strength[3], 0.5);
        QCOMPARE(strength[7], 0.5);
        const auto glosh = outlierScores(tree, 8);
        QCOMPARE(glosh[3], 0.5);
        QCOMPARE(glosh[0], 0.0);
    }

    void plantedOutliersAreNoise()
    {
        const auto p = blobsWithOutliers(300, 30, 7);
        HdbscanOptions o;
        o.minClusterSize = 15;
        const auto r = hdbscan(p.tensor(), o);
        QCOMPARE(r.selectedClusters.size(), size_t{3});
        std::vector<int64_t> blobTruth;
        std::vector<int64_t> blobFound;
        int64_t outliersFound = 0;
        int64_t blobNoise = 0;
        for (size_t i = 0; i < p.truth.size(); ++i)
        {
            if (p.truth[i] < 0)
            {
                outliersFound += r.labels[i] < 0;
                continue;
            }
            blobNoise += r.labels[i] < 0;
            if (r.labels[i] >= 0)
            {
                blobTruth.push_back(p.truth[i]);
                blobFound.push_back(r.labels[i]);
            }
        }
        QVERIFY2(outliersFound >= 28, qPrintable(QString::number(outliersFound)));
        QVERIFY2(blobNoise <= 18, qPrintable(QString::number(blobNoise))); // 2 %
        QCOMPARE(adjustedRandIndex(blobTruth, blobFound), 1.0);
        // GLOSH ranks the planted outliers first.
        std::vector<size_t> order(p.truth.size());
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(),
                  [&](size_t a, size_t b) { return r.outlierScores[a] > r.outlierScores[b]; });
        int64_t topOutliers = 0;
        for (size_t i = 0; i < 30; ++i)
            topOutliers += p.truth[order[i]] < 0;
        QVERIFY2(topOutliers >= 27, qPrintable(QString::number(topOutliers)));
        // Soft membership: in [0, 1], rows sum to at most 1, the argmax agrees with the label.
        QVERIFY(r.membership.defined());
        const auto m = floatValues(r.membership);
        int64_t agree = 0;
        int64_t clustered = 0;
        for (int64_t i = 0; i < p.n; ++i)
        {
            const float* row = m.data() + i * 3;
            QVERIFY(std::all_of(row, row + 3, [](float v) { return v >= 0 && v <= 1; }));
            QVERIFY(row[0] + row[1] + row[2] <= 1.0F + 1e-5F);
            if (r.labels[static_cast<size_t>(i)] >= 0)
            {
                ++clustered;
                agree += std::max_element(row, row + 3) - row == r.labels[static_cast<size_t>(i)];
            }
        }
        QCOMPARE(agree, clustered);
    }

    void softRowsAgreeWithLabelsOnDuplicates_data()
    {
        QTest::addColumn<bool>("single");
        QTest::addColumn<int>("copies");
        QTest::addColumn<int>("minClusterSize");
        QTest::newRow("duplicated blobs") << false << 3 << 5;
        QTest::newRow("single cluster") << true << 1 << 11;
        QTest::newRow("single cluster of duplicates") << true << 4 << 41;
        QTest::newRow("every row the same") << true << 30 << 5;
    }

    void softRowsAgreeWithLabelsOnDuplicates()
    {
        // Exact duplicates have infinite lambdas (distance 0): their soft rows were all zeros
        // (inf / inf) while their confidence was 1. With allow_single_cluster every member's
        // row was 0. A clustered point's row must peak at its label and be positive there.
        QFETCH(bool, single);
        QFETCH(int, copies);
        QFETCH(int, minClusterSize);
        const auto base = blobsWithOutliers(20, 4, 9);
        Points p{0, 2, {}, {}};
        for (int64_t i = 0; i < base.n; ++i)
        {
            if (single && base.truth[static_cast<size_t>(i)] != 0)
                continue;
            if (copies == 30 && i > 0)
                break; // one point, 30 times: every distance 0, every lambda infinite
            for (int c = 0; c < copies; ++c)
            {
                p.values.push_back(base.values[static_cast<size_t>(2 * i)]);
                p.values.push_back(base.values[static_cast<size_t>(2 * i + 1)]);
                ++p.n;
            }
        }
        HdbscanOptions o;
        o.minClusterSize = minClusterSize; // above half the rows: only the root can be selected
        o.allowSingleCluster = single;
        for (auto mst : {MstMethod::Exact, MstMethod::KnnGraph})
        {
            o.mst = mst;
            const auto r = hdbscan(p.tensor(), o);
            const auto k = static_cast<int64_t>(r.selectedClusters.size());
            QVERIFY(k >= 1);
            QVERIFY(r.membership.defined());
            const auto m = floatValues(r.membership);
            int64_t clustered = 0;
            for (int64_t i = 0; i < p.n; ++i)
            {
                const float* row = m.data() + i * k;
                float sum = 0;
                for (int64_t c = 0; c < k; ++c)
                {
                    QVERIFY2(std::isfinite(row[c]) && row[c] >= 0 && row[c] <= 1,
                             qPrintable(QString("row %1: %2").arg(i).arg(row[c])));
                    sum += row[c];
                }
                QVERIFY(sum <= 1.0F + 1e-5F);
                const int64_t label = r.labels[static_cast<size_t>(i)];
                if (label < 0)
                    continue;
                ++clustered;
                QVERIFY2(std::max_element(row, row + k) - row == label,
                         qPrintable(QString("row %1, label %2").arg(i).arg(label)));
                QVERIFY2(row[label] > 0, qPrintable(QString("row %1 is zero with confidence %2")
                                                        .arg(i)
                                                        .arg(r.probabilities[size_t(i)])));
            }
            QVERIFY(clustered >= p.n / 2);
            QVERIFY(!single || k == 1);
        }
    }

    void membersBesideAStackOfDuplicatesKeepTheirShare_data()
    {
        QTest::addColumn<bool>("single");
        QTest::newRow("two blobs") << false;
        QTest::newRow("allow_single_cluster") << true;
    }

    void membersBesideAStackOfDuplicatesKeepTheirShare()
    {
        // A stack of 10 identical rows inside a blob of 15 distinct ones (issue 13's trial):
        // the stack's lambda is infinite, and measured against it every other member of the
        // cluster had confidence 0, an all-zero soft row and outlier score NaN or 1 although
        // it carried the cluster's label.
        QFETCH(bool, single);
        const auto base = blobsWithOutliers(15, 0, 21);
        Points p{0, 2, {}, {}};
        for (int64_t i = 0; i < base.n; ++i)
        {
            if (single && base.truth[static_cast<size_t>(i)] != 0)
                continue;
            const int copies = i == 0 ? 10 : 1;
            for (int c = 0; c < copies; ++c)
            {
                p.values.push_back(base.values[static_cast<size_t>(2 * i)]);
                p.values.push_back(base.values[static_cast<size_t>(2 * i + 1)]);
                ++p.n;
            }
        }
        HdbscanOptions o;
        // Alone, the stack (infinitely stable) is a cluster of its own; above its size it is
        // part of the blob's.
        o.minClusterSize = single ? 12 : 5;
        o.allowSingleCluster = single;
        for (auto mst : {MstMethod::Exact, MstMethod::KnnGraph})
        {
            o.mst = mst;
            const auto r = hdbscan(p.tensor(), o);
            const auto k = static_cast<int64_t>(r.selectedClusters.size());
            QVERIFY(k >= 1);
            const auto m = floatValues(r.membership);
            int64_t clustered = 0;
            for (int64_t i = 0; i < p.n; ++i)
            {
                const auto row = static_cast<size_t>(i);
                QVERIFY2(std::isfinite(r.outlierScores[row]) && r.outlierScores[row] >= 0 &&
                             r.outlierScores[row] <= 1,
                         qPrintable(
                             QString("row %1: outlier score %2").arg(i).arg(r.outlierScores[row])));
                const int64_t label = r.labels[row];
                if (label < 0)
                    continue;
                ++clustered;
                const float* soft = m.data() + i * k;
                QVERIFY2(r.probabilities[row] > 0,
                         qPrintable(QString("row %1 (label %2): confidence 0").arg(i).arg(label)));
                QVERIFY2(std::max_element(soft, soft + k) - soft == label && soft[label] > 0,
                         qPrintable(QString("row %1 (label %2): soft share %3")
                                        .arg(i)
                                        .arg(label)
                                        .arg(soft[label])));
            }
            // Rows beside the stack are clustered too, so the checks above have met them.
            QVERIFY2(clustered > 10,
                     qPrintable(QString("%1 of %2 rows clustered").arg(clustered).arg(p.n)));
            // The stack stays in its cluster to the end: confidence 1, outlier score 0.
            QCOMPARE(r.probabilities[0], 1.0);
            QCOMPARE(r.outlierScores[0], 0.0);
        }
    }

    void rowsTiedBetweenAStackAndTheirClusterFollowTheirLabel()
    {
        // Issue 13's second trial: 300 N(0, 1) rows in 3-D and their first 10 repeated 12
        // times. Row 28 (label 10, confidence 0.85) merged with cluster 9, a stack of duplicates,
        // at the same height as with its own: its soft row was measured against cluster 9's
        // infinite lambda and was all zeros.
        LoadOptions load;
        load.labelColumn = "none";
        const auto data =
            loadDataset(CLUSTERSCOPE_SOURCE_DIR "/tests/data/hdbscan_duplicate_stacks.csv", load);
        for (auto selection : {ClusterSelection::ExcessOfMass, ClusterSelection::Leaf})
        {
            HdbscanOptions o;
            o.selection = selection;
            const auto r = hdbscan(data.features, o);
            const auto k = static_cast<int64_t>(r.selectedClusters.size());
            const auto m = floatValues(r.membership);
            int64_t clustered = 0;
            for (int64_t i = 0; i < data.rows(); ++i)
            {
                const int64_t label = r.labels[static_cast<size_t>(i)];
                if (label < 0)
                    continue;
                ++clustered;
                const float* soft = m.data() + i * k;
                QVERIFY2(soft[label] > 0 && std::max_element(soft, soft + k) - soft == label,
                         qPrintable(QString("row %1 (label %2, confidence %3): share %4")
                                        .arg(i)
                                        .arg(label)
                                        .arg(r.probabilities[static_cast<size_t>(i)])
                                        .arg(soft[label])));
            }
            QVERIFY(clustered > 100);
        }
    }

    void knnSpanningTreeGivesTheSameClusters()
    {
        const auto p = blobsWithOutliers(300, 30, 8);
        HdbscanOptions o;
        o.minClusterSize = 15;
        o.mst = MstMethod::Exact;
        const auto exact = hdbscan(p.tensor(), o);
        o.mst = MstMethod::KnnGraph;
        const auto approx = hdbscan(p.tensor(), o);
        QVERIFY(!approx.exactMst);
        QCOMPARE(adjustedRandIndex(exact.labels, approx.labels), 1.0);
        QVERIFY(std::abs(weight(approx.mst) - weight(exact.mst)) < 1e-6 * weight(exact.mst));
        o.neighbors = KnnMethod::Hnsw;
        QVERIFY(adjustedRandIndex(exact.labels, hdbscan(p.tensor(), o).labels) > 0.99);
    }
};

QTEST_APPLESS_MAIN(TestHdbscan)
#include "test_hdbscan.moc"

// Leiden: the quality igraph reports agrees with the modularity and CPM computed here by hand
// and with igraph_modularity; planted communities are found; a seed fixes the labels; the kNN
// graph is symmetrised as documented.

#include <clusterscope/cluster/leiden.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/metrics/metrics.h>

#include <QtTest>

#include <map>
#include <random>

using namespace clusterscope;

namespace
{

// `groups` cliques of `size` nodes, each clique joined to the next by `bridges` edges.
WeightedGraph plantedCliques(int64_t groups, int64_t size, int64_t bridges)
{
    WeightedGraph g;
    g.nodes = groups * size;
    for (int64_t c = 0; c < groups; ++c)
    {
        for (int64_t a = 0; a < size; ++a)
        {
            for (int64_t b = a + 1; b < size; ++b)
            {
                g.from.push_back(c * size + a);
                g.to.push_back(c * size + b);
            }
        }
        for (int64_t e = 0; e < bridges; ++e)
        {
            g.from.push_back(c * size + e);
            g.to.push_back(((c + 1) % groups) * size + (e + 1) % size);
        }
    }
    g.weights.assign(g.from.size(), 1.0);
    return g;
}

struct Totals
{
    double m = 0;                      // total edge weight
    std::map<int64_t, double> inside;  // per community, internal edge weight
    std::map<int64_t, double> degree;  // per community, total degree
    std::map<int64_t, double> members; // per community, node count
};

Totals totals(const WeightedGraph& g, const std::vector<int64_t>& labels)
{
    Totals t;
    for (size_t e = 0; e < g.from.size(); ++e)
    {
        const auto a = labels[static_cast<size_t>(g.from[e])];
        const auto b = labels[static_cast<size_t>(g.to[e])];
        t.m += g.weights[e];
        t.degree[a] += g.weights[e];
        t.degree[b] += g.weights[e];
        if (a == b)
            t.inside[a] += g.weights[e];
    }
    for (auto l : labels)
        t.members[l] += 1;
    return t;
}

double modularityByHand(const WeightedGraph& g, const std::vector<int64_t>& labels)
{
    const auto t = totals(g, labels);
    double q = 0;
    for (const auto& [c, deg] : t.degree)
    {
        const double in = t.inside.count(c) ? t.inside.at(c) : 0.0;
        q += in / t.m - (deg / (2 * t.m)) * (deg / (2 * t.m));
    }
    return q;
}

// igraph's CPM quality: (1 / 2m) sum over ordered pairs (i, j), i = j included, of
// (A_ij - resolution) within communities.
double cpmByHand(const WeightedGraph& g, const std::vector<int64_t>& labels, double resolution)
{
    const auto t = totals(g, labels);
    double q = 0;
    for (const auto& [c, n] : t.members)
    {
        const double in = t.inside.count(c) ? t.inside.at(c) : 0.0;
        q += 2 * in - resolution * n * n;
    }
    return q / (2 * t.m);
}

} // namespace

class TestLeiden : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void findsPlantedCliques()
    {
        const auto g = plantedCliques(5, 12, 2);
        std::vector<int64_t> truth;
        for (int64_t i = 0; i < g.nodes; ++i)
            truth.push_back(i / 12);
        for (auto objective : {LeidenObjective::Modularity, LeidenObjective::Cpm})
        {
            LeidenOptions o;
            o.objective = objective;
            o.resolution = objective == LeidenObjective::Cpm ? 0.5 : 1.0;
            const auto r = leiden(g, o);
            QCOMPARE(adjustedRandIndex(truth, r.labels), 1.0);
        }
    }

    void qualityIsModularity()
    {
        const auto g = plantedCliques(4, 8, 3);
        LeidenOptions o;
        o.seed = 3;
        const auto r = leiden(g, o);
        QVERIFY(std::abs(r.quality - modularityByHand(g, r.labels)) < 1e-9);
        QVERIFY(std::abs(r.quality - modularity(g, r.labels)) < 1e-9);
        // The planted partition, for scale: 4 cliques of 28 edges, 12 bridges.
        const double m = 4 * 28 + 12;
        const double planted = 4 * (28 / m - std::pow((2 * 28 + 6) / (2 * m), 2));
        QVERIFY(std::abs(r.quality - planted) < 1e-9);
    }

    void qualityIsCpm()
    {
        const auto g = plantedCliques(4, 8, 3);
        for (double resolution : {0.05, 0.3, 0.8})
        {
            LeidenOptions o;
            o.objective = LeidenObjective::Cpm;
            o.resolution = resolution;
            const auto r = leiden(g, o);
            QVERIFY2(
                std::abs(r.quality - cpmByHand(g, r.labels, resolution)) < 1e-9,
                qPrintable(
                    QString("%1 vs %2").arg(r.quality).arg(cpmByHand(g, r.labels, resolution))));
        }
    }

    void seedFixesTheLabelsOnAKnnGraph()
    {
        const auto digits = loadDataset(CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz");
        KnnOptions k;
        k.k = 15;
        const auto g = symmetricKnnGraph(nearestNeighbors(digits.features, k));
        LeidenOptions o;
        o.seed = 11;
        const auto a = leiden(g, o);
        QCOMPARE(leiden(g, o).labels, a.labels);
        QVERIFY(std::abs(a.quality - modularity(g, a.labels)) < 1e-9);
        QVERIFY2(adjustedRandIndex(digits.labels, a.labels) > 0.75,
                 qPrintable(QString::number(adjustedRandIndex(digits.labels, a.labels))));
        // Labels are numbered by decreasing community size.
        std::vector<int64_t> sizes(
            static_cast<size_t>(*std::max_element(a.labels.begin(), a.labels.end()) + 1));
        for (auto l : a.labels)
            ++sizes[static_cast<size_t>(l)];
        QVERIFY(std::is_sorted(sizes.rbegin(), sizes.rend()));
        // Higher resolution, more communities.
        o.resolution = 3;
        const auto fine = leiden(g, o);
        QVERIFY(*std::max_element(fine.labels.begin(), fine.labels.end()) >
                *std::max_element(a.labels.begin(), a.labels.end()));
    }

    void knnGraphIsSymmetrisedOnce()
    {
        // 0 <-> 1 mutual, 2 -> 1 one way, 3 -> 2 one way.
        KnnGraph knn{4, 1, {1, 0, 1, 2}, {1, 1, 1, 1}};
        const auto g = symmetricKnnGraph(knn);
        QCOMPARE(g.from, (std::vector<int64_t>{0, 1, 2}));
        QCOMPARE(g.to, (std::vector<int64_t>{1, 2, 3}));
        QCOMPARE(g.weights, (std::vector<double>{1, 1, 1}));
    }
};

QTEST_APPLESS_MAIN(TestLeiden)
#include "test_leiden.moc"

// HCHC's layout (engine/layout): the authors' Fashion-MNIST test vector, Held-Karp against brute
// force, the heuristic's gap to Held-Karp, determinism at any thread count, Pearson with a
// constant column, the mapping's geometry, input validation and cancellation.
//
// The test vector (../shared/reference/hchc/, from TianyiHuang2022/HCHC, Apache-2.0; 2.8 MB, so
// it stays beside the clone as CI has it, not in the repository) is the authors' Q
// for Fashion-MNIST 70k x 10; its cycle and length were computed independently in Python
// (numpy.corrcoef, then brute force over all 9! tours; see the README beside it).

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/layout/hchc.h>
#include <clusterscope/layout/layouts.h>

#include <ATen/ATen.h>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numbers>
#include <numeric>
#include <random>

using namespace clusterscope;

namespace
{

// The float32 C-order 2-D .npy the test vector is (NumPy format 1.0).
at::Tensor readFloatNpy(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        qFatal("cannot open %s: the shared reference folder belongs beside the clone "
               "(../shared/reference), or set -DCLUSTERSCOPE_REFERENCE_DIR",
               path.c_str());
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t headerLen = static_cast<uint8_t>(bytes[8]) | (static_cast<uint8_t>(bytes[9]) << 8);
    const std::string header = bytes.substr(10, headerLen);
    if (header.find("'<f4'") == std::string::npos ||
        header.find("'fortran_order': False") == std::string::npos)
        qFatal("unexpected header %s", header.c_str());
    const auto open = header.find("'shape': (");
    int64_t rows = 0, cols = 0;
    std::sscanf(header.c_str() + open, "'shape': (%ld, %ld)", &rows, &cols);
    std::vector<float> values(static_cast<size_t>(rows * cols));
    std::memcpy(values.data(), bytes.data() + 10 + headerLen, values.size() * sizeof(float));
    return matrixFromValues(values, rows, cols);
}

// A random symmetric K x K dissimilarity in [0, 1] with a zero diagonal.
std::vector<double> randomDissimilarity(int64_t k, std::mt19937_64& rng)
{
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<double> d(static_cast<size_t>(k * k), 0.0);
    for (int64_t a = 0; a < k; ++a)
        for (int64_t b = a + 1; b < k; ++b)
            d[a * k + b] = d[b * k + a] = u(rng);
    return d;
}

// Cluster dissimilarities as the layout sees them: the Pearson d of a random soft assignment
// (softmax of Gaussian logits), whose clusters correlate the way real Q's do.
std::vector<double> softDissimilarity(int64_t k, std::mt19937_64& rng)
{
    std::normal_distribution<float> g(0.0f, 2.0f);
    const int64_t n = 200;
    std::vector<float> q(static_cast<size_t>(n * k));
    for (int64_t i = 0; i < n; ++i)
    {
        double sum = 0;
        for (int64_t c = 0; c < k; ++c)
            sum += q[i * k + c] = std::exp(g(rng));
        for (int64_t c = 0; c < k; ++c)
            q[i * k + c] = static_cast<float>(q[i * k + c] / sum);
    }
    return clusterDissimilarity(matrixFromValues(q, n, k), nullProgress());
}

// The shortest cycle over all (K-1)! orders of clusters 1..K-1 after cluster 0.
double bruteForceLength(const std::vector<double>& d, int64_t k)
{
    std::vector<int64_t> order(static_cast<size_t>(k));
    std::iota(order.begin(), order.end(), int64_t{0});
    double best = std::numeric_limits<double>::infinity();
    do
        best = std::min(best, cycleLength(d, k, order));
    while (std::next_permutation(order.begin() + 1, order.end()));
    return best;
}

class CancelAfter final : public Progress
{
public:
    explicit CancelAfter(int polls) : left_(polls) {}
    void report(double, std::string_view) override {}
    bool cancelRequested() const override { return --left_ < 0; }

private:
    mutable std::atomic<int> left_;
};

bool isPermutation(const std::vector<int64_t>& order, int64_t k)
{
    auto sorted = order;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int64_t> ids(static_cast<size_t>(k));
    std::iota(ids.begin(), ids.end(), int64_t{0});
    return sorted == ids;
}

} // namespace

class TestHchc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fashionTestVector_data()
    {
        QTest::addColumn<int64_t>("exactMax");
        QTest::newRow("held-karp") << int64_t{16};
        QTest::newRow("heuristic") << int64_t{0};
    }
    void fashionTestVector()
    {
        QFETCH(int64_t, exactMax);
        const auto q = readFloatNpy(CLUSTERSCOPE_REFERENCE_DIR "/hchc/fashion_Q.npy");
        QCOMPARE(q.size(0), int64_t{70000});
        const auto entry = hchcLayoutEntry();
        ParamSet params(entry.params);
        params.set("exact_max_clusters", exactMax);
        RunContext ctx(c10::Device(c10::kCPU), 0, &nullProgress());
        const auto r = entry.layout(q, params, ctx);
        // 0, 8, 7, 9, 3, 6, 1, 2, 5, 4 in its canonical direction (order[1] < order[K-1]).
        const std::vector<int64_t> expected{0, 4, 5, 2, 1, 6, 3, 9, 7, 8};
        QCOMPARE(r.cycle, expected);
        QVERIFY2(std::abs(r.length - 4.623580) < 1e-6,
                 qPrintable(QString::number(r.length, 'f', 9)));
        QCOMPARE(r.exact, exactMax > 0);
        QVERIFY(r.warnings.empty());
        // The README's angles (first anchor cluster 9 at -90): the gaps between neighbours.
        const std::vector<int64_t> refOrder{9, 7, 8, 0, 4, 5, 2, 1, 6, 3};
        const std::vector<double> refAngles{-90,   -49.51, -24.35, 9.50,   47.62,
                                            84.42, 119.58, 162.42, 194.09, 230.37};
        for (size_t i = 0; i < refOrder.size(); ++i)
        {
            const auto a = refOrder[i];
            const auto b = refOrder[(i + 1) % refOrder.size()];
            const double refGap =
                i + 1 < refOrder.size() ? refAngles[i + 1] - refAngles[i] : 270 - refAngles[i];
            double gap = r.anchorAngles[b] - r.anchorAngles[a];
            gap = std::fmod(gap + 720.0, 360.0);
            QVERIFY2(std::abs(gap - refGap) < 0.011,
                     qPrintable(QString("%1->%2: %3 vs %4").arg(a).arg(b).arg(gap).arg(refGap)));
        }
        QCOMPARE(r.anchorAngles[0], -90.0);
        QCOMPARE(r.coordinates.size(0), int64_t{70000});
        QCOMPARE(r.coordinates.size(1), int64_t{2});
        // Every sample inside the unit disc, and a sample is its rows' barycentre.
        const auto xy = floatValues(r.coordinates);
        const auto qv = floatValues(q);
        for (int64_t i : {int64_t{0}, int64_t{1}, int64_t{69999}})
        {
            double x = 0, y = 0, s = 0;
            for (int64_t c = 0; c < 10; ++c)
            {
                const double t = r.anchorAngles[c] * std::numbers::pi / 180;
                x += qv[i * 10 + c] * std::cos(t);
                y += qv[i * 10 + c] * std::sin(t);
                s += qv[i * 10 + c];
            }
            QVERIFY(std::abs(xy[2 * i] - x / s) < 1e-5);
            QVERIFY(std::abs(xy[2 * i + 1] - y / s) < 1e-5);
        }
        for (size_t i = 0; i < xy.size(); i += 2)
            QVERIFY(std::hypot(xy[i], xy[i + 1]) <= 1.0001);
    }

    void heldKarpEqualsBruteForce()
    {
        std::mt19937_64 rng(7);
        for (int64_t k = 3; k <= 9; ++k)
            for (int trial = 0; trial < 6; ++trial)
            {
                const auto d = trial % 2 ? randomDissimilarity(k, rng) : softDissimilarity(k, rng);
                const auto hk = heldKarpCycle(d, k, nullProgress());
                QVERIFY(isPermutation(hk.order, k));
                QCOMPARE(hk.order[0], int64_t{0});
                QVERIFY(hk.order[1] < hk.order[k - 1]);
                QCOMPARE(hk.length, cycleLength(d, k, hk.order));
                const double brute = bruteForceLength(d, k);
                QVERIFY2(std::abs(hk.length - brute) < 1e-12,
                         qPrintable(QString("K=%1: %2 vs %3").arg(k).arg(hk.length).arg(brute)));
            }
    }

    // The heuristic against the exact optimum on many random instances: its mean and largest
    // gap are printed (docs/performance.md cites them) and the largest must stay within 1%.
    void heuristicGapToHeldKarp()
    {
        std::mt19937_64 rng(11);
        double sumGap = 0, maxGap = 0;
        int count = 0, optimal = 0;
        for (int64_t k = 5; k <= 16; ++k)
            for (int trial = 0; trial < 20; ++trial)
            {
                const auto d = trial % 2 ? randomDissimilarity(k, rng) : softDissimilarity(k, rng);
                const auto hk = heldKarpCycle(d, k, nullProgress());
                const auto h =
                    heuristicCycle(d, k, 8, 100, static_cast<uint64_t>(trial), nullProgress());
                QVERIFY(isPermutation(h.order, k));
                QCOMPARE(h.length, cycleLength(d, k, h.order));
                QVERIFY(h.length >= hk.length - 1e-12);
                const double gap = h.length / hk.length - 1;
                sumGap += gap;
                maxGap = std::max(maxGap, gap);
                optimal += gap < 1e-12;
                ++count;
            }
        qInfo("heuristic gap to Held-Karp over %d instances (K = 5..16): mean %.3g%%, max %.3g%%,"
              " optimal in %d",
              count, 100 * sumGap / count, 100 * maxGap, optimal);
        QVERIFY2(maxGap <= 0.01, qPrintable(QString::number(maxGap)));
    }

    // Plain 2-opt + Or-opt from one start (no kicks) is a local optimum, never worse than the
    // start, and reaches the optimum on a cycle planted in the dissimilarities.
    void heuristicFindsAPlantedCycle()
    {
        const int64_t k = 120;
        std::mt19937_64 rng(3);
        std::vector<int64_t> planted(static_cast<size_t>(k));
        std::iota(planted.begin(), planted.end(), int64_t{0});
        std::shuffle(planted.begin() + 1, planted.end(), rng);
        std::vector<double> d(static_cast<size_t>(k * k), 1.0);
        for (int64_t c = 0; c < k; ++c)
            d[c * k + c] = 0;
        for (int64_t i = 0; i < k; ++i)
        {
            const auto a = planted[i];
            const auto b = planted[(i + 1) % k];
            d[a * k + b] = d[b * k + a] = 0.1;
        }
        const auto h = heuristicCycle(d, k, 4, 50, 0, nullProgress());
        QVERIFY2(std::abs(h.length - 0.1 * k) < 1e-9, qPrintable(QString::number(h.length)));
    }

    // With or without kicks the heuristic ends in a local optimum of both moves: checked here
    // by trying every 2-opt move and every move of a segment of 1 to 3 clusters, in both
    // orientations, elsewhere (K <= 17: the 16-nearest candidate lists hold every cluster).
    void descentEndsInA2OptAndOrOptOptimum()
    {
        std::mt19937_64 rng(13);
        for (int64_t k : {int64_t{9}, int64_t{13}, int64_t{17}})
            for (int trial = 0; trial < 15; ++trial)
            {
                const auto d = randomDissimilarity(k, rng);
                // Kicks descend from the changed edges only; the result must still be optimal.
                const auto h = heuristicCycle(d, k, 1, trial % 2 ? 5 : 0,
                                              static_cast<uint64_t>(trial), nullProgress());
                const auto& t = h.order;
                const auto at = [&](int64_t i) { return t[((i % k) + k) % k]; };
                const auto dd = [&](int64_t a, int64_t b) { return d[a * k + b]; };
                for (int64_t i = 0; i < k; ++i)
                    for (int64_t j = i + 2; j < k; ++j)
                    {
                        if (i == 0 && j == k - 1)
                            continue;
                        const double gain = dd(at(i), at(i + 1)) + dd(at(j), at(j + 1)) -
                                            dd(at(i), at(j)) - dd(at(i + 1), at(j + 1));
                        QVERIFY2(gain <= 1e-9, qPrintable(QString("2-opt gain %1").arg(gain)));
                    }
                for (int64_t len = 1; len <= 3; ++len)
                    for (int64_t first = 0; first < k; ++first)
                    {
                        std::vector<int64_t> seg, rest;
                        for (int64_t s = 0; s < len; ++s)
                            seg.push_back(at(first + s));
                        for (int64_t s = len; s < k; ++s)
                            rest.push_back(at(first + s));
                        for (size_t u = 0; u + 1 < rest.size(); ++u)
                            for (bool forward : {true, false})
                            {
                                auto moved = rest;
                                auto piece = seg;
                                if (!forward)
                                    std::reverse(piece.begin(), piece.end());
                                moved.insert(moved.begin() + static_cast<int64_t>(u) + 1,
                                             piece.begin(), piece.end());
                                const double gain = h.length - cycleLength(d, k, moved);
                                QVERIFY2(gain <= 1e-9,
                                         qPrintable(QString("Or-opt gain %1").arg(gain)));
                            }
                    }
            }
    }

    void deterministicAtAnyThreadCount()
    {
        // Few kicks on 150 random clusters: the starts end in different local optima, so the
        // winner depends on which seed each start drew, not on which thread ran it.
        std::mt19937_64 rng(5);
        const int64_t k = 150;
        const auto d = randomDissimilarity(k, rng);
        std::vector<HamiltonianCycle> runs;
        for (int threads : {1, 2, 3, 4})
        {
            applyBlasThreads({1, threads});
            runs.push_back(heuristicCycle(d, k, 6, 3, 42, nullProgress()));
        }
        applyBlasThreads({1, 0});
        for (const auto& r : runs)
        {
            QCOMPARE(r.order, runs[0].order);
            QCOMPARE(r.length, runs[0].length); // bit for bit
        }
        // The check can see a difference: another seed ends elsewhere.
        const auto other = heuristicCycle(d, k, 6, 3, 43, nullProgress());
        QVERIFY(isPermutation(other.order, k));
        QVERIFY(other.length != runs[0].length);
        // Held-Karp twice: the same bits.
        const auto d16 = randomDissimilarity(16, rng);
        const auto a = heldKarpCycle(d16, 16, nullProgress());
        const auto b = heldKarpCycle(d16, 16, nullProgress());
        QCOMPARE(a.order, b.order);
        QCOMPARE(a.length, b.length);
    }

    // numpy.corrcoef on the same columns, and a constant column:
    // defined as uncorrelated (d = 0.5) with a warning naming it, never NaN.
    void pearsonAndConstantColumns()
    {
        // Columns a = (0.5, 0.2, 0.1, 0.6), b = (0.5, 0.3, 0.8, 0.2), c = 0 (an empty cluster).
        const std::vector<float> q{0.5f, 0.5f, 0, 0.2f, 0.3f, 0, 0.1f, 0.8f, 0, 0.6f, 0.2f, 0};
        std::vector<std::string> warnings;
        const auto d = clusterDissimilarity(matrixFromValues(q, 4, 3), nullProgress(), &warnings);
        // numpy.corrcoef([.5,.2,.1,.6],[.5,.3,.8,.2])[0,1] = -0.6351073488299557
        QVERIFY(std::abs(d[0 * 3 + 1] - (1 + 0.6351073488299557) / 2) < 1e-7);
        QCOMPARE(d[1 * 3 + 0], d[0 * 3 + 1]);
        QCOMPARE(d[0 * 3 + 2], 0.5);
        QCOMPARE(d[2 * 3 + 1], 0.5);
        QCOMPARE(d[2 * 3 + 2], 0.0);
        QCOMPARE(warnings.size(), size_t{1});
        QVERIFY2(QString::fromStdString(warnings[0]).contains("cluster(s) 2 "),
                 warnings[0].c_str());
        // The layout goes on: every value finite.
        HchcOptions o;
        const auto r = hchcLayout(matrixFromValues(q, 4, 3), o, nullProgress());
        QCOMPARE(r.warnings.size(), size_t{1});
        QVERIFY(std::isfinite(r.length));
        for (double a : r.anchorAngles)
            QVERIFY(std::isfinite(a));
        for (float v : floatValues(r.coordinates))
            QVERIFY(std::isfinite(v));
    }

    // Where samples land and how they score.
    void mappingAndOutlierScores()
    {
        // K = 4: one-hot rows sit on their anchors, a uniform row at the anchors' mean, a zero
        // row (all noise) at the centre.
        const int64_t k = 4;
        std::vector<float> q;
        for (int64_t c = 0; c < k; ++c)
            for (int64_t t = 0; t < 5; ++t)
                for (int64_t j = 0; j < k; ++j)
                    q.push_back(j == c ? 0.9f - 0.1f * static_cast<float>(t) : 0.0f);
        for (int64_t j = 0; j < k; ++j)
            q.push_back(0.25f);
        for (int64_t j = 0; j < k; ++j)
            q.push_back(0.0f);
        const int64_t n = static_cast<int64_t>(q.size()) / k;
        const auto soft = matrixFromValues(q, n, k);
        HchcOptions o;
        const auto r = hchcLayout(soft, o, nullProgress());
        const auto xy = floatValues(r.coordinates);
        const auto score = floatValues(r.outlierScores);
        for (int64_t i = 0; i < 20; ++i)
        {
            const double t = r.anchorAngles[i / 5] * std::numbers::pi / 180;
            QVERIFY(std::abs(xy[2 * i] - std::cos(t)) < 1e-6);
            QVERIFY(std::abs(xy[2 * i + 1] - std::sin(t)) < 1e-6);
            QVERIFY(score[i] < 1e-6);
            QCOMPARE(r.outliers[i], uint8_t{0});
        }
        // The zero row: the centre, score 1, an outlier.
        QCOMPARE(xy[2 * (n - 1)], 0.0f);
        QCOMPARE(score[n - 1], 1.0f);
        QCOMPARE(r.outliers[n - 1], uint8_t{1});
        // Entropy: 0 for one-hot rows, 1 for the uniform row.
        o.score = OutlierScore::Entropy;
        o.outlierThreshold = 0.9;
        const auto e = hchcLayout(soft, o, nullProgress());
        const auto es = floatValues(e.outlierScores);
        QVERIFY(es[0] < 1e-6);
        QVERIFY(std::abs(es[n - 2] - 1.0f) < 1e-6);
        QCOMPARE(e.outliers[n - 2], uint8_t{1});
        QCOMPARE(e.outliers[0], uint8_t{0});
        QCOMPARE(e.stats.at("outliers"), 2.0);
    }

    void anglesFollowTheCycle()
    {
        std::mt19937_64 rng(9);
        const int64_t k = 12;
        std::vector<float> q;
        std::uniform_real_distribution<float> u(0, 1);
        for (int i = 0; i < 300; ++i)
        {
            std::vector<float> row(static_cast<size_t>(k));
            float s = 0;
            for (auto& v : row)
                s += v = u(rng) * u(rng) * u(rng);
            for (auto& v : row)
                q.push_back(v / s);
        }
        const auto soft = matrixFromValues(q, 300, k);
        const auto d = clusterDissimilarity(soft, nullProgress());
        const auto r = hchcLayout(soft, HchcOptions{}, nullProgress());
        double angle = -90;
        for (int64_t i = 0; i < k; ++i)
        {
            QVERIFY(std::abs(r.anchorAngles[r.cycle[i]] - angle) < 1e-9);
            angle += 360 * d[r.cycle[i] * k + r.cycle[(i + 1) % k]] / r.length;
        }
        QVERIFY(std::abs(angle - 270) < 1e-9);
    }

    void invalidInputsNameTheProblem_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("3-D") << "3d"
                             << "expected a 2-D N x K matrix, got 3-D [2 x 3 x 4]";
        QTest::newRow("1-D") << "1d"
                             << "got 1-D [6]";
        QTest::newRow("one column") << "k1"
                                    << "K >= 2 columns";
        QTest::newRow("no rows") << "n0"
                                 << "no rows";
        QTest::newRow("negative") << "negative"
                                  << "row 1, column 2 is negative";
        QTest::newRow("NaN") << "nan"
                             << "row 0, column 1 is nan";
        QTest::newRow("row sum") << "sum"
                                 << "row 1 sums to 1.5";
        QTest::newRow("integers") << "int"
                                  << "expected floating-point values";
    }
    void invalidInputsNameTheProblem()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        at::Tensor soft;
        std::vector<float> ok{0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f};
        if (kind == "3d")
            soft = at::full({2, 3, 4}, 0.1f);
        else if (kind == "1d")
            soft = matrixFromValues(ok, 2, 3).reshape({6});
        else if (kind == "k1")
            soft = at::full({5, 1}, 1.0f);
        else if (kind == "n0")
            soft = at::zeros({0, 3}, at::kFloat);
        else if (kind == "negative")
        {
            ok[5] = -0.1f;
            soft = matrixFromValues(ok, 2, 3);
        }
        else if (kind == "nan")
        {
            ok[1] = std::nanf("");
            soft = matrixFromValues(ok, 2, 3);
        }
        else if (kind == "sum")
        {
            ok[5] = 1.3f;
            soft = matrixFromValues(ok, 2, 3);
        }
        else
            soft = at::ones({2, 3}, at::kLong);
        try
        {
            hchcLayout(soft, HchcOptions{}, nullProgress());
            QFAIL("no error");
        }
        catch (const DataError& e)
        {
            QVERIFY2(QString(e.what()).contains(expected), e.what());
            QVERIFY2(QString(e.what()).startsWith("soft assignment"), e.what());
        }
        // The schema bounds the options.
        const auto entry = hchcLayoutEntry();
        ParamSet params(entry.params);
        QVERIFY_THROWS_EXCEPTION(ParameterError, params.set("exact_max_clusters", int64_t{21}));
        QVERIFY_THROWS_EXCEPTION(ParameterError, params.set("n_init", int64_t{0}));
        QVERIFY_THROWS_EXCEPTION(ParameterError,
                                 params.set("outlier_score", std::string("radius")));
    }

    void float64AndCudaStyleInputsAreConverted()
    {
        std::vector<float> q{0.2f, 0.3f, 0.5f, 0.1f, 0.1f, 0.8f, 0.6f, 0.2f, 0.2f};
        const auto f32 = matrixFromValues(q, 3, 3);
        const auto a = hchcLayout(f32, HchcOptions{}, nullProgress());
        const auto b = hchcLayout(f32.to(at::kDouble), HchcOptions{}, nullProgress());
        QCOMPARE(a.cycle, b.cycle);
        QCOMPARE(a.length, b.length);
        QCOMPARE(floatValues(a.coordinates), floatValues(b.coordinates));
    }

    void cancelStopsEveryStage_data()
    {
        QTest::addColumn<int64_t>("k");
        QTest::addColumn<int64_t>("exactMax");
        QTest::newRow("Held-Karp K=16") << int64_t{16} << int64_t{16};
        QTest::newRow("heuristic K=100") << int64_t{100} << int64_t{16};
    }
    void cancelStopsEveryStage()
    {
        QFETCH(int64_t, k);
        QFETCH(int64_t, exactMax);
        std::mt19937_64 rng(1);
        const auto d = randomDissimilarity(k, rng);
        CancelAfter cancel(20);
        if (k <= exactMax)
            QVERIFY_THROWS_EXCEPTION(CancelledError, heldKarpCycle(d, k, cancel));
        else
            QVERIFY_THROWS_EXCEPTION(CancelledError, heuristicCycle(d, k, 8, 1000, 0, cancel));
    }
};

QTEST_GUILESS_MAIN(TestHchc)
#include "test_hchc.moc"

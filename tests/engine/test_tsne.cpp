// t-SNE against scikit-learn 1.2 (its perplexity search and joint P, written by
// tests/reference/tsne_reference.py), its KL divergence and digits quality beside scikit-learn's
// TSNE, the Barnes-Hut tree and FIt-SNE's FFT interpolation against the exact sums,
// reproducibility at any thread count, and the parameter checks.

#include "reference_tables.h"
#include "sanitized_build.h"

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/embed/tsne.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/metrics/embedding_quality.h>

// The gradients themselves, to hold the tree against the exact sum.
#include "../../engine/embed/src/tsne/tsne_steps.h"

#include <ATen/ATen.h>
#include <QtTest>

#include <atomic>
#include <fstream>
#include <map>
#include <sstream>

using namespace clusterscope;

namespace
{

using reference::matrix;
using reference::ScopedBlasThreads;

std::vector<std::vector<double>> readRows(const std::string& path)
{
    return reference::readRows(path, "tests/reference/tsne_reference.py");
}

const std::string kData = CLUSTERSCOPE_TEST_DATA "/tsne/";

double expected(const std::string& name)
{
    std::ifstream in(kData + "expected.txt");
    for (std::string key; in >> key;)
    {
        double v = 0;
        in >> v;
        if (key == name)
            return v;
    }
    throw Error("no " + name + " in expected.txt: run tests/reference/tsne_reference.py");
}

at::Tensor blobs()
{
    return matrix(readRows(kData + "blobs.csv"));
}

at::Tensor digits()
{
    return loadDataset(CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz").features;
}

// The joint P as a map (row, column) -> value.
std::map<std::pair<int64_t, int64_t>, double> jointMap(const TsneAffinities& a)
{
    std::map<std::pair<int64_t, int64_t>, double> m;
    for (int64_t i = 0; i < a.rows; ++i)
        for (int64_t e = a.rowStart[static_cast<size_t>(i)];
             e < a.rowStart[static_cast<size_t>(i) + 1]; ++e)
            m[{i, a.columns[static_cast<size_t>(e)]}] = a.joint[static_cast<size_t>(e)];
    return m;
}

// The exact repulsion sum_j q_ij^2 (y_i - y_j) and Z = sum_{i != j} q_ij, q = 1 / (1 + d^2), by
// the O(N^2) double loop.
double exactRepulsion(const std::vector<double>& y, int64_t dim, std::vector<double>& rep)
{
    const auto n = static_cast<int64_t>(y.size()) / dim;
    rep.assign(y.size(), 0.0);
    double z = 0;
    for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j)
        {
            if (i == j)
                continue;
            double d2 = 0;
            for (int64_t c = 0; c < dim; ++c)
            {
                const double d =
                    y[static_cast<size_t>(i * dim + c)] - y[static_cast<size_t>(j * dim + c)];
                d2 += d * d;
            }
            const double q = 1.0 / (1.0 + d2);
            z += q;
            for (int64_t c = 0; c < dim; ++c)
                rep[static_cast<size_t>(i * dim + c)] +=
                    q * q *
                    (y[static_cast<size_t>(i * dim + c)] - y[static_cast<size_t>(j * dim + c)]);
        }
    return z;
}

bool near(double a, double b, double rel, double abs)
{
    return std::abs(a - b) <= abs + rel * std::abs(b);
}

// Asks to cancel once it has been polled `after` times, from any thread.
class CancelAfterPolls final : public Progress
{
public:
    explicit CancelAfterPolls(int64_t after) : after_(after) {}
    void report(double, std::string_view) override {}
    bool cancelRequested() const override { return ++polls_ > after_; }
    int64_t polls() const { return polls_.load(); }

private:
    int64_t after_;
    mutable std::atomic<int64_t> polls_{0};
};

} // namespace

class TestTsne : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void affinitiesAreScikitLearns()
    {
        TsneOptions o;
        o.perplexity = 10;
        o.nIter = 250;
        const auto r = tsne(blobs(), o);
        const auto& a = r.affinities;
        const auto neighbors = readRows(kData + "neighbors_p10.csv");
        const auto conditional = readRows(kData + "conditional_p10.csv");
        QCOMPARE(a.k, int64_t{31});
        for (int64_t i = 0; i < a.rows; ++i)
            for (int64_t j = 0; j < a.k; ++j)
            {
                const auto at = static_cast<size_t>(i * a.k + j);
                QCOMPARE(a.neighbors[at],
                         static_cast<int64_t>(
                             neighbors[static_cast<size_t>(i)][static_cast<size_t>(j)]));
                const double want = conditional[static_cast<size_t>(i)][static_cast<size_t>(j)];
                QVERIFY2(near(a.conditional[at], want, 1e-4, 1e-9),
                         qPrintable(QString("p(%1|%2) = %3, scikit-learn %4")
                                        .arg(a.neighbors[at])
                                        .arg(i)
                                        .arg(a.conditional[at])
                                        .arg(want)));
            }
        const auto joint = jointMap(a);
        const auto want = readRows(kData + "joint_p10.csv");
        QCOMPARE(joint.size(), want.size());
        for (const auto& row : want)
        {
            const auto it =
                joint.find({static_cast<int64_t>(row[0]), static_cast<int64_t>(row[1])});
            QVERIFY2(it != joint.end(),
                     qPrintable(QString("no P(%1, %2)").arg(row[0]).arg(row[1])));
            QVERIFY2(near(it->second, row[2], 1e-4, 1e-12),
                     qPrintable(QString("P(%1, %2) = %3, scikit-learn %4")
                                    .arg(row[0])
                                    .arg(row[1])
                                    .arg(it->second)
                                    .arg(row[2])));
        }
    }

    void exactAffinitiesAreScikitLearns()
    {
        TsneOptions o;
        o.perplexity = 10;
        o.nIter = 250;
        o.method = TsneMethod::Exact;
        const auto joint = jointMap(tsne(blobs(), o).affinities);
        const auto want = readRows(kData + "joint_exact_p10.csv");
        QCOMPARE(joint.size(), 2 * want.size());
        for (const auto& row : want)
        {
            const std::pair<int64_t, int64_t> ij{static_cast<int64_t>(row[0]),
                                                 static_cast<int64_t>(row[1])};
            const double v = joint.at(ij);
            QCOMPARE(v, joint.at({ij.second, ij.first}));
            QVERIFY2(near(v, row[2], 1e-4, 1e-15),
                     qPrintable(QString("P(%1, %2) = %3, scikit-learn %4")
                                    .arg(row[0])
                                    .arg(row[1])
                                    .arg(v)
                                    .arg(row[2])));
        }
    }

    void klDivergenceIsLikeScikitLearns()
    {
        // scikit-learn's TSNE(perplexity=10, random_state=0) on the same blobs.
        TsneOptions o;
        o.perplexity = 10;
        const auto r = tsne(blobs(), o);
        const double sk = expected("blobs_kl");
        QCOMPARE(r.iterations, int64_t{1000});
        QCOMPARE(r.learningRate, 50.0);
        QVERIFY2(r.klDivergence > 0 && r.klDivergence <= sk * 1.1,
                 qPrintable(QString("KL %1, scikit-learn %2").arg(r.klDivergence).arg(sk)));
        qInfo("blobs: KL %.4f (scikit-learn %.4f)", r.klDivergence, sk);
    }

    void barnesHutAtAngleZeroIsExact()
    {
        // Perplexity 30 on 80 rows makes every other row a neighbour, so the exact method's P
        // serves both gradients. At angle 0 the tree opens every cell and must give the exact
        // gradient and KL; at 0.5 its summaries move the gradient a little.
        TsneOptions o;
        o.nIter = 250;
        o.method = TsneMethod::Exact;
        const auto p = tsne(blobs(), o).affinities;
        for (const int64_t dim : {2, 3})
        {
            at::manual_seed(5);
            const auto start = (at::randn({p.rows, dim}, at::kDouble) * 3).contiguous();
            const std::vector<double> y(start.data_ptr<double>(),
                                        start.data_ptr<double>() + start.numel());
            std::vector<double> exact, tree;
            const double klExact = exactGradient(y, dim, p, 1.0, true, exact, nullProgress());
            const double klTree =
                barnesHutGradient(y, dim, p, 1.0, 0.0, true, tree, nullProgress());
            double norm = 0, worst = 0;
            for (size_t i = 0; i < exact.size(); ++i)
            {
                norm = std::max(norm, std::abs(exact[i]));
                worst = std::max(worst, std::abs(exact[i] - tree[i]));
            }
            QVERIFY2(worst <= 1e-9 * norm && near(klTree, klExact, 1e-9, 0),
                     qPrintable(QString("%1-D angle 0: gradient off by %2 of %3, KL %4 vs %5")
                                    .arg(dim)
                                    .arg(worst)
                                    .arg(norm)
                                    .arg(klTree)
                                    .arg(klExact)));
            barnesHutGradient(y, dim, p, 1.0, 0.5, false, tree, nullProgress());
            double diff2 = 0, norm2 = 0;
            for (size_t i = 0; i < exact.size(); ++i)
            {
                diff2 += (exact[i] - tree[i]) * (exact[i] - tree[i]);
                norm2 += exact[i] * exact[i];
            }
            QVERIFY2(diff2 > 0 && diff2 < 0.05 * 0.05 * norm2,
                     qPrintable(QString("%1-D angle 0.5: relative gradient error %2")
                                    .arg(dim)
                                    .arg(std::sqrt(diff2 / norm2))));
        }
    }

    void fftRepulsionMatchesTheExactSums()
    {
        // FIt-SNE's interpolation (3 nodes per unit interval) against the O(N^2) sums, on maps
        // as wide as a late t-SNE map (five clusters over about 80 units) and as tight as an
        // early one (1e-4 wide, PCA-initialised), in 1-D and 2-D. On the wide maps the nodes
        // are 1/3 apart and p = 3's interpolation error shows: Z within 1e-2 relative (measured
        // 4e-4 in 1-D, 4e-3 in 2-D), the forces within 5% in l2 (measured 3%; Barnes-Hut at
        // angle 0.5 is allowed 5% above); on the tight ones within 1e-5 (measured 1e-7).
        for (const int64_t dim : {1, 2})
            for (const double spread : {20.0, 1e-4})
            {
                at::manual_seed(static_cast<uint64_t>(dim) * 7 + (spread > 1 ? 1 : 0));
                const int64_t n = 1500;
                auto centres = at::randn({5, dim}, at::kDouble) * spread;
                auto pts = (centres.index_select(0, at::arange(n, at::kLong) % 5) +
                            at::randn({n, dim}, at::kDouble) * (spread / 4))
                               .contiguous();
                const std::vector<double> y(pts.data_ptr<double>(),
                                            pts.data_ptr<double>() + pts.numel());
                std::vector<double> exact, fft;
                const double zExact = exactRepulsion(y, dim, exact);
                const double zFft = fftRepulsion(y, dim, fft, nullProgress());
                double largest = 0, worst = 0;
                for (size_t i = 0; i < exact.size(); ++i)
                {
                    largest = std::max(largest, std::abs(exact[i]));
                    worst = std::max(worst, std::abs(exact[i] - fft[i]));
                }
                qInfo("%lld-D, spread %g: Z %.10g (exact %.10g, rel. %.2e), worst force error "
                      "%.2e of %.3g",
                      static_cast<long long>(dim), spread, zFft, zExact,
                      std::abs(zFft - zExact) / zExact, worst / largest, largest);
                double diff2 = 0, norm2 = 0;
                for (size_t i = 0; i < exact.size(); ++i)
                {
                    diff2 += (exact[i] - fft[i]) * (exact[i] - fft[i]);
                    norm2 += exact[i] * exact[i];
                }
                const double l2 = std::sqrt(diff2 / norm2);
                qInfo("   relative l2 force error %.2e", l2);
                const double tolerance = spread > 1 ? 1e-2 : 1e-5;
                QVERIFY2(near(zFft, zExact, tolerance, 0),
                         qPrintable(QString("%1-D spread %2: Z %3, exact %4")
                                        .arg(dim)
                                        .arg(spread)
                                        .arg(zFft, 0, 'g', 10)
                                        .arg(zExact, 0, 'g', 10)));
                QVERIFY2(l2 <= 5 * tolerance,
                         qPrintable(QString("%1-D spread %2: relative force error %3")
                                        .arg(dim)
                                        .arg(spread)
                                        .arg(l2)));
            }
    }

    void fftGradientMatchesTheExactGradient()
    {
        // With the exact method's P (perplexity 30 on 80 rows), the FFT gradient is the exact
        // gradient up to the interpolation error (measured 1.7e-3 relative), and its KL is the
        // exact KL (1e-4).
        TsneOptions o;
        o.nIter = 250;
        o.method = TsneMethod::Exact;
        const auto p = tsne(blobs(), o).affinities;
        at::manual_seed(9);
        const auto start = (at::randn({p.rows, 2}, at::kDouble) * 3).contiguous();
        const std::vector<double> y(start.data_ptr<double>(),
                                    start.data_ptr<double>() + start.numel());
        std::vector<double> exact, fft;
        const double klExact = exactGradient(y, 2, p, 1.0, true, exact, nullProgress());
        const double klFft = fftGradient(y, 2, p, 1.0, true, fft, nullProgress());
        double diff2 = 0, norm2 = 0;
        for (size_t i = 0; i < exact.size(); ++i)
        {
            diff2 += (exact[i] - fft[i]) * (exact[i] - fft[i]);
            norm2 += exact[i] * exact[i];
        }
        QVERIFY2(diff2 < 1e-2 * 1e-2 * norm2 && near(klFft, klExact, 1e-3, 0),
                 qPrintable(QString("relative gradient error %1, KL %2 vs %3")
                                .arg(std::sqrt(diff2 / norm2))
                                .arg(klFft)
                                .arg(klExact)));
    }

    void fftDigitsAreAsTrustworthyAsScikitLearns()
    {
        CLUSTERSCOPE_SKIP_QUALITY_WHEN_SANITIZED();
        const auto x = digits();
        TsneOptions o;
        o.method = TsneMethod::Fft;
        const auto r = tsne(x, o);
        EmbeddingQualityOptions q;
        q.sample = x.size(0);
        const auto quality = embeddingQuality(x, r.embedding, q);
        const double sk = expected("digits_trustworthiness");
        QVERIFY2(quality.trustworthiness >= sk - 0.01,
                 qPrintable(QString("T %1, scikit-learn %2").arg(quality.trustworthiness).arg(sk)));
        const double skKl = expected("digits_kl");
        const auto e = r.embedding.to(at::kDouble).contiguous();
        const std::vector<double> y(e.data_ptr<double>(), e.data_ptr<double>() + e.numel());
        std::vector<double> grad;
        const double klExactZ =
            barnesHutGradient(y, 2, r.affinities, 1.0, 0.0, true, grad, nullProgress());
        qInfo("digits, fft: T %.4f (scikit-learn %.4f), KL %.4f (with the exact Z %.4f; "
              "scikit-learn %.4f)",
              quality.trustworthiness, sk, r.klDivergence, klExactZ, skKl);
        // FIt-SNE's grid (nodes 1/3 apart) leaves about 3% force error on a spread map, which
        // costs some KL here: 0.787 (0.781 with the exact Z) against Barnes-Hut's 0.754; with
        // ints_in_interval 0.5 it is 0.752. Trustworthiness does not move (0.9906).
        QVERIFY2(r.klDivergence <= skKl * 1.06 && klExactZ <= skKl * 1.06,
                 qPrintable(QString("KL %1, scikit-learn %2").arg(r.klDivergence).arg(skKl)));
    }

    void digitsAreAsTrustworthyAsScikitLearns()
    {
        CLUSTERSCOPE_SKIP_QUALITY_WHEN_SANITIZED();
        const auto x = digits();
        const auto r = tsne(x, TsneOptions{});
        EmbeddingQualityOptions q;
        q.sample = x.size(0);
        const auto quality = embeddingQuality(x, r.embedding, q);
        const double sk = expected("digits_trustworthiness");
        QVERIFY2(quality.trustworthiness >= sk - 0.01,
                 qPrintable(QString("T %1, scikit-learn %2").arg(quality.trustworthiness).arg(sk)));
        const double skKl = expected("digits_kl");
        QVERIFY2(r.klDivergence <= skKl * 1.02,
                 qPrintable(QString("KL %1, scikit-learn %2").arg(r.klDivergence).arg(skKl)));
        qInfo("digits: T %.4f (scikit-learn %.4f), KL %.4f (scikit-learn %.4f)",
              quality.trustworthiness, sk, r.klDivergence, skKl);
    }

    void sameSeedSameMapAtAnyThreadCount()
    {
        TsneOptions o;
        o.nIter = 300;
        o.seed = 3;
        o.init = TsneInit::Random;
        const auto x = digits();
        at::Tensor one, two;
        {
            ScopedBlasThreads threads(1);
            one = tsne(x, o).embedding;
        }
        {
            ScopedBlasThreads threads(2);
            two = tsne(x, o).embedding;
        }
        QVERIFY(at::equal(one, two));
        o.seed = 4;
        QVERIFY(!at::equal(one, tsne(x, o).embedding));
    }

    void fftCancelsInsideAnIteration()
    {
        // One fft gradient on 20,000 points polls inside its loops (spreading each charge,
        // gathering, the attraction), not only between iterations; a cancel mid-run throws.
        at::manual_seed(2);
        const int64_t n = 20000;
        const auto pts = (at::randn({n, 2}, at::kDouble) * 30).contiguous();
        const std::vector<double> y(pts.data_ptr<double>(), pts.data_ptr<double>() + pts.numel());
        CancelAfterPolls never(std::numeric_limits<int64_t>::max());
        std::vector<double> rep;
        fftRepulsion(y, 2, rep, never);
        QVERIFY2(never.polls() >= 4 * (n / 1024) + n / 1024,
                 qPrintable(QString("%1 polls in one repulsion").arg(never.polls())));
        TsneOptions o;
        o.method = TsneMethod::Fft;
        CancelAfterPolls soon(3000);
        QVERIFY_THROWS_EXCEPTION(CancelledError, tsne(digits(), o, &soon));
    }

    void fftSameSeedSameMapAtAnyThreadCount()
    {
        TsneOptions o;
        o.nIter = 300;
        o.seed = 3;
        o.init = TsneInit::Random;
        o.method = TsneMethod::Fft;
        const auto x = digits();
        at::Tensor one, two;
        {
            ScopedBlasThreads threads(1);
            one = tsne(x, o).embedding;
        }
        {
            ScopedBlasThreads threads(2);
            two = tsne(x, o).embedding;
        }
        QVERIFY(at::equal(one, two));
        o.seed = 4;
        QVERIFY(!at::equal(one, tsne(x, o).embedding));
    }

    void refusesWhatCannotWork()
    {
        const auto x = blobs().slice(0, 0, 12).contiguous();
        TsneOptions o;
        o.perplexity = 12;
        try
        {
            tsne(x, o);
            QFAIL("perplexity = rows was accepted");
        }
        catch (const ParameterError& e)
        {
            QVERIFY2(QString(e.what()).contains("perplexity") && QString(e.what()).contains("12"),
                     e.what());
        }
        o.perplexity = 3;
        o.nComponents = 4;
        try
        {
            tsne(x, o);
            QFAIL("4 components were accepted for barnes_hut");
        }
        catch (const ParameterError& e)
        {
            QVERIFY2(QString(e.what()).contains("n_components"), e.what());
        }
        o.nComponents = 3;
        o.method = TsneMethod::Fft;
        try
        {
            tsne(x, o);
            QFAIL("3 components were accepted for fft");
        }
        catch (const ParameterError& e)
        {
            QVERIFY2(QString(e.what()).contains("barnes_hut"), e.what());
        }
        o.method = TsneMethod::BarnesHut;
        o.nComponents = 2;
        o.nIter = 100;
        QVERIFY_THROWS_EXCEPTION(ParameterError, tsne(x, o));
        o.nIter = 250;
        auto bad = x.clone();
        bad[4][2] = std::numeric_limits<float>::quiet_NaN();
        try
        {
            tsne(bad, o);
            QFAIL("a NaN was accepted");
        }
        catch (const DataError& e)
        {
            QVERIFY2(QString(e.what()).contains("row 5"), e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestTsne)
#include "test_tsne.moc"

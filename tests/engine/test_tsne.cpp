// t-SNE against scikit-learn 1.2 (its perplexity search and joint P, written by
// tests/reference/tsne_reference.py), its KL divergence and digits quality beside scikit-learn's
// TSNE, the Barnes-Hut tree against the exact gradient, reproducibility at any thread count, and
// the parameter checks.

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

#include <fstream>
#include <map>
#include <sstream>

using namespace clusterscope;

namespace
{

const std::string kData = CLUSTERSCOPE_TEST_DATA "/tsne/";

std::vector<std::vector<double>> readRows(const std::string& path, char separator = ',')
{
    std::ifstream in(path);
    if (!in)
        throw Error("missing fixture " + path + ": run tests/reference/tsne_reference.py");
    std::vector<std::vector<double>> rows;
    for (std::string line; std::getline(in, line);)
    {
        std::vector<double> row;
        std::stringstream fields(line);
        for (std::string field; std::getline(fields, field, separator);)
            row.push_back(std::stod(field));
        rows.push_back(row);
    }
    return rows;
}

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

at::Tensor matrix(const std::vector<std::vector<double>>& rows)
{
    auto m = at::empty({static_cast<int64_t>(rows.size()), static_cast<int64_t>(rows[0].size())},
                       at::kFloat);
    for (size_t i = 0; i < rows.size(); ++i)
        for (size_t j = 0; j < rows[i].size(); ++j)
            m[static_cast<int64_t>(i)][static_cast<int64_t>(j)] = rows[i][j];
    return m;
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

bool near(double a, double b, double rel, double abs)
{
    return std::abs(a - b) <= abs + rel * std::abs(b);
}

class ScopedBlasThreads
{
public:
    explicit ScopedBlasThreads(int n) : old_(currentBlasThreads())
    {
        ThreadSettings s;
        s.blasThreads = n;
        applyBlasThreads(s);
    }
    ~ScopedBlasThreads()
    {
        ThreadSettings s;
        s.blasThreads = old_;
        applyBlasThreads(s);
    }

private:
    int old_;
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

    void digitsAreAsTrustworthyAsScikitLearns()
    {
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

// UMAP against umap-learn 0.5.3 (its a, b curve and fuzzy simplicial set, written by
// tests/reference/umap_reference.py), its quality on scikit-learn's digits beside umap-learn's,
// its reproducibility at any thread count, and the trustworthiness against scikit-learn's.

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/umap.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/metrics/embedding_quality.h>

#include <ATen/ATen.h>
#include <QtTest>

#include <fstream>
#include <sstream>

using namespace clusterscope;

namespace
{

const std::string kData = CLUSTERSCOPE_TEST_DATA "/umap/";

std::vector<std::vector<double>> readRows(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        throw Error("missing fixture " + path + ": run tests/reference/umap_reference.py");
    std::vector<std::vector<double>> rows;
    for (std::string line; std::getline(in, line);)
    {
        std::vector<double> row;
        std::stringstream fields(line);
        for (std::string field; std::getline(fields, field, ',');)
            row.push_back(std::stod(field));
        rows.push_back(row);
    }
    return rows;
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

class TestUmap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void curveIsUmapLearns()
    {
        for (const auto& row : readRows(kData + "curves.csv"))
        {
            const auto curve = fitUmapCurve(row[0], row[1]);
            QVERIFY2(std::abs(curve.a - row[2]) <= 1e-4 * row[2] &&
                         std::abs(curve.b - row[3]) <= 1e-4 * row[3],
                     qPrintable(QString("spread %1 min_dist %2: a %3 b %4, umap-learn %5 %6")
                                    .arg(row[0])
                                    .arg(row[1])
                                    .arg(curve.a)
                                    .arg(curve.b)
                                    .arg(row[2])
                                    .arg(row[3])));
        }
        QVERIFY_THROWS_EXCEPTION(ParameterError, fitUmapCurve(1.0, 1.5)); // min_dist > spread
        QVERIFY_THROWS_EXCEPTION(ParameterError, fitUmapCurve(0.0, 0.0));
    }

    void fuzzyGraphIsUmapLearns()
    {
        UmapOptions o;
        o.nNeighbors = 10;
        o.nEpochs = 1;
        const auto r = umap(blobs(), o);
        const auto expected = readRows(kData + "graph_k10.csv");
        QCOMPARE(r.graph.columns.size(), expected.size());
        size_t e = 0;
        for (int64_t i = 0; i < r.graph.rows; ++i)
            for (int64_t p = r.graph.rowStart[static_cast<size_t>(i)];
                 p < r.graph.rowStart[static_cast<size_t>(i) + 1]; ++p, ++e)
            {
                QCOMPARE(i, static_cast<int64_t>(expected[e][0]));
                QCOMPARE(r.graph.columns[static_cast<size_t>(p)],
                         static_cast<int64_t>(expected[e][1]));
                QVERIFY2(std::abs(r.graph.weights[static_cast<size_t>(p)] - expected[e][2]) < 2e-5,
                         qPrintable(QString("edge %1-%2: %3, umap-learn %4")
                                        .arg(i)
                                        .arg(expected[e][1])
                                        .arg(r.graph.weights[static_cast<size_t>(p)])
                                        .arg(expected[e][2])));
            }
    }

    void sameSeedSameMapAtAnyThreadCount()
    {
        // Enough rows for several slices per epoch (parallelSlices gives each >= 256 rows).
        UmapOptions o;
        o.nNeighbors = 10;
        o.nEpochs = 30;
        o.seed = 3;
        const auto x = digits();
        for (const bool parallel : {false, true})
        {
            o.parallel = parallel;
            at::Tensor one, two;
            {
                ScopedBlasThreads threads(1);
                one = umap(x, o).embedding;
            }
            {
                ScopedBlasThreads threads(2);
                two = umap(x, o).embedding;
            }
            QVERIFY(at::equal(one, two));
            o.seed = 4;
            QVERIFY(!at::equal(one, umap(x, o).embedding));
            o.seed = 3;
        }
    }

    void digitsKeepTheirNeighbourhoodsAsInUmapLearn()
    {
        // umap-learn 0.5.3, UMAP(random_state=0) on the same 1797 x 64 digits: trustworthiness
        // 0.9878 and 15-NN preservation 0.5315 (sklearn.manifold.trustworthiness, k = 15).
        const auto x = digits();
        const auto r = umap(x, UmapOptions{});
        QCOMPARE(r.initialisation, std::string("spectral"));
        QCOMPARE(r.epochs, int64_t{500});
        EmbeddingQualityOptions q;
        q.sample = x.size(0);
        const auto quality = embeddingQuality(x, r.embedding, q);
        QVERIFY2(quality.trustworthiness >= 0.9878 - 0.01,
                 qPrintable(QString::number(quality.trustworthiness)));
        QVERIFY2(quality.knnPreserved >= 0.5315 - 0.01,
                 qPrintable(QString::number(quality.knnPreserved)));
    }

    void disconnectedGraphStartsFromPcaAndSaysSo()
    {
        // Two groups a thousand units apart: with 5 neighbours no edge joins them.
        auto x = blobs().slice(0, 0, 60).clone();
        x.slice(0, 30, 60).add_(1000);
        UmapOptions o;
        o.nNeighbors = 5;
        o.nEpochs = 20;
        const auto r = umap(x, o);
        QCOMPARE(r.initialisation, std::string("pca"));
        QCOMPARE(r.warnings.size(), size_t{1});
        QVERIFY(QString::fromStdString(r.warnings[0]).contains("disconnected"));
        QVERIFY(at::isfinite(r.embedding).all().item<bool>());
    }

    void refusesWhatCannotWork()
    {
        const auto x = blobs().slice(0, 0, 12).contiguous();
        UmapOptions o;
        o.nNeighbors = 12;
        try
        {
            umap(x, o);
            QFAIL("n_neighbors = rows was accepted");
        }
        catch (const ParameterError& e)
        {
            QVERIFY(QString(e.what()).contains("n_neighbors"));
            QVERIFY(QString(e.what()).contains("11"));
        }
        o.nNeighbors = 5;
        o.minDist = 2.0;
        QVERIFY_THROWS_EXCEPTION(ParameterError, umap(x, o));
        o.minDist = 0.1;
        o.metric = UmapMetric::Cosine;
        auto zero = x.clone();
        zero[4].zero_();
        try
        {
            umap(zero, o);
            QFAIL("a zero row was accepted for cosine");
        }
        catch (const DataError& e)
        {
            QVERIFY(QString(e.what()).contains("row 5"));
        }
    }

    void trustworthinessIsScikitLearns()
    {
        const auto x = blobs();
        const auto y = matrix(readRows(kData + "trust.csv"));
        const double expected = readRows(kData + "trust_expected.txt")[0][0];
        EmbeddingQualityOptions q;
        q.sample = x.size(0);
        const auto full = embeddingQuality(x, y, q);
        QCOMPARE(full.queries, x.size(0));
        QVERIFY2(std::abs(full.trustworthiness - expected) < 1e-9,
                 qPrintable(QString("%1 against %2").arg(full.trustworthiness).arg(expected)));
        // An embedding that is the input itself keeps everything.
        const auto same = embeddingQuality(x, x, q);
        QCOMPARE(same.trustworthiness, 1.0);
        QCOMPARE(same.knnPreserved, 1.0);
        q.k = 40; // k must stay below half the rows
        QVERIFY_THROWS_EXCEPTION(ParameterError, embeddingQuality(x, y, q));
    }
};

QTEST_APPLESS_MAIN(TestUmap)
#include "test_umap.moc"

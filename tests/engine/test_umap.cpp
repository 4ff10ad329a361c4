// UMAP against umap-learn 0.5.3 (its a, b curve and fuzzy simplicial set, written by
// tests/reference/umap_reference.py), its quality on scikit-learn's digits beside umap-learn's,
// its reproducibility at any thread count, and the trustworthiness against scikit-learn's.

#include "poll_watchdog.h"
#include "reference_tables.h"

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/umap.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/metrics/embedding_quality.h>

#include <ATen/ATen.h>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <sstream>
#include <tuple>

using namespace clusterscope;

namespace
{

using reference::matrix;
using reference::ScopedBlasThreads;

std::vector<std::vector<double>> readRows(const std::string& path)
{
    return reference::readRows(path, "tests/reference/umap_reference.py");
}

const std::string kData = CLUSTERSCOPE_TEST_DATA "/umap/";

at::Tensor blobs()
{
    return matrix(readRows(kData + "blobs.csv"));
}

at::Tensor digits()
{
    return loadDataset(CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz").features;
}

// Digits split by row number as tests/reference/umap_transform_reference.py splits them: rows
// with index % 5 == 0 held out.
struct DigitsSplit
{
    at::Tensor train, held;
    std::vector<int64_t> trainLabels, heldLabels;
};

DigitsSplit digitsSplit()
{
    const auto d = loadDataset(CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz");
    std::vector<int64_t> trainRows, heldRows;
    DigitsSplit s;
    for (int64_t i = 0; i < d.rows(); ++i)
    {
        (i % 5 == 0 ? heldRows : trainRows).push_back(i);
        (i % 5 == 0 ? s.heldLabels : s.trainLabels).push_back(d.labels[static_cast<size_t>(i)]);
    }
    s.train = d.features.index_select(0, at::tensor(trainRows, at::kLong)).contiguous();
    s.held = d.features.index_select(0, at::tensor(heldRows, at::kLong)).contiguous();
    return s;
}

// The indices of the k nearest rows of `map` to `point` (euclidean, ties by index).
std::vector<int64_t> nearestInMap(const at::Tensor& map, const float* point, int64_t k)
{
    const int64_t n = map.size(0), dim = map.size(1);
    const float* m = map.data_ptr<float>();
    std::vector<std::pair<double, int64_t>> d(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
    {
        double s = 0;
        for (int64_t c = 0; c < dim; ++c)
            s += (static_cast<double>(m[i * dim + c]) - point[c]) *
                 (static_cast<double>(m[i * dim + c]) - point[c]);
        d[static_cast<size_t>(i)] = {s, i};
    }
    std::partial_sort(d.begin(), d.begin() + k, d.end());
    std::vector<int64_t> out;
    for (int64_t j = 0; j < k; ++j)
        out.push_back(d[static_cast<size_t>(j)].second);
    return out;
}

// scikit-learn's KNeighborsClassifier(n_neighbors=10) accuracy: the majority label of each
// placed row's 10 nearest training rows in the map (ties: the smallest label, as its mode).
double knnAccuracy(const at::Tensor& trainMap, const std::vector<int64_t>& trainLabels,
                   const at::Tensor& placed, const std::vector<int64_t>& labels)
{
    const auto map = trainMap.contiguous();
    const auto p = placed.contiguous();
    int64_t correct = 0;
    for (int64_t i = 0; i < p.size(0); ++i)
    {
        std::map<int64_t, int> votes;
        for (const auto j : nearestInMap(map, p.data_ptr<float>() + i * p.size(1), 10))
            ++votes[trainLabels[static_cast<size_t>(j)]];
        int64_t best = -1;
        int most = 0;
        for (const auto& [label, count] : votes)
            if (count > most)
            {
                most = count;
                best = label;
            }
        correct += best == labels[static_cast<size_t>(i)];
    }
    return static_cast<double>(correct) / static_cast<double>(p.size(0));
}

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

    void transformGraphIsUmapLearns()
    {
        // umap-learn's transform_mode="graph" for 12 new rows (one a training row) under a
        // UMAP(n_neighbors=10) of blobs.csv (tests/reference/umap_reference.py).
        const auto x = blobs();
        UmapOptions o;
        o.nNeighbors = 10;
        o.nEpochs = 10;
        const UmapModel model{x, umap(x, o).embedding, o};
        const auto r = umapTransform(model, matrix(readRows(kData + "transform_rows.csv")));
        const auto expected = readRows(kData + "transform_graph.csv");
        QCOMPARE(r.graph.rows, int64_t{12});
        // Our rows hold their neighbours nearest first; umap-learn's file is sorted by column.
        std::vector<std::tuple<int64_t, int64_t, float>> ours;
        for (int64_t i = 0; i < r.graph.rows; ++i)
            for (auto p = r.graph.rowStart[static_cast<size_t>(i)];
                 p < r.graph.rowStart[static_cast<size_t>(i) + 1]; ++p)
                ours.emplace_back(i, r.graph.columns[static_cast<size_t>(p)],
                                  r.graph.weights[static_cast<size_t>(p)]);
        std::sort(ours.begin(), ours.end());
        QCOMPARE(ours.size(), expected.size());
        for (size_t e = 0; e < ours.size(); ++e)
        {
            const auto [row, column, weight] = ours[e];
            QCOMPARE(row, static_cast<int64_t>(expected[e][0]));
            QCOMPARE(column, static_cast<int64_t>(expected[e][1]));
            QVERIFY2(std::abs(weight - expected[e][2]) < 2e-5,
                     qPrintable(QString("edge %1-%2: %3, umap-learn %4")
                                    .arg(row)
                                    .arg(column)
                                    .arg(weight)
                                    .arg(expected[e][2])));
        }
        // The training row passed again starts on its own place and stays near it.
        const auto placed = r.embedding[3];
        const auto own = model.embedding[5];
        QVERIFY2((placed - own).norm().item<double>() < 0.5,
                 qPrintable(QString::number((placed - own).norm().item<double>())));
    }

    void transformPlacesTrainingRowsOnTheirOwnPlaces()
    {
        // A training row passed again starts on its own coordinates (membership 1) and keeps
        // most of its neighbours in the map, as in umap-learn.
        const auto split = digitsSplit();
        UmapOptions o;
        o.nEpochs = 200;
        const auto fit = umap(split.train, o);
        const UmapModel model{split.train, fit.embedding, o};
        const auto placed = umapTransform(model, split.train).embedding;
        QCOMPARE(placed.size(0), split.train.size(0));
        QCOMPARE(placed.size(1), int64_t{2});
        const int64_t k = 10;
        double overlap = 0;
        const auto map = fit.embedding.contiguous();
        for (int64_t i = 0; i < map.size(0); ++i)
        {
            auto a = nearestInMap(map, map.data_ptr<float>() + i * 2, k + 1);
            auto b = nearestInMap(map, placed.data_ptr<float>() + i * 2, k + 1);
            std::sort(a.begin(), a.end());
            std::sort(b.begin(), b.end());
            std::vector<int64_t> both;
            std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(both));
            overlap += static_cast<double>(both.size()) / static_cast<double>(k + 1);
        }
        overlap /= static_cast<double>(map.size(0));
        // umap-learn, the same measure over seeds 0..2 (umap_transform_reference.py).
        double expected = 0;
        const auto reference = readRows(kData + "transform_overlap.csv");
        QCOMPARE(reference.size(), size_t{3});
        for (const auto& row : reference)
            expected += row[1] / static_cast<double>(reference.size());
        qInfo("training rows placed again: %.3f of their %lld nearest map rows kept; umap-learn "
              "%.3f",
              overlap, static_cast<long long>(k + 1), expected);
        QVERIFY2(overlap >= expected - 0.03,
                 qPrintable(QString("%1 against umap-learn's %2").arg(overlap).arg(expected)));
    }

    void heldOutDigitsClassifyAsWellAsInUmapLearn()
    {
        // umap-learn 0.5.3: fit on 1437 digits, transform the other 360, 10-NN accuracy in
        // the 2-D map, over five seeds (tests/reference/umap_transform_reference.py).
        const auto reference = readRows(kData + "transform_digits.csv");
        QCOMPARE(reference.size(), size_t{5});
        double mean = 0, lowest = 1;
        for (const auto& row : reference)
        {
            mean += row[1] / static_cast<double>(reference.size());
            lowest = std::min(lowest, row[1]);
        }
        const auto split = digitsSplit();
        const auto fit = umap(split.train, UmapOptions{});
        const UmapModel model{split.train, fit.embedding, UmapOptions{}};
        const auto placed = umapTransform(model, split.held);
        QCOMPARE(placed.epochs, int64_t{100}); // umap-learn: 100 for up to 10,000 new rows
        const double accuracy =
            knnAccuracy(fit.embedding, split.trainLabels, placed.embedding, split.heldLabels);
        qInfo("held-out digits: 10-NN accuracy %.4f; umap-learn mean %.4f, lowest %.4f", accuracy,
              mean, lowest);
        QVERIFY2(accuracy >= mean - 0.02,
                 qPrintable(QString("%1 against umap-learn's %2").arg(accuracy).arg(mean)));
    }

    void transformIsSeededAndThreadInvariant()
    {
        const auto split = digitsSplit();
        UmapOptions o;
        o.nEpochs = 30;
        const auto fit = umap(split.train, o);
        const UmapModel model{split.train, fit.embedding, o};
        // Enough new rows for several slices (parallelSlices gives each >= 256 rows).
        const auto rows = at::cat({split.held, split.train}).contiguous();
        UmapTransformOptions t;
        t.seed = 7;
        at::Tensor one, two;
        {
            ScopedBlasThreads threads(1);
            one = umapTransform(model, rows, t).embedding;
        }
        {
            ScopedBlasThreads threads(2);
            two = umapTransform(model, rows, t).embedding;
        }
        QVERIFY(at::equal(one, two));
        t.seed = 8;
        QVERIFY(!at::equal(one, umapTransform(model, rows, t).embedding));
        QCOMPARE(umapTransform(model, rows, t).epochs, int64_t{10}); // n_epochs / 3
    }

    void transformReportsAndCancels()
    {
        const auto split = digitsSplit();
        UmapOptions o;
        o.nEpochs = 30;
        const UmapModel model{split.train, umap(split.train, o).embedding, o};
        testing::PollWatchdog whole;
        umapTransform(model, split.held, {}, &whole);
        whole.finish();
        QVERIFY2(whole.progressProblem().empty(), whole.progressProblem().c_str());
        qInfo("%lld reports", static_cast<long long>(whole.reports()));
        QVERIFY(whole.reports() >= 2);
        testing::PollWatchdog::Options cancel;
        cancel.cancelAtReport = 1; // the first report, early in the neighbour search
        testing::PollWatchdog stopping(cancel);
        QVERIFY_THROWS_EXCEPTION(CancelledError, umapTransform(model, split.held, {}, &stopping));
    }

    void transformRefusesWhatDoesNotFit()
    {
        const auto x = blobs();
        UmapOptions o;
        o.nNeighbors = 10;
        o.nEpochs = 5;
        const UmapModel model{x, umap(x, o).embedding, o};
        try
        {
            umapTransform(model, x.slice(1, 0, 3));
            QFAIL("3 features were accepted for a model of 4");
        }
        catch (const ParameterError& e)
        {
            QVERIFY2(QString(e.what()).contains("3 features") && QString(e.what()).contains("4"),
                     e.what());
        }
        auto nan = x.slice(0, 0, 5).clone();
        nan[2][1] = std::numeric_limits<float>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(DataError, umapTransform(model, nan));
        const UmapModel broken{x, model.embedding.slice(0, 0, 40), o};
        QVERIFY_THROWS_EXCEPTION(ParameterError, umapTransform(broken, x));
        // Five new rows, fewer than n_neighbors: each still has its 10 training neighbours.
        const auto five = umapTransform(model, x.slice(0, 0, 5)).embedding;
        QCOMPARE(five.size(0), int64_t{5});
        QVERIFY(at::isfinite(five).all().item<bool>());
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

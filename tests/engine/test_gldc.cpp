// GLDC: the rank-order target and the pair loss against hand-computed values and an independent
// NumPy port of the authors' CKROD; training on digits above its k-means start; every term
// wired into the loss; the same seed giving the same Q; a cancelled run resumed from its
// checkpoint ending as an uninterrupted one.

#include "deep_support.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/deep/gldc.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/metrics/metrics.h>

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <set>

using namespace clusterscope;
using namespace clusterscope::test;

namespace
{

GldcOptions small(uint64_t seed)
{
    GldcOptions o;
    o.deep.k = 10;
    o.deep.autoencoder.hidden = {128, 128, 256};
    o.deep.autoencoder.latent = 5;
    o.deep.autoencoder.epochs = 30;
    o.deep.autoencoder.batchSize = 128;
    o.deep.clusteringBatchSize = 128;
    o.deep.clusteringOptimizer = {OptimizerKind::Adam, 1e-3, 0.9};
    o.deep.kmeansRestarts = 10;
    o.deep.seed = seed;
    o.deep.pretrainSeed = seed;
    o.epochs = 10;
    return o;
}

void expectNear(const std::vector<float>& got, const std::vector<double>& want, double tolerance)
{
    QCOMPARE(got.size(), want.size());
    for (size_t i = 0; i < got.size(); ++i)
        QVERIFY2(std::abs(got[i] - want[i]) <= tolerance,
                 qPrintable(QString("entry %1: %2, expected %3").arg(i).arg(got[i]).arg(want[i])));
}

} // namespace

class TestGldc : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void localTargetByHand()
    {
        // z = 0, 1, 3 on a line: D = (0 1 9; 1 0 4; 9 4 0) / 9; row ranks (0 1 2; 1 0 2;
        // 2 1 0); R = Rank + Rank^T + 1 = (1 3 5; 3 1 4; 5 4 1); KROD = R exp(D / 10).
        const auto z = matrixFromValues({0, 1, 3}, 3, 1);
        const double k01 = 3 * std::exp(1.0 / 90), k12 = 4 * std::exp(4.0 / 90);
        const double self = std::exp(-0.2);
        // One neighbour: a column keeps what lies below its 2nd smallest KROD, the row itself.
        expectNear(floatValues(gldcLocalTarget(z, 10, 1, 0.2)),
                   {self, 0, 0, 0, self, 0, 0, 0, self}, 1e-6);
        // Two: below the 3rd smallest. Column 0 (1, k01, 5 e^0.1) keeps rows 0 and 1, column 1
        // (k01, 1, k12) rows 0 and 1, column 2 (5 e^0.1, k12, 1) rows 1 and 2.
        const double t01 = std::exp(-0.2 * k01), t12 = std::exp(-0.2 * k12);
        expectNear(floatValues(gldcLocalTarget(z, 10, 2, 0.2)),
                   {self, t01, 0, t01, self, t12, 0, 0, self}, 1e-6);
    }

    void localTargetMatchesANumPyPort()
    {
        // D.argsort(1).argsort(1), K = (R + R.T + 1) exp(D / 10), t = (K < np.sort(K, 0)[3]) *
        // exp(-0.2 K) on NumPy's default_rng(3).normal(size=(8, 3)) rounded to 3 decimals.
        const auto z = matrixFromValues({2.041F,  -2.556F, 0.418F,  -0.568F, -0.453F, -0.216F,
                                         -2.02F,  -0.232F, -0.865F, 3.323F,  0.226F,  -0.353F,
                                         -0.281F, -0.668F, -1.055F, -0.391F, 0.482F,  -0.239F,
                                         0.958F,  -0.2F,   0.024F,  1.546F,  0.545F,  -0.505F},
                                        8, 3);
        expectNear(floatValues(gldcLocalTarget(z, 10, 3, 0.2)),
                   {0.818731, 0,        0,        0.288813, 0,        0,        0,        0,
                    0,        0.818731, 0.297986, 0,        0.547866, 0.448206, 0,        0,
                    0,        0,        0.818731, 0,        0,        0,        0,        0,
                    0.288813, 0,        0,        0.818731, 0,        0,        0,        0.445258,
                    0,        0.547866, 0.242739, 0,        0.818731, 0.365343, 0,        0,
                    0,        0.448206, 0,        0,        0.365343, 0.818731, 0.298265, 0,
                    0.194295, 0,        0,        0,        0,        0,        0.818731, 0.547471,
                    0,        0,        0,        0.445258, 0,        0,        0.547471, 0.818731},
                   1e-5);
    }

    void pairLossByHand()
    {
        // q = (1, 0), (1/2, 1/2): pair probabilities (1 1/2; 1/2 1/2). Against the identity
        // target three of the four pairs cost log 2 and the first costs nothing.
        const auto q = matrixFromValues({1, 0, 0.5, 0.5}, 2, 2);
        const auto identity = matrixFromValues({1, 0, 0, 1}, 2, 2);
        const double loss = floatValues(gldcPairLoss(q, identity))[0];
        QVERIFY2(std::abs(loss - 0.75 * std::log(2.0)) < 1e-6, qPrintable(QString::number(loss)));
        // Pair probabilities a rounding step above 1 stay finite.
        const auto sharp = matrixFromValues({1.0000001F, 0}, 1, 2);
        QVERIFY(std::isfinite(floatValues(gldcPairLoss(sharp, matrixFromValues({0}, 1, 1)))[0]));
    }

    void trainsOnDigits()
    {
        auto o = small(3);
        o.deep.truth = &digits().labels;
        const auto r = gldc(digits().features, o);
        const double acc = accuracy(digits().labels, r.labels);
        const double start = r.history.at("start_acc").at(0);
        // On digits GLDC mostly keeps its k-means start: bench/gldc_peer.py, a PyTorch port,
        // moved ACC by -0.014 to +0.046 over seeds 1-9 (0.72-0.88 after 20 epochs). A collapse
        // or a term of the wrong sign falls far below.
        QVERIFY2(acc > 0.70 && acc > start - 0.05,
                 qPrintable(QString("ACC %1 from %2").arg(acc).arg(start)));
        const std::set<int64_t> clusters(r.labels.begin(), r.labels.end());
        QCOMPARE(clusters.size(), size_t{10});
        QCOMPARE(r.soft.size(0), digits().rows());
        QCOMPARE(r.soft.size(1), int64_t{10});
        QCOMPARE(r.embedding.size(1), int64_t{5});
        // One history entry per epoch; Q's rows are distributions and its argmax the labels.
        QCOMPARE(r.history.at("loss").size(), size_t{10});
        QCOMPARE(r.history.at("acc").size(), size_t{10});
        QVERIFY(std::abs(floatValues(r.soft.sum(1)).front() - 1) < 1e-5);
        QCOMPARE(intValues(r.soft.argmax(1)), r.labels);
        QCOMPARE(r.iterations, int64_t{10} * (digits().rows() / 128));
    }

    void everyTermShapesTheResult_data()
    {
        QTest::addColumn<QString>("term");
        for (const char* term : {"local", "consistency", "kl"})
            QTest::newRow(term) << QString(term);
    }

    // Each term, switched off, changes Q after two epochs: none is left out of the loss.
    void everyTermShapesTheResult()
    {
        QFETCH(QString, term);
        auto o = small(4);
        o.deep.autoencoder.epochs = 3;
        o.epochs = 2;
        const auto all = floatValues(gldc(digits().features, o).soft);
        if (term == "local")
            o.localWeight = o.localFloor = 0;
        else if (term == "consistency")
            o.consistencyWeight = 0;
        else
            o.klWeight = 0;
        QVERIFY(floatValues(gldc(digits().features, o).soft) != all);
    }

    // w(t) = max(w0 decay^t, floor) starts at w0: with decay 0 and floor 0 the first epoch is
    // the only one with a local term, and it must weigh.
    void firstEpochTakesTheFullLocalWeight()
    {
        auto o = small(4);
        o.deep.autoencoder.epochs = 3;
        o.epochs = 1;
        o.localDecay = 0;
        o.localFloor = 0;
        const auto withLocal = floatValues(gldc(digits().features, o).soft);
        o.localWeight = 0;
        QVERIFY(floatValues(gldc(digits().features, o).soft) != withLocal);
    }

    void sameSeedSameQ()
    {
        auto o = small(5);
        o.deep.autoencoder.epochs = 3;
        o.epochs = 2;
        const auto a = gldc(digits().features, o);
        const auto b = gldc(digits().features, o);
        QCOMPARE(a.labels, b.labels);
        QCOMPARE(floatValues(a.soft), floatValues(b.soft));
        o.deep.seed = 6; // another noise, batch order and k-means start
        QVERIFY(floatValues(gldc(digits().features, o).soft) != floatValues(a.soft));
    }

    void resumedRunEndsAsAnUninterruptedOne()
    {
        QTemporaryDir dir;
        auto o = small(7);
        o.deep.autoencoder.epochs = 4;
        o.epochs = 4;
        const auto whole = gldc(digits().features, o);
        o.deep.checkpointPath = dir.filePath("run.ckpt").toStdString();
        // Cancel after 2 of the 4 pretraining epochs, then in the clustering's second epoch.
        expectResumedAsWhole(
            [&](CancelAfter* c)
            {
                auto counted = o;
                counted.deep = countingUpdates(o.deep, c);
                return gldc(digits().features, counted, c);
            },
            whole, {2, 6});
    }

    // The target the issue sets GLDC comes from the authors' own Q for Fashion-MNIST (the HCHC
    // test vector, 60k train then 10k test): scored here by our metrics as they publish it.
    void authorsQScoresAsPublished()
    {
        const char* fashion = "/usr/share/datasets/fashion-mnist";
        if (!QFileInfo::exists(fashion))
            QSKIP("needs dataset-fashion-mnist");
        const Dataset data = loadDataset(fashion);
        const auto q = loadDataset(CLUSTERSCOPE_REFERENCE_DIR "/hchc/fashion_Q.npy").features;
        QCOMPARE(q.size(0), data.rows());
        const auto labels = intValues(q.argmax(1));
        QVERIFY(std::abs(accuracy(data.labels, labels) - 0.698) < 5e-4);
        QVERIFY(std::abs(normalizedMutualInfo(data.labels, labels) - 0.646) < 5e-4);
        QVERIFY(std::abs(adjustedRandIndex(data.labels, labels) - 0.549) < 5e-4);
    }

    void kOutsideItsRangeIsAParameterError()
    {
        auto o = small(0);
        o.deep.k = 1;
        QVERIFY_THROWS_EXCEPTION(ParameterError, gldc(digits().features, o));
    }
};

QTEST_GUILESS_MAIN(TestGldc)
#include "test_gldc.moc"

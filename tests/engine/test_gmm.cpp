// Gaussian mixtures against scikit-learn 1.2 from the same starting parameters
// (tests/reference/gmm_reference.py): the M-step of the ground-truth labels.

#include "fixtures.h"

#include <clusterscope/cluster/gmm.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/registry.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/pipeline/builtin.h>

#include <ATen/ATen.h>
#include <QtTest>

#include <cmath>

using namespace clusterscope;

namespace
{

Dataset iris()
{
    LoadOptions o;
    o.labelColumn = "last";
    return loadDataset("/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv", o);
}

Dataset digits()
{
    return loadDataset(CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz");
}

bool close(double a, double b, double relative)
{
    return std::abs(a - b) <= relative * std::abs(b);
}

} // namespace

class TestGmm : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matchesScikitLearn_data()
    {
        QTest::addColumn<QString>("data");
        QTest::addColumn<QString>("covariance");
        QTest::addColumn<double>("reg");
        QTest::addColumn<double>("score");
        QTest::addColumn<double>("lowerBound");
        QTest::addColumn<int>("iterations");
        QTest::addColumn<double>("bic");
        QTest::addColumn<double>("aic");
        QTest::newRow("iris full") << "iris"
                                   << "full" << 1e-6 << -1.20131581101 << -1.20149042017 << 7
                                   << 580.8626962 << 448.3947433;
        QTest::newRow("iris diag")
            << "iris"
            << "diag" << 1e-6 << -2.04681881278 << -2.0470575469 << 3 << 744.3221615 << 666.0456438;
        QTest::newRow("iris tied")
            << "iris"
            << "tied" << 1e-6 << -1.7090306545 << -1.70905487638 << 3 << 632.9644434 << 560.7091963;
        QTest::newRow("iris spherical") << "iris"
                                        << "spherical" << 1e-6 << -2.56284925736 << -2.56340049827
                                        << 9 << 854.0355772 << 802.8547772;
        QTest::newRow("digits diag") << "digits"
                                     << "diag" << 1e-2 << -97.5524944699 << -97.5527813758 << 30
                                     << 360263.2686 << 353181.6651;
        QTest::newRow("digits spherical") << "digits"
                                          << "spherical" << 1e-2 << -167.034375286 << -167.034907578
                                          << 9 << 605260.0077 << 601639.5448;
        QTest::newRow("digits full")
            << "digits"
            << "full" << 1e-1 << -94.7503018915 << -94.7503018913 << 8 << 501268.686 << 383430.585;
    }

    void matchesScikitLearn()
    {
        QFETCH(QString, data);
        QFETCH(QString, covariance);
        QFETCH(double, reg);
        QFETCH(double, score);
        QFETCH(double, lowerBound);
        QFETCH(int, iterations);
        QFETCH(double, bic);
        QFETCH(double, aic);
        const Dataset d = data == "iris" ? iris() : digits();
        GmmOptions o;
        o.k = 3;
        o.covariance = parseCovarianceType(covariance.toStdString());
        o.regCovar = reg;
        o.initLabels = d.labels;
        if (data == "digits")
            o.k = 10;
        const auto r = gaussianMixture(d.features, o);
        qInfo("log-likelihood %.10g (scikit-learn %.10g), %lld iterations (%d)", r.logLikelihood,
              score, static_cast<long long>(r.iterations), iterations);
        // The target is 0.5%; the same formulation from the same start agrees far closer.
        QVERIFY(close(r.logLikelihood, score, 1e-6));
        QVERIFY(close(r.lowerBound, lowerBound, 1e-6));
        QCOMPARE(r.iterations, static_cast<int64_t>(iterations));
        QVERIFY(r.converged);
        QVERIFY(close(r.bic, bic, 1e-6));
        QVERIFY(close(r.aic, aic, 1e-6));
    }

    void probabilitiesAreProbabilities()
    {
        const Dataset d = iris();
        GmmOptions o;
        o.k = 3;
        o.seed = 1;
        const auto r = gaussianMixture(d.features, o);
        const auto p = floatValues(r.responsibilities);
        const auto labels = intValues(r.labels);
        for (size_t i = 0; i < labels.size(); ++i)
        {
            const float* row = p.data() + 3 * i;
            QVERIFY(qAbs(row[0] + row[1] + row[2] - 1.0f) < 1e-5f);
            QCOMPARE(static_cast<int64_t>(std::max_element(row, row + 3) - row), labels[i]);
        }
        const auto w = floatValues(r.weights);
        QVERIFY(qAbs(w[0] + w[1] + w[2] - 1.0f) < 1e-5f);
    }

    void kMeansStartIsSeededAndRestartsHelp()
    {
        const Dataset d = digits();
        GmmOptions o;
        o.k = 10;
        o.covariance = CovarianceType::Diagonal;
        o.regCovar = 1e-2;
        o.seed = 3;
        const auto a = gaussianMixture(d.features, o);
        const auto b = gaussianMixture(d.features, o);
        QCOMPARE(intValues(a.labels), intValues(b.labels));
        o.nInit = 3;
        const auto best = gaussianMixture(d.features, o);
        QVERIFY(best.lowerBound >= a.lowerBound - 1e-9); // run 0 is the same start as `a`
    }

    void parameterCountsByHand()
    {
        // K = 3 components in D = 4: means 12, weights 2, covariances by type.
        QCOMPARE(gmmParameterCount(CovarianceType::Full, 3, 4), 3 * 10 + 12 + 2);
        QCOMPARE(gmmParameterCount(CovarianceType::Diagonal, 3, 4), 3 * 4 + 12 + 2);
        QCOMPARE(gmmParameterCount(CovarianceType::Tied, 3, 4), 10 + 12 + 2);
        QCOMPARE(gmmParameterCount(CovarianceType::Spherical, 3, 4), 3 + 12 + 2);
    }

    void registryGivesConfidences()
    {
        const Dataset d = iris();
        const auto& info = builtinRegistry().get("gmm");
        ParamSet p(info.params);
        p.set("k", int64_t{3});
        RunContext ctx;
        ctx.progress = &nullProgress();
        const auto r = info.run(d.features, p, ctx);
        QCOMPARE(r.confidence.size(), r.labels.size());
        for (float c : r.confidence)
            QVERIFY(c >= 1.0f / 3 - 1e-6f && c <= 1.0f + 1e-6f);
        QVERIFY(r.stats.at("bic") > 0);
    }

    void collapsedComponentIsRefusedByEveryCovarianceType_data()
    {
        QTest::addColumn<QString>("covariance");
        for (const char* type : {"full", "tied", "diag", "spherical"})
            QTest::newRow(type) << type;
    }

    void collapsedComponentIsRefusedByEveryCovarianceType()
    {
        // Component 0 sits on three copies of one point (0.1 and 0.7 are not binary fractions,
        // so E[x^2] - mean^2 need not round to exactly 0); component 1 is spread.
        const auto x =
            matrixFromValues({0.1F, 0.7F, 0.1F, 0.7F, 0.1F, 0.7F, 5, 5, 6, 5, 5, 6, 6, 7}, 7, 2);
        GmmOptions o;
        o.k = 2;
        o.regCovar = 0;
        o.covariance = parseCovarianceType(QTest::currentDataTag());
        o.initLabels = {0, 0, 0, 1, 1, 1, 1};
        if (o.covariance == CovarianceType::Tied)
        {
            // One covariance for both: component 1's spread keeps it positive definite.
            const auto r = gaussianMixture(x, o);
            QVERIFY(std::isfinite(r.logLikelihood));
            QVERIFY(at::isfinite(r.responsibilities).all().item<bool>());
            // Every component collapsed: then the tied covariance is singular too.
            const auto twoPoints = matrixFromValues(
                {0.1F, 0.7F, 0.1F, 0.7F, 0.1F, 0.7F, 5, 5, 5, 5, 5, 5, 5, 5}, 7, 2);
            CS_EXPECT_ERROR(Error, gaussianMixture(twoPoints, o), "reg_covar",
                            "increase reg_covar");
            return;
        }
        CS_EXPECT_ERROR(Error, gaussianMixture(x, o), "collapsed", "reg_covar",
                        "increase reg_covar");
        // In one dimension too, where a full covariance of round-off is 1 x 1 and "definite".
        const auto column = matrixFromValues({0.1F, 0.1F, 0.1F, 5, 6, 5.5F, 7}, 7, 1);
        CS_EXPECT_ERROR(Error, gaussianMixture(column, o), "collapsed", "reg_covar",
                        "increase reg_covar");
        // The same through the registry's k-means start: an error, never NaN in a result.
        o.initLabels.clear();
        try
        {
            const auto r = gaussianMixture(x, o);
            QVERIFY(std::isfinite(r.logLikelihood));
            QVERIFY(at::isfinite(r.responsibilities).all().item<bool>());
        }
        catch (const Error& e)
        {
            QVERIFY2(std::string(e.what()).find("reg_covar") != std::string::npos, e.what());
        }
        // With a regularisation the same data fits, with finite numbers.
        o.initLabels = {0, 0, 0, 1, 1, 1, 1};
        o.regCovar = 1e-6;
        const auto r = gaussianMixture(x, o);
        QVERIFY(std::isfinite(r.logLikelihood));
        QCOMPARE(intValues(r.labels), (std::vector<int64_t>{0, 0, 0, 1, 1, 1, 1}));
    }

    void degenerateDataGivesAClearError()
    {
        // Two identical points per component and no regularisation: singular covariances.
        const auto x = matrixFromValues({0, 0, 0, 0, 5, 5, 5, 5}, 4, 2);
        GmmOptions o;
        o.k = 2;
        o.regCovar = 0;
        o.initLabels = {0, 0, 1, 1};
        CS_EXPECT_ERROR(Error, gaussianMixture(x, o), "reg_covar");
        CS_EXPECT_ERROR(ParameterError, parseCovarianceType("diagonal"),
                        "full|diag|tied|spherical");
    }
};

QTEST_GUILESS_MAIN(TestGmm)
#include "test_gmm.moc"

// PCA against scikit-learn's PCA(svd_solver="full") on Fashion-MNIST's 10k test split / 255
// (tests/reference/make_reference.py), and scaling by hand.

#include "fixtures.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/io/loaders.h>

#include <ATen/ATen.h>
#include <QtTest>

#include <limits>
#include <random>

using namespace clusterscope;

namespace
{

const std::vector<double> kSklearnVariance{19.81269073,  11.9830389,  4.086586475, 3.362855434,
                                           2.602956772,  2.344525099, 1.609755874, 1.291538239,
                                           0.8972462416, 0.8795955777};
const std::vector<double> kSklearnRatio{0.291669637,   0.1764065474,  0.06016008556, 0.04950578511,
                                        0.03831904754, 0.03451458365, 0.02369778603, 0.01901319064,
                                        0.01320867892, 0.01294883806};

at::Tensor fashion()
{
    const QString path = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz";
    if (!QFile::exists(path))
    {
        throw Error("Fashion-MNIST is missing: run scripts/setup.sh (dataset-fashion-mnist)");
    }
    return scaleUnit(loadDataset(path.toStdString()).features);
}

// Counts the cancel polls of a run that is never cancelled.
class PollCounter final : public Progress
{
public:
    void report(double, std::string_view) override {}
    bool cancelRequested() const override
    {
        ++polls;
        return false;
    }
    mutable int64_t polls = 0;
};

std::vector<double> asDoubles(const at::Tensor& t)
{
    const auto f = floatValues(t);
    return {f.begin(), f.end()};
}

} // namespace

class TestPca : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactMatchesScikitLearn()
    {
        PcaOptions o;
        o.components = 10;
        const auto r = fitPca(fashion(), o);
        const auto v = asDoubles(r.explainedVariance);
        const auto ratio = asDoubles(r.explainedVarianceRatio);
        for (size_t i = 0; i < 10; ++i)
        {
            // The stored reference has 10 significant digits; the target is 1e-4 relative.
            QVERIFY2(qAbs(v[i] / kSklearnVariance[i] - 1) < 1e-4,
                     qPrintable(QString::number(v[i])));
            QVERIFY2(qAbs(ratio[i] / kSklearnRatio[i] - 1) < 1e-4,
                     qPrintable(QString::number(ratio[i])));
        }
    }

    // Few components (k <= D / 4) go to the polled Lanczos solver: on 2,000 Fashion-MNIST rows
    // (a realistic, decaying spectrum with close eigenvalue pairs) its variances, components and
    // projections equal those of LAPACK's full eigendecomposition of the same covariance.
    void lanczosMatchesTheFullEigendecomposition()
    {
        const auto x = fashion().narrow(0, 0, 2000);
        const auto xc = x.to(at::kDouble) - x.to(at::kDouble).mean(0, true);
        const auto cov = at::mm(xc.t(), xc) / 1999.0;
        auto [lapackValues, lapackVectors] = at::linalg_eigh(cov); // ascending, columns
        const double total = cov.trace().item<double>();
        // The polls outside the eigensolver, from a fit that takes the LAPACK path (k > D / 4).
        PollCounter lapackRun;
        PcaOptions many;
        many.components = 784 / 4 + 1;
        fitPca(x, many, &lapackRun);
        const int64_t otherPolls = lapackRun.polls;
        for (const int64_t k : {10, 50})
        {
            PcaOptions o;
            o.components = k;
            PollCounter counter;
            const auto r = fitPca(x, o, &counter);
            // The Lanczos path, not LAPACK after a failed Lanczos run: at least one product per
            // Krylov vector (2k + 1) beyond the other polls, and far from the restart cap.
            const int64_t products = counter.polls - otherPolls;
            QVERIFY2(products >= 2 * k + 1 && products < 2000,
                     qPrintable(QString("k %1: %2 polls in the eigensolver").arg(k).arg(products)));
            const auto values = lapackValues.flip(0).narrow(0, 0, k);
            const auto vectors = lapackVectors.flip(1).narrow(1, 0, k).t(); // k x D rows
            const auto valueError =
                ((r.explainedVariance - values).abs() / values).max().item<double>();
            QVERIFY2(
                valueError < 1e-10,
                qPrintable(QString("k %1: variance off by %2 relative").arg(k).arg(valueError)));
            const auto ratioError =
                (r.explainedVarianceRatio - values / total).abs().max().item<double>();
            QVERIFY2(ratioError < 1e-12, qPrintable(QString("ratio off by %1").arg(ratioError)));
            // The same sign rule on LAPACK's vectors: the largest-magnitude loading positive.
            const auto signs = vectors.gather(1, vectors.abs().argmax(1, true)).sign();
            const auto expected = (vectors * signs).to(at::kFloat);
            const auto componentError = (r.components - expected).abs().max().item<float>();
            QVERIFY2(componentError < 1e-6f,
                     qPrintable(QString("k %1: components off by %2").arg(k).arg(componentError)));
            const auto projected = r.transform(x).to(at::kDouble);
            const auto reference = at::mm(xc, expected.to(at::kDouble).t());
            const auto projectionError = (projected - reference).abs().max().item<double>();
            QVERIFY2(projectionError < 1e-4,
                     qPrintable(QString("projections off by %1").arg(projectionError)));
        }
    }

    void randomizedAgreesOnTheLeadingComponents()
    {
        PcaOptions o;
        o.components = 10;
        o.solver = PcaSolver::Randomized;
        const auto r = fitPca(fashion(), o);
        const auto v = asDoubles(r.explainedVariance);
        for (size_t i = 0; i < 10; ++i)
        {
            QVERIFY2(qAbs(v[i] / kSklearnVariance[i] - 1) < 1e-3,
                     qPrintable(QString::number(v[i])));
        }
    }

    void componentsAreOrthonormalAndProjectionsCentred()
    {
        const auto x = fashion();
        PcaOptions o;
        o.components = 3;
        const auto r = fitPca(x, o);
        const auto c = floatValues(r.components);
        for (int a = 0; a < 3; ++a)
        {
            for (int b = 0; b < 3; ++b)
            {
                double dot = 0;
                for (int j = 0; j < 784; ++j)
                {
                    dot += double(c[size_t(a * 784 + j)]) * c[size_t(b * 784 + j)];
                }
                QVERIFY(qAbs(dot - (a == b ? 1.0 : 0.0)) < 1e-4);
            }
        }
        const auto y = floatValues(r.transform(x));
        double mean = 0;
        double var = 0;
        for (size_t i = 0; i < y.size(); i += 3)
        {
            mean += y[i];
            var += double(y[i]) * y[i];
        }
        mean /= 10000;
        var = var / 9999;
        QVERIFY(qAbs(mean) < 1e-3);
        QVERIFY(qAbs(var / kSklearnVariance[0] - 1) < 1e-3);
    }

    void farFromZeroLosesNothing()
    {
        // Integer features shifted by 1e7 (exact in float32): the same components, variances
        // and projections as unshifted. A float32 mean is off by up to half its ulp there.
        std::mt19937_64 rng(4);
        std::uniform_int_distribution<int> u(0, 40);
        std::vector<float> near;
        std::vector<float> far;
        for (int i = 0; i < 500 * 3; ++i)
        {
            const int v = u(rng) * (i % 3 + 1);
            near.push_back(static_cast<float>(v));
            far.push_back(static_cast<float>(1e7 + v));
        }
        for (auto solver : {PcaSolver::Exact, PcaSolver::Randomized})
        {
            PcaOptions o;
            o.components = 2;
            o.solver = solver;
            const auto a = fitPca(matrixFromValues(near, 500, 3), o);
            const auto b = fitPca(matrixFromValues(far, 500, 3), o);
            QVERIFY(at::allclose(a.components, b.components, 1e-5, 1e-5));
            QVERIFY(at::allclose(a.explainedVariance, b.explainedVariance, 1e-6, 0));
            const auto pa = floatValues(a.transform(matrixFromValues(near, 500, 3)));
            const auto pb = floatValues(b.transform(matrixFromValues(far, 500, 3)));
            for (size_t i = 0; i < pa.size(); ++i)
                QVERIFY2(std::abs(pa[i] - pb[i]) < 1e-3,
                         qPrintable(QString("%1 vs %2").arg(pa[i]).arg(pb[i])));
        }
        auto bad = near;
        bad[3 * 9 + 2] = std::numeric_limits<float>::quiet_NaN();
        PcaOptions o;
        CS_EXPECT_ERROR(DataError, fitPca(matrixFromValues(bad, 500, 3), o), "PCA",
                        "row 9, column 2", "NaN or infinite");
    }

    void scalingByHand()
    {
        const auto x = matrixFromValues({1, 10, 3, 10, 5, 10}, 3, 2);
        // Column 0: mean 3, population std sqrt(8/3); column 1 is constant and stays 0.
        const auto s = floatValues(standardize(x));
        QVERIFY(qAbs(s[0] + 2 / std::sqrt(8.0 / 3)) < 1e-6);
        QCOMPARE(s[1], 0.0f);
        QCOMPARE(floatValues(minMaxScale(x)), (std::vector<float>{0, 0, 0.5f, 0, 1, 0}));
        QCOMPARE(floatValues(applyScaling(matrixFromValues({255, 51}, 1, 2), "scale01")),
                 (std::vector<float>{1, 0.2f}));
        CS_EXPECT_ERROR(ParameterError, applyScaling(x, "zscore"), "zscore");
        PcaOptions o;
        o.components = 3;
        CS_EXPECT_ERROR(ParameterError, fitPca(x, o), "3 components");
    }
};

QTEST_GUILESS_MAIN(TestPca)
#include "test_pca.moc"

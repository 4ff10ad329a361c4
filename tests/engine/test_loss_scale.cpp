// The dynamic loss scale of mixed-precision training. Its float16 use needs CUDA, but its policy
// is device-independent and checked here on the CPU, against plain float32 steps.

#include <clusterscope/core/errors.h>
#include <clusterscope/deep/loss_scale.h>

#include <ATen/ATen.h>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace clusterscope;

namespace
{

at::Tensor parameterWithGrad(std::vector<float> grad)
{
    auto p = at::zeros({static_cast<int64_t>(grad.size())});
    p.mutable_grad() = at::tensor(grad);
    return p;
}

// One least-squares gradient step on w, the loss scaled by `scale` when given.
void step(at::Tensor& w, const at::Tensor& x, const at::Tensor& y, LossScale* scale)
{
    w.mutable_grad() = at::Tensor();
    const auto loss = (x.mm(w) - y).pow(2).mean();
    if (scale)
    {
        scale->scaled(loss).backward();
        QVERIFY(scale->unscale({w}));
    }
    else
        loss.backward();
    at::NoGradGuard noGrad;
    w.sub_(w.grad() * 0.1);
}

} // namespace

class TestLossScale : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scaledStepsEqualPlainSteps()
    {
        // Powers of two scale exactly in floating point: the steps must be bit for bit the same.
        const auto x = at::linspace(-1, 1, 12).reshape({4, 3});
        const auto y = at::linspace(0, 2, 8).reshape({4, 2});
        auto plain = at::linspace(-0.5, 0.5, 6).reshape({3, 2}).requires_grad_();
        auto scaled = plain.detach().clone().requires_grad_();
        LossScale scale(LossScale::Options{1024.0, 2.0, 0.5, 2, 1.0 / 65536});
        for (int i = 0; i < 5; ++i)
        {
            step(plain, x, y, nullptr);
            step(scaled, x, y, &scale);
        }
        QVERIFY(at::equal(plain, scaled));
        // Grown after steps 2 and 4; one clean step since.
        QCOMPARE(scale.value(), 4096.0);
        QCOMPARE(scale.cleanSteps(), int64_t(1));
    }

    void unscaleDividesTheGradients()
    {
        LossScale scale(LossScale::Options{8.0, 2.0, 0.5, 100, 1.0});
        auto p = parameterWithGrad({8, -16, 4});
        auto noGrad = at::zeros({2}); // a parameter outside this step's graph
        QVERIFY(scale.unscale({p, noGrad}));
        QCOMPARE(p.grad()[0].item<float>(), 1.0F);
        QCOMPARE(p.grad()[1].item<float>(), -2.0F);
        QCOMPARE(p.grad()[2].item<float>(), 0.5F);
        QVERIFY(!noGrad.grad().defined());
    }

    void overflowSkipsTheStepAndBacksOff()
    {
        LossScale scale(LossScale::Options{64.0, 2.0, 0.5, 3, 1.0});
        QVERIFY(scale.unscale({parameterWithGrad({1, 2})}));
        QCOMPARE(scale.cleanSteps(), int64_t(1));
        const float inf = std::numeric_limits<float>::infinity();
        auto p = parameterWithGrad({1, inf});
        QVERIFY(!scale.unscale({parameterWithGrad({3}), p}));
        QCOMPARE(scale.value(), 32.0);
        QCOMPARE(scale.cleanSteps(), int64_t(0));
        QCOMPARE(p.grad()[0].item<float>(), 1.0F); // left alone: the step is skipped
        QVERIFY(!scale.unscale({parameterWithGrad({std::nanf("")})}));
        QCOMPARE(scale.value(), 16.0);
    }

    void gradientsInfiniteAtEveryScaleAreAnError()
    {
        LossScale scale(LossScale::Options{1.0, 2.0, 0.5, 10, 0.25});
        const float inf = std::numeric_limits<float>::infinity();
        QVERIFY(!scale.unscale({parameterWithGrad({inf})}));
        QVERIFY(!scale.unscale({parameterWithGrad({inf})}));
        QCOMPARE(scale.value(), 0.25);
        try
        {
            scale.unscale({parameterWithGrad({inf})});
            QFAIL("expected an error");
        }
        catch (const Error& e)
        {
            QVERIFY2(QString(e.what()).contains("diverged"), e.what());
        }
    }

    void badSettingsAreRefused()
    {
        QVERIFY_THROWS_EXCEPTION(ParameterError, LossScale(LossScale::Options{0.0}));
        QVERIFY_THROWS_EXCEPTION(ParameterError,
                                 LossScale(LossScale::Options{1.0, 2.0, 1.0, 10, 0.5}));
        QVERIFY_THROWS_EXCEPTION(ParameterError,
                                 LossScale(LossScale::Options{1.0, 2.0, 0.5, 0, 0.5}));
        QVERIFY_THROWS_EXCEPTION(ParameterError,
                                 LossScale(LossScale::Options{1.0, 2.0, 0.5, 10, 2.0}));
        LossScale scale;
        QVERIFY_THROWS_EXCEPTION(ParameterError, scale.restore(-1.0, 0));
        QVERIFY_THROWS_EXCEPTION(ParameterError, scale.restore(std::nan(""), 0));
        QVERIFY_THROWS_EXCEPTION(ParameterError, scale.restore(2.0, -1));
        scale.restore(512.0, 7);
        QCOMPARE(scale.value(), 512.0);
        QCOMPARE(scale.cleanSteps(), int64_t(7));
    }
};

QTEST_APPLESS_MAIN(TestLossScale)
#include "test_loss_scale.moc"

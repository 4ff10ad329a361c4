// Every registered algorithm polls the progress/cancel interface: with a cancel requested at
// its first progress report, each run ends in CancelledError instead of a result, and every
// algorithm reports progress at least once. (How fast a cancel lands is a benchmark matter.)

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/registry.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/pipeline/builtin.h>

#include <QtTest>

#include <atomic>
#include <map>
#include <random>

using namespace clusterscope;

namespace
{

class CancelAtFirstReport final : public Progress
{
public:
    void report(double, std::string_view) override { reports_ += 1; }
    bool cancelRequested() const override { return reports_ > 0; }
    int reports() const { return reports_; }

private:
    std::atomic<int> reports_{0};
};

class CountReports final : public Progress
{
public:
    void report(double fraction, std::string_view) override
    {
        reports_ += 1;
        inRange_ = inRange_ && fraction >= -1e-9 && fraction <= 1 + 1e-9;
    }
    bool cancelRequested() const override { return false; }
    int reports() const { return reports_; }
    bool inRange() const { return inRange_; }

private:
    std::atomic<int> reports_{0};
    std::atomic<bool> inRange_{true};
};

at::Tensor blobs()
{
    std::mt19937_64 rng(1);
    std::normal_distribution<float> g(0.0F, 1.0F);
    std::vector<float> v;
    // 16 columns: also 4 x 4 images, for DEPICT.
    for (int64_t i = 0; i < 3000 * 16; ++i)
        v.push_back(g(rng) + static_cast<float>((i / 16) % 4) * 4.0F);
    return matrixFromValues(v, 3000, 16);
}

} // namespace

class TestCancellation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyAlgorithmStopsWhenCancelled_data()
    {
        QTest::addColumn<QString>("id");
        for (const auto& a : builtinRegistry().all())
            QTest::newRow(a.id.c_str()) << QString::fromStdString(a.id);
    }

    void everyAlgorithmStopsWhenCancelled()
    {
        QFETCH(QString, id);
        const auto& algorithm = builtinRegistry().get(id.toStdString());
        const auto x = blobs();
        ParamSet params(algorithm.params);
        // Deep methods at their smallest: this test is about polling, not training.
        const std::map<std::string, ParamValue> small{{"hidden", std::string("128-128")},
                                                      {"pretrain_epochs", int64_t{2}},
                                                      {"epochs", int64_t{2}},
                                                      {"init_epochs", int64_t{1}},
                                                      {"max_iter", int64_t{60}},
                                                      {"kmeans_restarts", int64_t{2}},
                                                      {"cache", false}};
        for (const auto& spec : algorithm.params)
        {
            if (const auto it = small.find(spec.name); it != small.end())
                params.set(spec.name, it->second);
        }

        CountReports counting;
        const auto result =
            algorithm.run(x, params, RunContext{c10::Device(c10::kCPU), 0, &counting});
        QCOMPARE(result.labels.size(), size_t{3000});
        QVERIFY2(counting.reports() > 0, "no progress reported");
        QVERIFY(counting.inRange());

        CancelAtFirstReport cancelling;
        bool cancelled = false;
        try
        {
            algorithm.run(x, params, RunContext{c10::Device(c10::kCPU), 0, &cancelling});
        }
        catch (const CancelledError&)
        {
            cancelled = true;
        }
        QVERIFY2(cancelled, "ran to the end after a cancel");
    }
};

QTEST_APPLESS_MAIN(TestCancellation)
#include "test_cancellation.moc"

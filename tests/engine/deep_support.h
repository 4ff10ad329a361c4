#pragma once
// What the deep trainers' tests share: the digits demo scaled to [0, 1], and a run cancelled
// after a number of training updates, resumed from its checkpoint until it ends.

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/deep/deep.h>
#include <clusterscope/io/loaders.h>

#include <QtTest>

#include <atomic>
#include <initializer_list>
#include <vector>

namespace clusterscope::test
{

inline const Dataset& digits()
{
    static const Dataset d = []
    {
        Dataset data = loadDataset(CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz");
        data.features = matrixFromValues(floatValues(data.features), data.rows(), data.cols());
        auto v = floatValues(data.features);
        for (auto& x : v)
            x /= 16.0F; // digits' pixels are 0..16
        data.features = matrixFromValues(v, data.rows(), data.cols());
        return data;
    }();
    return d;
}

// Asks for a cancel once a number of training updates (pretraining epochs, target updates)
// have passed: counted in training steps, not in progress reports, whose number depends on how
// fast the machine is (reports are throttled in time), so the cancel lands in the same phase on
// an idle and on a loaded machine.
class CancelAfter final : public Progress
{
public:
    explicit CancelAfter(int updates) : left_(updates) {}
    void report(double, std::string_view) override {}
    bool cancelRequested() const override { return left_ <= 0; }
    void updated() { --left_; }

private:
    std::atomic<int> left_;
};

// `options` with its onUpdate counting towards `cancel` (none: unchanged).
template <class Options> Options countingUpdates(Options options, CancelAfter* cancel)
{
    if (cancel)
        options.onUpdate = [cancel](const TrainingHistory&, const std::vector<int64_t>&)
        { cancel->updated(); };
    return options;
}

inline std::vector<float> row(const at::Tensor& t, int64_t r)
{
    const auto v = floatValues(t);
    const auto cols = t.size(1);
    return {v.begin() + r * cols, v.begin() + (r + 1) * cols};
}

// Runs `run` cancelled after each count of training updates in turn, each start resuming the
// checkpoint the last one left, then to the end: it must end exactly as the uninterrupted run.
template <class Run>
void expectResumedAsWhole(Run run, const DeepResult& whole, std::initializer_list<int> cancelAfter)
{
    for (int updates : cancelAfter)
    {
        CancelAfter cancel(updates);
        QVERIFY_THROWS_EXCEPTION(CancelledError, run(&cancel));
    }
    const DeepResult resumed = run(nullptr);
    QVERIFY(resumed.resumed);
    QCOMPARE(resumed.labels, whole.labels);
    QCOMPARE(floatValues(resumed.embedding), floatValues(whole.embedding));
    QCOMPARE(resumed.history.at("loss"), whole.history.at("loss"));
    if (whole.history.count("changed"))
        QCOMPARE(resumed.history.at("changed"), whole.history.at("changed"));
    QCOMPARE(resumed.history.at("pretrain_loss"), whole.history.at("pretrain_loss"));
}

} // namespace clusterscope::test

// Device parity: every registered clusterer whose capabilities say CUDA, run through the
// pipeline on the CPU and on CUDA with the same data and seed, compared with explicit
// tolerances (tests/support/compare_devices.h). Without CUDA the comparisons skip, saying how to
// run the CUDA lane; in that lane (CLUSTERSCOPE_REQUIRE_CUDA=1, set by `ctest --preset cuda`)
// a missing GPU is a failure. The CPU side runs everywhere: the comparator itself, the CPU half
// of every comparison repeated, and k-means' tensor path (CUDA's code) against its kernels.

#include "compare_devices.h"

#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/core/device.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/prepare.h>
#include <clusterscope/pipeline/run.h>

#include <QProcess>
#include <QtTest>

using namespace clusterscope;

namespace
{

constexpr const char* kRequireCuda = "CLUSTERSCOPE_REQUIRE_CUDA";
constexpr uint64_t kSeed = 7;

bool cudaRequired()
{
    return qEnvironmentVariable(kRequireCuda) == QLatin1String("1");
}

// Training budgets small enough for the CPU half: set on every method whose schema has them.
// Parameter names, not method names: a new deep method is covered by its schema.
void shrinkTraining(ParamSet& p, const AlgorithmInfo& method)
{
    const std::vector<std::pair<std::string, ParamValue>> budget = {
        {"hidden", std::string("128-128")},
        {"pretrain_epochs", int64_t{3}},
        {"init_epochs", int64_t{1}},
        {"epochs", int64_t{2}},
        {"max_iter", int64_t{30}},
        {"update_interval", int64_t{10}},
        {"batch_size", int64_t{128}},
        {"kmeans_restarts", int64_t{2}},
        {"cache", false},
    };
    if (!method.caps.trains)
        return;
    for (const auto& [name, value] : budget)
        if (p.values().count(name))
            p.set(name, value);
}

ParamSet paramsFor(const AlgorithmInfo& method, bool mixedPrecision)
{
    ParamSet p(method.params);
    if (!method.caps.clusterCount.empty())
        p.set(method.caps.clusterCount, int64_t{10});
    shrinkTraining(p, method);
    if (mixedPrecision)
        p.set("mixed_precision", true);
    return p;
}

bool hasParam(const AlgorithmInfo& method, const std::string& name)
{
    return std::any_of(method.params.begin(), method.params.end(),
                       [&](const ParamSpec& s) { return s.name == name; });
}

} // namespace

// QSKIP and QFAIL return from the test function, so this is a macro.
#define REQUIRE_CUDA_OR_SKIP()                                                                     \
    do                                                                                             \
    {                                                                                              \
        if (!cudaAvailable())                                                                      \
        {                                                                                          \
            if (cudaRequired())                                                                    \
                QFAIL("CLUSTERSCOPE_REQUIRE_CUDA=1 but no CUDA: this LibTorch has none or no "     \
                      "GPU is visible (configure with --preset cuda -DTorch_DIR=<CUDA "            \
                      "LibTorch>/share/cmake/Torch; check nvidia-smi and CUDA_VISIBLE_DEVICES)");  \
            QSKIP("no CUDA: the CPU-CUDA comparisons run in the CUDA lane "                        \
                  "(cmake --preset cuda -DTorch_DIR=...; ctest --preset cuda; docs/testing.md)");  \
        }                                                                                          \
    } while (false)

class TestDeviceParity : public QObject
{
    Q_OBJECT

    PreparedData data_;

    RunOutcome run(const AlgorithmInfo& method, const ParamSet& params, const std::string& device)
    {
        RunRequest request;
        request.method = &method;
        request.params = params;
        request.settings.device = device;
        request.settings.seed = kSeed;
        return runMethod(data_, request, nullProgress());
    }

    // One row per CUDA-capable clusterer, found by its capabilities, plus one in mixed precision
    // for every method that has the parameter.
    void methodRows(bool withMixedPrecision)
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<bool>("mixedPrecision");
        int rows = 0;
        for (const auto& m : builtinRegistry().all())
        {
            if (!m.caps.cuda)
                continue;
            QTest::newRow(m.id.c_str()) << QString::fromStdString(m.id) << false;
            ++rows;
            if (withMixedPrecision && hasParam(m, "mixed_precision"))
                QTest::newRow((m.id + " mixed precision").c_str())
                    << QString::fromStdString(m.id) << true;
        }
        QVERIFY2(rows > 0, "no registered clusterer says it runs on CUDA");
    }

private Q_SLOTS:
    void initTestCase()
    {
        Dataset d = loadDataset(CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz");
        QCOMPARE(d.cols(), int64_t{64});
        d.imageShape = ImageShape{8, 8, 1}; // for methods that take square images
        RunSettings s;
        s.scaling = "minmax"; // [0, 1]: what every method accepts, DEPICT included
        s.subset = 500;
        s.seed = kSeed;
        data_ = prepareData(d, s, nullProgress());
    }

    // The comparator passes what agrees and names each thing that does not.
    void comparatorAcceptsAgreementAndNamesEachDifference()
    {
        ClusteringResult a;
        a.labels = {0, 0, 1, 1, 2, 2};
        a.stats = {{"inertia", 100.0}, {"iterations", 3}};
        a.soft = at::eye(3).repeat_interleave(2, 0);
        a.confidence = std::vector<float>(6, 1.0f);
        ClusteringResult b = a;
        b.labels = {5, 5, 3, 3, 4, 4}; // renamed clusters: the same partition
        b.stats["iterations"] = 4;     // not an objective: not compared
        b.soft = a.soft.clone();
        b.soft[0][0] = 1.0f - 5e-4f;
        QVERIFY2(parity::compareResults(a, b, parity::float32Tolerances()).ok(),
                 parity::compareResults(a, b, parity::float32Tolerances()).report().c_str());

        ClusteringResult c = a;
        c.labels = {0, 1, 1, 1, 2, 2};
        c.stats["inertia"] = 100.1;
        c.soft = a.soft.clone();
        c.soft[1][0] = 0.9f;
        c.confidence[3] = 0.5f;
        const auto r = parity::compareResults(a, c, parity::float32Tolerances());
        qInfo("%s", r.report().c_str());
        QCOMPARE(r.failures.size(), size_t{4});
        QVERIFY(r.report().find("ARI") != std::string::npos);
        QVERIFY(r.report().find("inertia: 100 vs 100.1") != std::string::npos);
        QVERIFY(r.report().find("soft assignments") != std::string::npos);
        QVERIFY(r.report().find("confidence") != std::string::npos);

        ClusteringResult onlyOne = a;
        onlyOne.stats.erase("inertia");
        onlyOne.soft = at::Tensor();
        QCOMPARE(parity::compareResults(a, onlyOne, parity::float32Tolerances()).failures.size(),
                 size_t{2});
    }

    // k-means' tensor path is what CUDA runs; on the CPU it must match the fused kernels.
    void kmeansTensorPathMatchesTheKernels()
    {
        KMeansOptions o;
        o.k = 10;
        o.seed = kSeed;
        const auto kernels = kmeans(data_.data.features, o);
        o.cpuKernels = false;
        const auto tensor = kmeans(data_.data.features, o);
        ClusteringResult a;
        a.labels = intValues(kernels.labels);
        a.stats["inertia"] = kernels.inertia;
        ClusteringResult b;
        b.labels = intValues(tensor.labels);
        b.stats["inertia"] = tensor.inertia;
        const auto r = parity::compareResults(a, b, parity::float32Tolerances());
        QVERIFY2(r.ok(), r.report().c_str());
        QVERIFY(parity::largestDifference(kernels.centers, tensor.centers) < 1e-4);
    }

    // The CPU half of every comparison gives the same labels twice with the same seed: without
    // that, a parity failure could not be told from noise. (README: same seed, same device,
    // same labels.)
    void cpuRunsRepeat_data() { methodRows(false); }
    void cpuRunsRepeat()
    {
        QFETCH(QString, method);
        const auto& m = builtinRegistry().get(method.toStdString());
        const auto params = paramsFor(m, false);
        const auto first = run(m, params, "cpu");
        const auto second = run(m, params, "cpu");
        QCOMPARE(first.deviceUsed, std::string("cpu"));
        QVERIFY(first.result.labels == second.result.labels);
        const auto r =
            parity::compareResults(first.result, second.result, parity::Tolerances{1, 0, 0, 0});
        QVERIFY2(r.ok(), r.report().c_str());
    }

    // The lane's promise: asked for CUDA and finding none, it fails instead of skipping. The
    // test runs this binary again with the GPU hidden, with and without the variable.
    void missingCudaFailsOnlyWhenRequired()
    {
        auto runChild = [](bool require)
        {
            QProcess child;
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert("CUDA_VISIBLE_DEVICES", "");
            if (require)
                env.insert(kRequireCuda, "1");
            else
                env.remove(kRequireCuda);
            child.setProcessEnvironment(env);
            child.start(QCoreApplication::applicationFilePath(), {"cudaIsPresent"});
            child.waitForFinished(120'000);
            return std::make_pair(child.exitCode(),
                                  QString::fromUtf8(child.readAllStandardOutput()));
        };
        const auto [skipCode, skipText] = runChild(false);
        QCOMPARE(skipCode, 0);
        QVERIFY2(skipText.contains("SKIP") && skipText.contains("ctest --preset cuda"),
                 qPrintable(skipText));
        const auto [failCode, failText] = runChild(true);
        QVERIFY(failCode != 0);
        QVERIFY2(failText.contains("FAIL") && failText.contains(kRequireCuda),
                 qPrintable(failText));
    }

    void cudaIsPresent()
    {
        REQUIRE_CUDA_OR_SKIP();
        QVERIFY(resolveDevice("cuda").is_cuda());
    }

    // CPU against CUDA, same data, same seed: labels by ARI, the objective relative, soft
    // assignments and confidences absolute; float16 forward passes get the looser tolerances.
    void cudaMatchesCpu_data() { methodRows(true); }
    void cudaMatchesCpu()
    {
        QFETCH(QString, method);
        QFETCH(bool, mixedPrecision);
        REQUIRE_CUDA_OR_SKIP();
        const auto& m = builtinRegistry().get(method.toStdString());
        const auto params = paramsFor(m, mixedPrecision);
        const auto cpu = run(m, params, "cpu");
        const auto cuda = run(m, params, "cuda");
        QVERIFY2(cuda.deviceUsed.rfind("cuda", 0) == 0, cuda.deviceUsed.c_str());
        const auto r = parity::compareResults(cpu.result, cuda.result,
                                              mixedPrecision ? parity::mixedPrecisionTolerances()
                                                             : parity::float32Tolerances());
        std::string measured;
        for (const auto& line : r.measured)
            measured += line + "; ";
        qInfo("%s: %s", qPrintable(method), measured.c_str());
        QVERIFY2(r.ok(), r.report().c_str());
    }

    // The same seed on CUDA gives the same labels and objective twice (deterministic cuDNN,
    // k-means' ordered M-step).
    void cudaRunsRepeat_data() { methodRows(false); }
    void cudaRunsRepeat()
    {
        QFETCH(QString, method);
        REQUIRE_CUDA_OR_SKIP();
        const auto& m = builtinRegistry().get(method.toStdString());
        const auto params = paramsFor(m, false);
        const auto first = run(m, params, "cuda");
        const auto second = run(m, params, "cuda");
        QVERIFY(first.result.labels == second.result.labels);
        const auto r =
            parity::compareResults(first.result, second.result, parity::Tolerances{1, 0, 0, 0});
        QVERIFY2(r.ok(), r.report().c_str());
    }
};

QTEST_GUILESS_MAIN(TestDeviceParity)
#include "test_device_parity.moc"

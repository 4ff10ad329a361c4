// The run pipeline: one validation for every method (NaN, infinity, too few rows, the wrong
// kind of input, a magnitude a method cannot train on), preparation for every format (the
// missing-value policy), degenerate results flagged, and the run record.

#include "fixtures.h"

#include <clusterscope/core/dataset.h>
#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/npz_archive.h>
#include <clusterscope/io/output.h>
#include <clusterscope/kernels/distinct_rows.h>
#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/prepare.h>
#include <clusterscope/pipeline/reducer_model.h>
#include <clusterscope/pipeline/run.h>
#include <clusterscope/pipeline/run_record.h>
#include <clusterscope/pipeline/run_settings.h>
#include <clusterscope/pipeline/validate.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>

using namespace clusterscope;

namespace
{

// 12 rows x 2 columns in three tight groups, with named columns.
Dataset blobs()
{
    Dataset d;
    std::vector<float> v;
    for (int g = 0; g < 3; ++g)
        for (int i = 0; i < 4; ++i)
        {
            v.push_back(5.0f * g + 0.1f * i);
            v.push_back(-5.0f * g + 0.05f * i);
        }
    d.features = matrixFromValues(v, 12, 2);
    d.featureNames = {"x", "height"};
    return d;
}

// What the operation accepts: the blobs, or 12 square 2 x 2 images in [0, 1].
Dataset inputFor(const OperationInfo& op)
{
    Dataset d = blobs();
    if (op.caps.input == InputKind::SquareImages)
    {
        d.features = matrixFromValues(std::vector<float>(48, 0.5f), 12, 4);
        d.featureNames = {"p0", "height", "p2", "p3"};
        d.imageShape = ImageShape{2, 2, 1};
    }
    return d;
}

Dataset withValue(Dataset d, int64_t row, int64_t col, float value)
{
    d.features = d.features.clone();
    d.features.data_ptr<float>()[row * d.cols() + col] = value;
    return d;
}

ParamSet paramsWithK(const AlgorithmInfo& a, int64_t k)
{
    ParamSet p(a.params);
    if (!a.caps.clusterCount.empty())
        p.set(a.caps.clusterCount, k);
    return p;
}

} // namespace

namespace
{

std::string writeTo(const QTemporaryDir& dir, const std::string& name, const std::string& bytes)
{
    const auto path = dir.filePath(QString::fromStdString(name)).toStdString();
    writeFileAtomically(path, bytes);
    return path;
}

} // namespace

class TestPipeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reducerModelsAreCheckedOnReading()
    {
        // A model as embed --save-model writes it, then damaged one way at a time: each error
        // names the file and what is wrong.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const auto& umap = builtinRegistry().getReducer("umap");
        std::vector<float> values(20 * 3), coords(20 * 2);
        for (size_t i = 0; i < values.size(); ++i)
            values[i] = static_cast<float>(i % 7);
        ReducerModel model;
        model.arrays["training_data"] = matrixFromValues(values, 20, 3);
        model.arrays["embedding"] = matrixFromValues(coords, 20, 2);
        model.params = ParamSet(umap.params);
        model.seed = 4;
        PreparedData trained;
        trained.data.features = model.arrays["training_data"];
        const auto good = reducerModelFile(umap, model, trained, RunSettings{});
        const auto members = readNpzMembers(writeTo(dir, "good.npz", good));
        const auto json = nlohmann::json::parse(members.at("model.json"));
        const auto saved =
            readReducerModel(dir.filePath("good.npz").toStdString(), builtinRegistry());
        QCOMPARE(saved.reducer, &umap);
        QCOMPARE(saved.model.seed, uint64_t{4});
        QCOMPARE(saved.features, int64_t{3});
        QCOMPARE(saved.model.arrays.size(), size_t{2});

        const auto variant =
            [&](const std::string& name, const nlohmann::json& doc, bool withEmbedding = true)
        {
            std::vector<std::pair<std::string, std::string>> out{{"model.json", doc.dump()}};
            for (const auto& [member, bytes] : members)
                if (member != "model.json" && (withEmbedding || member != "embedding.npy"))
                    out.emplace_back(member, bytes);
            return writeTo(dir, name, npzArchive(out));
        };
        const auto refused = [&](const std::string& path, const QString& why)
        {
            try
            {
                readReducerModel(path, builtinRegistry());
                QFAIL(qPrintable("accepted: " + why));
            }
            catch (const DataError& e)
            {
                QVERIFY2(QString(e.what()).contains(QString::fromStdString(path)) &&
                             QString(e.what()).contains(why),
                         e.what());
            }
        };
        auto doc = json;
        doc["format_version"] = 2;
        refused(variant("future.npz", doc), "format_version 2");
        doc = json;
        doc["method"] = "tsne";
        refused(variant("tsne.npz", doc), "cannot place new rows");
        doc = json;
        doc["params"]["perplexity"] = 30.0;
        refused(variant("param.npz", doc), "'perplexity'");
        doc = json;
        doc["params"]["n_neighbors"] = 1;
        refused(variant("range.npz", doc), "'n_neighbors'");
        refused(variant("missing.npz", json, false), "embedding.npy");
        doc = json;
        doc["arrays"]["embedding"] = {20, 3};
        refused(variant("shape.npz", doc), "not the shape");
        doc = json;
        doc.erase("seed");
        refused(variant("field.npz", doc), "lacks a field");
        refused(writeTo(dir, "nojson.npz", npzArchive({{"x.npy", members.at("embedding.npy")}})),
                "no model.json");
        refused(writeTo(dir, "text.npz", npzArchive({{"model.json", "{not json"}})),
                "not valid JSON");
    }

    // Every clusterer refuses NaN and infinity with the same error naming the row and column.
    void nonFiniteValuesGetOneClearError()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const float inf = std::numeric_limits<float>::infinity();
        for (const auto& a : builtinRegistry().all())
        {
            const auto p = paramsWithK(a, 2);
            CS_EXPECT_ERROR(DataError, validateInput(withValue(inputFor(a), 5, 1, nan), a, p),
                            "row 5", "column 1 ('height')", "missing (NaN)", "--missing drop");
            CS_EXPECT_ERROR(DataError, validateInput(withValue(inputFor(a), 7, 0, -inf), a, p),
                            "row 7", "column 0", "infinite");
        }
    }

    void tooFewRowsIsAParameterError()
    {
        for (const auto& a : builtinRegistry().all())
        {
            Dataset one = inputFor(a);
            one.features = one.features.slice(0, 0, 1).contiguous();
            CS_EXPECT_ERROR(ParameterError, validateInput(one, a, paramsWithK(a, 2)),
                            "at least 2 rows");
            Dataset none = inputFor(a);
            none.features = none.features.slice(0, 0, 0).contiguous();
            CS_EXPECT_ERROR(ParameterError, validateInput(none, a, paramsWithK(a, 2)),
                            "the data have 0");
            if (!a.caps.clusterCount.empty())
                CS_EXPECT_ERROR(ParameterError, validateInput(inputFor(a), a, paramsWithK(a, 13)),
                                "k = 13 clusters need at least 13 rows", "the data have 12");
        }
    }

    // DEPICT needs square images: a table is refused with the reason, before any work.
    void inputKindComesFromTheCapabilities()
    {
        const auto& depict = builtinRegistry().get("depict");
        QCOMPARE(int(depict.caps.input), int(InputKind::SquareImages));
        const auto why = whyNotRunnable(blobs(), depict);
        QVERIFY2(why.find("square single-channel images") != std::string::npos, why.c_str());
        QVERIFY(why.find("a table of 2 columns") != std::string::npos);
        Dataset images = blobs();
        images.features = matrixFromValues(std::vector<float>(48, 0.0f), 12, 4);
        images.imageShape = ImageShape{2, 2, 1};
        QCOMPARE(whyNotRunnable(images, depict), std::string());
        QCOMPARE(whyNotRunnable(blobs(), builtinRegistry().get("kmeans")), std::string());
    }

    // Autoencoders cannot train on large values: the error names the column and the scaling.
    void deepMethodsRefuseUnscaledMagnitudes()
    {
        const auto& idec = builtinRegistry().get("idec");
        CS_EXPECT_ERROR(
            DataError, validateInput(withValue(blobs(), 2, 1, 150.0f), idec, ParamSet(idec.params)),
            "column 1 ('height') reaches 150", "--scaling standardize");
        validateInput(blobs(), idec, paramsWithK(idec, 3)); // within 20: accepted
    }

    // NaN from any format meets the missing-value policy here (the CSV loader applies it as
    // it reads; NPY, NPZ and IDX do not).
    void missingPolicyForEveryFormat()
    {
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const Dataset d = withValue(withValue(blobs(), 1, 0, nan), 6, 1, nan);
        RunSettings s;
        s.missing = "drop";
        const auto dropped = prepareData(d, s, nullProgress());
        QCOMPARE(dropped.data.rows(), int64_t{10});
        QCOMPARE(dropped.droppedRows, int64_t{2});
        QCOMPARE(dropped.sourceRows[1], int64_t{2});
        QCOMPARE(dropped.sourceRows[5], int64_t{7});
        s.missing = "impute-mean";
        const auto imputed = prepareData(d, s, nullProgress());
        QCOMPARE(imputed.imputedValues, int64_t{2});
        const auto v = floatValues(imputed.data.features);
        // Column 0's mean without row 1
        double sum = 0;
        for (int g = 0; g < 3; ++g)
            for (int i = 0; i < 4; ++i)
                sum += 5.0 * g + 0.1 * i;
        QVERIFY(std::abs(v[2] - (sum - 0.1) / 11) < 1e-4);
        s.missing = "error";
        CS_EXPECT_ERROR(DataError,
                        validateInput(prepareData(d, s, nullProgress()).data,
                                      builtinRegistry().get("kmeans"),
                                      paramsWithK(builtinRegistry().get("kmeans"), 3)),
                        "row 1");
    }

    void degenerateResultsAreFlagged()
    {
        const auto& km = builtinRegistry().get("kmeans");
        ClusteringResult r;
        r.labels = std::vector<int64_t>(100, 0);
        r.labels[0] = 1;
        int64_t found = 0;
        const auto w = diagnose(r, km, paramsWithK(km, 10), &found);
        QCOMPARE(found, int64_t{2});
        QCOMPARE(w.size(), size_t{2});
        QVERIFY(w[0].find("2 clusters found of the 10 asked") != std::string::npos);
        QVERIFY(w[1].find("one cluster holds 99% of the rows") != std::string::npos);
        const auto& hdb = builtinRegistry().get("hdbscan");
        r.labels = std::vector<int64_t>(50, -1);
        const auto noise = diagnose(r, hdb, ParamSet(hdb.params));
        QVERIFY(!noise.empty() && noise[0].find("every row is noise") != std::string::npos);
        r.labels = {0, 1, 2, 0, 1, 2};
        QVERIFY(diagnose(r, km, paramsWithK(km, 3)).empty());
    }

    // A parameter that counts rows cannot exceed them: min_samples 100000 on 12 rows would
    // make every row noise, silently. The bound comes from the schema, for every method.
    void rowCountingParametersAreBoundedByTheRows()
    {
        const auto& hdb = builtinRegistry().get("hdbscan");
        ParamSet p(hdb.params);
        p.set("min_samples", int64_t{100000});
        CS_EXPECT_ERROR(ParameterError, validateInput(blobs(), hdb, p), "min_samples = 100000",
                        "12 rows", "--min-samples");
        ParamSet q(hdb.params);
        q.set("min_cluster_size", int64_t{13});
        CS_EXPECT_ERROR(ParameterError, validateInput(blobs(), hdb, q), "min_cluster_size = 13",
                        "12 rows");
        q.set("min_cluster_size", int64_t{12});
        validateInput(blobs(), hdb, q); // the whole data as one cluster: allowed
        int bounded = 0;
        for (const auto& a : builtinRegistry().all())
        {
            for (const auto& spec : a.params)
            {
                if (spec.rowsExcluded < 0)
                    continue;
                ++bounded;
                QVERIFY2(spec.type == ParamType::Int, (a.id + " " + spec.name).c_str());
                ParamSet tooMany = paramsWithK(a, 2);
                // One above the bound (12 rows): past a cluster count's own "k > rows" check.
                tooMany.set(spec.name,
                            static_cast<int64_t>(
                                std::min(spec.max, 13.0 - static_cast<double>(spec.rowsExcluded))));
                // The error says why the bound exists and what to do (spectral's k said only
                // "between 1 and 9").
                QVERIFY2(!spec.rowBoundReason.empty(), (a.id + " " + spec.name).c_str());
                const std::string advice = "lower " + spec.flag();
                CS_EXPECT_ERROR(ParameterError, validateInput(inputFor(a), a, tooMany),
                                spec.name.c_str(), "12 rows", "because",
                                spec.rowBoundReason.c_str(), advice.c_str());
            }
        }
        // hdbscan's two, spectral's k and neighbours, leiden's neighbours, the deep methods' k
        QVERIFY(bounded >= 5);
    }

    // A single cluster where the method sets no count: the advice names the parameter and
    // the way that gives more clusters, from the capabilities (Leiden: raise the resolution;
    // HDBSCAN*: lower the minimum cluster size).
    void singleClusterAdviceGoesTheRightWay()
    {
        ClusteringResult r;
        r.labels = std::vector<int64_t>(40, 0);
        const auto& leiden = builtinRegistry().get("leiden");
        auto w = diagnose(r, leiden, ParamSet(leiden.params));
        QCOMPARE(w.size(), size_t{1});
        QVERIFY2(w[0].find("raise --resolution") != std::string::npos &&
                     w[0].find("lower") == std::string::npos,
                 w[0].c_str());
        const auto& hdb = builtinRegistry().get("hdbscan");
        w = diagnose(r, hdb, ParamSet(hdb.params));
        QVERIFY2(w.size() == 1 && w[0].find("lower --min-cluster-size") != std::string::npos &&
                     w[0].find("resolution") == std::string::npos,
                 w[0].c_str());
        // Every method that sets no count names parameters it has.
        for (const auto& a : builtinRegistry().all())
        {
            if (!a.caps.clusterCount.empty())
                continue;
            QVERIFY2(!a.caps.moreClustersBy.empty(), a.id.c_str());
            for (const auto& steer : a.caps.moreClustersBy)
                QVERIFY2(std::any_of(a.params.begin(), a.params.end(),
                                     [&](const ParamSpec& p) { return p.name == steer.param; }),
                         (a.id + " " + steer.param).c_str());
        }
    }

    // The trial's case: Leiden at resolution 0.01 on 2000 N(0, 1) points finds one cluster;
    // the advice says to raise the resolution, and raising it does give more.
    void leidensAdviceWorks()
    {
        const auto& leiden = builtinRegistry().get("leiden");
        std::mt19937 rng(5);
        std::normal_distribution<float> g(0.0F, 1.0F);
        std::vector<float> v(4000);
        for (auto& value : v)
            value = g(rng);
        Dataset d;
        d.features = matrixFromValues(v, 2000, 2);
        RunRequest request;
        request.method = &leiden;
        request.settings.device = "cpu";
        request.params = ParamSet(leiden.params);
        request.params.set("resolution", 0.01);
        const auto prepared = prepareData(d, request.settings, nullProgress());
        const auto low = runMethod(prepared, request, nullProgress());
        QCOMPARE(low.clustersFound, int64_t{1});
        QVERIFY(low.warnings.size() == 1 &&
                low.warnings[0].find("raise --resolution") != std::string::npos);
        request.params.set("resolution", 1.0);
        QVERIFY(runMethod(prepared, request, nullProgress()).clustersFound > 1);
    }

    // Identical rows and k = 3 for a method that always formed k (spectral): the rows were
    // split arbitrarily. Now no split: one cluster, and the run says why.
    void clustersOfIdenticalRowsAreNotSplit()
    {
        const auto& spectral = builtinRegistry().get("spectral");
        RunRequest request;
        request.method = &spectral;
        request.params = paramsWithK(spectral, 3);
        request.settings.device = "cpu";
        Dataset same;
        same.features = matrixFromValues(std::vector<float>(400, 0.25f), 200, 2);
        const auto prepared = prepareData(same, request.settings, nullProgress());
        const auto outcome = runMethod(prepared, request, nullProgress());
        QCOMPARE(outcome.clustersFound, int64_t{1});
        QCOMPARE(outcome.distinctRows, int64_t{1});
        QVERIFY2(std::any_of(outcome.warnings.begin(), outcome.warnings.end(),
                             [](const std::string& w)
                             {
                                 return w.find("only 1 distinct row, fewer than k = 3") !=
                                            std::string::npos &&
                                        w.find("lower --k to 1") != std::string::npos;
                             }),
                 outcome.warnings.empty() ? "no warning" : outcome.warnings[0].c_str());
        const auto record = runRecord(request, prepared, outcome, {{"a.csv"}, "csv", "", 0.1, {}});
        QVERIFY(record["data"]["distinct_rows"] == 1);
        QVERIFY(record["params"]["k"] == 3); // what the user asked; the warning says what ran
    }

    // Counting distinct rows by hashing: -0 and 0 are one value, and rows differing in one
    // column are two.
    void distinctRowsAreCountedExactly()
    {
        const auto x = matrixFromValues({0.f, 1.f, -0.f, 1.f, 0.f, 1.0000001f, 2.f, 3.f}, 4, 2);
        const auto d = distinctRows(x);
        QCOMPARE(d.count, int64_t{3});
        QCOMPARE(d.group, (std::vector<int64_t>{0, 0, 1, 2}));
    }

    // The row-by-row check says what the column-wise min == max said: a difference in the last
    // value of the last row counts, 0 and -0 are one value, one row is identical to itself.
    void identicalRowsAreTheOnesThatAre()
    {
        std::vector<float> v(300, 1.5f);
        QVERIFY(allRowsIdentical(matrixFromValues(v, 100, 3)));
        QVERIFY(allRowsIdentical(matrixFromValues({2.0f, -1.0f}, 1, 2)));
        v.back() = 1.5000001f;
        QVERIFY(!allRowsIdentical(matrixFromValues(v, 100, 3)));
        std::vector<float> zeros{0.0f, -0.0f, -0.0f, 0.0f};
        QVERIFY(allRowsIdentical(matrixFromValues(zeros, 2, 2)));
        QVERIFY(!allRowsIdentical(matrixFromValues({1.0f, 2.0f, 2.0f, 1.0f}, 2, 2)));
    }

    // Finite values whose spread squares past float32 (1e19 and up): the error names the
    // column and the file's row and says to rescale, and the advice (--scaling) works up to
    // float32's largest values. Before: "the features reach 11493431440142499840.000000 from
    // their mean"; and standardize overflowed to "row 0 ... is infinite" near 1e38.
    void valuesTooFarApartNameTheirColumnAndTheScalingWorks()
    {
        const auto& km = builtinRegistry().get("kmeans");
        RunRequest request;
        request.method = &km;
        request.params = paramsWithK(km, 3);
        request.settings.device = "cpu";
        for (const float scale : {1e19F, 1e30F, 2.5e37F}) // up to -3e38
        {
            Dataset d = withValue(blobs(), 11, 1, -12.0F); // the farthest from its mean
            d.features.select(1, 0).mul_(scale / 10.0F);
            d.features.select(1, 1).mul_(scale);                  // "height"
            d.inputRows = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12}; // row 11 of the file dropped
            d.droppedRows = 1;
            const auto prepared = prepareData(d, request.settings, nullProgress());
            CS_EXPECT_ERROR(DataError, runMethod(prepared, request, nullProgress()), "k-means",
                            "row 12, column 1 ('height')", "from its column's mean",
                            "overflow float32", "--scaling standardize");
            for (const char* scaling : {"standardize", "minmax"})
            {
                auto scaled = request;
                scaled.settings.scaling = scaling;
                const auto outcome = runMethod(prepareData(d, scaled.settings, nullProgress()),
                                               scaled, nullProgress());
                QCOMPARE(outcome.clustersFound, int64_t{3});
            }
        }
    }

    // A run records the device it really used, its seed and settings, and the input's hash.
    void theRecordSaysWhatRan()
    {
        const auto& km = builtinRegistry().get("kmeans");
        RunRequest request;
        request.method = &km;
        request.params = paramsWithK(km, 3);
        request.settings.device = "cpu";
        request.settings.seed = 7;
        const auto prepared = prepareData(blobs(), request.settings, nullProgress());
        const auto outcome = runMethod(prepared, request, nullProgress());
        QCOMPARE(outcome.deviceUsed, std::string("cpu"));
        QCOMPARE(outcome.clustersFound, int64_t{3});
        QVERIFY(outcome.warnings.empty());
        const auto record = runRecord(request, prepared, outcome, {{"a.csv"}, "csv", "", 0.1, {}});
        QVERIFY(record["seed"] == 7);
        QVERIFY(record["device"] == "cpu");
        QVERIFY(record["params"]["k"] == 3);
        QVERIFY(record["settings"]["scaling"] == "none");
        QVERIFY(record["data"]["input_hash"] == prepared.inputHash);
        QVERIFY(record["degenerate"] == false);
        // Everything that can change a trajectory (docs/results.md, "Reproducing a number").
        const auto& environment = record["environment"];
        for (const char* key : {"cpu", "blas", "blas_kernels", "libtorch", "clusterscope"})
            QVERIFY2(environment.contains(key) && !environment[key].get<std::string>().empty(),
                     key);
        QCOMPARE(environment["blas_threads"].get<int>(), currentBlasThreads());
        QCOMPARE(environment["torch_threads"].get<int>(), currentTorchThreads());
        QVERIFY(environment["device"] == "cpu");
        // The counts in force, not the defaults: other counts are recorded as they are.
        applyThreadSettings({2, 1});
        const auto pinned = environmentRecord("cpu");
        applyThreadSettings({});
        QCOMPARE(pinned["torch_threads"].get<int>(), 2);
        QCOMPARE(pinned["blas_threads"].get<int>(), 1);
        // The hash follows the content: one changed value changes it.
        QVERIFY(prepareData(withValue(blobs(), 0, 0, 0.5f), request.settings, nullProgress())
                    .inputHash != prepared.inputHash);
        // The record stays valid JSON whatever bytes a path holds.
        const auto text =
            dumpJson(runRecord(request, prepared, outcome, {{"bad\xff.csv"}, "csv", "", 0, {}}));
        QVERIFY(nlohmann::json::parse(text)["data"]["paths"][0] == "bad\xEF\xBF\xBD.csv");
    }

    // Absent values are left out, as a metric that was not computed is: no PCA, no
    // pca_variance_kept (never a -1 that reads as a fraction); with one, the fraction kept.
    void theRecordLeavesOutWhatDidNotHappen()
    {
        const auto& km = builtinRegistry().get("kmeans");
        RunRequest request;
        request.method = &km;
        request.params = paramsWithK(km, 3);
        request.settings.device = "cpu";
        const auto plain = prepareData(blobs(), request.settings, nullProgress());
        const auto record =
            runRecord(request, plain, runMethod(plain, request, nullProgress()), {});
        QVERIFY2(!record["data"].contains("pca_variance_kept"), record["data"].dump().c_str());
        request.settings.pca = 1;
        const auto reduced = prepareData(blobs(), request.settings, nullProgress());
        const auto withPca =
            runRecord(request, reduced, runMethod(reduced, request, nullProgress()), {});
        const double kept = withPca["data"]["pca_variance_kept"].get<double>();
        QVERIFY2(kept > 0 && kept <= 1, qPrintable(QString::number(kept)));
    }

    // The BLAS is named once: "OpenBLAS 0.3.20 ...", not "OpenBLAS OpenBLAS 0.3.20 ...".
    void theEnvironmentNamesTheBlasOnce()
    {
        const std::string blas = environmentRecord("cpu")["blas"].get<std::string>();
        const auto space = blas.find(' ');
        QVERIFY2(space != std::string::npos, blas.c_str());
        const std::string vendor = blas.substr(0, space);
        QVERIFY2(blas.find(vendor, space) == std::string::npos, blas.c_str());
    }

    // The CLI is given paths as typed, the GUI absolute ones: both record the same canonical
    // absolute path.
    void sourcesRecordCanonicalAbsolutePaths()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath("t.csv");
        QFile f(data);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a,b\n1,2\n");
        f.close();
        QVERIFY(QDir::setCurrent(dir.path()));
        QVERIFY(QDir().mkdir("sub"));
        const std::string canonical = QFileInfo(data).canonicalFilePath().toStdString();
        const Dataset loaded;
        for (const std::string given : {"t.csv", "./sub/../t.csv", canonical.c_str()})
        {
            const auto sources = loadedSources({given}, loaded, {}, 0);
            QCOMPARE(sources.paths.at(0), canonical);
        }
        RunSettings drop;
        drop.missing = "drop";
        QCOMPARE(loadedSources({"t.csv"}, loaded, drop, 0).loadSettings.missing,
                 std::string("drop"));
        QVERIFY(QDir::setCurrent(QDir::tempPath()));
    }

    // Every run setting says when it applies, so the GUI can place it (Dataset or Method
    // panel) and the stages together are the whole schema, as the CLI's flags are.
    void everySettingHasAStage()
    {
        size_t total = 0;
        for (auto stage : {SettingStage::Load, SettingStage::Run, SettingStage::Process})
            total += runSettingsSchema(stage).size();
        QCOMPARE(total, runSettingsSchema().size());
        QVERIFY(settingStage("missing") == SettingStage::Load);
        QVERIFY_THROWS_EXCEPTION(ParameterError, settingStage("no_such_setting"));
    }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "test_pipeline.moc"

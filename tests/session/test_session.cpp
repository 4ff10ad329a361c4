// The session layer without a window: every run keeps its own result whatever order runs end
// in, training updates reach only their run, exports write labels with the run record beside
// them and never over an input, and the GUI's controller reproduces the CLI's run exactly.

#include "clustering_controller.h"
#include "dataset_loader.h"
#include "embedding_controller.h"
#include "export_controller.h"
#include "job_wait.h"
#include "layout_controller.h"
#include "session.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/output.h>
#include <clusterscope/pipeline/builtin.h>

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>

using namespace clusterscope;

namespace
{

const QString kDemo = CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz";
const QString kWine = CLUSTERSCOPE_TEST_DATA "/wine.csv";
const QString kAnnData = CLUSTERSCOPE_SOURCE_DIR "/tests/data/h5ad/csr.h5ad"; // obsm X_umap, X_pca

std::shared_ptr<const Dataset> tinyDataset(int64_t rows)
{
    auto d = std::make_shared<Dataset>();
    std::vector<float> values(static_cast<size_t>(rows * 2));
    for (size_t i = 0; i < values.size(); ++i)
        values[i] = static_cast<float>(i);
    d->features = matrixFromValues(values, rows, 2);
    return d;
}

RunRequest request(const std::string& method, int64_t k, uint64_t seed = 0)
{
    RunRequest r;
    r.method = &builtinRegistry().get(method);
    r.params = ParamSet(r.method->params);
    r.params.set(r.method->caps.clusterCount, k);
    r.settings.seed = seed;
    return r;
}

RunOutcome outcomeWithLabels(std::vector<int64_t> labels, double acc)
{
    RunOutcome o;
    o.result.labels = std::move(labels);
    o.metrics["acc"] = acc;
    return o;
}

nlohmann::json readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A data view with every point at the origin.
DataView flatView(int64_t rows)
{
    DataView view;
    view.xyz.assign(static_cast<size_t>(rows * 3), 0.f);
    return view;
}

bool load(Session& session, JobRunner& runner, const QString& path,
          const RunSettings& settings = {})
{
    DatasetLoader loader(session, runner);
    Job* job = loader.open({path}, {}, settings);
    return waitFor(job) && job->state() == Job::State::Finished && session.dataset();
}

// wine.csv with a NaN in its third data row (a missing value the CLI's --missing handles).
QString wineWithNan(const QTemporaryDir& dir)
{
    const QString path = dir.filePath("wine_nan.csv");
    if (!QFile::exists(path))
    {
        QList<QByteArray> lines = readAll(kWine).split('\n');
        lines[3].replace(0, lines[3].indexOf(','), "nan");
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(lines.join('\n'));
    }
    return path;
}

EmbedRequest embedRequest(const std::string& reducer, uint64_t seed,
                          std::map<std::string, int64_t> integers = {})
{
    EmbedRequest r;
    r.reducer = &builtinRegistry().getReducer(reducer);
    r.params = ParamSet(r.reducer->params);
    for (const auto& [name, value] : integers)
        r.params.set(name, value);
    r.settings.seed = seed;
    return r;
}

} // namespace

class TestSession : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void embeddingsAreKeptSideBySide()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kDemo));
        EmbeddingController controller(session, runner);
        QSignalSpy added(&session, &Session::embeddingAdded);
        Job* pca = controller.start(embedRequest("pca", 0));
        Job* umap = controller.start(embedRequest("umap", 1, {{"n_epochs", 30}}));
        QVERIFY(waitFor(pca) && waitFor(umap));
        QCOMPARE(pca->state(), Job::State::Finished);
        QCOMPARE(umap->state(), Job::State::Finished);
        QTRY_COMPARE(added.count(), 2);
        // The Jobs panel's line says how well the map keeps the neighbourhoods.
        QVERIFY2(umap->summary().startsWith("knn_preserved 0."), qPrintable(umap->summary()));
        QVERIFY(umap->summary().contains("trustworthiness 0."));
        const auto ids = session.embeddingIds();
        QCOMPARE(ids.size(), size_t(2));
        const int64_t n = session.dataset()->rows();
        QStringList names;
        for (int id : ids)
        {
            const EmbeddingEntry* e = session.embedding(id);
            QVERIFY(e);
            names << e->name;
            QCOMPARE(e->dims, int64_t(2));
            QCOMPARE(e->coordinates.size(), size_t(n * 2));
            QCOMPARE(e->viewXyz.size(), size_t(n * 3));
            // A 2-D map is shown as it is: x and y are its coordinates, z is 0.
            QCOMPARE(e->viewXyz[3], e->coordinates[2]);
            QCOMPARE(e->viewXyz[4], e->coordinates[3]);
            QCOMPARE(e->viewXyz[5], 0.0f);
            QVERIFY(e->quality.count("trustworthiness"));
            QCOMPARE(QString::fromStdString(e->record["input"].get<std::string>()),
                     QString("features"));
        }
        names.sort();
        QCOMPARE(names, QStringList({"PCA (n_components 2, svd_solver exact)",
                                     "UMAP (n_neighbors 15, n_components 2, n_epochs 30)"}));
        // The data view stays what the window shows until one is picked.
        QCOMPARE(session.currentEmbeddingId(), 0);
        session.setCurrentEmbedding(ids[1]);
        QCOMPARE(session.currentEmbeddingId(), ids[1]);
        // Another dataset drops them.
        QVERIFY(load(session, runner, kWine));
        QVERIFY(session.embeddingIds().empty());
        QCOMPARE(session.currentEmbeddingId(), 0);
    }

    void gmmRunIsLaidOut()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kDemo));
        ClusteringController clustering(session, runner);
        const auto started = clustering.start(request("gmm", 10, 3));
        QVERIFY(waitFor(started.job));
        QCOMPARE(started.job->state(), Job::State::Finished);
        const int runId = started.runId;
        LayoutController controller(session, runner);
        const LayoutInfo& hchc = builtinRegistry().getLayout("hchc");
        QVERIFY2(controller.refusal(runId, hchc).isEmpty(),
                 qPrintable(controller.refusal(runId, hchc)));
        QCOMPARE(controller.runsItCanLayOut(hchc), std::vector<int>{runId});
        QSignalSpy ready(&controller, &LayoutController::layoutReady);
        QSignalSpy changed(&session, &Session::layoutChanged);
        QVERIFY(waitFor(controller.start(runId, hchc, ParamSet(hchc.params), 5)));
        QCoreApplication::processEvents();
        QCOMPARE(ready.count(), 1);
        QCOMPARE(changed.count(), 1);
        const RunEntry* run = session.run(runId);
        QVERIFY(run->layout);
        const auto& r = run->layout->result;
        const int64_t n = session.dataset()->rows();
        // A cycle through the K = 10 clusters, each once, with one anchor each.
        std::vector<int64_t> cycle = r.cycle;
        std::sort(cycle.begin(), cycle.end());
        std::vector<int64_t> all(10);
        std::iota(all.begin(), all.end(), 0);
        QCOMPARE(cycle, all);
        QCOMPARE(r.anchorAngles.size(), size_t(10));
        QCOMPARE(r.coordinates.size(0), n);
        QCOMPARE(r.coordinates.size(1), int64_t(2));
        QCOMPARE(run->layout->rows.size(), size_t(n));
        int64_t sized = 0;
        for (auto s : run->layout->clusterSizes)
            sized += s;
        QCOMPARE(sized, n);
        // Each row's cluster is its largest membership, counted in the sizes.
        QCOMPARE(run->layout->clusters.size(), size_t(n));
        QCOMPARE(run->layout->clusters, intValues(run->outcome.result.soft.argmax(1)));
        // The same as the registry's entry called directly on the run's soft assignment.
        NullProgress quiet;
        const auto direct = hchc.layout(run->outcome.result.soft, ParamSet(hchc.params),
                                        RunContext{c10::Device(c10::kCPU), 5, &quiet});
        QCOMPARE(direct.cycle, r.cycle);
        QCOMPARE(floatValues(direct.coordinates), floatValues(r.coordinates));
    }

    void runWithoutSoftAssignmentIsRefused()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kDemo));
        ClusteringController clustering(session, runner);
        // Agglomerative clustering gives each row one cluster: its capabilities say no soft
        // assignment.
        QVERIFY(!builtinRegistry().get("agglomerative").caps.softAssignments);
        const auto started = clustering.start(request("agglomerative", 10));
        QVERIFY(waitFor(started.job));
        LayoutController controller(session, runner);
        const LayoutInfo& layout = builtinRegistry().layouts().front();
        const QString why = controller.refusal(started.runId, layout);
        QVERIFY2(why.contains("no soft assignment") && why.contains("Agglomerative") &&
                     why.contains("Gaussian mixture"),
                 qPrintable(why));
        QVERIFY(controller.runsItCanLayOut(layout).empty());
        try
        {
            controller.start(started.runId, layout, ParamSet(layout.params));
            QFAIL("a run without a soft assignment was laid out");
        }
        catch (const ParameterError& e)
        {
            QCOMPARE(QString(e.what()), why);
        }
        QVERIFY(!session.run(started.runId)->layout);
    }

    void cancelledLayoutIsNotKept()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kDemo));
        // A finished run with a large soft assignment (no Held-Karp at K = 40), so that the
        // layout is still running when it is cancelled.
        const int64_t n = 400000, k = 40;
        std::vector<float> q(static_cast<size_t>(n * k));
        uint64_t state = 12345;
        for (int64_t i = 0; i < n; ++i)
        {
            float sum = 0;
            for (int64_t c = 0; c < k; ++c)
            {
                state = state * 6364136223846793005ULL + 1442695040888963407ULL;
                const float v = static_cast<float>((state >> 40) % 1000 + 1);
                q[static_cast<size_t>(i * k + c)] = v;
                sum += v;
            }
            for (int64_t c = 0; c < k; ++c)
                q[static_cast<size_t>(i * k + c)] /= sum;
        }
        const int id = session.addRun(request("gmm", k));
        RunOutcome outcome;
        outcome.result.soft = matrixFromValues(q, n, k);
        outcome.result.labels.assign(static_cast<size_t>(n), 0);
        std::vector<int64_t> rows(static_cast<size_t>(n));
        std::iota(rows.begin(), rows.end(), 0);
        QVERIFY(session.finishRun(id, std::move(outcome), rows, {}, {}, {}));
        LayoutController controller(session, runner);
        const LayoutInfo& layout = builtinRegistry().layouts().front();
        QSignalSpy ready(&controller, &LayoutController::layoutReady);
        Job* job = controller.start(id, layout, ParamSet(layout.params));
        job->cancel();
        QVERIFY(waitFor(job));
        QCOMPARE(job->state(), Job::State::Cancelled);
        QCoreApplication::processEvents();
        QCOMPARE(ready.count(), 0);
        QVERIFY(!session.run(id)->layout);
    }

    void cancelledEmbeddingIsNotKept()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kDemo));
        EmbeddingController controller(session, runner);
        Job* job = controller.start(embedRequest("umap", 0, {{"n_epochs", 100000}}));
        QTRY_VERIFY(job->progress() > 0.0);
        job->cancel();
        QVERIFY(waitFor(job));
        QCOMPARE(job->state(), Job::State::Cancelled);
        QCoreApplication::processEvents();
        QVERIFY(session.embeddingIds().empty());
    }

    void precomputedCoordinatesAreAnEmbedding()
    {
        Session session;
        JobRunner runner;
        RunSettings drop;
        drop.missing = "drop"; // wine_nan.csv's third data row goes: 177 of 178 rows
        QVERIFY(load(session, runner, wineWithNan(dir), drop));
        const auto data = session.dataset();
        QCOMPARE(data->rows(), int64_t{177});
        EmbeddingController embedder(session, runner);
        QSignalSpy ready(&embedder, &EmbeddingController::embeddingReady);

        // A map of the file's 178 rows (x = row + 0.25, y = -2 row): the kept rows are picked.
        auto writeCoords = [this](const QString& name, int rows, const QByteArray& badCell = {})
        {
            const QString path = dir.filePath(name);
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly))
                return QString();
            f.write("x,y\n");
            for (int r = 0; r < rows; ++r)
                f.write(QByteArray::number(r + 0.25) + "," +
                        (r == 5 && !badCell.isEmpty() ? badCell : QByteArray::number(-2 * r)) +
                        "\n");
            return path;
        };
        const int id = embedder.loadCoordinates(writeCoords("umap_coords.csv", 178));
        QCOMPARE(ready.count(), 1);
        const EmbeddingEntry* e = session.embedding(id);
        QVERIFY(e);
        QCOMPARE(e->dims, int64_t{2});
        QCOMPARE(e->columns, (std::vector<std::string>{"x", "y"}));
        QCOMPARE(e->coordinates.size(), size_t{177 * 2});
        for (int64_t r = 0; r < data->rows(); ++r)
        {
            QCOMPARE(e->coordinates[static_cast<size_t>(2 * r)], data->inputRow(r) + 0.25f);
            QCOMPARE(e->coordinates[static_cast<size_t>(2 * r + 1)], -2.0f * data->inputRow(r));
        }
        QCOMPARE(e->viewXyz.size(), size_t{177 * 3});
        QVERIFY2(e->name.contains("umap_coords.csv"), qPrintable(e->name));

        // Clustering it is one step, as for a computed map; its columns keep their names.
        ClusteringController clustering(session, runner);
        const auto started = clustering.start(request("kmeans", 3), id);
        QVERIFY(waitFor(started.job));
        QCOMPARE(started.job->state(), Job::State::Finished);
        const RunEntry* run = session.run(started.runId);
        QCOMPARE(run->record["data"]["features"].get<int64_t>(), int64_t{2});
        QVERIFY(run->record["input"]["embedding_record"].contains("precomputed"));

        // What does not fit is refused, naming the file, the counts and the cell.
        auto refusal = [&](const QString& path)
        {
            try
            {
                embedder.loadCoordinates(path);
            }
            catch (const Error& error)
            {
                return QString::fromStdString(error.what());
            }
            return QString();
        };
        const QString shortFile = refusal(writeCoords("short.csv", 10));
        QVERIFY2(shortFile.contains("short.csv") && shortFile.contains("10 rows") &&
                     shortFile.contains("177 loaded rows") && shortFile.contains("178 in its file"),
                 qPrintable(shortFile));
        const QString infinite = refusal(writeCoords("inf.csv", 178, "inf"));
        QVERIFY2(infinite.contains("inf.csv") && infinite.contains("line 7") &&
                     infinite.contains("'y'"),
                 qPrintable(infinite));
        std::vector<float> nan(177 * 2, 1.0f);
        nan[2 * 9 + 1] = std::nanf("");
        try
        {
            embedder.addPrecomputed(matrixFromValues(nan, 177, 2), {"u", "v"}, "m", "memory");
            QFAIL("a NaN coordinate was accepted");
        }
        catch (const ParameterError& error)
        {
            QVERIFY2(QString(error.what()).contains("row 10, column 'v'"), error.what());
        }
        QCOMPARE(ready.count(), 1);

        // The table's own columns as a map.
        const int columns = embedder.coordinatesFromColumns({"alcohol", "proline"});
        const EmbeddingEntry* c = session.embedding(columns);
        QVERIFY(c);
        const auto features = floatValues(data->features);
        const auto cols = static_cast<size_t>(data->cols());
        QCOMPARE(c->coordinates[0], features[0]);
        QCOMPARE(c->coordinates[1], features[12]);
        QCOMPARE(c->coordinates[2 * 100 + 1], features[100 * cols + 12]);
        QVERIFY_THROWS_EXCEPTION(ParameterError, embedder.coordinatesFromColumns({"nope"}));
    }

    void clusteringAnEmbeddingSaysSo()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kDemo));
        EmbeddingController embedder(session, runner);
        QSignalSpy ready(&embedder, &EmbeddingController::embeddingReady);
        QVERIFY(waitFor(embedder.start(embedRequest("umap", 0, {{"n_epochs", 50}}))));
        QTRY_COMPARE(ready.count(), 1);
        const int embeddingId = ready.at(0).at(0).toInt();
        const EmbeddingEntry* e = session.embedding(embeddingId);
        ClusteringController clustering(session, runner);
        const auto started = clustering.start(request("kmeans", 10, 0), embeddingId);
        QVERIFY(waitFor(started.job));
        QCOMPARE(started.job->state(), Job::State::Finished);
        const RunEntry* run = session.run(started.runId);
        QCOMPARE(run->embeddingId, embeddingId);
        QCOMPARE(run->record["data"]["features"].get<int64_t>(), int64_t(2));
        QCOMPARE(QString::fromStdString(run->record["input"]["embedding"].get<std::string>()),
                 e->name);
        QCOMPARE(run->record["input"]["embedding_record"]["reducer"].get<std::string>(),
                 std::string("umap"));
        QCOMPARE(run->labels.size(), size_t(session.dataset()->rows()));
        // The digits' classes separate well in UMAP: k-means on it finds them.
        QVERIFY2(run->outcome.metrics.at("nmi") > 0.75,
                 qPrintable(QString::number(run->outcome.metrics.at("nmi"))));
    }

    void learnedEmbeddingIsAnInput()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kDemo));
        const int64_t n = session.dataset()->rows();
        EmbeddingController controller(session, runner);
        // A finished run with a learned representation of every row (5 columns), as deep
        // methods leave one.
        std::vector<float> z(static_cast<size_t>(n * 5));
        for (size_t i = 0; i < z.size(); ++i)
            z[i] = static_cast<float>((i * 7919) % 101) / 101.0f;
        RunOutcome outcome = outcomeWithLabels(std::vector<int64_t>(static_cast<size_t>(n), 0), 0);
        outcome.result.embedding = matrixFromValues(z, n, 5);
        const int plain = session.addRun(request("kmeans", 3));
        QVERIFY(session.finishRun(plain, outcomeWithLabels({}, 0), {}, {}, {}, {}));
        const int deep = session.addRun(request("kmeans", 3));
        QVERIFY(session.finishRun(deep, outcome, {}, {}, {}, {}));
        QCOMPARE(controller.runsWithLearnedEmbedding(), std::vector<int>{deep});
        QVERIFY_THROWS_EXCEPTION(ParameterError, controller.start(embedRequest("pca", 0), plain));
        QSignalSpy ready(&controller, &EmbeddingController::embeddingReady);
        QVERIFY(waitFor(controller.start(embedRequest("pca", 0), deep)));
        QTRY_COMPARE(ready.count(), 1);
        const EmbeddingEntry* e = session.embedding(ready.at(0).at(0).toInt());
        QCOMPARE(e->inputRun, deep);
        QCOMPARE(e->record["data"]["features"].get<int64_t>(), int64_t(5));
        QCOMPARE(e->record["input_run"].get<int>(), deep);
        QVERIFY2(e->name.contains("learned embedding"), qPrintable(e->name));
    }

    void cliAndEmbeddingControllerAgree()
    {
        const QString cliOut = dir.filePath("umap_cli.csv");
        QProcess cli;
        cli.start(CLUSTERSCOPE_CLI, {"embed", "--data", kDemo, "--method", "umap", "--seed", "7",
                                     "--n-epochs", "60", "--out", cliOut, "--quiet"});
        QVERIFY(cli.waitForFinished(300000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());

        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kDemo));
        EmbeddingController controller(session, runner);
        QSignalSpy ready(&controller, &EmbeddingController::embeddingReady);
        QVERIFY(waitFor(controller.start(embedRequest("umap", 7, {{"n_epochs", 60}}))));
        QTRY_COMPARE(ready.count(), 1);
        const EmbeddingEntry* e = session.embedding(ready.at(0).at(0).toInt());
        const auto rows = static_cast<int64_t>(e->coordinates.size()) / e->dims;
        const auto coords = matrixFromValues(e->coordinates, rows, e->dims);
        // The same seed gives the same map, to the last digit the CLI writes.
        QCOMPARE(QByteArray::fromStdString(matrixCsv(coords, "x", session.dataset()->inputRows)),
                 readAll(cliOut));
        const auto cliRecord = readJson(dir.filePath("umap_cli.run.json"));
        QCOMPARE(cliRecord["params"], e->record["params"]);
        QCOMPARE(cliRecord["stats"], e->record["stats"]);
        QCOMPARE(cliRecord["quality"], e->record["quality"]);
    }

    void runsKeepTheirOwnResultsInEitherOrder()
    {
        for (bool laterFinishesFirst : {false, true})
        {
            Session session;
            session.setDataset(tinyDataset(4), flatView(4), {});
            const int kmeans = session.addRun(request("kmeans", 2));
            const int gmm = session.addRun(request("gmm", 3));
            QCOMPARE(session.currentRunId(), gmm); // the newest run is shown
            auto finishKmeans = [&] {
                QVERIFY(session.finishRun(kmeans, outcomeWithLabels({0, 0, 1, 1}, 0.5), {}, {}, {},
                                          {}));
            };
            auto finishGmm = [&] {
                QVERIFY(
                    session.finishRun(gmm, outcomeWithLabels({2, 1, 0, 2}, 0.9), {}, {}, {}, {}));
            };
            if (laterFinishesFirst)
            {
                finishGmm();
                finishKmeans();
            }
            else
            {
                finishKmeans();
                finishGmm();
            }
            QCOMPARE(session.run(kmeans)->labels, (std::vector<int64_t>{0, 0, 1, 1}));
            QCOMPARE(session.run(kmeans)->request.method->id, std::string("kmeans"));
            QCOMPARE(session.run(kmeans)->outcome.metrics.at("acc"), 0.5);
            QCOMPARE(session.run(gmm)->labels, (std::vector<int64_t>{2, 1, 0, 2}));
            QCOMPARE(session.run(gmm)->outcome.metrics.at("acc"), 0.9);
            QCOMPARE(session.currentRunId(), gmm); // a run that ends does not steal the view
        }
    }

    void twoRealRunsAtOnceNeverMix()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kDemo));
        ClusteringController controller(session, runner);
        const auto a = controller.start(request("kmeans", 10, 3));
        const auto b = controller.start(request("gmm", 5, 3));
        QVERIFY(waitFor(a.job) && waitFor(b.job));
        const RunEntry* ka = session.run(a.runId);
        const RunEntry* gb = session.run(b.runId);
        QVERIFY(ka->finished() && gb->finished());
        QCOMPARE(ka->record["method"].get<std::string>(), std::string("kmeans"));
        QCOMPARE(gb->record["method"].get<std::string>(), std::string("gmm"));
        QCOMPARE(ka->outcome.clustersFound, int64_t{10});
        QCOMPARE(gb->outcome.clustersFound, int64_t{5});
        QCOMPARE(ka->labels, ka->outcome.result.labels);
        QCOMPARE(gb->labels, gb->outcome.result.labels);
    }

    void trainingUpdatesGoOnlyToTheirRun()
    {
        Session session;
        session.setDataset(tinyDataset(3), flatView(3), {});
        const int dec = session.addRun(request("dec", 2));
        const int other = session.addRun(request("dec", 2));
        QSignalSpy changed(&session, &Session::runChanged);
        TrainingUpdate update;
        update.history["loss"] = {1.0, 0.5};
        update.labels = {1, 0, 1};
        QVERIFY(session.updateTraining(dec, update, {}));
        QCOMPARE(session.run(dec)->labels, (std::vector<int64_t>{1, 0, 1}));
        QCOMPARE(session.run(dec)->history.at("loss").size(), size_t{2});
        QVERIFY(session.run(other)->labels.empty());
        QVERIFY(session.run(other)->history.empty());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toInt(), dec);
        // Labels of a subset land on their loaded rows.
        update.labels = {4, 5};
        QVERIFY(session.updateTraining(other, update, {2, 0}));
        QCOMPARE(session.run(other)->labels, (std::vector<int64_t>{5, -1, 4}));
        // After another dataset is loaded, a late update finds no run and changes nothing.
        session.setDataset(tinyDataset(3), flatView(3), {});
        const int fresh = session.addRun(request("dec", 2));
        QVERIFY(!session.updateTraining(dec, update, {}));
        QVERIFY(session.run(fresh)->labels.empty());
    }

    void preparedViewFollowsTheRunsScaling()
    {
        // One column 10^4 times the others: a PCA of the raw features is a line (its second
        // component's spread is 10^-4 of the first's); the view of the standardized features
        // is not.
        QString csv = "a,b,c,d\n";
        for (int i = 0; i < 60; ++i)
            csv += QString("%1,%2,%3,%4\n")
                       .arg(i % 3)
                       .arg((i * 7) % 5)
                       .arg(10000.0 * ((i * 11) % 13))
                       .arg((i * 5) % 4);
        const QString path = dir.filePath("wide.csv");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(csv.toUtf8());
        f.close();
        // The mean distance from the origin on axis 1 over that on axis 0.
        const auto flatness = [](const std::vector<float>& xyz)
        {
            double spread[2] = {0, 0};
            for (size_t i = 0; i + 2 < xyz.size(); i += 3)
                for (size_t a = 0; a < 2; ++a)
                    spread[a] += std::abs(xyz[i + a]);
            return spread[1] / spread[0];
        };
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, path));
        QVERIFY2(flatness(session.dataXyz()) < 1e-3,
                 qPrintable(QString::number(flatness(session.dataXyz()))));
        QVERIFY2(session.dataView().axes.value(0).startsWith("PC 1 (100.0 %"),
                 qPrintable(session.dataView().axes.value(0)));
        ClusteringController controller(session, runner);
        auto r = request("kmeans", 3);
        const auto raw = controller.start(r);
        r.settings.scaling = "standardize";
        const auto scaled = controller.start(r);
        QVERIFY(waitFor(raw.job) && waitFor(scaled.job));
        QVERIFY(session.run(raw.runId)->viewXyz.empty()); // the data view is its view
        const auto& xyz = session.run(scaled.runId)->viewXyz;
        QCOMPARE(xyz.size(), size_t{60 * 3});
        QVERIFY2(flatness(xyz) > 0.3, qPrintable(QString::number(flatness(xyz))));

        // Opened with the scaling the import step chose, the data view is the standardized
        // run's view, and the raw run gets its own.
        RunSettings standardized;
        standardized.scaling = "standardize";
        QVERIFY(load(session, runner, path, standardized));
        QCOMPARE(session.dataView().scaling, std::string("standardize"));
        QVERIFY2(flatness(session.dataXyz()) > 0.3,
                 qPrintable(QString::number(flatness(session.dataXyz()))));
        const auto onView = controller.start(r);
        r.settings.scaling = "none";
        const auto offView = controller.start(r);
        QVERIFY(waitFor(onView.job) && waitFor(offView.job));
        QVERIFY(session.run(onView.runId)->viewXyz.empty());
        QCOMPARE(session.run(offView.runId)->viewXyz.size(), size_t{60 * 3});

        // Three columns are shown themselves: their titles say how they were scaled.
        QFile narrow(dir.filePath("narrow.csv"));
        QVERIFY(narrow.open(QIODevice::WriteOnly));
        narrow.write("Chins,Situps,Jumps\n5,162,60\n2,110,60\n12,101,101\n12,105,37\n");
        narrow.close();
        QVERIFY(load(session, runner, narrow.fileName(), standardized));
        QCOMPARE(
            session.dataView().axes,
            QStringList({"Chins (standardize)", "Situps (standardize)", "Jumps (standardize)"}));
    }

    void exportWritesLabelsAndTheRecordBeside()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kWine));
        ClusteringController controller(session, runner);
        const auto started = controller.start(request("kmeans", 3, 1));
        ExportController exporter(session);
        // Not before the run has finished.
        QVERIFY_THROWS_EXCEPTION(ParameterError, exporter.exportLabels(dir.filePath("early.csv")));
        QVERIFY(waitFor(started.job));
        const QString labels = dir.filePath("wine_labels.csv");
        const QString record = exporter.exportLabels(labels);
        QCOMPARE(record, dir.filePath("wine_labels.run.json"));
        QVERIFY(readAll(labels).startsWith("id,cluster"));
        const auto json = readJson(record);
        QVERIFY(json.is_object());
        QCOMPARE(json["method"].get<std::string>(), std::string("kmeans"));
        QCOMPARE(json["params"]["k"].get<int64_t>(), int64_t{3});
        QCOMPARE(json["seed"].get<uint64_t>(), uint64_t{1});
        QCOMPARE(json["data"]["paths"][0].get<std::string>(), kWine.toStdString());
    }

    void selectionAndProjectorExports()
    {
        Session session;
        JobRunner runner;
        // wine_nan.csv's third data row is missing: loaded with --missing drop, rows keep the
        // numbers of the file (the loaded row 2 is the file's row 3).
        RunSettings drop;
        drop.missing = "drop";
        QVERIFY(load(session, runner, wineWithNan(dir), drop));
        const auto data = session.dataset();
        QCOMPARE(data->rows(), int64_t{177});
        ExportController exporter(session);
        QVERIFY_THROWS_EXCEPTION(ParameterError, exporter.exportSelection(dir.filePath("s.csv")));
        session.setSelection({0, 2, 7});
        exporter.exportSelection(dir.filePath("s.csv"));
        QCOMPARE(readAll(dir.filePath("s.csv")), QByteArray("row\n0\n3\n8\n"));
        exporter.exportSelection(dir.filePath("s.npy"));
        const auto ids = loadDataset(dir.filePath("s.npy").toStdString());
        QCOMPARE(floatValues(ids.features), (std::vector<float>{0, 3, 8}));
        QVERIFY_THROWS_EXCEPTION(ParameterError, exporter.exportSelection(wineWithNan(dir)));

        // Without a run or an embedding: the features and the ground truth.
        const QString tensors = dir.filePath("wine.tsv");
        const QString metadata = exporter.exportProjector(tensors);
        QCOMPARE(metadata, dir.filePath("wine_metadata.tsv"));
        auto lines = readAll(tensors).split('\n');
        QCOMPARE(lines.size(), 178); // 177 rows and the final newline
        const auto first = lines[0].split('\t');
        QCOMPARE(first.size(), 13);
        QCOMPARE(first[0].toFloat(), floatValues(data->features)[0]); // shortest round trip
        QCOMPARE(first[0], QByteArray("14.23"));
        auto meta = readAll(metadata).split('\n');
        QCOMPARE(meta[0], QByteArray("row\tlabel"));
        QCOMPARE(meta[3],
                 QByteArray("3\t") + QByteArray::fromStdString(data->labelText(data->labels[2])));

        // With a finished run and a map shown: its clusters and the map's coordinates.
        ClusteringController controller(session, runner);
        const auto started = controller.start(request("kmeans", 3, 1));
        QVERIFY(waitFor(started.job));
        std::vector<float> xy;
        for (int64_t r = 0; r < 177; ++r)
        {
            xy.push_back(static_cast<float>(r));
            xy.push_back(0.5F);
        }
        EmbeddingController embedder(session, runner);
        session.setCurrentEmbedding(
            embedder.addPrecomputed(matrixFromValues(xy, 177, 2), {"x", "y"}, "map", "test"));
        exporter.exportProjector(tensors);
        lines = readAll(tensors).split('\n');
        QCOMPARE(lines[5], QByteArray("5\t0.5"));
        meta = readAll(metadata).split('\n');
        QCOMPARE(meta[0], QByteArray("row\tlabel\tcluster"));
        const RunEntry* run = session.run(started.runId);
        for (int r : {0, 100, 176})
            QCOMPARE(meta[r + 1].split('\t')[2].toLongLong(),
                     static_cast<qlonglong>(run->outcome.result.labels[static_cast<size_t>(r)]));
    }

    void exportRefusesToReplaceTheDataset()
    {
        // A copy of wine.csv: a refusal that failed would destroy only the copy.
        const QString copy = dir.filePath("wine_copy.csv");
        QVERIFY(QFile::copy(kWine, copy));
        const QByteArray before = readAll(copy);
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, copy));
        ClusteringController controller(session, runner);
        QVERIFY(waitFor(controller.start(request("kmeans", 3)).job));
        ExportController exporter(session);
        try
        {
            exporter.exportLabels(copy);
            QFAIL("an export over the dataset was accepted");
        }
        catch (const ParameterError& e)
        {
            QVERIFY2(QString(e.what()).contains("wine_copy.csv"), e.what());
        }
        QCOMPARE(readAll(copy), before);
        // Nor its record: labels named so that the record would be the dataset.
        const QString recordClash = dir.filePath("data.run.json");
        QVERIFY(QFile::copy(kWine, recordClash));
        Session other;
        QVERIFY(load(other, runner, recordClash));
        QVERIFY(waitFor(ClusteringController(other, runner).start(request("kmeans", 3)).job));
        QVERIFY_THROWS_EXCEPTION(ParameterError,
                                 ExportController(other).exportLabels(dir.filePath("data.csv")));
        QCOMPARE(readAll(recordClash), before);
    }

    // A table with NaN: the load refuses it as a missing value (so the window can offer the
    // policies), loads it with one, and the runs and their records say which.
    void storedMapsComeWithTheData()
    {
        // An AnnData file's obsm maps (scanpy's X_umap, X_pca) are the dataset's embeddings as
        // it opens, and the view opens on the UMAP, as a scanpy user expects.
        Session session;
        JobRunner runner;
        QSignalSpy current(&session, &Session::currentEmbeddingChanged);
        QVERIFY(load(session, runner, kAnnData));
        std::map<QString, const EmbeddingEntry*> byName;
        for (int id : session.embeddingIds())
            byName[session.embedding(id)->name] = session.embedding(id);
        QCOMPARE(byName.size(), size_t{2});
        const EmbeddingEntry* umap = byName.at("X_umap");
        const EmbeddingEntry* pca = byName.at("X_pca");
        // The fixture's values (tests/reference/h5ad_fixtures.py): X_umap = arange(10) / 4.
        QCOMPARE(umap->dims, int64_t{2});
        QCOMPARE(umap->columns, (std::vector<std::string>{"UMAP1", "UMAP2"}));
        QCOMPARE(umap->coordinates.size(), size_t{10});
        for (size_t i = 0; i < 10; ++i)
            QCOMPARE(umap->coordinates[i], static_cast<float>(i) / 4);
        QCOMPARE(pca->columns, (std::vector<std::string>{"PC1", "PC2", "PC3"}));
        QCOMPARE(pca->coordinates[0], -7.0F);
        QVERIFY(umap->input.contains("csr.h5ad, obsm 'X_umap'"));
        QCOMPARE(session.currentEmbeddingId(), umap->id);
        // The last word the view hears is the UMAP, after the reset to the data view.
        QVERIFY(!current.isEmpty());
        QCOMPARE(current.last().at(0).toInt(), umap->id);
        // One that cannot be a map is named in the dataset's warnings, not dropped unsaid.
        Dataset wide;
        wide.features = matrixFromValues(std::vector<float>(10, 1.0F), 5, 2);
        wide.embeddings.push_back({"X_wide", matrixFromValues(std::vector<float>(5 * 65), 5, 65)});
        std::vector<float> holed(10, 0.5F);
        holed[3] = std::nanf("");
        wide.embeddings.push_back({"X_holed", matrixFromValues(holed, 5, 2)});
        wide.embeddings.push_back({"X_tsne", matrixFromValues(std::vector<float>(5, 2.0F), 5, 1)});
        const auto entries = storedEmbeddings(wide, "w.h5ad");
        QCOMPARE(entries.size(), size_t{1});
        QCOMPARE(entries[0].name, QString("X_tsne"));
        QCOMPARE(wide.warnings.size(), size_t{2});
        QVERIFY2(QString::fromStdString(wide.warnings[0]).contains("w.h5ad, obsm 'X_wide': 65 "),
                 wide.warnings[0].c_str());
        QVERIFY2(QString::fromStdString(wide.warnings[1]).contains("row 2, column 'HOLED2'"),
                 wide.warnings[1].c_str());
        // A table without stored maps opens on the data view.
        QVERIFY(load(session, runner, kWine));
        QVERIFY(session.embeddingIds().empty());
        QCOMPARE(session.currentEmbeddingId(), 0);
    }

    void missingValuesFollowTheLoadPolicy()
    {
        Session session;
        JobRunner runner;
        DatasetLoader loader(session, runner);
        const QString nan = wineWithNan(dir);
        Job* refused = loader.open({nan});
        QVERIFY(waitFor(refused));
        QCOMPARE(refused->state(), Job::State::Failed);
        QVERIFY2(refused->error().contains("wine_nan.csv: line 4"), qPrintable(refused->error()));
        QVERIFY(loader.refusedMissingValues(refused));
        QVERIFY(!session.dataset());
        // A file broken otherwise is no question of policy.
        const QString broken = dir.filePath("broken.csv");
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a,b\n1,2\n3\n");
        f.close();
        Job* bad = loader.open({broken});
        QVERIFY(waitFor(bad));
        QCOMPARE(bad->state(), Job::State::Failed);
        QVERIFY(!loader.refusedMissingValues(bad));

        for (const std::string policy : {"drop", "impute-mean"})
        {
            RunSettings settings;
            settings.missing = policy;
            Job* ok = loader.open({nan}, {}, settings);
            QVERIFY(waitFor(ok));
            QVERIFY2(ok->state() == Job::State::Finished, qPrintable(ok->error()));
            QCOMPARE(session.sources().loadSettings.missing, policy);
            QCOMPARE(session.dataset()->rows(), int64_t{policy == "drop" ? 177 : 178});
            // The Method panel's settings say nothing of the load: the run takes its policy.
            ClusteringController controller(session, runner);
            const auto started = controller.start(request("kmeans", 3));
            QVERIFY(waitFor(started.job));
            const RunEntry* run = session.run(started.runId);
            QVERIFY(run->finished());
            QCOMPARE(run->request.settings.missing, policy);
            QCOMPARE(run->record["settings"]["missing"].get<std::string>(), policy);
            QCOMPARE(run->record["data"]["dropped_rows"].get<int64_t>(),
                     int64_t{policy == "drop" ? 1 : 0});
            QCOMPARE(run->record["data"]["imputed_values"].get<int64_t>(),
                     int64_t{policy == "drop" ? 0 : 1});
        }
    }

    void cliAndControllerAgree_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("seed");
        QTest::addColumn<QString>("data");
        QTest::addColumn<QString>("missing");
        QTest::addColumn<QString>("scaling");
        QTest::addColumn<int>("pca");
        QTest::newRow("kmeans k=10 seed 3") << "kmeans" << 10 << 3 << kDemo << "error"
                                            << "none" << 0;
        QTest::newRow("gmm k=5") << "gmm" << 5 << 0 << kDemo << "error"
                                 << "none" << 0;
        QTest::newRow("kmeans, NaN dropped, standardized, PCA 4")
            << "kmeans" << 3 << 1 << wineWithNan(dir) << "drop"
            << "standardize" << 4;
        QTest::newRow("gmm, NaN imputed") << "gmm" << 3 << 2 << wineWithNan(dir) << "impute-mean"
                                          << "none" << 0;
    }

    void cliAndControllerAgree()
    {
        QFETCH(QString, method);
        QFETCH(int, k);
        QFETCH(int, seed);
        QFETCH(QString, data);
        QFETCH(QString, missing);
        QFETCH(QString, scaling);
        QFETCH(int, pca);
        const QString tag =
            QString::fromLatin1(QTest::currentDataTag()).replace(QRegularExpression("\\W+"), "_");
        const QString cliLabels = dir.filePath(tag + "_cli.csv");
        // The CLI is given the path relative to its working folder, as a person types it; the
        // session an absolute one, as a file dialog gives it.
        QProcess cli;
        cli.setWorkingDirectory(QFileInfo(data).path());
        cli.start(CLUSTERSCOPE_CLI,
                  {"run", "--data", QFileInfo(data).fileName(), "--method", method, "--k",
                   QString::number(k), "--seed", QString::number(seed), "--missing", missing,
                   "--scaling", scaling, "--pca", QString::number(pca), "--out", cliLabels,
                   "--quiet"});
        QVERIFY(cli.waitForFinished(300000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());

        Session session;
        JobRunner runner;
        RunSettings loadSettings;
        loadSettings.missing = missing.toStdString();
        QVERIFY(load(session, runner, data, loadSettings));
        ClusteringController controller(session, runner);
        RunRequest asked = request(method.toStdString(), k, static_cast<uint64_t>(seed));
        asked.settings.scaling = scaling.toStdString();
        asked.settings.pca = pca;
        const auto started = controller.start(asked);
        QVERIFY(waitFor(started.job));
        QCOMPARE(started.job->state(), Job::State::Finished);
        const QString guiLabels = dir.filePath(tag + "_gui.csv");
        const QString guiRecord = ExportController(session).exportLabels(guiLabels);

        QCOMPARE(readAll(guiLabels), readAll(cliLabels));
        const auto a = readJson(dir.filePath(tag + "_cli.run.json"));
        auto b = readJson(guiRecord);
        QVERIFY(a.is_object() && b.is_object());
        // The GUI's record says where the run history keeps it (the CLI says so on stderr).
        QVERIFY(b.contains("run_history") && b["run_history"]["id"].get<int64_t>() > 0);
        b.erase("run_history");
        auto same = [](const nlohmann::json& x, const nlohmann::json& y, const QString& key)
        {
            return x == y ? QString()
                          : QString("%1: CLI %2, GUI %3")
                                .arg(key, QString::fromStdString(x.dump()),
                                     QString::fromStdString(y.dump()));
        };
        // Everything but the timings and the process's BLAS (the CLI restarts itself with
        // OpenBLAS's best kernels and sets its thread count; this test process does neither).
        for (const auto& [key, value] : a.items())
            if (key != "timings" && key != "environment")
            {
                const QString diff = same(value, b[key], QString::fromStdString(key));
                QVERIFY2(diff.isEmpty(), qPrintable(diff));
            }
        QCOMPARE(a.size(), b.size());
        for (const char* key : {"clusterscope", "libtorch", "cpu", "device", "torch_threads"})
        {
            const QString diff = same(a["environment"][key], b["environment"][key], key);
            QVERIFY2(diff.isEmpty(), qPrintable(diff));
        }
        // One canonical absolute path, whatever each was given.
        QCOMPARE(QString::fromStdString(a["data"]["paths"][0].get<std::string>()),
                 QFileInfo(data).canonicalFilePath());
        QCOMPARE(QString::fromStdString(a["settings"]["missing"].get<std::string>()), missing);
        QCOMPARE(a["data"].contains("pca_variance_kept"), pca > 0);
        QVERIFY(!a["data"]["input_hash"].get<std::string>().empty());
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "test_session.moc"

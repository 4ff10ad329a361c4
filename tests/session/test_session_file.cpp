// Session files: a saved session reopens with everything it held (runs with their labels, soft
// assignments, curves, records, names, layouts and explanations; embeddings; the selection and
// view state); a dataset that changed is refused, one that moved is asked for; damaged files
// and later formats are refused with the path named; the autosave writes only changes and
// finds the recovery files of processes that died.

#include "clustering_controller.h"
#include "dataset_loader.h"
#include "embedding_controller.h"
#include "explanation_controller.h"
#include "explanation_json.h"
#include "job_wait.h"
#include "layout_controller.h"
#include "session.h"
#include "session_autosave.h"
#include "session_file.h"
#include "session_files.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/npz_archive.h>
#include <clusterscope/io/output.h>
#include <clusterscope/pipeline/builtin.h>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <random>

using namespace clusterscope;

namespace
{

const QString kWine = CLUSTERSCOPE_TEST_DATA "/wine.csv";

RunRequest request(const std::string& method, int64_t k, uint64_t seed = 0)
{
    RunRequest r;
    r.method = &builtinRegistry().get(method);
    r.params = ParamSet(r.method->params);
    r.params.set(r.method->caps.clusterCount, k);
    r.settings.seed = seed;
    r.settings.scaling = "standardize";
    return r;
}

bool load(Session& session, JobRunner& runner, const QString& path)
{
    DatasetLoader loader(session, runner);
    Job* job = loader.open({path});
    return waitFor(job) && job->state() == Job::State::Finished && session.dataset();
}

// Opens `file` into `session`; the job's error, or "" when it opened.
QString open(Session& session, JobRunner& runner, const QString& file,
             const SessionFiles::Locate& locate = {})
{
    DatasetLoader loader(session, runner);
    SessionFiles files(session, loader);
    QString error;
    Job* job = files.open(file, locate, &error);
    if (!job)
        return error.isEmpty() ? "no job and no error" : error;
    if (!waitFor(job))
        return "timed out";
    return job->state() == Job::State::Finished ? QString() : job->error();
}

QString save(Session& session, JobRunner& runner, const QString& file)
{
    DatasetLoader loader(session, runner);
    SessionFiles files(session, loader);
    QString error;
    return files.save(file, &error) ? QString() : error;
}

bool copyFile(const QString& from, const QString& to)
{
    QFile::remove(to);
    return QFile::copy(from, to);
}

std::vector<float> values(const at::Tensor& t)
{
    return t.defined() ? floatValues(t) : std::vector<float>{};
}

// The session's state as comparable JSON, arrays included.
nlohmann::json describe(const Session& s)
{
    nlohmann::json out = {{"rows", s.dataset() ? s.dataset()->rows() : -1},
                          {"selection", s.selection()},
                          {"current_run", s.currentRunId()},
                          {"current_embedding", s.currentEmbeddingId()},
                          {"view", s.viewState()}};
    for (const int id : s.runIds())
    {
        const RunEntry& r = *s.run(id);
        nlohmann::json names;
        for (const auto& [c, n] : r.clusterNames)
            names[std::to_string(c)] = n.toStdString();
        nlohmann::json run = {{"id", r.id},
                              {"method", r.request.method->id},
                              {"params", paramsJson(r.request.params)},
                              {"settings", paramsJson(toParamSet(r.request.settings))},
                              {"status", static_cast<int>(r.status)},
                              {"labels", r.labels},
                              {"result_labels", r.outcome.result.labels},
                              {"confidence", r.outcome.result.confidence},
                              {"soft", values(r.outcome.result.soft)},
                              {"metrics", r.outcome.metrics},
                              {"stats", r.outcome.result.stats},
                              {"device", r.outcome.deviceUsed},
                              {"history", r.history},
                              {"record", r.record},
                              {"source_rows", r.sourceRows},
                              {"view_xyz", r.viewXyz},
                              {"names", names}};
        if (r.layout)
            run["layout"] = {{"cycle", r.layout->result.cycle},
                             {"angles", r.layout->result.anchorAngles},
                             {"xy", values(r.layout->result.coordinates)},
                             {"scores", values(r.layout->result.outlierScores)},
                             {"outliers", r.layout->result.outliers},
                             {"rows", r.layout->rows},
                             {"clusters", r.layout->clusters},
                             {"name", r.layout->name.toStdString()}};
        if (r.explanation)
            run["explanation"] = {{"result", explanationToJson(r.explanation->result)},
                                  {"rows", r.explanation->rows},
                                  {"covered", r.explanation->covered},
                                  {"explainer", r.explanation->explainer->id}};
        out["runs"].push_back(run);
    }
    for (const int id : s.embeddingIds())
    {
        const EmbeddingEntry& e = *s.embedding(id);
        out["embeddings"].push_back({{"id", e.id},
                                     {"name", e.name.toStdString()},
                                     {"reducer", e.request.reducer ? e.request.reducer->id : ""},
                                     {"params", paramsJson(e.request.params)},
                                     {"coordinates", e.coordinates},
                                     {"view", e.viewXyz},
                                     {"columns", e.columns},
                                     {"quality", e.quality}});
    }
    return out;
}

// Rewrites session.json of the session file `path` with `edit` applied.
void editDocument(const QString& path, const std::function<void(nlohmann::json&)>& edit)
{
    auto members = readNpzMembers(path.toStdString());
    auto document = nlohmann::json::parse(members.at("session.json"));
    edit(document);
    members["session.json"] = document.dump();
    std::vector<std::pair<std::string, std::string>> ordered(members.begin(), members.end());
    writeFileAtomically(path.toStdString(), npzArchive(ordered));
}

} // namespace

class TestSessionFile : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void reopensWithEverything()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kWine));
        ClusteringController clustering(session, runner);
        const auto kmeans = clustering.start(request("kmeans", 3, 1));
        QVERIFY(waitFor(kmeans.job));
        const auto gmm = clustering.start(request("gmm", 3, 2));
        QVERIFY(waitFor(gmm.job));
        QCOMPARE(gmm.job->state(), Job::State::Finished);
        LayoutController layouts(session, runner);
        const LayoutInfo& hchc = builtinRegistry().getLayout("hchc");
        QVERIFY(waitFor(layouts.start(gmm.runId, hchc, ParamSet(hchc.params), 5)));
        ExplanationController explanations(session, runner);
        const ExplainerInfo& imm = builtinRegistry().getExplainer("imm");
        QVERIFY(waitFor(explanations.start(gmm.runId, imm, ParamSet(imm.params), 3)));
        EmbeddingController embedder(session, runner);
        EmbedRequest pca;
        pca.reducer = &builtinRegistry().getReducer("pca");
        pca.params = ParamSet(pca.reducer->params);
        QVERIFY(waitFor(embedder.start(pca)));
        QCoreApplication::processEvents();
        QVERIFY(session.run(gmm.runId)->layout && session.run(gmm.runId)->explanation);
        QCOMPARE(session.embeddingIds().size(), size_t(1));
        session.renameCluster(gmm.runId, 1, "Barolo");
        session.setSelection({4, 8, 15, 16, 23, 42});
        session.setCurrentRun(kmeans.runId);
        session.setViewState({{"camera", {1.5, 2.5, 3.5}}, {"color_by", "true labels"}});

        const QString file = dir.filePath("wine.clusterscope");
        QCOMPARE(save(session, runner, file), QString());
        const auto before = describe(session);
        QCOMPARE(before["runs"].size(), size_t(2));

        Session reopened;
        QSignalSpy added(&reopened, &Session::runAdded);
        QCOMPARE(open(reopened, runner, file), QString());
        QCOMPARE(added.count(), 2);
        const auto after = describe(reopened);
        for (const char* key : {"rows", "selection", "current_run", "current_embedding", "view"})
            QVERIFY2(after[key] == before[key], key);
        for (size_t i = 0; i < 2; ++i)
            for (const auto& [key, value] : before["runs"][i].items())
                QVERIFY2(after["runs"][i][key] == value,
                         qPrintable(QString("run %1: %2").arg(i).arg(key.c_str())));
        QVERIFY(after["runs"][1].contains("layout") && after["runs"][1].contains("explanation"));
        QCOMPARE(after["embeddings"], before["embeddings"]);
        QCOMPARE(reopened.sources().paths, session.sources().paths);
        // New runs continue after the restored ids.
        QCOMPARE(reopened.addRun(request("kmeans", 2)), gmm.runId + 1);

        // The file is a zip that numpy.load opens: session.json and .npy members.
        const auto members = readNpzMembers(file.toStdString());
        QVERIFY(members.count("session.json"));
        const std::string labels = "runs/" + std::to_string(gmm.runId) + "/labels.npy";
        QCOMPARE(npyInt64Vector(members.at(labels), labels), session.run(gmm.runId)->labels);
    }

    // The import step's choices (lines to skip, columns set apart, the policy) are the data's:
    // the session keeps them, and reading the file again for it applies them.
    void tableImportChoicesReopen()
    {
        QFile table(dir.filePath("titled.csv"));
        QVERIFY(table.open(QIODevice::WriteOnly));
        table.write("Field survey, 2024\nx,y,site,notes,class\n1,2,7,a,u\n3,NA,7,b,v\n5,6,8,c,u\n"
                    "7,8,8,d,v\n");
        table.close();
        Session session;
        JobRunner runner;
        RunSettings settings;
        settings.skipLines = 1;
        settings.metadataColumns = "site";
        settings.ignoreColumns = "notes";
        settings.missing = "impute-median";
        settings.scaling = "standardize"; // the data view's, as the import step chose it
        DatasetLoader loader(session, runner);
        Job* job = loader.open({table.fileName()}, "class", settings);
        QVERIFY(waitFor(job) && job->state() == Job::State::Finished);
        QCOMPARE(session.dataset()->featureNames, (std::vector<std::string>{"x", "y"}));
        QCOMPARE(session.dataset()->imputedValues, int64_t(1));
        const QString file = dir.filePath("titled.clusterscope");
        QCOMPARE(save(session, runner, file), QString());

        Session reopened;
        QCOMPARE(open(reopened, runner, file), QString());
        const auto& load = reopened.sources().loadSettings;
        QCOMPARE(load.skipLines, int64_t(1));
        QCOMPARE(load.metadataColumns, std::string("site"));
        QCOMPARE(load.ignoreColumns, std::string("notes"));
        QCOMPARE(load.missing, std::string("impute-median"));
        QCOMPARE(reopened.dataset()->featureNames, session.dataset()->featureNames);
        QCOMPARE(reopened.dataset()->metadata.size(), size_t(1)); // site; notes not read
        QCOMPARE(floatValues(reopened.dataset()->features),
                 floatValues(session.dataset()->features));
        // The data view comes back as it was shown: scaled so.
        QCOMPARE(reopened.dataView().scaling, std::string("standardize"));
        QCOMPARE(reopened.dataXyz(), session.dataXyz());
        QCOMPARE(reopened.dataView().axes, session.dataView().axes);
        QCOMPARE(reopened.dataView().axes.value(0), QString("x (standardize)"));
        // A scaling this version does not know is read as none, with a warning.
        editDocument(file, [](nlohmann::json& d) { d["dataset"]["view_scaling"] = "bogus"; });
        const SessionContents damaged = readSessionFile(file.toStdString());
        QCOMPARE(damaged.viewScaling, std::string("none"));
        QVERIFY(std::any_of(damaged.warnings.begin(), damaged.warnings.end(),
                            [](const std::string& w) { return w.find("'bogus'") != w.npos; }));
    }

    void changedDatasetIsRefused()
    {
        const QString data = dir.filePath("changed.csv");
        QVERIFY(copyFile(kWine, data));
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, data));
        QVERIFY(waitFor(ClusteringController(session, runner).start(request("kmeans", 3)).job));
        const QString file = dir.filePath("changed.clusterscope");
        QCOMPARE(save(session, runner, file), QString());
        // One value changes in the file.
        QFile f(data);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        f.close();
        const int at = text.indexOf('\n') + 1;
        text.insert(at, "1");
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text);
        f.close();
        Session other;
        const QString error = open(other, runner, file);
        QVERIFY2(error.contains("changed.csv") && error.contains("content differs"),
                 qPrintable(error));
        QVERIFY(!other.dataset()); // untouched
        QVERIFY(other.runIds().empty());
    }

    void movedDatasetIsAskedFor()
    {
        const QString data = dir.filePath("moved.csv");
        QVERIFY(copyFile(kWine, data));
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, data));
        QVERIFY(waitFor(ClusteringController(session, runner).start(request("kmeans", 3)).job));
        const QString file = dir.filePath("moved.clusterscope");
        QCOMPARE(save(session, runner, file), QString());
        const QString moved = dir.filePath("elsewhere.csv");
        QFile::remove(moved);
        QVERIFY(QFile::rename(data, moved));

        Session refused;
        const QString error = open(refused, runner, file, [](const QString&) { return QString(); });
        QVERIFY2(error.contains("moved.csv") && error.contains("no longer there"),
                 qPrintable(error));
        QVERIFY(!refused.dataset());

        QStringList asked;
        Session found;
        QCOMPARE(open(found, runner, file,
                      [&](const QString& missing)
                      {
                          asked << missing;
                          return moved;
                      }),
                 QString());
        QCOMPARE(asked.size(), 1);
        QVERIFY(asked[0].endsWith("moved.csv"));
        QCOMPARE(found.runIds().size(), size_t(1));
        QCOMPARE(found.run(found.runIds()[0])->labels, session.run(session.runIds()[0])->labels);
    }

    void badFilesAreRefusedByName()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kWine));
        QVERIFY(waitFor(ClusteringController(session, runner).start(request("gmm", 3)).job));
        const QString good = dir.filePath("good.clusterscope");
        QCOMPARE(save(session, runner, good), QString());
        QFile in(good);
        QVERIFY(in.open(QIODevice::ReadOnly));
        const QByteArray bytes = in.readAll();

        const QString truncated = dir.filePath("truncated.clusterscope");
        writeFileAtomically(truncated.toStdString(), bytes.left(bytes.size() / 2).toStdString());
        Session a;
        QString error = open(a, runner, truncated);
        QVERIFY2(error.contains("truncated.clusterscope"), qPrintable(error));
        QVERIFY(!a.dataset());

        Session b;
        error = open(b, runner, kWine); // not a session file
        QVERIFY2(error.contains("wine.csv"), qPrintable(error));

        const QString later = dir.filePath("later.clusterscope");
        QVERIFY(copyFile(good, later));
        editDocument(later, [](nlohmann::json& d) { d["version"] = 99; });
        Session c;
        error = open(c, runner, later);
        QVERIFY2(error.contains("later.clusterscope") && error.contains("format 99") &&
                     error.contains("up to 1"),
                 qPrintable(error));

        // Labels that do not fit the dataset's rows: refused, never shown.
        const QString wrong = dir.filePath("wrong.clusterscope");
        QVERIFY(copyFile(good, wrong));
        editDocument(wrong, [](nlohmann::json& d) { d["dataset"]["rows"] = 100; });
        Session e;
        error = open(e, runner, wrong);
        QVERIFY2(error.contains("wrong.clusterscope") && error.contains("labels"),
                 qPrintable(error));

        // A method this version lacks: that run is left out, with a warning; the rest opens.
        const QString unknown = dir.filePath("unknown.clusterscope");
        QVERIFY(copyFile(good, unknown));
        editDocument(unknown, [](nlohmann::json& d) { d["runs"][0]["method"] = "future"; });
        const auto contents = readSessionFile(unknown.toStdString());
        QVERIFY(contents.runs.empty());
        QCOMPARE(contents.warnings.size(), size_t(1));
        QVERIFY(QString::fromStdString(contents.warnings[0]).contains("future"));
    }

    // Any field of session.json replaced by a value of another kind or size: the file opens
    // or is refused with a DataError naming it, never a crash or another exception (the
    // sanitizer lanes run this too).
    void damagedFieldsAreRefusedCleanly()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kWine));
        ClusteringController clustering(session, runner);
        const auto gmm = clustering.start(request("gmm", 3, 2));
        QVERIFY(waitFor(gmm.job));
        const LayoutInfo& hchc = builtinRegistry().getLayout("hchc");
        QVERIFY(waitFor(
            LayoutController(session, runner).start(gmm.runId, hchc, ParamSet(hchc.params), 5)));
        const ExplainerInfo& imm = builtinRegistry().getExplainer("imm");
        QVERIFY(waitFor(
            ExplanationController(session, runner).start(gmm.runId, imm, ParamSet(imm.params), 3)));
        QCoreApplication::processEvents();
        session.renameCluster(gmm.runId, 0, "first");
        session.setSelection({1, 2, 3});
        const QString good = dir.filePath("fields.clusterscope");
        QCOMPARE(save(session, runner, good), QString());
        const auto members = readNpzMembers(good.toStdString());
        const auto document = nlohmann::json::parse(members.at("session.json"));
        // Every leaf's JSON pointer, arrays' first few elements included.
        std::vector<nlohmann::json::json_pointer> leaves;
        std::function<void(const nlohmann::json&, const nlohmann::json::json_pointer&)> walk =
            [&](const nlohmann::json& j, const nlohmann::json::json_pointer& at)
        {
            leaves.push_back(at);
            if (j.is_object())
                for (const auto& [k, v] : j.items())
                    walk(v, at / k);
            else if (j.is_array())
                for (size_t i = 0; i < j.size() && i < 3; ++i)
                    walk(j[i], at / i);
        };
        walk(document, nlohmann::json::json_pointer());
        QVERIFY(leaves.size() > 100);
        const std::vector<nlohmann::json> replacements = {nullptr,
                                                          -1,
                                                          0,
                                                          1e300,
                                                          "x",
                                                          "runs/1/labels.npy",
                                                          nlohmann::json::array(),
                                                          nlohmann::json::object(),
                                                          true,
                                                          3};
        std::mt19937 random(7);
        int refused = 0;
        const QString damaged = dir.filePath("damaged.clusterscope");
        for (int trial = 0; trial < 400; ++trial)
        {
            auto edited = document;
            const auto& at = leaves[random() % leaves.size()];
            edited[at] = replacements[random() % replacements.size()];
            auto copy = members;
            copy["session.json"] = edited.dump();
            writeFileAtomically(damaged.toStdString(), npzArchive({copy.begin(), copy.end()}));
            try
            {
                readSessionFile(damaged.toStdString());
            }
            catch (const DataError& e)
            {
                ++refused;
                QVERIFY2(QString(e.what()).contains("damaged.clusterscope"), e.what());
            }
            catch (const std::exception& e)
            {
                QFAIL(qPrintable(QString("%1 = %2: %3")
                                     .arg(QString::fromStdString(at.to_string()),
                                          QString::fromStdString(edited[at].dump()), e.what())));
            }
        }
        QVERIFY(refused > 50); // many edits break it; the rest leave a readable session

        // Pointed edits: a selected row one past the last; a layout cycle naming a cluster
        // beyond its anchors.
        auto refusedWith = [&](std::map<std::string, std::string> edited, const char* what)
        {
            writeFileAtomically(damaged.toStdString(), npzArchive({edited.begin(), edited.end()}));
            try
            {
                readSessionFile(damaged.toStdString());
            }
            catch (const DataError& e)
            {
                return QString(e.what()).contains(what);
            }
            return false;
        };
        auto pastTheEnd = members;
        pastTheEnd["selection.npy"] = integersNpy({1, 178});
        QVERIFY(refusedWith(pastTheEnd, "names row 178 of a dataset of 178 rows"));
        auto outside = members;
        auto doc = document;
        doc["runs"][0]["layout"]["cycle"][0] = 3;
        outside["session.json"] = doc.dump();
        QVERIFY(refusedWith(outside, "outside its 3 anchors"));
    }

    void runningRunReopensInterrupted()
    {
        Session session;
        JobRunner runner;
        QVERIFY(load(session, runner, kWine));
        const int id = session.addRun(request("kmeans", 3));
        TrainingUpdate update;
        update.history["loss"] = {3.0, 2.0, std::nan("")};
        update.labels.assign(static_cast<size_t>(session.dataset()->rows()), 2);
        QVERIFY(session.updateTraining(id, update, {}));
        const int failed = session.addRun(request("kmeans", 3));
        QVERIFY(session.endRun(failed, RunEntry::Status::Failed, "out of memory"));
        const QString file = dir.filePath("running.clusterscope");
        QCOMPARE(save(session, runner, file), QString());
        Session reopened;
        QCOMPARE(open(reopened, runner, file), QString());
        const RunEntry* r = reopened.run(id);
        QVERIFY(r);
        QCOMPARE(r->status, RunEntry::Status::Cancelled);
        QVERIFY(r->error.contains("interrupted"));
        QCOMPARE(r->labels, session.run(id)->labels);
        QCOMPARE(r->history.at("loss").size(), size_t(3));
        QVERIFY(std::isnan(r->history.at("loss")[2]));
        QCOMPARE(reopened.run(failed)->status, RunEntry::Status::Failed);
        QCOMPARE(reopened.run(failed)->error, QString("out of memory"));
    }

    void autosaveWritesChangesAndFindsOrphans()
    {
        const QString folder = dir.filePath("recovery");
        Session session;
        JobRunner runner;
        SessionAutosave autosave(session, folder, 3600 * 1000);
        QVERIFY(!autosave.saveNow()); // no dataset yet
        QVERIFY(load(session, runner, kWine));
        QVERIFY(autosave.saveNow());
        autosave.wait();
        QVERIFY(QFile::exists(autosave.path()));
        QVERIFY(!autosave.saveNow()); // nothing changed
        session.setSelection({1, 2});
        QVERIFY(autosave.saveNow());
        autosave.wait();
        QCOMPARE(readSessionFile(autosave.path().toStdString()).selection,
                 (std::vector<int64_t>{1, 2}));
        // This process runs: its file is no orphan. A dead process's is.
        QVERIFY(SessionAutosave::orphans(folder).isEmpty());
        QProcess shell;
        shell.start("sh", {"-c", "echo $$"});
        QVERIFY(shell.waitForFinished());
        const QString dead = QString("%1/recovery-%2.clusterscope")
                                 .arg(folder, QString(shell.readAllStandardOutput()).trimmed());
        QVERIFY(QFile::copy(autosave.path(), dead));
        QCOMPARE(SessionAutosave::orphans(folder), QStringList{dead});
        autosave.discard();
        QVERIFY(!QFile::exists(autosave.path()));
    }
};

QTEST_GUILESS_MAIN(TestSessionFile)
#include "test_session_file.moc"

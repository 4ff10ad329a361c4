// The run history (app/history): runs are kept with their labels bit for bit, listed newest
// first, filtered (LIKE's wildcards taken literally), deleted; two writers at once lose
// nothing; a file that is not a history, or a later version's, is refused by name and left as
// it was; a record gives back the request that made it; label comparisons count what differs.

#include <clusterscope/core/errors.h>
#include <clusterscope/core/fingerprint.h>
#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/run_record.h>

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <run_history.h>
#include <sqlite3.h>
#include <thread>

using namespace clusterscope;

namespace
{

nlohmann::json recordOf(const std::string& method, const nlohmann::json& params, uint64_t seed)
{
    return {{"method", method},
            {"params", params},
            {"settings", {{"seed", seed}, {"scaling", "standardize"}}},
            {"seed", seed},
            {"device", "cpu"},
            {"clusters_found", 3},
            {"data", {{"input_hash", "00112233aabbccdd"}}},
            {"timings", {{"run_seconds", 0.25}}},
            {"metrics", {{"ari", 0.75}, {"silhouette", nullptr}}}};
}

HistoryRun runOf(const std::string& method, const nlohmann::json& params,
                 const std::string& path = "/data/wine.csv")
{
    return historyRunFrom(recordOf(method, params, 7), {{"paths", {path}}}, "cli", {0, 1, 2, 3},
                          {2, -1, 0, 1}, at::Tensor());
}

std::string fileText(const QString& path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

} // namespace

class TestRunHistory : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void keepsRunsWithTheirLabels()
    {
        const auto path = dir.filePath("a/b/history.sqlite").toStdString(); // folders made
        RunHistory history(path);
        auto run = historyRunFrom(recordOf("gmm", {{"k", 3}}, 12345678901234567890ull),
                                  {{"paths", {"/data/wine.csv"}}}, "gui", {4, 9, 2},
                                  {1, -1, 2147483647}, at::arange(6, at::kFloat).view({3, 2}));
        QCOMPARE(run.rowIds, (std::vector<int64_t>{4, 9, 2})); // not in order: kept
        QCOMPARE(run.dataset, std::string("wine.csv"));
        QCOMPARE(run.clusters, int64_t(3));
        const int64_t id = history.add(run);
        QVERIFY(id > 0);
        const auto back = history.find(id);
        QVERIFY(back);
        QCOMPARE(back->labels, (std::vector<int64_t>{1, -1, 2147483647}));
        QCOMPARE(back->rowIds, (std::vector<int64_t>{4, 9, 2}));
        QCOMPARE(back->seed, 12345678901234567890ull);
        QCOMPARE(back->origin, std::string("gui"));
        QCOMPARE(back->inputHash, std::string("00112233aabbccdd"));
        QCOMPARE(back->softHash, run.softHash);
        QVERIFY(!back->softHash.empty());
        QCOMPARE(back->runSeconds, 0.25);
        QCOMPARE(back->metrics.at("ari"), 0.75);
        QVERIFY(!back->metrics.count("silhouette")); // null: not computed
        QCOMPARE(back->record["params"]["k"].get<int>(), 3);
        QCOMPARE(back->load["paths"][0].get<std::string>(), std::string("/data/wine.csv"));
        QVERIFY(back->createdUtc.size() == 20 && back->createdUtc.back() == 'Z');
        QVERIFY(!history.find(id + 1));
        // Rows 0..N-1 in order are stored as nothing; any other order is kept.
        QVERIFY(runOf("kmeans", {{"k", 3}}).rowIds.empty());
        const auto moved = historyRunFrom(recordOf("kmeans", {}, 0), {}, "cli", {5, 1, 2, 3},
                                          {0, 0, 1, 1}, at::Tensor());
        QCOMPARE(moved.rowIds, (std::vector<int64_t>{5, 1, 2, 3}));
        // The soft hash sees shape, dtype and values; none for no soft assignments.
        const auto t = at::arange(6, at::kFloat);
        QCOMPARE(tensorHash(at::Tensor()), std::string());
        QCOMPARE(tensorHash(t.view({3, 2})), tensorHash(t.clone().view({3, 2})));
        QVERIFY(tensorHash(t.view({3, 2})) != tensorHash(t.view({2, 3})));
        QVERIFY(tensorHash(t) != tensorHash(t.to(at::kDouble)));
        auto bumped = t.clone();
        bumped[5] = 5.0001F;
        QVERIFY(tensorHash(t) != tensorHash(bumped));
        // A label beyond 32 bits is refused, not cut.
        auto huge = runOf("kmeans", {{"k", 3}});
        huge.labels[0] = int64_t(1) << 40;
        QVERIFY_THROWS_EXCEPTION(DataError, history.add(huge));
    }

    void listsFiltersAndDeletes()
    {
        RunHistory history(dir.filePath("list.sqlite").toStdString());
        const int64_t a = history.add(runOf("kmeans", {{"k", 3}}));
        const int64_t b = history.add(runOf("gmm", {{"covariance_type", "full"}}, "/x/cells.h5ad"));
        const int64_t c = history.add(runOf("kmeans", {{"k", 100}}, "/x/50%_off.csv"));
        auto ids = [&](const HistoryFilter& f)
        {
            std::vector<int64_t> out;
            for (const auto& r : history.list(f))
                out.push_back(r.id);
            return out;
        };
        QCOMPARE(ids({}), (std::vector<int64_t>{c, b, a}));         // newest first
        QCOMPARE(ids({"GMM", "", 0}), (std::vector<int64_t>{b}));   // any case
        QCOMPARE(ids({"full", "", 0}), (std::vector<int64_t>{b}));  // a parameter's value
        QCOMPARE(ids({"cells", "", 0}), (std::vector<int64_t>{b})); // the dataset
        QCOMPARE(ids({"50%_", "", 0}), (std::vector<int64_t>{c}));  // wildcards taken literally
        QCOMPARE(ids({"5_%", "", 0}), (std::vector<int64_t>{}));
        QCOMPARE(ids({"", "kmeans", 0}), (std::vector<int64_t>{c, a}));
        QCOMPARE(ids({"", "", 1}), (std::vector<int64_t>{c}));
        QVERIFY(history.list({}).front().labels.empty()); // lists read no labels
        QCOMPARE(history.list({}).front().rows, int64_t(4));
        QCOMPARE(history.list({}).front().clusters, int64_t(3));
        QCOMPARE(history.list({}).front().seed, uint64_t(7));
        QCOMPARE(history.list({}).front().method, std::string("kmeans"));
        // The names lists show match too.
        QCOMPARE(ids({"gaussian", "", 0}), (std::vector<int64_t>{b}));
        QVERIFY(history.remove(b));
        QVERIFY(!history.remove(b));
        QCOMPARE(ids({}), (std::vector<int64_t>{c, a}));
        // Ids are never reused.
        QVERIFY(history.add(runOf("kmeans", {{"k", 3}})) > c);
    }

    void twoWritersAtOnceLoseNothing()
    {
        const auto path = dir.filePath("shared.sqlite").toStdString();
        RunHistory(path).add(runOf("kmeans", {{"k", 3}})); // made before the writers start
        auto write = [&path]
        {
            RunHistory mine(path); // one connection per thread
            for (int i = 0; i < 25; ++i)
                mine.add(runOf("kmeans", {{"k", i + 2}}));
        };
        std::thread first(write);
        std::thread second(write);
        first.join();
        second.join();
        QCOMPARE(RunHistory(path).list().size(), size_t(51));
    }

    void refusesWhatIsNotAHistory()
    {
        const QString notOne = dir.filePath("notes.txt");
        {
            std::ofstream out(notOne.toStdString());
            out << std::string(4096, 'x');
        }
        const auto before = fileText(notOne);
        try
        {
            RunHistory history(notOne.toStdString());
            QFAIL("a text file was opened as a history");
        }
        catch (const DataError& e)
        {
            const std::string what = e.what();
            QVERIFY2(what.find("notes.txt") != std::string::npos &&
                         what.find("CLUSTERSCOPE_HISTORY") != std::string::npos,
                     e.what());
        }
        QCOMPARE(fileText(notOne), before); // left as it was
    }

    void refusesALaterVersion()
    {
        const auto path = dir.filePath("later.sqlite").toStdString();
        RunHistory(path).add(runOf("kmeans", {{"k", 3}}));
        sqlite3* db = nullptr; // what a later version would leave: a newer format number
        QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
        QCOMPARE(sqlite3_exec(db, "PRAGMA user_version=2", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(db);
        try
        {
            RunHistory history(path);
            QFAIL("a later format was opened");
        }
        catch (const DataError& e)
        {
            QVERIFY2(std::string(e.what()).find("later ClusterScope (format 2") !=
                         std::string::npos,
                     e.what());
        }
    }

    void defaultPathFollowsTheEnvironment()
    {
        const QByteArray saved = qgetenv("CLUSTERSCOPE_HISTORY");
        qputenv("CLUSTERSCOPE_HISTORY", "off");
        QCOMPARE(defaultHistoryPath(), std::string());
        qputenv("CLUSTERSCOPE_HISTORY", "/tmp/h.sqlite");
        QCOMPARE(defaultHistoryPath(), std::string("/tmp/h.sqlite"));
        qunsetenv("CLUSTERSCOPE_HISTORY");
        qputenv("XDG_DATA_HOME", "/xdg");
        QCOMPARE(defaultHistoryPath(), std::string("/xdg/clusterscope/history.sqlite"));
        qunsetenv("XDG_DATA_HOME");
        QVERIFY(defaultHistoryPath().ends_with("/.local/share/clusterscope/history.sqlite"));
        qputenv("CLUSTERSCOPE_HISTORY", saved);
    }

    void comparesLabelsRowByRow()
    {
        HistoryRun stored;
        stored.rowIds = {10, 11, 12, 13};
        stored.labels = {0, 0, 1, 1};
        stored.softHash = "abc";
        auto a = compareLabels(stored, {10, 11, 12, 13}, {0, 0, 1, 1}, "abc");
        QVERIFY(a.identical() && a.sameSoft);
        QCOMPARE(describeAgreement(a),
                 std::string("identical labels on all 4 rows (and identical soft assignments)"));
        // The same partition under other ids is not identical labels.
        a = compareLabels(stored, {13, 12, 11, 10}, {0, 0, 1, 1}, "abd");
        QCOMPARE(a.differing, int64_t(4));
        QCOMPARE(a.ari, 1.0);
        QVERIFY(!a.identical() && !a.sameSoft);
        QCOMPARE(describeAgreement(a), std::string("labels differ on 4 of 4 rows (ARI 1.000)"));
        // Rows one run alone clustered are counted apart.
        a = compareLabels(stored, {10, 11, 99}, {0, 0, 1}, "");
        QCOMPARE(a.sharedRows, int64_t(2));
        QCOMPARE(a.onlyOne, int64_t(3)); // 99 here, 12 and 13 there
        QVERIFY(!a.identical());
        QVERIFY(describeAgreement(a).find("3 rows were clustered by one run only") !=
                std::string::npos);
    }

    void aRecordGivesBackItsRequest()
    {
        const auto& kmeans = builtinRegistry().get("kmeans");
        ParamSet params(kmeans.params);
        params.set("k", int64_t(7));
        RunRequest request{&kmeans, params, {}, {}, {}, {}};
        request.settings.seed = 42;
        request.settings.scaling = "minmax";
        const nlohmann::json record = {{"method", "kmeans"},
                                       {"params", paramsJson(params)},
                                       {"settings", paramsJson(toParamSet(request.settings))}};
        const RunRequest back = requestFromRecord(record);
        QCOMPARE(back.method, &kmeans);
        QCOMPARE(back.params.integer("k"), int64_t(7));
        QCOMPARE(back.settings.seed, uint64_t(42));
        QCOMPARE(back.settings.scaling, std::string("minmax"));
        auto refused = [](nlohmann::json r, const char* words)
        {
            try
            {
                requestFromRecord(r);
                return false;
            }
            catch (const ParameterError& e)
            {
                return std::string(e.what()).find(words) != std::string::npos;
            }
        };
        auto bad = record;
        bad["method"] = "kmeanz";
        QVERIFY(refused(bad, "method 'kmeanz'"));
        bad = record;
        bad["params"]["kk"] = 3;
        QVERIFY(refused(bad, "parameter kk"));
        bad = record;
        bad["params"]["k"] = "seven";
        QVERIFY(refused(bad, "parameter k = \"seven\""));
        bad = record;
        bad["settings"]["scaling"] = "maybe";
        QVERIFY(refused(bad, "scaling"));
    }
};

QTEST_GUILESS_MAIN(TestRunHistory)
#include "test_run_history.moc"

// Splitting one cluster: a selection re-clustered alone keeps its rows' labels and nothing
// else, and merging it back relabels exactly those rows, the child's clusters taking the ids
// the split freed; the merged run exports, reopens from a session file, and is scored.

#include "clustering_controller.h"
#include "dataset_loader.h"
#include "export_controller.h"
#include "job_wait.h"
#include "run_comparison.h"
#include "session.h"
#include "session_files.h"
#include "subclustering.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/metrics/metrics.h>
#include <clusterscope/pipeline/builtin.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <set>

using namespace clusterscope;

namespace
{

RunRequest kmeans(int64_t k, uint64_t seed = 0)
{
    RunRequest r;
    r.method = &builtinRegistry().get("kmeans");
    r.params = ParamSet(r.method->params);
    r.params.set("k", k);
    r.params.set("n_init", int64_t{4});
    r.settings.seed = seed;
    r.settings.scaling = "standardize";
    return r;
}

} // namespace

class TestSubclustering : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void mergeRulesByHand()
    {
        const std::vector<int64_t> parent = {0, 0, 1, 1, 2, 2, -1};
        // Cluster 1 is split whole: its id goes to the child's first cluster, then a new one.
        QCOMPARE(mergeSubclusters(parent, {2, 3}, {5, 7}),
                 (std::vector<int64_t>{0, 0, 1, 3, 2, 2, -1}));
        // Rows of two clusters that keep other rows: no id is freed.
        QCOMPARE(mergeSubclusters(parent, {0, 2}, {0, 1}),
                 (std::vector<int64_t>{3, 0, 4, 1, 2, 2, -1}));
        // Noise in the child is noise; a noise row of the parent can join a cluster.
        QCOMPARE(mergeSubclusters(parent, {4, 5, 6}, {-1, 0, 0}),
                 (std::vector<int64_t>{0, 0, 1, 1, -1, 2, 2}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mergeSubclusters(parent, {1}, {0, 1}));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mergeSubclusters(parent, {7}, {0}));
    }

    void oneClusterSplitAndMerged()
    {
        Session session;
        JobRunner runner;
        DatasetLoader loader(session, runner);
        QVERIFY(waitFor(loader.open({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        ClusteringController clustering(session, runner);
        const auto parent = clustering.start(kmeans(3, 1));
        QVERIFY(waitFor(parent.job));
        const std::vector<int64_t> parentLabels = session.run(parent.runId)->labels;
        session.renameCluster(parent.runId, 0, "first");
        session.renameCluster(parent.runId, 1, "second");
        // The rows of cluster 1, split in two.
        std::vector<int64_t> selection;
        for (size_t r = 0; r < parentLabels.size(); ++r)
            if (parentLabels[r] == 1)
                selection.push_back(static_cast<int64_t>(r));
        QVERIFY(selection.size() > 20);
        const auto child = clustering.start(kmeans(2, 2), 0, selection, parent.runId);
        QVERIFY(waitFor(child.job));
        QCOMPARE(child.job->state(), Job::State::Finished);
        const RunEntry& c = *session.run(child.runId);
        QCOMPARE(c.parentRun, parent.runId);
        QCOMPARE(c.sourceRows, selection);
        QCOMPARE(c.record["input"]["rows"].get<size_t>(), selection.size());
        for (size_t r = 0; r < c.labels.size(); ++r)
            QCOMPARE(c.labels[r] >= 0, parentLabels[r] == 1);
        QVERIFY(describeEntry(c).contains(
            QString("on %1 rows of #%2").arg(selection.size()).arg(parent.runId)));
        // The same rows clustered by the pipeline directly: the same labels.
        QVERIFY(
            waitFor(ClusteringController(session, runner).start(kmeans(2, 2), 0, selection).job));
        QCOMPARE(session.run(session.currentRunId())->labels, c.labels);

        // Compared with its parent on the rows both clustered: the selection.
        const auto agreement = compareRuns(session, {parent.runId, child.runId});
        QCOMPARE(agreement.rows[1], int64_t(selection.size()));
        QCOMPARE(agreement.rows[0], int64_t(parentLabels.size()));
        QCOMPARE(contingency(*session.run(parent.runId), c).rows, int64_t(selection.size()));
        QCOMPARE(contingency(c, *session.run(parent.runId)).rows, int64_t(selection.size()));
        QCOMPARE(compareRuns(session, {child.runId, parent.runId}).rows[1],
                 int64_t(selection.size()));
        QCOMPARE(contingency(*session.run(parent.runId), c).first, std::vector<int64_t>{1});

        QVERIFY_THROWS_EXCEPTION(ParameterError, session.mergeIntoParent(parent.runId));
        const int merged = session.mergeIntoParent(child.runId);
        QCOMPARE(session.currentRunId(), merged);
        const RunEntry& m = *session.run(merged);
        QCOMPARE(m.mergedFrom, child.runId);
        QCOMPARE(describeEntry(m),
                 QString("#%1 with #%2 merged in").arg(parent.runId).arg(child.runId));
        std::set<int64_t> inside;
        for (size_t r = 0; r < m.labels.size(); ++r)
            if (parentLabels[r] == 1)
                inside.insert(m.labels[r]);
            else
                QCOMPARE(m.labels[r], parentLabels[r]); // every other row untouched
        QCOMPARE(inside, (std::set<int64_t>{1, 3}));    // the freed id, then a new one
        // The child's two clusters map one-to-one onto the merged ids.
        for (size_t i = 0; i < selection.size(); ++i)
            QCOMPARE(m.labels[static_cast<size_t>(selection[i])] == 1,
                     c.outcome.result.labels[i] == c.outcome.result.labels[0]);
        QCOMPARE(m.outcome.clustersFound, int64_t(4));
        QVERIFY(m.outcome.metrics.count("acc") && m.outcome.metrics.count("nmi"));
        QCOMPARE(m.clusterNames.size(), size_t(1)); // "second" went with its rows
        QCOMPARE(m.clusterNames.at(0), QString("first"));

        // The merged labels export, and the session reopens with the family intact.
        ExportController exporter(session);
        const QString csv = dir.filePath("merged.csv");
        exporter.exportLabels(csv);
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        std::set<QString> clusters;
        QVERIFY(QString(f.readLine()).trimmed().endsWith(",cluster_name")); // a named cluster
        while (!f.atEnd())
        {
            const auto cells = QString(f.readLine()).trimmed().split(',');
            clusters.insert(cells[1]);
            QCOMPARE(cells.last(), cells[1] == "0" ? QString("first") : QString());
        }
        QCOMPARE(clusters.size(), size_t(4));
        // Names that need quoting are quoted (RFC 4180); noise and unnamed clusters stay empty.
        QCOMPARE(withClusterNames("id,cluster\n0,1\n1,-1\n2,0\n", {1, -1, 0},
                                  {{1, "a, \"b\""}, {2, "unused"}}),
                 std::string("id,cluster,cluster_name\n0,1,\"a, \"\"b\"\"\"\n1,-1,\n2,0,\n"));
        // TensorBoard's metadata carries the names too.
        const QString meta = exporter.exportProjector(dir.filePath("merged.tsv"));
        QFile projector(meta);
        QVERIFY(projector.open(QIODevice::ReadOnly));
        const auto header = QString(projector.readLine()).trimmed().split('\t');
        QVERIFY(header.contains("cluster_name"));
        SessionFiles files(session, loader);
        const QString file = dir.filePath("split.clusterscope");
        QVERIFY(files.save(file));
        Session reopened;
        DatasetLoader reloader(reopened, runner);
        SessionFiles reader(reopened, reloader);
        QVERIFY(waitFor(reader.open(file, {})));
        QCOMPARE(describeEntry(*reopened.run(merged)), describeEntry(m));
        QCOMPARE(describeEntry(*reopened.run(child.runId)), describeEntry(c));
        QCOMPARE(reopened.run(merged)->labels, m.labels);
    }

    void newClusterRulesByHand()
    {
        const std::vector<int64_t> labels = {0, 0, 1, 1, 2, -1, -1};
        const std::vector<uint8_t> clustered = {1, 1, 1, 1, 1, 1, 0}; // row 6: not clustered
        int64_t id = -5;
        auto [moved, count] = labelsWithNewCluster(labels, clustered, {1, 4, 5, 6, 9, -1}, &id);
        QCOMPARE(id, int64_t{3}); // after the largest
        QCOMPARE(moved, (std::vector<int64_t>{0, 3, 1, 1, 3, 3, -1}));
        QCOMPARE(count, int64_t{3}); // noise joins; unclustered and out-of-range rows do not
        auto [none, zero] = labelsWithNewCluster({-1, -1}, {1, 1}, {0}, &id);
        QCOMPARE(id, int64_t{0});
        QCOMPARE(none, (std::vector<int64_t>{0, -1}));
        QCOMPARE(zero, int64_t{1});
    }

    void aSelectionNamedAsACluster()
    {
        Session session;
        JobRunner runner;
        DatasetLoader loader(session, runner);
        QVERIFY(waitFor(loader.open({CLUSTERSCOPE_TEST_DATA "/wine.csv"})));
        ClusteringController clustering(session, runner);
        const auto parent = clustering.start(kmeans(3, 1));
        QVERIFY(waitFor(parent.job));
        const RunEntry& p = *session.run(parent.runId);
        const std::vector<int64_t> before = p.labels;
        session.renameCluster(parent.runId, 0, "first");
        session.renameCluster(parent.runId, 2, "third");
        // Every row of cluster 2 and five of cluster 0.
        std::vector<int64_t> selection;
        int fromFirst = 0;
        for (size_t r = 0; r < before.size(); ++r)
            if (before[r] == 2 || (before[r] == 0 && fromFirst++ < 5))
                selection.push_back(static_cast<int64_t>(r));
        QVERIFY_THROWS_EXCEPTION(ParameterError,
                                 session.nameSelectionAsCluster(parent.runId, "none selected"));
        session.setSelection(selection);
        QVERIFY_THROWS_EXCEPTION(ParameterError, session.nameSelectionAsCluster(999, "x"));
        const int edited = session.nameSelectionAsCluster(parent.runId, "  odd ones ");
        QCOMPARE(session.currentRunId(), edited);
        const RunEntry& e = *session.run(edited);
        QCOMPARE(e.editedFrom, parent.runId);
        QCOMPARE(e.parentRun, 0); // not a re-clustered selection: nothing to merge
        QVERIFY_THROWS_EXCEPTION(ParameterError, session.mergeIntoParent(edited));
        QCOMPARE(session.run(parent.runId)->labels, before); // the run edited stays as it was
        const std::set<int64_t> chosen(selection.begin(), selection.end());
        for (size_t r = 0; r < before.size(); ++r)
            QCOMPARE(e.labels[r], chosen.count(static_cast<int64_t>(r)) ? int64_t{3} : before[r]);
        QCOMPARE(e.outcome.clustersFound, int64_t{3}); // 0, 1 and 3: cluster 2 is gone
        QCOMPARE(e.clusterNames.size(), size_t{2});
        QCOMPARE(e.clusterNames.at(0), QString("first"));
        QCOMPARE(e.clusterNames.at(3), QString("odd ones"));
        QCOMPARE(describeEntry(e),
                 QString("#%1 with %2 rows as “odd ones”").arg(parent.runId).arg(selection.size()));
        QCOMPARE(e.record["edited"]["rows_moved"].get<size_t>(), selection.size());
        QCOMPARE(e.record["edited"]["new_cluster"].get<int64_t>(), int64_t{3});
        QCOMPARE(e.record["edited"]["parent"], p.record);
        // Scored again on its own labels.
        std::vector<int64_t> truth;
        for (size_t r = 0; r < before.size(); ++r)
            truth.push_back(session.dataset()->labels[r]);
        QCOMPARE(e.outcome.metrics.at("acc"), accuracy(truth, e.labels));
        QCOMPARE(e.outcome.metrics.at("ari"), adjustedRandIndex(truth, e.labels));
        QVERIFY(e.outcome.metrics.at("ari") != p.outcome.metrics.at("ari"));
        // The clusters kept keep their colours; the new one takes a colour no cluster had.
        const ColorSlots parentSlots = viewColorSlots(session, p);
        const ColorSlots editedSlots = viewColorSlots(session, e);
        QCOMPARE(editedSlots.slot(0), parentSlots.slot(0));
        QCOMPARE(editedSlots.slot(1), parentSlots.slot(1));
        for (const int64_t old : {0, 1, 2})
            QVERIFY(editedSlots.slot(3) != parentSlots.slot(old));
        QVERIFY(editedSlots.count > editedSlots.slot(3));

        // Rows another run did not cluster cannot join it.
        std::vector<int64_t> firstRows;
        for (size_t r = 0; r < before.size(); ++r)
            if (before[r] == 0)
                firstRows.push_back(static_cast<int64_t>(r));
        const auto sub = clustering.start(kmeans(2, 2), 0, firstRows, parent.runId);
        QVERIFY(waitFor(sub.job));
        const auto outside =
            std::find_if(before.begin(), before.end(), [](int64_t l) { return l != 0; });
        session.setSelection({outside - before.begin()}); // a row outside the subset
        QVERIFY_THROWS_EXCEPTION(ParameterError, session.nameSelectionAsCluster(sub.runId, "x"));

        // The edit is kept in a session file.
        SessionFiles files(session, loader);
        const QString file = dir.filePath("edited.clusterscope");
        QVERIFY(files.save(file));
        Session reopened;
        DatasetLoader reloader(reopened, runner);
        SessionFiles reader(reopened, reloader);
        QVERIFY(waitFor(reader.open(file, {})));
        QCOMPARE(reopened.run(edited)->editedFrom, parent.runId);
        QCOMPARE(describeEntry(*reopened.run(edited)), describeEntry(e));
        QCOMPARE(reopened.run(edited)->labels, e.labels);
    }
};

QTEST_GUILESS_MAIN(TestSubclustering)
#include "test_subclustering.moc"

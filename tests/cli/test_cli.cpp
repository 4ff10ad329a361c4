// clusterscope-cli end to end: the real binary, its files and its exit codes.

#include "blobs.h"
#include "fixtures.h"
#ifdef CLUSTERSCOPE_HAVE_FIGURES
#include "figure_checks.h"
#endif

#include <clusterscope/core/device.h>

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <cmath>
#include <csignal>
#include <functional>
#include <sys/resource.h>
#include <unistd.h>

namespace
{

struct Result
{
    int code = -1;
    QString out;
    QString err;
};

// `inChild` runs in the forked child before exec: for limits on the CLI alone.
Result cli(const QStringList& args, const std::function<void()>& inChild = {})
{
    QProcess p;
    if (inChild)
        p.setChildProcessModifier(inChild);
    p.start(CLUSTERSCOPE_CLI, args);
    p.waitForFinished(300000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QJsonObject readJson(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
    {
        return {};
    }
    return QJsonDocument::fromJson(f.readAll()).object();
}

QStringList readLines(const QString& path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
}

QByteArray readBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Everything in a folder, hidden files included: a stray temporary must show.
QStringList entries(const QString& folder)
{
    return QDir(folder).entryList(
        QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

const QString kDemo = CLUSTERSCOPE_SOURCE_DIR "/resources/demo/digits.csv.gz";

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

private Q_SLOTS:
    void infoDescribesTheDemo()
    {
        const auto r = cli({"info", kDemo});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("shape:    1797 x 64"), qPrintable(r.out));
        QVERIFY(r.out.contains("labels:   column 'label', 10 classes"));
        QVERIFY(r.out.contains("format:   csv"));
    }

    void infoSaysWhichLabelColumnWasTaken()
    {
        const auto xy = fixtures::write(dir, "xy.csv", "x,y\n0,1\n1,2\n2,1\n");
        auto r = cli({"info", QString::fromStdString(xy)});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("shape:    3 x 2") && r.out.contains("labels:   none"),
                 qPrintable(r.out));
        const auto iris = fixtures::write(dir, "iris.csv", "a,class\n1,setosa\n2,virginica\n");
        r = cli({"info", QString::fromStdString(iris)});
        QVERIFY2(r.out.contains("labels:   column 'class', 2 classes"), qPrintable(r.out));
        r = cli({"info", QString::fromStdString(iris), "--label-column", "none"});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("labels:   none") && r.out.contains("metadata: class"),
                 qPrintable(r.out));
    }

    void annDataFromInfoAndRun()
    {
        // tests/data/h5ad/csr.h5ad (tests/reference/h5ad_fixtures.py): 5 cells x 4 genes, sparse.
        const QString h5ad = CLUSTERSCOPE_TEST_DATA "/h5ad/csr.h5ad";
        auto r = cli({"info", "--data", h5ad, "--label-column", "cell_type"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("shape:    5 x 4") && r.out.contains("format:   h5ad") &&
                     r.out.contains("CD19, CD3E, NKG7, MS4A1") &&
                     r.out.contains("labels:   obs column 'cell_type', 3 classes") &&
                     r.out.contains("metadata: batch (2 categories)") &&
                     r.out.contains("embedding: X_umap (5 x 2)"),
                 qPrintable(r.out));
        const QString labels = dir.filePath("h5ad-leiden.csv");
        const QString metrics = dir.filePath("h5ad-leiden.json");
        r = cli({"run", "--data", h5ad, "--label-column", "cell_type", "--method", "leiden",
                 "--neighbors", "2", "--out", labels, "--metrics", metrics, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(readLines(labels).size(), 6);      // a header and 5 cells
        QVERIFY(readJson(metrics).contains("nmi")); // scored against cell_type
        // A damaged file is one clear line, not HDF5's error stack.
        r = cli({"info", "--data", CLUSTERSCOPE_TEST_DATA "/h5ad/bad_indptr.h5ad"});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("X/indptr") && r.err.contains("not monotone"), qPrintable(r.err));
        QFile whole(h5ad);
        QVERIFY(whole.open(QIODevice::ReadOnly));
        const auto cut = fixtures::write(dir, "cut.h5ad", whole.readAll().left(3000));
        r = cli({"info", "--data", QString::fromStdString(cut)});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("cut.h5ad") && !r.err.contains("HDF5-DIAG"), qPrintable(r.err));
    }

    void runWritesACopyOfTheH5adWithTheLabels()
    {
        const QString h5ad = CLUSTERSCOPE_TEST_DATA "/h5ad/csr.h5ad";
        QFile input(h5ad);
        QVERIFY(input.open(QIODevice::ReadOnly));
        const QByteArray before = input.readAll();
        const QString result = dir.filePath("result.h5ad");
        auto r = cli({"run", "--data", h5ad, "--label-column", "cell_type", "--method", "gmm",
                      "--k", "2", "--out", result, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        // The input is untouched; the copy reads back with the labels as an obs column, the
        // soft assignments in obsm, the old columns and embeddings kept.
        QVERIFY(input.seek(0));
        QCOMPARE(input.readAll(), before);
        r = cli({"info", "--data", result, "--label-column", "clusterscope_gmm"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("labels:   obs column 'clusterscope_gmm', 2 classes") &&
                     r.out.contains("metadata: cell_type (3 categories)") &&
                     r.out.contains("embedding: X_umap (5 x 2)") &&
                     r.out.contains("embedding: clusterscope_gmm_proba (5 x 2)"),
                 qPrintable(r.out));
        // uns holds the palette and the run record (stored as plain UTF-8 strings).
        QFile copy(result);
        QVERIFY(copy.open(QIODevice::ReadOnly));
        const QByteArray bytes = copy.readAll();
        QVERIFY(bytes.contains("clusterscope_gmm_colors") && bytes.contains("clusterscope_run") &&
                bytes.contains("\"method\": \"gmm\""));
        int okabeIto = 0; // the two clusters' colours: Okabe-Ito's, matched to cell types or not
        for (const char* colour : {"#e69f00", "#56b4e9", "#009e73"})
            okabeIto += bytes.contains(colour) ? 1 : 0;
        QCOMPARE(okabeIto, 2);
        // A CSV input has no AnnData to copy.
        r = cli({"run", "--data", kDemo, "--method", "kmeans", "--k", "3", "--out",
                 dir.filePath("demo.h5ad"), "--quiet"});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("an .h5ad output is a copy of one AnnData"), qPrintable(r.err));
    }

    void droppedRowsReachTheRecordAndTheLabelIds()
    {
        // Before: the record said dropped_rows 0, imputed_values 0 (the loader had done it),
        // and the labels' ids were renumbered 0..N'-1, so they could not be joined to the file.
        const auto data = QString::fromStdString(fixtures::write(
            dir, "n.csv", "a,b,c\n1,2,3\nnan,2,3\n4,NaN,6\n7,8,NA\n1,,3\n2,3,4\n5,6,7\n8,9,1\n"));
        const QString labels = dir.filePath("dropped.csv");
        auto r = cli({"run", "--data", data, "--missing", "drop", "--method", "kmeans", "--k", "2",
                      "--device", "cpu", "--out", labels});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("dropped 4 rows"), qPrintable(r.err));
        auto record = readJson(dir.filePath("dropped.run.json"))["data"].toObject();
        QCOMPARE(record["dropped_rows"].toInt(), 4);
        QCOMPARE(record["loaded_rows"].toInt(), 8);
        QCOMPARE(record["rows"].toInt(), 4);
        QStringList ids;
        for (const auto& line : readLines(labels).mid(1))
            ids << line.section(',', 0, 0);
        QCOMPARE(ids, (QStringList{"0", "5", "6", "7"}));
        r = cli({"info", data, "--missing", "drop"});
        QVERIFY2(r.out.contains("missing:  4 of 8 rows dropped"), qPrintable(r.out));
        r = cli({"run", "--data", data, "--missing", "impute-mean", "--method", "kmeans", "--k",
                 "2", "--device", "cpu", "--out", labels});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        record = readJson(dir.filePath("dropped.run.json"))["data"].toObject();
        QCOMPARE(record["imputed_values"].toInt(), 4);
        QCOMPARE(record["dropped_rows"].toInt(), 0);
        QCOMPARE(readLines(labels).size(), 9);
    }

    void loaderWarningsReachInfoRunAndRecord()
    {
        // Before: class was the labels and target silently a feature.
        const auto data = QString::fromStdString(fixtures::write(
            dir, "t.csv", "x,y,class,target\n1,2,0,1\n2,3,0,1\n3,4,1,0\n4,5,1,0\n"));
        auto r = cli({"info", data});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("features: x, y\n") && r.out.contains("metadata: target"),
                 qPrintable(r.out));
        QVERIFY2(r.err.contains("warning:") && r.err.contains("'target'"), qPrintable(r.err));
        const QString labels = dir.filePath("t.out");
        r = cli({"run", "--data", data, "--method", "kmeans", "--k", "2", "--device", "cpu",
                 "--out", labels, "--quiet"});
        QVERIFY2(r.code == 0 && r.err.contains("'target'"), qPrintable(r.err));
        const auto record = readJson(dir.filePath("t.run.json"))["data"].toObject();
        QCOMPARE(record["features"].toInt(), 2);
        QCOMPARE(record["load_warnings"].toArray().size(), 1);
        // A decimal-comma table: its numbers are features, and info says how it read them.
        const auto euro = QString::fromStdString(fixtures::write(
            dir, "euro.csv", "breite;hoehe;zahl\n2,041;-2,556;15\n0,418;-0,568;54\n"));
        r = cli({"info", euro});
        QVERIFY2(r.out.contains("features: breite, hoehe, zahl"), qPrintable(r.out));
        QVERIFY2(r.err.contains("decimal comma"), qPrintable(r.err));
        // An unrecognised binary file is named for what it is not.
        QByteArray junk(64, '\x01');
        junk[0] = 'x';
        r = cli({"info", QString::fromStdString(fixtures::write(dir, "garbage.npy", junk))});
        QVERIFY2(r.code != 0 && r.err.contains("not a NumPy .npy file"), qPrintable(r.err));
    }

    void rowIdentifiersAreNamedAndLeftOutOfTheFeatures()
    {
        // pandas' to_csv writes its index as an unnamed first column. Before: it was a feature
        // that dominated the distances (ARI near 0 on three obvious groups), with no warning.
        QByteArray csv(",x1,x2,class\n");
        for (int i = 0; i < 90; ++i)
            csv += QByteArray::number(i) + "," + QByteArray::number(10 * (i % 3) + 0.1 * (i % 5)) +
                   "," + QByteArray::number(0.2 * (i % 4)) + "," + QByteArray::number(i % 3) + "\n";
        const auto data = QString::fromStdString(fixtures::write(dir, "indexed.csv", csv));
        auto r = cli({"info", data});
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains("features: x1, x2\n") && r.out.contains("metadata: column 0"),
                 qPrintable(r.out));
        QVERIFY2(r.err.contains("warning:") && r.err.contains("row numbers 0..89") &&
                     r.err.contains("--id-column none"),
                 qPrintable(r.err));
        const QString labels = dir.filePath("indexed.out");
        const QString metrics = dir.filePath("indexed.metrics.json");
        r = cli({"run", "--data", data, "--method", "kmeans", "--k", "3", "--device", "cpu",
                 "--out", labels, "--metrics", metrics, "--quiet"});
        QVERIFY2(r.code == 0 && r.err.contains("row numbers 0..89"), qPrintable(r.err));
        QCOMPARE(readJson(metrics)["ari"].toDouble(), 1.0);
        const auto record = readJson(dir.filePath("indexed.run.json"))["data"].toObject();
        QCOMPARE(record["features"].toInt(), 2);
        QVERIFY(record["load_warnings"].toArray().first().toString().contains("'column 0'"));
        // The explicit choice wins: the index is a feature again, as asked.
        r = cli({"run", "--data", data, "--id-column", "none", "--method", "kmeans", "--k", "3",
                 "--device", "cpu", "--out", labels, "--metrics", metrics, "--quiet"});
        QVERIFY2(r.code == 0 && !r.err.contains("row numbers"), qPrintable(r.err));
        QVERIFY(readJson(metrics)["ari"].toDouble() < 0.5);
        QCOMPARE(readJson(dir.filePath("indexed.run.json"))["data"].toObject()["features"].toInt(),
                 3);
    }

    void runWritesLabelsMetricsAndRecord()
    {
        const QString labels = dir.filePath("labels.csv");
        const QString metrics = dir.filePath("metrics.json");
        const auto r = cli({"run", "--data", kDemo, "--method", "kmeans", "--k", "10", "--n-init",
                            "5", "--seed", "0", "--device", "cpu", "--out", labels, "--metrics",
                            metrics, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto lines = readLines(labels);
        QCOMPARE(lines.size(), 1798);
        QCOMPARE(lines.front(), QString("id,cluster,confidence,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9"));
        QVERIFY(lines[1].startsWith("0,"));
        // The soft assignments sum to 1 and their largest is the confidence.
        const auto cells = lines[1].split(',');
        double sum = 0;
        double largest = 0;
        for (int j = 3; j < cells.size(); ++j)
        {
            sum += cells[j].toDouble();
            largest = std::max(largest, cells[j].toDouble());
        }
        QVERIFY(std::abs(sum - 1) < 1e-3);
        QVERIFY(std::abs(largest - cells[2].toDouble()) < 1e-3);
        const auto m = readJson(metrics);
        for (const char* key :
             {"acc", "nmi", "ari", "ami", "silhouette", "calinski_harabasz", "davies_bouldin"})
        {
            QVERIFY2(m.contains(key), key);
        }
        // k-means on raw digits: scikit-learn reaches ACC ~0.79 and NMI ~0.74.
        QVERIFY(m["acc"].toDouble() > 0.70);
        QVERIFY(m["nmi"].toDouble() > 0.65);
        const auto record = readJson(dir.filePath("labels.run.json"));
        QCOMPARE(record["method"].toString(), QString("kmeans"));
        QCOMPARE(record["seed"].toInt(), 0);
        QCOMPARE(record["params"].toObject()["k"].toInt(), 10);
        QCOMPARE(record["environment"].toObject()["device"].toString(), QString("cpu"));
        QVERIFY(record["environment"].toObject()["libtorch"].toString().startsWith("1."));
    }

    void everyClassicMethodRunsFromTheCli_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<double>("minNmi");
        QTest::newRow("hdbscan") << QStringList{"--method", "hdbscan"} << 0.6;
        QTest::newRow("kmedoids") << QStringList{"--method", "kmedoids", "--k", "10"} << 0.6;
        QTest::newRow("leiden") << QStringList{"--method", "leiden"} << 0.8;
        QTest::newRow("spectral") << QStringList{"--method", "spectral", "--k", "10"} << 0.8;
        QTest::newRow("minibatch")
            << QStringList{"--method", "minibatch_kmeans", "--k", "10"} << 0.6;
        QTest::newRow("gmm") << QStringList{"--method",          "gmm", "--k", "10",
                                            "--covariance-type", "diag"}
                             << 0.5;
        QTest::newRow("ward") << QStringList{"--method", "agglomerative", "--k", "10"} << 0.8;
    }

    void everyClassicMethodRunsFromTheCli()
    {
        QFETCH(QStringList, args);
        QFETCH(double, minNmi);
        const QString labels = dir.filePath("method.csv");
        const QString metrics = dir.filePath("method.json");
        const auto r = cli(QStringList{"run", "--data", kDemo, "--seed", "1", "--out", labels,
                                       "--metrics", metrics, "--quiet"} +
                           args);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(readLines(labels).size(), 1798);
        const auto m = readJson(metrics);
        QVERIFY2(m["nmi"].toDouble() > minNmi, qPrintable(QString::number(m["nmi"].toDouble())));
    }

    void hdbscanNoiseAndMembershipReachTheLabels()
    {
        const QString labels = dir.filePath("hdbscan.csv");
        const auto r = cli({"run", "--data", kDemo, "--method", "hdbscan", "--min-cluster-size",
                            "10", "--out", labels, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto lines = readLines(labels);
        QVERIFY(lines.front().startsWith("id,cluster,confidence,p0,p1"));
        int noise = 0;
        for (int i = 1; i < lines.size(); ++i)
        {
            const auto cells = lines[i].split(',');
            double sum = 0;
            for (int j = 3; j < cells.size(); ++j)
                sum += cells[j].toDouble();
            QVERIFY(sum <= 1.001); // less than 1 where the point may be noise
            if (cells[1] == "-1")
            {
                ++noise;
                QCOMPARE(cells[2].toDouble(), 0.0); // noise has no membership strength
            }
        }
        QVERIFY(noise > 0);
    }

    void chooseKWritesCurves()
    {
        // Four well-separated blobs (centres 10 apart, sd 0.5): every criterion, and so the
        // suggestion, must find 4 inside the swept 2..6.
        const QString blobs = dir.filePath("blobs4.csv");
        QVERIFY(fixtures::writeBlobsCsv(blobs, 4, 60, 4));
        const QString out = dir.filePath("curves.json");
        const auto r = cli({"choose-k", "--data", blobs, "--k-min", "2", "--k-max", "6",
                            "--gap-references", "3", "--out", out, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("suggested k = 4"));
        const auto j = readJson(out);
        QCOMPARE(j["ks"].toArray().size(), 5);
        for (const char* key : {"silhouette", "calinski_harabasz", "davies_bouldin", "bic", "aic",
                                "gap", "gap_sd", "inertia"})
            QCOMPARE(j["curves"].toObject()[key].toArray().size(), 5);
        for (const char* key :
             {"silhouette", "calinski_harabasz", "davies_bouldin", "bic", "aic", "gap"})
            QVERIFY2(j["preferred"].toObject()[key].toInt() == 4, key);
        QCOMPARE(j["suggested"].toInt(), 4);
        QCOMPARE(j["load_warnings"].toArray().size(), 0);
        // What the loader decided is in the JSON too, not only on stderr.
        QString text = "x,y,w\n";
        for (int i = 0; i < 40; ++i)
            text += QString("%1,%2,%3kg\n").arg(i % 4 * 10 + i % 3).arg(i % 5).arg(i);
        const auto units = QString::fromStdString(fixtures::write(dir, "units.csv", text.toUtf8()));
        QVERIFY(
            cli({"choose-k", "--data", units, "--k-max", "4", "--no-gap", "--out", out, "--quiet"})
                .code == 0);
        QVERIFY(readJson(out)["load_warnings"].toArray().first().toString().contains(
            "column 'w' is read as text"));
    }

    // A new-user trial: spectral on 10 rows with --k 10 said "k must be between 1 and 9" and
    // no reason. The bound's reason and the fix are in the message.
    void rowBoundedParametersSayWhy()
    {
        QString text = "a,b\n";
        for (int i = 0; i < 10; ++i)
            text += QString("%1,%2\n").arg(i).arg(i * i % 7);
        const auto data = QString::fromStdString(fixtures::write(dir, "ten.csv", text.toUtf8()));
        const auto r = cli({"run", "--data", data, "--method", "spectral", "--k", "10", "--quiet"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("eigen-solver") && r.err.contains("lower --k to 9"),
                 qPrintable(r.err));
    }

    // k above the distinct rows: 3 points, 4 copies each, --k 5. Spectral mixed distinct points,
    // k-medoids and agglomerative split identical ones, silently. Now the CLI warns, naming the
    // count, the record keeps it, and the labels are one cluster per distinct row.
    void moreClustersThanDistinctRowsWarn_data()
    {
        QTest::addColumn<QString>("method");
        for (const char* m : {"spectral", "kmedoids", "agglomerative", "kmeans"})
            QTest::newRow(m) << m;
    }
    void moreClustersThanDistinctRowsWarn()
    {
        QFETCH(QString, method);
        const auto data = QString::fromStdString(fixtures::write(
            dir, "dup3.csv",
            "a,b\n0,0\n5,5\n10,0\n0,0\n5,5\n10,0\n0,0\n5,5\n10,0\n0,0\n5,5\n10,0\n"));
        const QString labels = dir.filePath("dup3-" + method + ".csv");
        const auto r = cli(
            {"run", "--data", data, "--method", method, "--k", "5", "--out", labels, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains("warning: the data have only 3 distinct rows, fewer than k = 5"),
                 qPrintable(r.err));
        const auto lines = readLines(labels);
        QCOMPARE(lines.size(), 13);
        for (int i = 4; i < 13; ++i)
            QCOMPARE(lines[i].section(',', 1, 1), lines[i - 3].section(',', 1, 1));
        QSet<QString> used;
        for (int i = 1; i < 4; ++i)
            used.insert(lines[i].section(',', 1, 1));
        QCOMPARE(used.size(), 3);
        const auto record = readJson(dir.filePath("dup3-" + method + ".run.json"));
        QCOMPARE(record["data"].toObject()["distinct_rows"].toInt(), 3);
        QVERIFY(record["warnings"].toArray().first().toString().contains("3 distinct rows"));
    }

    // Undefined values print one way: choose-k printed "-nan" beside "nan" (the gap's error bar
    // on identical rows). Text says nan, JSON says null.
    void undefinedValuesPrintOneWay()
    {
        const auto same = QString::fromStdString(
            fixtures::write(dir, "same.csv", "a,b\n1,1\n1,1\n1,1\n1,1\n1,1\n1,1\n1,1\n1,1\n"));
        const QString out = dir.filePath("same-curves.json");
        const auto r = cli({"choose-k", "--data", same, "--k-max", "4", "--gap-references", "3",
                            "--out", out, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("nan") && !r.out.contains("-nan"), qPrintable(r.out));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QJsonParseError error;
        const auto doc = QJsonDocument::fromJson(f.readAll(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        for (const char* key : {"gap", "gap_sd", "silhouette"})
            QVERIFY2(doc["curves"].toObject()[key].toArray().first().isNull(), key);
    }

    // The trial's kind of data: 4 blobs (centres 10 apart) at 1e9, where float32 is 64 apart. The
    // loader used to round them to a few points: gmm's ARI was 0.54, hdbscan found 8 clusters,
    // choose-k suggested 8.
    void farOffsetDataClusterLikeTheUnshifted()
    {
        const QString far = dir.filePath("far1e8.csv");
        QVERIFY(fixtures::writeBlobsCsv(far, 4, 200, 3, 7, 1e9, true));
        const auto info = cli({"info", far});
        QVERIFY2(info.code == 0, qPrintable(info.err));
        QVERIFY2(info.out.contains("column 'f0' was centred on load by 1e+09"),
                 qPrintable(info.out));
        const QStringList runs[] = {
            {"--method", "gmm", "--k", "4"},
            {"--method", "kmeans", "--k", "4"},
            {"--method", "agglomerative", "--k", "4"},
            {"--method", "hdbscan", "--min-cluster-size", "20", "--scaling", "standardize"}};
        for (const auto& method : runs)
        {
            const QString labels = dir.filePath("far-labels.csv");
            const QString metrics = dir.filePath("far-metrics.json");
            const auto r = cli(QStringList{"run", "--data", far, "--out", labels, "--metrics",
                                           metrics, "--quiet"} +
                               method);
            QVERIFY2(r.code == 0, qPrintable(r.err));
            QVERIFY2(readJson(metrics)["ari"].toDouble() == 1.0,
                     qPrintable(method.join(' ') + ": ARI " +
                                QString::number(readJson(metrics)["ari"].toDouble())));
            const auto record = readJson(dir.filePath("far-labels.run.json"));
            const auto centred = record["data"].toObject()["centred_on_load"].toArray();
            QCOMPARE(centred.size(), 3);
            QVERIFY(centred[0].toString().contains("float32 cannot hold its spread"));
            QVERIFY(record["notes"].toArray().contains(centred[0]));
        }
        const auto k = cli(
            {"choose-k", "--data", far, "--k-min", "2", "--k-max", "10", "--no-gap", "--quiet"});
        QVERIFY2(k.code == 0, qPrintable(k.err));
        QVERIFY2(k.out.contains("suggested k = 4"), qPrintable(k.out));
    }

    void sameSeedSameLabels()
    {
        QStringList base{"run", "--data", kDemo, "--method", "kmeans", "--k", "8", "--quiet"};
        QCOMPARE(cli(base + QStringList{"--seed", "3", "--out", dir.filePath("a.csv")}).code, 0);
        QCOMPARE(cli(base + QStringList{"--seed", "3", "--out", dir.filePath("b.csv")}).code, 0);
        QCOMPARE(cli(base + QStringList{"--seed", "4", "--out", dir.filePath("c.csv")}).code, 0);
        QCOMPARE(readLines(dir.filePath("a.csv")), readLines(dir.filePath("b.csv")));
        QVERIFY(readLines(dir.filePath("a.csv")) != readLines(dir.filePath("c.csv")));
    }

    // layout hchc: the authors' Fashion-MNIST Q (../shared/reference/hchc) from a .npy, and a run's
    // labels CSV with its p0..pK-1 columns; the layout's flags come from its schema.
    // explain: rules in the file's units from a run's labels (ids pick the rows of a subset),
    // JSON, text and LaTeX; mistakes name what is wrong.
    void explainDescribesARunsClusters()
    {
        const QString wine = CLUSTERSCOPE_SOURCE_DIR "/tests/data/wine.csv";
        const QString labels = dir.filePath("wine_labels.csv");
        auto r = cli({"run", "--data", wine, "--method", "kmeans", "--k", "3", "--scaling",
                      "standardize", "--out", labels, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({"explain", "--method", "polyhedral", "--data", wine, "--labels", labels, "--out",
                 dir.filePath("rules.json"), "--text", dir.filePath("rules.txt"), "--latex",
                 dir.filePath("rules.tex"), "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("coverage"), qPrintable(r.out));
        const auto json = readJson(dir.filePath("rules.json"));
        QCOMPARE(json["method"].toString(), QString("polyhedral"));
        QVERIFY(json.contains("optimal"));
        const auto clusters = json["clusters"].toArray();
        QCOMPARE(clusters.size(), 3);
        for (const auto c : clusters)
        {
            const auto o = c.toObject();
            QVERIFY(o["coverage"].toDouble() > 0.8 && o["precision"].toDouble() > 0.8);
            // The class names of the true labels name the clusters.
            QVERIFY2(o["name"].toString().contains('%'), qPrintable(o["name"].toString()));
            const auto condition =
                o["rules"].toArray()[0].toObject()["conditions"].toArray()[0].toObject();
            const auto term = condition["terms"].toArray()[0].toObject();
            QVERIFY(!term["feature"].toString().isEmpty());
            QVERIFY(QStringList({"<=", ">=", ">"}).contains(condition["op"].toString()));
            QVERIFY(condition.contains("threshold"));
            QVERIFY(o.contains("features_used"));
        }
        QVERIFY(readBytes(dir.filePath("rules.tex")).contains("\\toprule"));
        QVERIFY(readBytes(dir.filePath("rules.txt")).contains("coverage"));
        // "-" is standard output (the same text as the file), and no file named "-".
        const QString before = QDir::currentPath();
        QDir::setCurrent(dir.path());
        r = cli({"explain", "--method", "polyhedral", "--data", wine, "--labels", labels, "--text",
                 "-", "--quiet"});
        QDir::setCurrent(before);
        QVERIFY2(r.code == 0 &&
                     r.out.endsWith(QString::fromUtf8(readBytes(dir.filePath("rules.txt")))),
                 qPrintable(r.out + r.err));
        QVERIFY(!QFile::exists(dir.filePath("-")));

        // A run on a subset: its ids pick the rows; the price of explainability in the run's
        // scaling is near 1 for IMM's tree of a k-means clustering.
        const QString subset = dir.filePath("wine_subset.csv");
        r = cli({"run", "--data", wine, "--method", "kmeans", "--k", "3", "--scaling",
                 "standardize", "--subset", "120", "--out", subset, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({"explain", "--method", "imm", "--data", wine, "--labels", subset, "--scaling",
                 "standardize", "--out", dir.filePath("imm.json"), "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto imm = readJson(dir.filePath("imm.json"));
        int64_t rows = 0;
        for (const auto c : imm["clusters"].toArray())
            rows += c.toObject()["size"].toInt();
        QCOMPARE(rows, int64_t{120});
        const double price = imm["stats"].toObject()["price_of_explainability"].toDouble();
        QVERIFY2(price >= 1 && price < 1.3, qPrintable(QString::number(price)));

        // Labels of another table: refused by the feature count their run record gives.
        const QString irisLabels = dir.filePath("iris_labels.csv");
        r = cli({"run", "--data", "/usr/lib/python3/dist-packages/sklearn/datasets/data/iris.csv",
                 "--method", "kmeans", "--k", "3", "--out", irisLabels, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({"explain", "--method", "imm", "--data", wine, "--labels", irisLabels, "--out",
                 dir.filePath("x.json")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("iris.csv") && r.err.contains("4 features"), qPrintable(r.err));

        // Mistakes.
        r = cli({"explain", "--method", "lime", "--data", wine, "--labels", labels, "--out",
                 dir.filePath("x.json")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("polyhedral, imm, exkmc, profile"), qPrintable(r.err));
        r = cli({"explain", "--method", "imm", "--data", wine, "--labels", labels, "--beta", "2",
                 "--out", dir.filePath("x.json")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("--beta"), qPrintable(r.err));
        const QString foreign = dir.filePath("foreign_labels.csv");
        {
            QFile f(foreign);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("id,cluster\n0,0\n1,1\n500,1\n");
        }
        r = cli({"explain", "--method", "imm", "--data", wine, "--labels", foreign, "--out",
                 dir.filePath("x.json")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("foreign_labels.csv") && r.err.contains("id 500"),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath("x.json")));
    }

    void layoutFromNpyAndLabelsCsv()
    {
        const QString q = CLUSTERSCOPE_REFERENCE_DIR "/hchc/fashion_Q.npy";
        auto r = cli({"layout", "hchc", "--soft", q, "--out", dir.filePath("hchc.json"), "--coords",
                      dir.filePath("hchc.npy"), "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        auto json = readJson(dir.filePath("hchc.json"));
        QCOMPARE(json["layout"].toString(), QString("hchc"));
        QCOMPARE(json["exact"].toBool(), true);
        QVERIFY(std::abs(json["length"].toDouble() - 4.623580) < 1e-6);
        QStringList cycle;
        for (const auto c : json["cycle"].toArray())
            cycle << QString::number(c.toInt());
        QCOMPARE(cycle.join(','), QString("0,4,5,2,1,6,3,9,7,8"));
        const auto anchors = json["anchors"].toArray();
        QCOMPARE(anchors.size(), 10);
        QCOMPARE(anchors[0].toDouble(), -90.0);
        // Cluster 4 follows cluster 0 on the cycle: 38.12 degrees on (the README's angles).
        QVERIFY(std::abs(anchors[4].toDouble() - anchors[0].toDouble() - 38.12) < 0.011);
        const auto npy = readBytes(dir.filePath("hchc.npy"));
        QVERIFY(npy.contains("'shape': (70000, 3)"));

        // A run's labels CSV: the soft columns only, the heuristic forced by the schema's flag.
        const QString labels = dir.filePath("gmm_labels.csv");
        r = cli(
            {"run", "--data", kDemo, "--method", "gmm", "--k", "6", "--out", labels, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({"layout", "hchc", "--soft", labels, "--out", dir.filePath("gmm.json"), "--coords",
                 dir.filePath("gmm_coords.csv"), "--exact-max-clusters", "0", "--outlier-score",
                 "entropy", "--outlier-threshold", "0.3", "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        json = readJson(dir.filePath("gmm.json"));
        QCOMPARE(json["exact"].toBool(), false);
        QCOMPARE(json["cycle"].toArray().size(), 6);
        QCOMPARE(json["parameters"].toObject()["outlier_score"].toString(), QString("entropy"));
        const auto lines = readLines(dir.filePath("gmm_coords.csv"));
        QCOMPARE(lines.size(), 1798);
        QCOMPARE(lines[0], QString("id,x,y,outlier_score,outlier"));

        // Mistakes name what is wrong.
        r = cli({"layout", "hchc", "--soft", dir.filePath("gmm_coords.csv"), "--out",
                 dir.filePath("x.json")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("p0..pK-1"), qPrintable(r.err));
        r = cli({"layout", "radviz", "--soft", q, "--out", dir.filePath("x.json")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("'radviz' is not a layout; layouts: hchc"), qPrintable(r.err));
        r = cli({"layout", "hchc", "--soft", q, "--out", dir.filePath("x.json"),
                 "--exact-max-clusters", "30"});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("exact-max-clusters") || r.err.contains("exact_max_clusters"),
                 qPrintable(r.err));
        r = cli({"layout", "hchc", "--soft", q, "--out", dir.filePath("x.json"), "--k", "3"});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("--k"), qPrintable(r.err));
        // A missing value or a negative one names the file and the cell, with advice that works
        // for a soft assignment (no --missing: layout has none).
        QFile bad(dir.filePath("bad_soft.csv"));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("p0,p1,p2\n0.2,0.3,0.5\n0.1,,0.9\n0.5,0.5,0\n");
        bad.close();
        r = cli({"layout", "hchc", "--soft", bad.fileName(), "--out", dir.filePath("x.json")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("bad_soft.csv") && r.err.contains("run the method again") &&
                     !r.err.contains("--missing"),
                 qPrintable(r.err));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write("p0,p1,p2\n0.2,0.3,0.5\n0.1,-0.2,1.1\n0.5,0.5,0\n");
        bad.close();
        r = cli({"layout", "hchc", "--soft", bad.fileName(), "--out", dir.filePath("x.json")});
        QVERIFY(r.code != 0);
        QVERIFY2(r.err.contains("bad_soft.csv: ") && r.err.contains("negative"), qPrintable(r.err));
        r = cli({"layout", "hchc", "--soft", q, "--out", q});
        QVERIFY(r.code != 0); // an output that would replace the input
        QVERIFY(!QFileInfo::exists(dir.filePath("x.json")));
    }

    void embeddingAsNpyOrCsv()
    {
        QStringList base{"run",       "--data",
                         kDemo,       "--method",
                         "ae_kmeans", "--hidden",
                         "128-128",   "--pretrain-epochs",
                         "1",         "--cache",
                         "false",     "--quiet",
                         "--out",     dir.filePath("e.csv")};
        auto r = cli(base + QStringList{"--embedding", dir.filePath("z.npy")});
        QCOMPARE(r.code, 0);
        QFile npy(dir.filePath("z.npy"));
        QVERIFY(npy.open(QIODevice::ReadOnly));
        const auto bytes = npy.readAll();
        QVERIFY(bytes.startsWith("\x93NUMPY"));
        QVERIFY(bytes.contains("'shape': (1797, 10)"));
        QCOMPARE(bytes.size() % 4, qsizetype{0}); // header padded to 64, then float32 values
        QVERIFY(bytes.size() >= 1797 * 10 * 4);
        r = cli(base + QStringList{"--embedding", dir.filePath("z.csv")});
        QCOMPARE(r.code, 0);
        const auto lines = readLines(dir.filePath("z.csv"));
        QCOMPARE(lines.size(), 1798);
        QVERIFY(lines[0].startsWith("id,z0,z1"));
    }

    void embedWritesCoordinatesQualityAndRecord()
    {
        const QStringList base{"embed", "--data",  kDemo,    "--method", "umap",      "--n-epochs",
                               "30",    "--quiet", "--seed", "5",        "--missing", "drop"};
        auto r = cli(base + QStringList{"--out", dir.filePath("u.npy")});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("trustworthiness = 0.9"));
        const auto bytes = readBytes(dir.filePath("u.npy"));
        QVERIFY(bytes.startsWith("\x93NUMPY"));
        QVERIFY(bytes.contains("'shape': (1797, 2)"));
        const auto record = readJson(dir.filePath("u.run.json"));
        QCOMPARE(record["reducer"].toString(), QString("umap"));
        QCOMPARE(record["seed"].toInt(), 5);
        QCOMPARE(record["params"].toObject()["n_epochs"].toInt(), 30);
        QVERIFY(record["quality"].toObject()["trustworthiness"].toDouble() > 0.9);
        QVERIFY(record["environment"].toObject().contains("cpu"));
        // CSV: ids and one column per dimension; PCA's coordinates too.
        r = cli({"embed", "--data", kDemo, "--method", "pca", "--n-components", "3", "--quiet",
                 "--out", dir.filePath("p.csv")});
        QCOMPARE(r.code, 0);
        const auto lines = readLines(dir.filePath("p.csv"));
        QCOMPARE(lines.size(), 1798);
        QVERIFY(lines[0] == "id,x0,x1,x2");
        QVERIFY(lines[1].startsWith("0,"));
        // A clusterer is not a reducer, and a clusterer's flag is not UMAP's.
        r = cli({"embed", "--data", kDemo, "--method", "kmeans"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("is a clusterer: use run"), qPrintable(r.err));
        r = cli({"embed", "--data", kDemo, "--method", "umap", "--k", "3"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--k"), qPrintable(r.err));
        // t-SNE's scikit-learn `method` is --algorithm: --method names the reducer.
        r = cli({"embed", "--data", kDemo, "--method", "tsne", "--n-iter", "250", "--algorithm",
                 "barnes_hut", "--quiet", "--missing", "drop", "--out", dir.filePath("t.npy")});
        QCOMPARE(r.code, 0);
        QVERIFY(readBytes(dir.filePath("t.npy")).contains("'shape': (1797, 2)"));
        const auto tsne = readJson(dir.filePath("t.run.json"));
        QCOMPARE(tsne["reducer"].toString(), QString("tsne"));
        QVERIFY(tsne["stats"].toObject()["kl_divergence"].toDouble() > 0);
        r = cli({"embed", "--data", kDemo, "--method", "tsne", "--perplexity", "1797"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("perplexity"), qPrintable(r.err));
    }

    void embedSavesAModelThatPlacesNewRows()
    {
        const QString blobs = CLUSTERSCOPE_TEST_DATA "/umap/blobs.csv";
        const auto write = [&](const QString& name, const QByteArray& bytes)
        {
            QFile f(dir.filePath(name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(bytes);
        };
        // New rows: the first ten blob rows moved a little; and the same with a column less.
        QByteArray rows, narrow;
        const auto lines = readLines(blobs);
        for (int i = 0; i < 10; ++i)
        {
            auto values = lines[i].split(',');
            values[0] = QString::number(values[0].toDouble() + 0.05);
            rows += values.join(',').toUtf8() + "\n";
            narrow += values.mid(0, 3).join(',').toUtf8() + "\n";
        }
        write("new.csv", rows);
        write("narrow.csv", narrow);
        const QString model = dir.filePath("m.npz");
        auto r = cli({"embed", "--data", blobs, "--method", "umap", "--n-neighbors", "10",
                      "--n-epochs", "60", "--seed", "1", "--quiet", "--save-model", model, "--out",
                      dir.filePath("train.npy")});
        QCOMPARE(r.code, 0);
        const auto archive = readBytes(model);
        QVERIFY(archive.startsWith("PK\x03\x04"));
        for (const char* member : {"model.json", "training_data.npy", "embedding.npy"})
            QVERIFY2(archive.contains(member), member);
        QVERIFY(archive.contains("\"format_version\": 1"));

        r = cli({"embed", "--transform-from", model, "--data", dir.filePath("new.csv"), "--seed",
                 "3", "--quiet", "--out", dir.filePath("new.npy")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(readBytes(dir.filePath("new.npy")).contains("'shape': (10, 2)"));
        const auto record = readJson(dir.filePath("new.run.json"));
        QCOMPARE(record["reducer"].toString(), QString("umap"));
        QCOMPARE(record["seed"].toInt(), 3);
        QCOMPARE(record["transform_from"].toObject()["method"].toString(), QString("umap"));
        QCOMPARE(record["transform_from"].toObject()["training_rows"].toInt(), 80);
        QCOMPARE(record["params"].toObject()["n_neighbors"].toInt(), 10);

        // A feature count that is not the model's, named both ways.
        r = cli({"embed", "--transform-from", model, "--data", dir.filePath("narrow.csv"),
                 "--quiet", "--out", dir.filePath("narrow.npy")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("3 features") && r.err.contains("trained on 4"), qPrintable(r.err));
        // Parameters come from the model; another method's name is refused.
        r = cli({"embed", "--transform-from", model, "--data", dir.filePath("new.csv"),
                 "--n-neighbors", "5"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("model's parameters"), qPrintable(r.err));
        r = cli({"embed", "--transform-from", model, "--data", dir.filePath("new.csv"), "--method",
                 "tsne"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("is a model of umap"), qPrintable(r.err));
        // Reducers without a transform save no model, and scaling would not travel with it.
        r = cli(
            {"embed", "--data", blobs, "--method", "pca", "--save-model", dir.filePath("p.npz")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("cannot place new rows"), qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(dir.filePath("p.npz")));
        r = cli({"embed", "--data", blobs, "--method", "umap", "--scaling", "standardize",
                 "--save-model", dir.filePath("s.npz")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--scaling"), qPrintable(r.err));
        // scale01 is a fixed division, so it travels; the new rows must be given it too.
        r = cli({"embed", "--data", blobs, "--method", "umap", "--n-neighbors", "10", "--n-epochs",
                 "20", "--scaling", "scale01", "--quiet", "--save-model", dir.filePath("s01.npz")});
        QCOMPARE(r.code, 0);
        r = cli({"embed", "--transform-from", dir.filePath("s01.npz"), "--data",
                 dir.filePath("new.csv"), "--quiet"});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--scaling scale01"), qPrintable(r.err));
        r = cli({"embed", "--transform-from", dir.filePath("s01.npz"), "--data",
                 dir.filePath("new.csv"), "--scaling", "scale01", "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));

        // Damaged models: not a zip, truncated, a zip that is not a model; each named.
        write("junk.npz", "not a zip archive at all");
        write("half.npz", archive.left(archive.size() / 2));
        write("other.npz", readBytes(dir.filePath("train.npy"))); // an .npy, not a zip
        for (const char* name : {"junk.npz", "half.npz", "other.npz"})
        {
            r = cli({"embed", "--transform-from", dir.filePath(name), "--data",
                     dir.filePath("new.csv"), "--quiet", "--out", dir.filePath("x.npy")});
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains(name), qPrintable(r.err));
            QVERIFY(!QFileInfo::exists(dir.filePath("x.npy")));
        }
        // A damaged array inside: flip a byte of the embedding's values (CRC mismatch).
        auto flipped = archive;
        const auto at = flipped.indexOf("embedding.npy");
        flipped[at + 13 + 200] = static_cast<char>(flipped[at + 13 + 200] ^ 0x55);
        write("flipped.npz", flipped);
        r = cli({"embed", "--transform-from", dir.filePath("flipped.npz"), "--data",
                 dir.filePath("new.csv"), "--quiet"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("flipped.npz") && r.err.contains("embedding.npy"),
                 qPrintable(r.err));
    }

    void benchWritesJson()
    {
        const QString out = dir.filePath("bench.json");
        const auto r = cli({"bench", "kmeans", "--data", kDemo, "--k", "10", "--max-iter", "5",
                            "--tol", "0", "--repeat", "2", "--out", out, "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto b = readJson(out);
        QVERIFY(b["seconds_median"].toDouble() > 0);
        QCOMPARE(b["rows"].toInt(), 1797);
        QCOMPARE(b["environment"].toObject()["torch_threads"].toInt(), 1);
        const auto runs = b["runs"].toArray();
        QCOMPARE(runs.size(), 2);
        QVERIFY(runs[0].toObject()["iterations"].toInt() <= 5);
        QVERIFY(runs[0].toObject()["inertia"].toDouble() > 0);
    }

    // LibTorch runs on 1 thread unless --torch-threads says otherwise (0: every core this process
    // may use); --blas-threads sets OpenBLAS's; both are recorded.
    void threadFlagsReachTheRecord()
    {
        const auto environment = [this](const QStringList& flags)
        {
            const QString out = dir.filePath("threads.csv");
            const auto r = cli(QStringList{"run", "--data", kDemo, "--method", "kmeans", "--k",
                                           "10", "--out", out, "--quiet"} +
                               flags);
            return r.code == 0
                       ? readJson(dir.filePath("threads.run.json")).value("environment").toObject()
                       : QJsonObject{{"error", r.err}};
        };
        const auto byDefault = environment({});
        QVERIFY2(byDefault.contains("torch_threads"), qPrintable(byDefault["error"].toString()));
        QCOMPARE(byDefault["torch_threads"].toInt(), 1);
        QCOMPARE(environment({"--torch-threads", "0"})["torch_threads"].toInt(),
                 clusterscope::availableCores());
        const auto pinned = environment({"--torch-threads", "2", "--blas-threads", "1"});
        QCOMPARE(pinned["torch_threads"].toInt(), 2);
        const auto bad =
            cli({"run", "--data", kDemo, "--method", "kmeans", "--torch-threads", "-1"});
        QCOMPARE(bad.code, 2);
        QVERIFY2(bad.err.contains("--torch-threads: -1 is outside [0, 4096]"), qPrintable(bad.err));
        // Last, as it may skip: --blas-threads sets OpenBLAS's thread count, and only OpenBLAS
        // has one (the BLAS is whichever libblas.so.3 the system resolves at run time).
        const QString blas = pinned["blas"].toString();
        if (!blas.startsWith("OpenBLAS"))
            QSKIP(qPrintable("the BLAS is '" + blas +
                             "', not OpenBLAS: --blas-threads has nothing to set (scripts/setup.sh "
                             "installs OpenBLAS)"));
        QCOMPARE(pinned["blas_threads"].toInt(), 1);
    }

    void helpComesFromTheSchema()
    {
        const auto r = cli({"run", "--help", "--method", "kmeans"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("--n-init int"));
        // A long flag and its type stay apart from the help text.
        const auto dec = cli({"run", "--help", "--method", "dec"}).out;
        QVERIFY2(dec.contains(QRegularExpression(R"(--pretrain-optimizer choice +Pretraining)")),
                 qPrintable(dec));
        QVERIFY(r.out.contains("k-means++|random"));
        // The settings too, the longest of them included.
        QVERIFY2(r.out.contains(QRegularExpression(R"(--silhouette-sample int +Rows sampled)")),
                 qPrintable(r.out));
        const auto listing = cli({"methods"}).out;
        QVERIFY(listing.contains("kmeans"));
        // Long flags and defaults stay apart from the next column.
        QVERIFY2(listing.contains(QRegularExpression(
                     R"(--pretrain-epochs +int +default 50 +\[0, 100000\] +Autoencoder)")),
                 qPrintable(listing));
        QVERIFY(listing.contains(QRegularExpression(R"(default 500-500-2000 +500-500-2000\|)")));
    }

    void methodsReferenceIsCurrent()
    {
        // docs/methods.md is the registry in Markdown; a new or changed parameter must reach it.
        const auto r = cli({"methods", "--markdown"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("| `--init` | choice | k-means++ | k-means++\\|random |"));
        QFile committed(CLUSTERSCOPE_SOURCE_DIR "/docs/methods.md");
        QVERIFY(committed.open(QIODevice::ReadOnly));
        QVERIFY2(QString::fromUtf8(committed.readAll()) == r.out,
                 "docs/methods.md is stale: run clusterscope-cli methods --markdown > "
                 "docs/methods.md");
    }

    void userErrorsAreClear()
    {
        const auto ragged = fixtures::write(dir, "ragged.csv", "a,b\n1,2\n3\n");
        auto r = cli({"run", "--data", QString::fromStdString(ragged), "--method", "kmeans"});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("ragged.csv: line 3"), qPrintable(r.err));
        r = cli({"run", "--data", kDemo, "--method", "kmeans", "--kk", "3"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("unknown option(s): --kk"));
        r = cli({"run", "--data", kDemo, "--method", "kmeans", "--k", "0"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("--k: 0 is outside [1, 1000000]"));
        r = cli({"run", "--data", kDemo, "--method", "kmeans", "--device", "tpu"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("unknown device 'tpu'"));
        r = cli({"info", dir.filePath("nothing.npy")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("nothing.npy: no such file"));
    }

    // Mistakes on the command line itself: each is refused with exit code 2 before any work,
    // and the message names the flag at fault.
    void commandLineMistakesNameTheFlag_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("message");
        const QStringList run{"run", "--data", kDemo, "--method", "kmeans"};
        QTest::newRow("unknown flag")
            << run + QStringList{"--kk", "3"} << QStringList{"unknown option(s): --kk"};
        QTest::newRow("unknown flag=value")
            << run + QStringList{"--kk=3", "--k", "3"} << QStringList{"unknown option(s): --kk"};
        QTest::newRow("unknown short flag")
            << run + QStringList{"-q"} << QStringList{"unknown option(s): -q"};
        QTest::newRow("another method's flag")
            << run + QStringList{"--covariance-type", "diag"}
            << QStringList{"unknown option(s) for kmeans: --covariance-type"};
        QTest::newRow("stray argument")
            << run + QStringList{"stray"} << QStringList{"unexpected argument 'stray'"};
        QTest::newRow("--data takes one value")
            << QStringList{"run", "--data", kDemo, "stray", "--method", "kmeans"}
            << QStringList{"unexpected argument 'stray'"};
        QTest::newRow("missing value at the end")
            << run + QStringList{"--k"} << QStringList{"--k: 1 required int missing"};
        QTest::newRow("missing value before a flag")
            << run + QStringList{"--out", "--quiet"}
            << QStringList{"--out: the value is missing ('--quiet' is the next flag)"};
        QTest::newRow("missing method name") << QStringList{"run", "--data", kDemo, "--method"}
                                             << QStringList{"--method: 1 required NAME missing"};
        QTest::newRow("given twice")
            << run + QStringList{"--k", "3", "--k=4"} << QStringList{"--k is given twice"};
        QTest::newRow("setting outside its choices")
            << run + QStringList{"--scaling=maybe"}
            << QStringList{"--scaling: 'maybe' is not one of none|standardize|minmax|scale01"};
        QTest::newRow("not a whole number")
            << QStringList{"bench", "kmeans", "--data", kDemo, "--repeat", "2.5"}
            << QStringList{"--repeat: '2.5' is not a whole number"};
        QTest::newRow("too large a number")
            << QStringList{"choose-k", "--data", kDemo, "--k-max", "99999999999999999999"}
            << QStringList{"--k-max: '99999999999999999999' is out of range"};
        QTest::newRow("info unknown flag") << QStringList{"info", kDemo, "--labels", "x"}
                                           << QStringList{"unknown option(s): --labels"};
        QTest::newRow("methods unknown flag")
            << QStringList{"methods", "--json"} << QStringList{"unknown option(s): --json"};
    }

    void commandLineMistakesNameTheFlag()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, message);
        const auto r = cli(args);
        QVERIFY2(r.code == 2, qPrintable(r.err));
        for (const auto& m : message)
            QVERIFY2(r.err.contains(m), qPrintable(r.err));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out)); // refused before any work
    }

    // Every flag reaches its own setting, in both spellings and wherever METHOD stands: a flag
    // bound to the wrong field (or not at all) changes the run record.
    void flagsReachTheirSettings()
    {
        const QString labels = dir.filePath("flags.csv");
        const auto r = cli({"run",        "--data",      kDemo,        "--method=kmeans",
                            "--k",        "7",           "--n-init=2", "--init",
                            "random",     "--max-iter",  "50",         "--seed=5",
                            "--scaling",  "standardize", "--pca=20",   "--pca-solver",
                            "randomized", "--subset",    "900",        "--silhouette-sample=300",
                            "--device",   "cpu",         "--out",      labels,
                            "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto record = readJson(dir.filePath("flags.run.json"));
        const auto params = record["params"].toObject();
        QCOMPARE(params["k"].toInt(), 7);
        QCOMPARE(params["n_init"].toInt(), 2);
        QCOMPARE(params["init"].toString(), QString("random"));
        QCOMPARE(params["max_iter"].toInt(), 50);
        const auto settings = record["settings"].toObject();
        QCOMPARE(settings["seed"].toInt(), 5);
        QCOMPARE(settings["scaling"].toString(), QString("standardize"));
        QCOMPARE(settings["pca"].toInt(), 20);
        QCOMPARE(settings["pca_solver"].toString(), QString("randomized"));
        QCOMPARE(settings["subset"].toInt(), 900);
        QCOMPARE(settings["silhouette_sample"].toInt(), 300);
        QCOMPARE(readLines(labels).size(), 901);
        // bench: METHOD after its flags, and its own --repeat.
        const QString bench = dir.filePath("flags-bench.json");
        const auto b = cli({"bench", "--k", "4", "--max-iter=3", "kmeans", "--data", kDemo,
                            "--repeat=2", "--seed", "9", "--out", bench, "--quiet"});
        QVERIFY2(b.code == 0, qPrintable(b.err));
        const auto report = readJson(bench);
        QCOMPARE(report["params"].toObject()["k"].toString(), QString("4"));
        QCOMPARE(report["params"].toObject()["max_iter"].toString(), QString("3"));
        QCOMPARE(report["runs"].toArray().size(), 2);
        QCOMPARE(report["runs"].toArray()[0].toObject()["seed"].toInt(), 9);
    }

    void plotWithoutADisplay()
    {
#ifndef CLUSTERSCOPE_HAVE_FIGURES
        QSKIP("built without figures (CLUSTERSCOPE_GUI=OFF): clusterscope-cli has no plot command");
#else
        const QString labels = dir.filePath("plot-labels.csv");
        QCOMPARE(cli({"run", "--data", kDemo, "--method", "kmeans", "--k", "10", "--out", labels,
                      "--quiet"})
                     .code,
                 0);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove("DISPLAY"); // headless: no X server at all
        for (const QString ext : {"png", "svg", "pdf"})
        {
            const QString out = dir.filePath("plot." + ext);
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(CLUSTERSCOPE_CLI,
                    {"plot", "--data", kDemo, "--labels", labels, "--out", out, "--scale", "2"});
            QVERIFY(p.waitForFinished(60000));
            QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
            QVERIFY(QFileInfo(out).size() > 1000);
        }
        QCOMPARE(QImage(dir.filePath("plot.png")).size(), QSize(1800, 1280));
        const auto svg = figures::readSvg(dir.filePath("plot.svg"));
        QVERIFY(svg.valid);
        QVERIFY(svg.shapes >= 1797);
        QVERIFY(svg.text.contains(
            QRegularExpression("^3 \\(\\d+\\)$", QRegularExpression::MultilineOption)));
        // Each axis' share of the variance, as scikit-learn's PCA on digits gives it
        // (explained_variance_ratio_ 0.1489, 0.1362).
        QVERIFY(svg.text.contains("PC 1 (14.9 %)"));
        QVERIFY(svg.text.contains("PC 2 (13.6 %)"));
        QVERIFY(figures::pdfText(dir.filePath("plot.pdf")).contains("Cluster"));
        const auto r = cli({"plot", "--data", kDemo, "--out", dir.filePath("plot.gif")});
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains("unknown figure format '.gif'"));
#endif
    }

    // plot --soft: a run's soft assignment laid out on its Hamiltonian cycle, headless, with
    // vector anchors named by cluster id, majority digit and size.
    void plotLaysOutASoftAssignment()
    {
#ifndef CLUSTERSCOPE_HAVE_FIGURES
        QSKIP("built without figures (CLUSTERSCOPE_GUI=OFF): clusterscope-cli has no plot command");
#else
        const QString labels = dir.filePath("plot-soft.csv");
        QCOMPARE(cli({"run", "--data", kDemo, "--method", "gmm", "--k", "10", "--out", labels,
                      "--quiet"})
                     .code,
                 0);
        const QString out = dir.filePath("hchc.svg");
        auto r = cli({"plot", "--data", kDemo, "--soft", labels, "--out", out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto svg = figures::readSvg(out);
        QVERIFY(svg.valid);
        QVERIFY(svg.shapes >= 1797);
        // Ten anchors "c · digit (share%) · size", and no axes: the layout has none.
        const QRegularExpression anchor("\\b[0-9] · [0-9] \\([0-9]{1,3}%\\) · [0-9,]+");
        int anchors = 0;
        for (auto it = anchor.globalMatch(svg.text); it.hasNext(); it.next())
            ++anchors;
        QCOMPARE(anchors, 10);
        QVERIFY(!svg.text.contains("PC 1"));
        // Rows that do not match the data, and --layout without --soft, are refused.
        r = cli({"plot", "--data", kDemo, "--soft",
                 CLUSTERSCOPE_REFERENCE_DIR "/hchc/fashion_Q.npy", "--out",
                 dir.filePath("bad.svg")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("70000 rows of soft assignments; the data has 1797"),
                 qPrintable(r.err));
        // A run of a subset laid out beside another subset of the same size: its ids disagree.
        const QString subset = dir.filePath("plot-subset.csv");
        QCOMPARE(cli({"run", "--data", kDemo, "--method", "gmm", "--k", "5", "--subset", "500",
                      "--seed", "1", "--out", subset, "--quiet"})
                     .code,
                 0);
        r = cli({"plot", "--data", kDemo, "--subset", "500", "--seed", "2", "--soft", subset,
                 "--out", dir.filePath("bad.svg")});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("plot the data the run clustered"), qPrintable(r.err));
        r = cli({"plot", "--data", kDemo, "--subset", "500", "--seed", "1", "--soft", subset,
                 "--out", dir.filePath("subset.svg")});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({"plot", "--data", kDemo, "--layout", "hchc", "--out", dir.filePath("bad.svg")});
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains("--soft"), qPrintable(r.err));
#endif
    }

    void failedWriteKeepsTheOldFile()
    {
        // The run succeeds, then writing its ~100 KiB of labels stops at a 16 KiB file size
        // limit: the old labels survive byte for byte and no temporary file is left.
        const QString folder = dir.filePath("failed-write");
        QVERIFY(QDir().mkpath(folder));
        const QString labels = folder + "/keep.csv";
        QByteArray old = "id,cluster\n";
        for (int i = 0; i < 5000; ++i)
            old += QByteArray::number(i) + "," + QByteArray::number(i % 7) + "\n";
        QFile f(labels);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(old);
        f.close();
        const auto r = cli({"run", "--data", kDemo, "--method", "kmeans", "--k", "10", "--device",
                            "cpu", "--quiet", "--out", labels},
                           []
                           {
                               const rlimit limit{16 * 1024, 16 * 1024};
                               ::setrlimit(RLIMIT_FSIZE, &limit);
                               ::signal(SIGXFSZ, SIG_IGN); // EFBIG instead of a kill
                           });
        QVERIFY2(r.code == 1, qPrintable(r.err));
        QVERIFY2(r.out.contains("k-means on"), qPrintable(r.out)); // the run itself finished
        QVERIFY2(r.err.contains(labels) && r.err.contains("the old file is untouched"),
                 qPrintable(r.err));
        QVERIFY(readBytes(labels) == old);
        QCOMPARE(entries(folder), QStringList{"keep.csv"});
    }

    void anOutputThatFailsReplacesNoOtherOutput()
    {
        // The labels would fit; the metrics go to /dev/full, which refuses every write. All
        // outputs are written in full before any replaces its file, so the old labels and
        // record survive and nothing is left beside them.
        const QString folder = dir.filePath("all-or-nothing");
        QVERIFY(QDir().mkpath(folder));
        const QString labels = folder + "/q.csv";
        const QString record = folder + "/q.run.json";
        for (const auto& path : {labels, record})
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("PRE\n");
        }
        const auto r = cli({"run", "--data", kDemo, "--method", "kmeans", "--k", "3", "--device",
                            "cpu", "--quiet", "--out", labels, "--metrics", "/dev/full"});
        QVERIFY2(r.code == 1, qPrintable(r.err));
        QVERIFY2(r.err.contains("/dev/full") && r.err.contains("no output was replaced"),
                 qPrintable(r.err));
        QCOMPARE(readBytes(labels), QByteArray("PRE\n"));
        QCOMPARE(readBytes(record), QByteArray("PRE\n"));
        QCOMPARE(entries(folder), (QStringList{"q.csv", "q.run.json"}));
    }

    void anOutputThatReplacesAnInputIsRefused_data()
    {
        // D: the data, S: a symlink to it, H: a hard link to it, L: a new labels path.
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("message");
        const QStringList run{"run", "--data", "D", "--method", "kmeans", "--k", "3", "--quiet"};
        QTest::newRow("run --out")
            << run + QStringList{"--out", "D"} << QStringList{"--out", "is the input"};
        QTest::newRow("run --metrics symlink")
            << run + QStringList{"--metrics", "S"} << QStringList{"--metrics", "is the input"};
        QTest::newRow("run --record hard link") << run + QStringList{"--out", "L", "--record", "H"}
                                                << QStringList{"--record", "is the input"};
        QTest::newRow("run --embedding")
            << run + QStringList{"--embedding", "D"} << QStringList{"--embedding", "is the input"};
        QTest::newRow("run --out = --record") << run + QStringList{"--out", "L", "--record", "L"}
                                              << QStringList{"--out", "--record", "the same file"};
        QTest::newRow("run --metrics = default record")
            << run + QStringList{"--out", "L", "--metrics", "labels.run.json"}
            << QStringList{"--metrics", "--record", "the same file"};
        QTest::newRow("choose-k") << QStringList{"choose-k", "--data", "D", "--quiet", "--out", "S"}
                                  << QStringList{"--out", "is the input"};
        QTest::newRow("bench") << QStringList{"bench",   "kmeans", "--data", "D",
                                              "--quiet", "--out",  "D"}
                               << QStringList{"--out", "is the input"};
#ifdef CLUSTERSCOPE_HAVE_FIGURES
        QTest::newRow("plot --out = --data") << QStringList{"plot", "--data", "D", "--out", "D"}
                                             << QStringList{"--out", "is the input"};
        QTest::newRow("plot --out = --labels")
            << QStringList{"plot", "--data", "D", "--labels", "H", "--out", "S"}
            << QStringList{"--out", "is the input"};
#endif
    }

    void anOutputThatReplacesAnInputIsRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, message);
        const QString folder = dir.filePath("refused");
        const QString data = folder + "/data.csv.gz";
        if (!QFile::exists(data))
        {
            QVERIFY(QDir().mkpath(folder));
            QVERIFY(QFile::copy(kDemo, data));
            QVERIFY(QFile::link(data, folder + "/alias.csv.gz"));
            QVERIFY(::link(data.toLocal8Bit().constData(),
                           (folder + "/hard.csv.gz").toLocal8Bit().constData()) == 0);
        }
        const QMap<QString, QString> paths{{"D", data},
                                           {"S", folder + "/alias.csv.gz"},
                                           {"H", folder + "/hard.csv.gz"},
                                           {"L", folder + "/labels.csv"},
                                           {"labels.run.json", folder + "/labels.run.json"}};
        for (auto& a : args)
            a = paths.value(a, a);
        const QByteArray before = readBytes(data);
        const auto r = cli(args);
        QVERIFY2(r.code == 2, qPrintable(r.err));
        for (const auto& m : message)
            QVERIFY2(r.err.contains(m), qPrintable(r.err));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.out)); // refused before any work
        QVERIFY(readBytes(data) == before);
        QCOMPARE(entries(folder), (QStringList{"alias.csv.gz", "data.csv.gz", "hard.csv.gz"}));
    }

    void anUnwritableOutputFailsBeforeTheRun_data()
    {
        QTest::addColumn<QStringList>("output");
        QTest::addColumn<QString>("message");
        QTest::newRow("missing folder")
            << QStringList{"--out", dir.filePath("missing/labels.csv")} << "does not exist";
        QTest::newRow("a folder") << QStringList{"--metrics", dir.path()} << "is a folder";
        // Root may write anywhere by permission, but /proc takes no new files.
        QTest::newRow("no new files")
            << QStringList{"--record", "/proc/run.json"} << "no file can be created in '/proc'";
        // A training method's checkpoint and pretraining cache are outputs too.
        QTest::newRow("checkpoint in a missing folder")
            << QStringList{"--method", "ae_kmeans", "--checkpoint",
                           dir.filePath("missing/run.ckpt")}
            << "does not exist";
        QTest::newRow("cache in /proc")
            << QStringList{"--method", "ae_kmeans", "--cache-dir", "/proc/clusterscope-cache"}
            << "no file can be created in '/proc'";
    }

    void anUnwritableOutputFailsBeforeTheRun()
    {
        QFETCH(QStringList, output);
        QFETCH(QString, message);
        QStringList args{"run", "--data", kDemo, "--device", "cpu"};
        if (!output.contains("--method"))
            args += QStringList{"--method", "kmeans", "--k", "10", "--n-init", "5"};
        const auto r = cli(args + output);
        QVERIFY2(r.code == 2, qPrintable(r.err));
        const QString flag = output.size() > 2 ? output[2] : output.front();
        QVERIFY2(r.err.contains(flag) && r.err.contains(message), qPrintable(r.err));
        // Nothing ran: the run prints its summary when it has finished.
        QVERIFY2(!r.out.contains(" on 1797 x"), qPrintable(r.out));
    }

    // A plain HDF5 file's matrix by path: --dataset (h5py's word), the same as --array.
    void hdf5DatasetByPath()
    {
        const QString two = CLUSTERSCOPE_TEST_DATA "/h5ad/two.h5";
        auto r = cli({"info", two});
        QVERIFY2(r.code != 0 && r.err.contains("/group/second (5 x 4)") &&
                     r.err.contains("--dataset PATH"),
                 qPrintable(r.err));
        r = cli({"info", two, "--dataset", "/group/second"});
        QVERIFY2(r.code == 0 && r.out.contains("shape:    5 x 4"), qPrintable(r.out + r.err));
        r = cli({"run", "--data", two, "--dataset", "/first", "--method", "kmeans", "--k", "2",
                 "--history", "off"});
        QVERIFY2(r.code == 0 && r.out.contains("on 3 x 2"), qPrintable(r.out + r.err));
        r = cli({"run", "--data", two, "--dataset", "/first", "--array", "/first", "--method",
                 "kmeans", "--k", "2"});
        QVERIFY2(r.code == 2 && r.err.contains("--array and --dataset"), qPrintable(r.err));
        // An AnnData file without a label column names the categorical candidates.
        r = cli({"info", CLUSTERSCOPE_TEST_DATA "/h5ad/csr.h5ad"});
        QVERIFY2(r.out.contains("labels:   none (--label-column takes one of: batch, cell_type)"),
                 qPrintable(r.out));
    }

    // Every run is kept; history lists, filters, shows, re-runs (identical labels, and soft
    // assignments), refuses data changed since, and deletes.
    void historyKeepsRunsAndRepeatsThem()
    {
        const QString history = dir.filePath("history.sqlite");
        const QString wine = dir.filePath("history-wine.csv");
        QVERIFY(QFile::copy(CLUSTERSCOPE_TEST_DATA "/wine.csv", wine));
        const QStringList data{"--data", wine, "--scaling", "standardize", "--history", history};
        auto r = cli(QStringList{"run", "--method", "gmm", "--k", "3", "--seed", "5"} + data);
        QVERIFY2(r.code == 0 && r.err.contains("history: run #1 in " + history), qPrintable(r.err));
        r = cli(QStringList{"run", "--method", "kmeans", "--k", "4"} + data);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = cli({"history", "list", "--history", history});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto lines = r.out.split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3); // the header, then newest first
        QVERIFY2(lines[1].startsWith("2 ") && lines[1].contains("kmeans") &&
                     lines[2].startsWith("1 ") && lines[2].contains("history-wine.csv") &&
                     lines[2].contains("178") && lines[2].contains("acc "),
                 qPrintable(r.out));
        r = cli({"history", "--filter", "gmm", "--json", "--history", history});
        const auto listed = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed[0].toObject()["seed"].toInt(), 5);
        QCOMPARE(listed[0].toObject()["origin"].toString(), QString("cli"));
        r = cli({"history", "--method", "kmeans", "--json", "--history", history});
        const auto kmeansOnly = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(kmeansOnly.size(), 1);
        QCOMPARE(kmeansOnly[0].toObject()["method"].toString(), QString("kmeans"));
        r = cli({"history", "show", "1", "--history", history});
        const auto shown = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(shown["record"].toObject()["params"].toObject()["covariance_type"].toString(),
                 QString("full"));

        const QString labels = dir.filePath("history-again.csv");
        r = cli({"history", "rerun", "1", "--out", labels, "--history", history});
        QVERIFY2(r.code == 0 && r.out.contains("run #1 again: identical labels on all 178 rows "
                                               "(and identical soft assignments)"),
                 qPrintable(r.out + r.err));
        QCOMPARE(readLines(labels).size(), 179);
        QCOMPARE(cli({"history", "list", "--history", history}).out.count('\n'), 4); // kept too

        // The file changed since: refused, naming it.
        QFile f(wine);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QByteArray text = f.readAll();
        text.replace("14.23", "14.24");
        f.seek(0);
        f.write(text);
        f.close();
        r = cli({"history", "rerun", "1", "--history", history});
        QVERIFY2(r.code != 0 && r.err.contains("history-wine.csv") &&
                     r.err.contains("changed since"),
                 qPrintable(r.err));

        // The loaders' choices are kept: without labels the data (and their hash) differ.
        const QString plain = dir.filePath("history-plain.csv");
        QVERIFY(QFile::copy(CLUSTERSCOPE_TEST_DATA "/wine.csv", plain));
        r = cli({"run", "--method", "kmeans", "--k", "3", "--data", plain, "--label-column", "none",
                 "--history", history});
        QVERIFY2(r.code == 0 && r.err.contains("history: run #4"), qPrintable(r.err));
        r = cli({"history", "rerun", "4", "--history", history});
        QVERIFY2(r.code == 0 && r.out.contains("identical labels on all 178 rows"),
                 qPrintable(r.out + r.err));
        // Delete checks every id before it deletes any.
        r = cli({"history", "delete", "1", "77", "--history", history});
        QVERIFY2(r.code == 2 && r.err.contains("no run #77"), qPrintable(r.err));
        QVERIFY(cli({"history", "show", "1", "--history", history}).code == 0);
        r = cli({"history", "delete", "1", "2", "--history", history});
        QVERIFY2(r.code == 0 && r.out.contains("deleted run #2"), qPrintable(r.err));
        r = cli({"history", "show", "1", "--history", history});
        QVERIFY2(r.code == 2 && r.err.contains("no run #1"), qPrintable(r.err));
        r = cli({"history", "rerun", "x1", "--history", history});
        QVERIFY2(r.code == 2 && r.err.contains("'x1' is not a run id"), qPrintable(r.err));
        r = cli({"history", "forget", "--history", history});
        QVERIFY2(r.code == 2 && r.err.contains("unknown action 'forget'"), qPrintable(r.err));

        // --history off keeps nothing.
        r = cli(QStringList{"run", "--method", "kmeans", "--k", "3", "--data", wine, "--history",
                            "off"});
        QVERIFY2(r.code == 0 && !r.err.contains("history:"), qPrintable(r.err));
        // A history that cannot be written is a warning; the run succeeds.
        const QString notOne = dir.filePath("not-a-history.txt");
        {
            QFile n(notOne);
            QVERIFY(n.open(QIODevice::WriteOnly));
            n.write(QByteArray(4096, 'x'));
        }
        const QString out = dir.filePath("history-warned.csv");
        r = cli(QStringList{"run", "--method", "kmeans", "--k", "3", "--data", wine, "--out", out,
                            "--history", notOne});
        QVERIFY2(r.code == 0 && r.err.contains("warning: the run was not kept in the history") &&
                     r.err.contains("not-a-history.txt"),
                 qPrintable(r.err));
        QCOMPARE(readLines(out).size(), 179);
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"

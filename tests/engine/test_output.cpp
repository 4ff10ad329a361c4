// Files the engine writes: atomic replacement that survives failures and kills, keeps what
// the old file was (mode, owner, link), valid JSON for any string, and the output paths
// checked before any work starts.

#include "fixtures.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/npz_archive.h>
#include <clusterscope/io/output.h>
#include <clusterscope/io/output_paths.h>
#include <clusterscope/pipeline/run_record.h>

#include <ATen/ATen.h>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <csignal>
#include <fcntl.h>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace clusterscope;

namespace
{

void put(const std::string& path, const QByteArray& bytes)
{
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray readAll(const std::string& path)
{
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Everything in a folder, hidden files included: a stray temporary must show.
QStringList entries(const QString& dir)
{
    return QDir(dir).entryList(
        QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

// Runs `body` in a forked child and returns its wait status: for limits, signals and
// privileges that must not touch the test process.
int inChild(const std::function<int()>& body)
{
    const pid_t pid = ::fork();
    if (pid == 0)
    {
        int code = 99;
        try
        {
            code = body();
        }
        catch (...)
        {
            code = 98;
        }
        ::_exit(code);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
}

int exitCode(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Writes fail past `bytes` with EFBIG instead of killing the process with SIGXFSZ.
void limitFileSize(rlim_t bytes)
{
    const rlimit limit{bytes, bytes};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    ::signal(SIGXFSZ, SIG_IGN);
}

mode_t modeOf(const std::string& path)
{
    struct stat st
    {
    };
    ::stat(path.c_str(), &st);
    return st.st_mode & 07777;
}

// Content of `size` bytes that differs at every offset from a shifted copy.
std::string pattern(size_t size, char seed)
{
    std::string s(size, '\0');
    for (size_t i = 0; i < size; ++i)
        s[i] = static_cast<char>((i * 131 + static_cast<size_t>(seed)) % 251);
    return s;
}

} // namespace

class TestOutput : public QObject
{
    Q_OBJECT

    QTemporaryDir root;
    int cases = 0;

    // A fresh empty folder per test, so listings show only what that test left.
    QString freshDir()
    {
        const QString d = root.filePath(QString("case%1").arg(++cases));
        QDir().mkpath(d);
        return d;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(root.isValid());
        ::umask(022);
    }

    // --- npzArchive ----------------------------------------------------------------------

    void npzArchiveReadsBackAsWritten()
    {
        // A stored zip as numpy.savez writes it: our reader, and the dataset loader, read the
        // members back byte for byte (numpy.load opening one is checked by hand in the docs).
        const QString dir = freshDir();
        const std::string path = (dir + "/a.npz").toStdString();
        const auto x = at::arange(12, at::kFloat).reshape({4, 3}) / 7;
        writeFileAtomically(path,
                            npzArchive({{"meta.json", "{\"v\": 1}\n"}, {"X.npy", matrixNpy(x)}}));
        const auto members = readNpzMembers(path);
        QCOMPARE(members.size(), size_t{2});
        QCOMPARE(members.at("meta.json"), std::string("{\"v\": 1}\n"));
        QVERIFY(at::equal(npyFloat32Matrix(members.at("X.npy"), "X"), x));
        QVERIFY(at::equal(loadDataset(path).features, x));
        // Errors: a repeated name; bytes that are not a float32 table name where they came from.
        QVERIFY_THROWS_EXCEPTION(Error, npzArchive({{"a", "1"}, {"a", "2"}}));
        try
        {
            npyFloat32Matrix(members.at("meta.json"), "a.npz: meta.json");
            QFAIL("JSON bytes were read as an array");
        }
        catch (const DataError& e)
        {
            QVERIFY2(QString(e.what()).contains("a.npz: meta.json"), e.what());
        }
    }

    // --- writeFileAtomically -------------------------------------------------------------

    void writesANewFileWithTheUmasksMode()
    {
        const QString dir = freshDir();
        const std::string path = (dir + "/new.csv").toStdString();
        writeFileAtomically(path, "a,b\n1,2\n");
        QCOMPARE(readAll(path), QByteArray("a,b\n1,2\n"));
        QCOMPARE(modeOf(path), mode_t{0644});
        // A private umask gives a private file, as for any file the user creates.
        const mode_t previous = ::umask(077);
        writeFileAtomically((dir + "/private.csv").toStdString(), "x");
        ::umask(previous);
        QCOMPARE(modeOf((dir + "/private.csv").toStdString()), mode_t{0600});
        QCOMPARE(entries(dir), (QStringList{"new.csv", "private.csv"}));
    }

    void replacingKeepsTheMode()
    {
        const QString dir = freshDir();
        for (const mode_t mode : {mode_t{0600}, mode_t{0640}, mode_t{0444}, mode_t{0755}})
        {
            const std::string path = (dir + "/kept.csv").toStdString();
            writeFileAtomically(path, "old");
            QVERIFY(::chmod(path.c_str(), mode) == 0);
            writeFileAtomically(path, "new");
            QCOMPARE(readAll(path), QByteArray("new"));
            QCOMPARE(modeOf(path), mode);
        }
    }

    void replacingKeepsTheOwner()
    {
        if (::geteuid() != 0)
            QSKIP("only root can give a file to another user");
        const std::string path = (freshDir() + "/owned.csv").toStdString();
        writeFileAtomically(path, "old");
        QVERIFY(::chown(path.c_str(), 65534, 65534) == 0);
        writeFileAtomically(path, "new");
        struct stat st
        {
        };
        QVERIFY(::stat(path.c_str(), &st) == 0);
        QCOMPARE(st.st_uid, uid_t{65534});
        QCOMPARE(st.st_gid, gid_t{65534});
    }

    void aSymlinkStaysALinkAndItsFileIsReplaced()
    {
        const QString dir = freshDir();
        const std::string real = (dir + "/real.csv").toStdString();
        const std::string link = (dir + "/link.csv").toStdString();
        const std::string chain = (dir + "/chain.csv").toStdString();
        writeFileAtomically(real, "old");
        QVERIFY(::chmod(real.c_str(), 0600) == 0);
        QVERIFY(::symlink("real.csv", link.c_str()) == 0); // relative, as users make them
        QVERIFY(::symlink(link.c_str(), chain.c_str()) == 0);
        writeFileAtomically(link, "via link");
        writeFileAtomically(chain, "via chain");
        QCOMPARE(QFileInfo(QString::fromStdString(link)).symLinkTarget(),
                 QString::fromStdString(real));
        QVERIFY(QFileInfo(QString::fromStdString(chain)).isSymLink());
        QCOMPARE(readAll(real), QByteArray("via chain"));
        QCOMPARE(modeOf(real), mode_t{0600});
        // A dangling link: the file it names is created.
        const std::string dangling = (dir + "/dangling.csv").toStdString();
        QVERIFY(::symlink("later.csv", dangling.c_str()) == 0);
        writeFileAtomically(dangling, "created");
        QVERIFY(QFileInfo(QString::fromStdString(dangling)).isSymLink());
        QCOMPARE(readAll((dir + "/later.csv").toStdString()), QByteArray("created"));
        QCOMPARE(entries(dir),
                 (QStringList{"chain.csv", "dangling.csv", "later.csv", "link.csv", "real.csv"}));
    }

    void aFailedWriteKeepsTheOldFileByteForByte()
    {
        // The write stops at the file size limit (EFBIG), long before the content's end.
        const QString dir = freshDir();
        const std::string path = (dir + "/keep.bin").toStdString();
        const std::string old = pattern(20000, 1);
        writeFileAtomically(path, old);
        const int status = inChild(
            [&]
            {
                limitFileSize(64 * 1024);
                try
                {
                    writeFileAtomically(path, pattern(4 << 20, 2));
                    return 1;
                }
                catch (const Error& e)
                {
                    const std::string what = e.what();
                    return what.find(path) != std::string::npos &&
                                   what.find("the old file is untouched") != std::string::npos
                               ? 0
                               : 2;
                }
            });
        QCOMPARE(exitCode(status), 0);
        QVERIFY(readAll(path) == QByteArray::fromStdString(old));
        QCOMPARE(entries(dir), QStringList{"keep.bin"});
    }

    void aProcessKilledWhileWritingLeavesNothingBehind()
    {
        // The child is SIGKILLed once its temporary data reaches 64 KiB: at the file size
        // limit SIGXFSZ arrives, and its handler kills the process outright, mid-write.
        const QString dir = freshDir();
        const std::string path = (dir + "/keep.bin").toStdString();
        const std::string old = pattern(20000, 3);
        writeFileAtomically(path, old);
        const int status = inChild(
            [&]
            {
                const rlimit limit{64 * 1024, 64 * 1024};
                ::setrlimit(RLIMIT_FSIZE, &limit);
                ::signal(SIGXFSZ, [](int) { ::kill(::getpid(), SIGKILL); });
                writeFileAtomically(path, pattern(4 << 20, 4));
                return 1;
            });
        QVERIFY2(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
                 qPrintable(QString("status %1").arg(status)));
        QVERIFY(readAll(path) == QByteArray::fromStdString(old));
        QCOMPARE(entries(dir), QStringList{"keep.bin"});
    }

    void aNewFileThatFailsIsNotCreated()
    {
        const QString dir = freshDir();
        const std::string path = (dir + "/new.bin").toStdString();
        const int status = inChild(
            [&]
            {
                limitFileSize(4096);
                try
                {
                    writeFileAtomically(path, pattern(1 << 20, 5));
                    return 1;
                }
                catch (const Error& e)
                {
                    return std::string(e.what()).find("nothing was written") != std::string::npos
                               ? 0
                               : 2;
                }
            });
        QCOMPARE(exitCode(status), 0);
        QCOMPARE(entries(dir), QStringList{});
    }

    // --- OutputSet: several outputs, all or nothing ------------------------------------

    void aSecondOutputThatFailsMidwayKeepsTheFirstOldFile()
    {
        // The labels are small and fit; the metrics stop at the file size limit (EFBIG)
        // midway. The old labels must survive: nothing is renamed before all are written.
        const QString dir = freshDir();
        const std::string labels = (dir + "/labels.csv").toStdString();
        const std::string metrics = (dir + "/metrics.json").toStdString();
        writeFileAtomically(labels, "old labels");
        writeFileAtomically(metrics, "old metrics");
        const int status = inChild(
            [&]
            {
                limitFileSize(64 * 1024);
                try
                {
                    OutputSet outputs;
                    outputs.stage(labels, "new labels");
                    outputs.stage(metrics, pattern(1 << 20, 6));
                    outputs.commit();
                    return 1;
                }
                catch (const Error& e)
                {
                    const std::string what = e.what();
                    return what.find(metrics) != std::string::npos &&
                                   what.find("no output was replaced") != std::string::npos
                               ? 0
                               : 2;
                }
            });
        QCOMPARE(exitCode(status), 0);
        QCOMPARE(readAll(labels), QByteArray("old labels"));
        QCOMPARE(readAll(metrics), QByteArray("old metrics"));
        QCOMPARE(entries(dir), (QStringList{"labels.csv", "metrics.json"}));
    }

    void anOutputInAReadOnlyFolderKeepsTheFirstOldFile()
    {
        const QString dir = freshDir();
        const std::string labels = (dir + "/labels.csv").toStdString();
        QDir().mkpath(dir + "/locked");
        const std::string record = (dir + "/locked/run.json").toStdString();
        writeFileAtomically(labels, "old labels");
        QVERIFY(::chmod((dir + "/locked").toUtf8().constData(), 0555) == 0);
        // Root ignores permissions: this runs as nobody then, who may write in `dir` only.
        QVERIFY(::chmod(root.path().toLocal8Bit().constData(), 0755) == 0);
        QVERIFY(::chmod(dir.toLocal8Bit().constData(), 0777) == 0);
        const int status = inChild(
            [&]
            {
                if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
                    return 3;
                try
                {
                    OutputSet outputs;
                    outputs.stage(labels, "new labels");
                    outputs.stage(record, "{}");
                    outputs.commit();
                    return 1;
                }
                catch (const Error& e)
                {
                    return std::string(e.what()).find(record) != std::string::npos ? 0 : 2;
                }
            });
        ::chmod((dir + "/locked").toUtf8().constData(), 0755);
        QCOMPARE(exitCode(status), 0);
        QCOMPARE(readAll(labels), QByteArray("old labels"));
        QCOMPARE(entries(dir), (QStringList{"labels.csv", "locked"}));
    }

    void aDeviceThatRefusesReplacesNoFile()
    {
        // /dev/full takes the open and refuses every write (ENOSPC): it is written before any
        // rename, so the labels staged with it keep their old content.
        const QString dir = freshDir();
        const std::string labels = (dir + "/labels.csv").toStdString();
        writeFileAtomically(labels, "old labels");
        {
            OutputSet outputs;
            outputs.stage(labels, "new labels");
            outputs.stage("/dev/full", "{}");
            CS_EXPECT_ERROR(Error, outputs.commit(), "/dev/full", "no output was replaced");
        }
        QCOMPARE(readAll(labels), QByteArray("old labels"));
        QCOMPARE(entries(dir), QStringList{"labels.csv"});
    }

    void anUncommittedSetLeavesNothing()
    {
        const QString dir = freshDir();
        const std::string kept = (dir + "/kept.csv").toStdString();
        writeFileAtomically(kept, "old");
        {
            OutputSet outputs;
            outputs.stage(kept, "new");
            outputs.stage((dir + "/new.csv").toStdString(), "new");
        }
        QCOMPARE(readAll(kept), QByteArray("old"));
        QCOMPARE(entries(dir), QStringList{"kept.csv"});
    }

    void aCommittedSetReplacesEveryTarget()
    {
        const QString dir = freshDir();
        const std::string a = (dir + "/a.csv").toStdString();
        const std::string b = (dir + "/b.json").toStdString();
        writeFileAtomically(a, "old");
        OutputSet outputs;
        outputs.stage(a, "new a");
        outputs.stage(b, "new b");
        outputs.commit();
        QCOMPARE(readAll(a), QByteArray("new a"));
        QCOMPARE(readAll(b), QByteArray("new b"));
        QCOMPARE(entries(dir), (QStringList{"a.csv", "b.json"}));
    }

    void aPipeIsWrittenInPlace()
    {
        // A pipe (like /dev/stdout or /dev/null) has nothing to replace: renaming a file over
        // it would lose it.
        const QString dir = freshDir();
        const std::string fifo = (dir + "/pipe").toStdString();
        QVERIFY(::mkfifo(fifo.c_str(), 0600) == 0);
        const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
        QVERIFY(reader >= 0);
        writeFileAtomically(fifo, "through the pipe\n");
        char buffer[64] = {};
        const ssize_t n = ::read(reader, buffer, sizeof buffer);
        ::close(reader);
        QCOMPARE(QByteArray(buffer, static_cast<int>(std::max<ssize_t>(n, 0))),
                 QByteArray("through the pipe\n"));
        struct stat st
        {
        };
        QVERIFY(::lstat(fifo.c_str(), &st) == 0 && S_ISFIFO(st.st_mode));
        QCOMPARE(entries(dir), QStringList{"pipe"});
    }

    void aPipeNobodyReadsIsAnErrorNotAHang()
    {
        // A new-user trial's --metrics fifo waited forever for a reader. Up front it is a
        // parameter error; at write time (the reader gone since) an Error.
        const QString dir = freshDir();
        const std::string fifo = (dir + "/pipe").toStdString();
        QVERIFY(::mkfifo(fifo.c_str(), 0600) == 0);
        CS_EXPECT_ERROR(ParameterError, checkOutputPaths({}, {{"--metrics", fifo}}), "--metrics",
                        "pipe", "no program is reading");
        // Run in a thread so that a regression fails here instead of hanging the suite.
        auto write = std::async(std::launch::async,
                                [&]
                                {
                                    try
                                    {
                                        writeFileAtomically(fifo, "nobody reads this\n");
                                    }
                                    catch (const Error& e)
                                    {
                                        return std::string(e.what());
                                    }
                                    return std::string("written");
                                });
        if (write.wait_for(std::chrono::seconds(5)) != std::future_status::ready)
        {
            const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK); // release it
            write.wait();
            ::close(reader);
            QFAIL("writing to a pipe with no reader blocked");
        }
        const auto message = write.get();
        QVERIFY2(message.find("no program is reading") != std::string::npos, message.c_str());
    }

    void aFolderOrAMissingFolderIsAnError()
    {
        const QString dir = freshDir();
        CS_EXPECT_ERROR(Error, writeFileAtomically(dir.toStdString(), "x"), "is a folder");
        const std::string missing = (dir + "/missing/labels.csv").toStdString();
        CS_EXPECT_ERROR(Error, writeFileAtomically(missing, "x"), missing.c_str(),
                        "nothing was written");
        QCOMPARE(entries(dir), QStringList{});
    }

    // --- dumpJson ------------------------------------------------------------------------
    // Every JSON file the engine and the CLI write goes through dumpJson (run_record.h).

    void jsonEscapesControlCharacters()
    {
        QCOMPARE(dumpJson(std::string("a\x01\n\t\r\"\\\x1f\x7f", 10)),
                 std::string("\"a\\u0001\\n\\t\\r\\\"\\\\\\u001f\x7f\\u0000\"\n"));
    }

    void jsonReplacesInvalidUtf8_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("written");
        const QByteArray r("\xEF\xBF\xBD"); // U+FFFD
        QTest::newRow("valid is kept") << QByteArray("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E")
                                       << QByteArray("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E");
        QTest::newRow("latin-1") << QByteArray("caf\xE9.csv") << "caf" + r + ".csv";
        QTest::newRow("lone continuation") << QByteArray("a\x80z") << "a" + r + "z";
        QTest::newRow("overlong") << QByteArray("\xC0\xAF") << r + r;
        QTest::newRow("overlong 3") << QByteArray("\xE0\x80\xAF") << r + r + r;
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << r + r + r;
        QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << r + r + r + r;
        QTest::newRow("truncated") << QByteArray("\xF0\x9F\x98z") << r + "z";
        QTest::newRow("truncated at end") << QByteArray("ab\xE2\x82") << "ab" + r;
        QTest::newRow("not a lead") << QByteArray("\xF8\xFF") << r + r;
    }

    void jsonReplacesInvalidUtf8()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, written);
        const std::string text = bytes.toStdString();
        QCOMPARE(QByteArray::fromStdString(dumpJson(text)), "\"" + written + "\"\n");
        // Keys too.
        QCOMPARE(QByteArray::fromStdString(dumpJson(nlohmann::json{{text, 1}})),
                 "{\n  \"" + written + "\": 1\n}\n");
    }

    void jsonOfEveryByteParses()
    {
        std::string all;
        for (int b = 0; b < 256; ++b)
            all += static_cast<char>(b);
        const std::string dumped = dumpJson(
            nlohmann::json{{"data", {{"paths", nlohmann::json::array({all, all + all})}}}});
        QJsonParseError error;
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(dumped), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        const QString path = doc["data"]["paths"][0].toString();
        QCOMPARE(path.size(), 128 + 128); // ASCII as it was, each high byte one U+FFFD
        QCOMPARE(path.left(128), QString::fromLatin1(QByteArray(all.data(), 128)));
        QCOMPARE(path.count(QChar(0xFFFD)), 128);
    }

    void jsonWritesNonFiniteNumbersAsNull()
    {
        // JSON has no NaN or infinity: a metric that could not be computed reads as null.
        const std::map<std::string, double> metrics{
            {"nan", std::nan("")}, {"inf", HUGE_VAL}, {"one", 1.0}};
        const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(dumpJson(metrics)));
        QVERIFY(doc.isObject());
        QVERIFY(doc["nan"].isNull());
        QVERIFY(doc["inf"].isNull());
        QCOMPARE(doc["one"].toDouble(), 1.0);
    }

    // --- checkOutputPaths ----------------------------------------------------------------

    void anOutputThatIsAnInputIsRefused()
    {
        const QString dir = freshDir();
        const std::string data = (dir + "/data.csv").toStdString();
        put(data, "x,y\n1,2\n");
        QVERIFY(QDir().mkpath(dir + "/sub"));
        const std::string roundabout = (dir + "/sub/../data.csv").toStdString();
        const std::string symlink = (dir + "/alias.csv").toStdString();
        const std::string hardlink = (dir + "/hard.csv").toStdString();
        QVERIFY(::symlink("data.csv", symlink.c_str()) == 0);
        QVERIFY(::link(data.c_str(), hardlink.c_str()) == 0);
        for (const auto& out : {data, roundabout, symlink, hardlink})
        {
            CS_EXPECT_ERROR(ParameterError, checkOutputPaths({data}, {{"--out", out}}), "--out",
                            out.c_str(), data.c_str(), "is the input");
            // Whichever of the two names the input, and among other inputs.
            CS_EXPECT_ERROR(ParameterError,
                            checkOutputPaths({"/nonexistent/train.csv", out},
                                             {{"--metrics", (dir + "/m.json").toStdString()},
                                              {"--record", data}}),
                            "--record", "is the input");
        }
        // An input that does not exist (yet) is still recognised by its path.
        const std::string later = (dir + "/later.csv").toStdString();
        CS_EXPECT_ERROR(
            ParameterError,
            checkOutputPaths({later}, {{"--out", (dir + "/./later.csv").toStdString()}}),
            "is the input");
        QCOMPARE(readAll(data), QByteArray("x,y\n1,2\n"));
        QCOMPARE(entries(dir), (QStringList{"alias.csv", "data.csv", "hard.csv", "sub"}));
    }

    void anOutputInsideAnInputFolderIsRefused()
    {
        const QString dir = freshDir();
        QVERIFY(QDir().mkpath(dir + "/idx/nested"));
        const std::string folder = (dir + "/idx").toStdString();
        QVERIFY(::symlink("idx", (dir + "/alias").toStdString().c_str()) == 0);
        for (const QString& out :
             {dir + "/idx/labels.csv", dir + "/idx/nested/labels.csv", dir + "/alias/labels.csv"})
        {
            CS_EXPECT_ERROR(ParameterError,
                            checkOutputPaths({folder}, {{"--out", out.toStdString()}}), "--out",
                            "inside the input folder", folder.c_str());
        }
        // The folder itself is the input.
        CS_EXPECT_ERROR(ParameterError, checkOutputPaths({folder}, {{"--out", folder}}),
                        "is the input");
        // Beside the folder is fine.
        checkOutputPaths({folder}, {{"--out", (dir + "/idx-labels.csv").toStdString()}});
    }

    void twoOutputsThatAreTheSameFileAreRefused()
    {
        const QString dir = freshDir();
        const std::string labels = (dir + "/labels.csv").toStdString();
        CS_EXPECT_ERROR(ParameterError,
                        checkOutputPaths({}, {{"--out", labels},
                                              {"--metrics", (dir + "/m.json").toStdString()},
                                              {"--record", (dir + "/./labels.csv").toStdString()}}),
                        "--out", "--record", "the same file");
        writeFileAtomically(labels, "old");
        QVERIFY(::symlink("labels.csv", (dir + "/link.csv").toStdString().c_str()) == 0);
        CS_EXPECT_ERROR(ParameterError,
                        checkOutputPaths({}, {{"--out", labels},
                                              {"--record", (dir + "/link.csv").toStdString()}}),
                        "--out", "--record", "the same file");
        // Devices and pipes replace nothing: /dev/null may take two outputs.
        checkOutputPaths({}, {{"--out", "/dev/null"}, {"--metrics", "/dev/null"}});
    }

    void aMissingFolderOrAFolderIsRefused()
    {
        const QString dir = freshDir();
        const std::string missing = (dir + "/missing/labels.csv").toStdString();
        CS_EXPECT_ERROR(ParameterError, checkOutputPaths({}, {{"--metrics", missing}}), "--metrics",
                        missing.c_str(), "does not exist");
        CS_EXPECT_ERROR(ParameterError, checkOutputPaths({}, {{"--out", dir.toStdString()}}),
                        "--out", "is a folder");
        const std::string file = (dir + "/file").toStdString();
        writeFileAtomically(file, "x");
        CS_EXPECT_ERROR(ParameterError, checkOutputPaths({}, {{"--out", file + "/labels.csv"}}),
                        "--out", "is not a folder");
    }

    void anUnwritableFolderIsRefused()
    {
        const QString dir = freshDir();
        const std::string locked = (dir + "/locked").toStdString();
        QVERIFY(QDir().mkpath(QString::fromStdString(locked)));
        QVERIFY(::chmod(locked.c_str(), 0555) == 0);
        // Root ignores permissions: the check runs as nobody then.
        QVERIFY(::chmod(root.path().toLocal8Bit().constData(), 0755) == 0);
        QVERIFY(::chmod(dir.toLocal8Bit().constData(), 0755) == 0);
        const int status = inChild(
            [&]
            {
                if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0))
                    return 3;
                try
                {
                    checkOutputPaths({}, {{"--out", locked + "/labels.csv"}});
                    return 1;
                }
                catch (const ParameterError& e)
                {
                    const std::string what = e.what();
                    return what.find("--out") != std::string::npos &&
                                   what.find("Permission denied") != std::string::npos
                               ? 0
                               : 2;
                }
            });
        QCOMPARE(exitCode(status), 0);
        QCOMPARE(entries(QString::fromStdString(locked)), QStringList{});
    }

    void aReadOnlyMountIsRefused()
    {
        if (::geteuid() != 0)
            QSKIP("mounting needs root");
        const std::string mountPoint = (freshDir() + "/ro").toStdString();
        QVERIFY(QDir().mkpath(QString::fromStdString(mountPoint)));
        const int status = inChild(
            [&]
            {
                // A private mount namespace: the mount is seen by this child only.
                if (::unshare(CLONE_NEWNS) != 0 ||
                    ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
                    ::mount("tmpfs", mountPoint.c_str(), "tmpfs", MS_RDONLY, "size=64k") != 0)
                    return 77;
                try
                {
                    checkOutputPaths({}, {{"--record", mountPoint + "/run.json"}});
                    return 1;
                }
                catch (const ParameterError& e)
                {
                    const std::string what = e.what();
                    return what.find("--record") != std::string::npos &&
                                   what.find("Read-only file system") != std::string::npos
                               ? 0
                               : 2;
                }
            });
        if (exitCode(status) == 77)
            QSKIP("this machine does not allow a private mount namespace");
        QCOMPARE(exitCode(status), 0);
    }

    void aFolderThatRefusesNewFilesIsRefusedEvenForRoot()
    {
        // /proc grants root write permission, so access() says yes, yet no file can be made
        // there: only creating one tells.
        if (::geteuid() == 0)
            QCOMPARE(::access("/proc", W_OK), 0);
        CS_EXPECT_ERROR(ParameterError,
                        checkOutputPaths({}, {{"--out", "/proc/clusterscope-labels.csv"}}), "--out",
                        "no file can be created in '/proc'");
    }

    void acceptedOutputsAreNeitherCreatedNorChanged()
    {
        const QString dir = freshDir();
        const std::string data = (dir + "/data.csv").toStdString();
        const std::string existing = (dir + "/labels.csv").toStdString();
        put(data, "x\n1\n");
        put(existing, "old");
        const auto before = QFileInfo(QString::fromStdString(existing)).lastModified();
        checkOutputPaths({data}, {{"--out", existing},
                                  {"--metrics", (dir + "/metrics.json").toStdString()},
                                  {"--record", "/dev/null"}});
        QCOMPARE(entries(dir), (QStringList{"data.csv", "labels.csv"}));
        QCOMPARE(readAll(existing), QByteArray("old"));
        QCOMPARE(QFileInfo(QString::fromStdString(existing)).lastModified(), before);
    }

    void givenOutputsKeepsThoseWithAPath()
    {
        const auto given = givenOutputs({{"--out", std::string("a.csv")},
                                         {"--metrics", std::nullopt},
                                         {"--record", std::string("a.json")}});
        QCOMPARE(given.size(), size_t{2});
        QVERIFY(given[0] == (OutputPath{"--out", "a.csv"}));
        QVERIFY(given[1] == (OutputPath{"--record", "a.json"}));
    }
};

QTEST_GUILESS_MAIN(TestOutput)
#include "test_output.moc"

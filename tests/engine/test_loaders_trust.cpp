// Loader defects a new-user trial found (issue 13, "trustworthy results"): no column silently
// leaves the features, no label-like column silently joins them, binary files are never read as
// CSV, infinities follow the missing-value policy, and dropped rows stay traceable.

#include "fixtures.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/output.h>

#include <QtTest>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

using namespace clusterscope;
using fixtures::write;

namespace
{

bool anyWarningHas(const Dataset& d, const std::vector<std::string>& fragments)
{
    for (const auto& w : d.warnings)
    {
        bool all = true;
        for (const auto& f : fragments)
            all = all && w.find(f) != std::string::npos;
        if (all)
            return true;
    }
    return false;
}

} // namespace

class TestLoadersTrust : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

    static std::vector<float> values(const Dataset& d) { return floatValues(d.features); }

private Q_SLOTS:
    // --- 1. Decimal commas, and text columns that look numeric ---

    void decimalCommaColumnsAreNumbers()
    {
        // Before: breite and hoehe became metadata of one category per row, silently, and the
        // clustering ran on zahl alone.
        const auto d = loadDataset(write(dir, "euro.csv",
                                         "breite;hoehe;zahl\n2,041;-2,556;15\n0,418;-0,568;54\n"
                                         "8,5;1e-3;7\n"));
        QCOMPARE(d.featureNames, (std::vector<std::string>{"breite", "hoehe", "zahl"}));
        QCOMPARE(values(d),
                 (std::vector<float>{2.041F, -2.556F, 15, 0.418F, -0.568F, 54, 8.5F, 0.001F, 7}));
        QVERIFY(d.metadata.empty());
        QVERIFY2(anyWarningHas(d, {"euro.csv", "'breite', 'hoehe'", "decimal comma"}),
                 d.warnings.empty() ? "no warning" : d.warnings.front().c_str());
        // TSV too; and a missing cell still follows the policy.
        LoadOptions o;
        o.missing = MissingPolicy::Drop;
        const auto t = loadDataset(write(dir, "euro.tsv", "a\tb\n1,5\t2\n\t3\n2,5\t4\n"), o);
        QCOMPARE(values(t), (std::vector<float>{1.5F, 2, 2.5F, 4}));
    }

    void decimalCommasBesideDotsAreErrorsNotText()
    {
        // A column mixing 2,5 and 1.5 is ambiguous: an error on the cell, never metadata.
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "mixed.csv", "a;b\n1.5;1\n2,5;2\n")),
                        "mixed.csv", "line 3", "column 'a'", "'2,5'", "decimal mark");
        // With ',' as the delimiter a quoted "2,5" stays an error, as before.
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "quoted.csv", "a,b\n1.5,1\n\"2,5\",2\n")),
                        "quoted.csv", "line 3", "'2,5'");
    }

    void aStrayWordInANumericColumnIsAnErrorNamingTheCell()
    {
        // Before: the column became metadata with a warning and the run clustered without it.
        CS_EXPECT_ERROR(
            DataError,
            loadDataset(
                write(dir, "word.csv", "x,y,z\n1,2,0.5\n2,3,0.7\n3,4,unknown\n4,5,0.9\n5,6,1.1\n")),
            "word.csv", "line 4", "column 'z'", "'unknown' is not a number", "4 of the column's 5",
            "leave them empty", "--id-column z");
        // Every kind of junk a spreadsheet leaves, in the middle of a numeric column.
        for (const char* junk :
             {"12abc", "-", "\xe2\x88\x9e", "0x1p9999", "1.5 kg", "#VALUE!", "--"})
        {
            const auto text = std::string("a,b\n1,2\n2,3\n3,4\n") + junk + ",5\n4,6\n";
            const auto cell = std::string("'") + junk + "'";
            CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "junk.csv", text.c_str())),
                            "junk.csv", "line 5", "column 'a'", cell.c_str());
        }
        // A column name that needs quoting is quoted in the advice.
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "sp.csv", "x,my code\n1,1\n2,2\n3,A7\n")),
                        "--id-column 'my code'");
        // Words are not numbers: a plain text column is metadata, with no warning.
        const auto names = loadDataset(write(dir, "names.csv", "x,name\n1,ann\n2,bob\n3,cy\n"));
        QCOMPARE(names.featureNames, (std::vector<std::string>{"x"}));
        QVERIFY(names.warnings.empty());
        // The advice works: a named row identifier, and a column named like one, stay text.
        LoadOptions id;
        id.idColumn = "code";
        const auto coded = loadDataset(write(dir, "code.csv", "x,code\n1,11\n2,12\n3,A7\n"), id);
        QCOMPARE(coded.featureNames, (std::vector<std::string>{"x"}));
        QCOMPARE(coded.metadata.at(0).name, std::string("code"));
        const auto sample =
            loadDataset(write(dir, "sample.csv", "x,sample_id\n1,11\n2,12\n3,A7\n"));
        QCOMPARE(sample.featureNames, (std::vector<std::string>{"x"}));
        // Text labels with a number among them stay labels.
        const auto labels = loadDataset(write(dir, "labels.csv", "x,class\n1,1\n2,2\n3,cat\n"));
        QCOMPARE(labels.labelColumn, std::string("class"));
    }

    void aNumericColumnMostlyOfPlaceholdersIsStillAnError()
    {
        // Before: past half of the cells the column silently became metadata (issue 13's
        // second trial). Cells without a letter beside numbers are damaged numbers however many.
        for (const char* junk : {"-", "<0.01", "12.3%", "--"})
        {
            const auto text =
                std::string("a,b\n1,") + junk + "\n2," + junk + "\n3,0.5\n4," + junk + "\n5,0.7\n";
            const auto cell = std::string("'") + junk + "' is not a number, yet 2 of the " +
                              "column's 5 values are";
            CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "dash.csv", text.c_str())),
                            "dash.csv", "line 2", "column 'b'", cell.c_str());
        }
        // Words beside a minority of numbers: text, but said aloud with the numbers counted.
        const auto nd =
            loadDataset(write(dir, "nd.csv", "a,b\n1,n.d.\n2,n.d.\n3,0.5\n4,n.d.\n5,0.7\n"));
        QCOMPARE(nd.featureNames, (std::vector<std::string>{"a"}));
        QVERIFY2(anyWarningHas(
                     nd, {"nd.csv", "column 'b' is read as text", "2 of its 5", "'n.d.' (line 2)"}),
                 nd.warnings.empty() ? "no warning" : nd.warnings.front().c_str());
        // Thousands separators in every cell: no number at all, but not silently text.
        const auto thousands =
            loadDataset(write(dir, "k.csv", "a,b\n1,\"5,030\"\n2,\"1,234,567.5\"\n3,\"12,000\"\n"));
        QCOMPARE(thousands.featureNames, (std::vector<std::string>{"a"}));
        QVERIFY2(anyWarningHas(thousands, {"k.csv", "column 'b'", "'5,030'", "thousands"}),
                 thousands.warnings.empty() ? "no warning" : thousands.warnings.front().c_str());
        // Every cell a number with a unit or a sign: no number at all, but said aloud.
        for (const char* cells : {"0.24kg,1.5kg,-0.3kg", "$0.24,$1.5,$2", "(0.24),(1.5),(2)",
                                  "12.3%,-1.3%,4%", "0.24 mg,1.5 mg,2 mg"})
        {
            const auto parts = QString(cells).split(',');
            const auto text = QString("a,b\n1,%1\n2,%2\n3,%3\n").arg(parts[0], parts[1], parts[2]);
            const auto d = loadDataset(write(dir, "units.csv", text.toUtf8()));
            QCOMPARE(d.featureNames, (std::vector<std::string>{"a"}));
            const auto first = "'" + parts[0].toStdString() + "'";
            QVERIFY2(anyWarningHas(d, {"units.csv", "column 'b' is read as text", first.c_str()}),
                     d.warnings.empty() ? cells : d.warnings.front().c_str());
        }
        // Dates, plain words and codes are text without a word said.
        for (const char* text : {"a,day\n1,2020-01-05\n2,2020-01-06\n3,2021-12-31\n",
                                 "a,day\n1,2020.01.05\n2,2020.01.06\n3,2021.12.31\n",
                                 "a,who\n1,ann\n2,bob\n3,cy\n", "a,who\n1,cell1\n2,cell2\n3,A7\n"})
        {
            const auto d = loadDataset(write(dir, "quiet.csv", text));
            QCOMPARE(d.featureNames, (std::vector<std::string>{"a"}));
            QVERIFY2(d.warnings.empty(), d.warnings.empty() ? "" : d.warnings.front().c_str());
        }
    }

    void emptyColumnsAndRepeatedFilesAreSaid()
    {
        // A trailing delimiter (Excel, R): before, each policy's advice led to the next error.
        const auto trailing = loadDataset(write(dir, "trail.csv", "a,b,\n1,2,\n3,4,\n5,7,\n"));
        QCOMPARE(trailing.featureNames, (std::vector<std::string>{"a", "b"}));
        QCOMPARE(values(trailing), (std::vector<float>{1, 2, 3, 4, 5, 7}));
        QVERIFY2(anyWarningHas(trailing, {"trail.csv", "empty in every row", "at the end"}),
                 trailing.warnings.empty() ? "no warning" : trailing.warnings.front().c_str());
        // The same file twice, by name or through a link, doubled every row silently.
        const auto file = write(dir, "once.csv", "a,b\n1,2\n3,4\n");
        const auto link = dir.filePath("link.csv").toStdString();
        QVERIFY(QFile::link(QString::fromStdString(file), QString::fromStdString(link)));
        CS_EXPECT_ERROR(DataError, loadDatasets({file, link}), "link.csv", "given twice",
                        "once.csv");
        CS_EXPECT_ERROR(DataError, loadDatasets({file, file}), "given twice");
    }

    void labelsReadAlikeInEveryFormat()
    {
        // A tab alone is blank, padded names are trimmed, and NA or nan is a missing label,
        // in a CSV as in .npz and .h5ad (test_hdf5, test_loaders).
        CS_EXPECT_ERROR(MissingValueError,
                        loadDataset(write(dir, "tab.csv", "a,class\n1,x\n2,\t\n3,y\n")), "tab.csv",
                        "line 3");
        const auto padded = loadDataset(write(dir, "pad.csv", "a,class\n1, A\n2,A\n3,B \n4,B\n"));
        QCOMPARE(padded.labelNames, (std::vector<std::string>{"A", "B"}));
        // Unicode blanks a spreadsheet leaves: a label of a no-break or zero-width space is
        // missing, and a number after a no-break space is a number.
        CS_EXPECT_ERROR(
            MissingValueError,
            loadDataset(write(dir, "nbsp.csv", "a,class\n1,x\n2,\xc2\xa0\n3,\xe2\x80\x8b\n4,y\n")),
            "nbsp.csv", "line 3");
        // Every Unicode space: figure space, thin space, line separator, NEL.
        const auto unicode = loadDataset(write(dir, "uspace.csv",
                                               "a,class\n1,b\xe2\x80\x87\n2,\xe2\x80\x89"
                                               "b\n3,b\n4,c\xe2\x80\xa8\n5,\xc2\x85"
                                               "c\n"));
        QCOMPARE(unicode.labelNames, (std::vector<std::string>{"b", "c"}));
        const auto spaced = loadDataset(write(dir, "nbspnum.csv",
                                              "a,b\n1,\xc2\xa0"
                                              "2.5\n2,\xc2\xa0"
                                              "3\n3,4\xc2\xa0\n"));
        QCOMPARE(spaced.featureNames, (std::vector<std::string>{"a", "b"}));
    }

    void repeatedNamesAndCommentLinesAreSaid()
    {
        // Before: two columns named 'a' loaded silently, the second one unreachable by name.
        const auto twice = loadDataset(write(dir, "aa.csv", "a,a,b\n1,2,3\n4,5,6\n"));
        QCOMPARE(twice.featureNames, (std::vector<std::string>{"a", "a.1", "b"}));
        QVERIFY(anyWarningHas(twice, {"aa.csv", "'a' appears more than once", "'a.1'"}));
        // A second 'label' column stays out of the features: renamed, it is still label-like.
        const auto labels =
            loadDataset(write(dir, "ll.csv", "a,label,label\n1,x,0\n2,x,1\n3,x,0\n"));
        QCOMPARE(labels.featureNames, (std::vector<std::string>{"a"}));
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "hash.csv", "# exported by a tool\na,b\n1,2\n")),
                        "hash.csv", "line 2", "starts with '#'", "remove such lines");
    }

    void encodingsAndDecimalCommasGetAdviceThatWorks()
    {
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "u32.csv", QByteArray("\xff\xfe\0\0a\0\0\0", 8))),
                        "u32.csv", "UTF-32", "iconv -f UTF-32");
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "u16.csv",
                                          QByteArray("\xff\xfe"
                                                     "a\0,\0b\0",
                                                     8))),
                        "u16.csv", "UTF-16", "UTF-8");
        CS_EXPECT_ERROR(
            DataError, loadDataset(write(dir, "dc.csv", "a,b\n\"1,5\",\"2,5\"\n\"3,5\",\"4,5\"\n")),
            "dc.csv", "no numeric column", "decimal commas", "';' as the delimiter");
        // The advice works: the same numbers with ';' as the delimiter load.
        QCOMPARE(values(loadDataset(write(dir, "dc2.csv", "a;b\n1,5;2,5\n3,5;4,5\n"))),
                 (std::vector<float>{1.5F, 2.5F, 3.5F, 4.5F}));
    }

    void anArrayNameOnAOneTableFileIsRefused()
    {
        // Before: --array X on a CSV was ignored without a word.
        LoadOptions o;
        o.array = "X";
        CS_EXPECT_ERROR(ParameterError, loadDataset(write(dir, "t.csv", "a,b\n1,2\n3,4\n"), o),
                        "t.csv", "--array", "leave --array out");
    }

    void pandasMissingValueSpellingsAreMissing()
    {
        // pandas' default na_values and spreadsheets' #N/A: missing values under the policy,
        // not text that turns the column into metadata.
        for (const char* na : {"#N/A", "#N/A N/A", "#NA", "<NA>", "None", "NULL", "N/A", "-1.#IND",
                               "1.#QNAN", "-NaN", "?"})
        {
            const auto text = std::string("a,b\n1,2\n") + na + ",3\n3,4\n";
            const auto path = write(dir, "na.csv", text.c_str());
            CS_EXPECT_ERROR(MissingValueError, loadDataset(path), "na.csv", "line 3", "column 'a'",
                            "--missing drop");
            LoadOptions drop;
            drop.missing = MissingPolicy::Drop;
            const auto d = loadDataset(path, drop);
            QCOMPARE(values(d), (std::vector<float>{1, 2, 3, 4}));
            QCOMPARE(d.droppedRows, int64_t{1});
        }
    }

    // --- 2. A second label-like column ---

    void aSecondLabelLikeColumnStaysOutOfTheFeatures()
    {
        // Before: class was the labels and target a feature: the answer leaked into the input.
        const auto path = write(dir, "two.csv", "x,y,class,target\n1,2,0,1\n2,3,0,1\n3,4,1,0\n");
        const auto d = loadDataset(path);
        QCOMPARE(d.labelColumn, std::string("class"));
        QCOMPARE(d.featureNames, (std::vector<std::string>{"x", "y"}));
        QCOMPARE(d.metadata.size(), size_t{1});
        QCOMPARE(d.metadata[0].name, std::string("target"));
        QVERIFY2(anyWarningHas(d, {"two.csv", "'class'", "'target'", "--label-column target",
                                   "--label-column class"}),
                 d.warnings.empty() ? "no warning" : d.warnings.front().c_str());
        // Naming the labels is a choice: the other column is then a feature, as asked.
        LoadOptions o;
        o.labelColumn = "class";
        const auto named = loadDataset(path, o);
        QCOMPARE(named.featureNames, (std::vector<std::string>{"x", "y", "target"}));
        QVERIFY(named.warnings.empty());
    }

    // --- 3, 4. Binary files are never read as CSV ---

    void binaryFilesNeverFallBackToCsv()
    {
        std::mt19937 rng(7);
        QByteArray noise(1000, '\0');
        for (auto& b : noise)
            b = static_cast<char>(rng());
        noise[0] = 'x'; // no magic of any format
        // Before: "line 3 has 1 fields; expected 2 like the first line".
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "garbage.npy", noise)), "garbage.npy",
                        "not a NumPy .npy file", "\\x93NUMPY");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "garbage.npz", noise)), "garbage.npz",
                        "npz");
        QByteArray idx = fixtures::idx({2, 2, 2}, QByteArray(8, '\x01'));
        idx[2] = '\x77';
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "bad-images-idx3-ubyte", idx)),
                        "bad-images-idx3-ubyte", "IDX value type 0x77");
        // A "CSV" with binary bytes says so, naming where.
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "garbage.csv", noise)), "garbage.csv",
                        "does not look like a text table");
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "nul.csv", QByteArray("a,b\n1,2\n3,\0\n", 12))),
                        "nul.csv", "does not look like a text table", "line 3", "0x00");
        // Text in Latin-1 (a few bytes that are not UTF-8) is still a table.
        const auto latin = loadDataset(write(dir, "latin1.csv", "h\xf6he,b\n1,2\n3,4\n"));
        QCOMPARE(latin.featureNames.front(), std::string("h\xf6he"));
    }

    void idxLabelCountMismatchAdvisesNoLabels()
    {
        write(dir, "odd-images-idx3-ubyte", fixtures::idx({2, 2, 2}, QByteArray(8, '\x01')));
        write(dir, "odd-labels-idx1-ubyte", fixtures::idx({5}, QByteArray(5, '\0')));
        const auto images = dir.filePath("odd-images-idx3-ubyte").toStdString();
        CS_EXPECT_ERROR(DataError, loadDataset(images), "odd-labels-idx1-ubyte",
                        "expected 2 labels", "--label-column none");
        LoadOptions o;
        o.labelColumn = "none"; // the advice works
        QCOMPARE(loadDataset(images, o).rows(), 2);
    }

    // --- 5. Dropped rows are counted and traceable ---

    void droppedRowsAreCountedAndKeepTheirInputRow()
    {
        const auto path =
            write(dir, "n.csv", "a,b,c\n1,2,3\nnan,2,3\n4,NaN,6\n7,8,NA\n1,,3\n2,3,4\n5,6,7\n");
        LoadOptions o;
        o.missing = MissingPolicy::Drop;
        const auto d = loadDataset(path, o);
        QCOMPARE(d.rows(), 3);
        QCOMPARE(d.droppedRows, int64_t{4});
        QCOMPARE(d.inputRows, (std::vector<int64_t>{0, 5, 6}));
        QCOMPARE(d.inputRow(1), int64_t{5});
        o.missing = MissingPolicy::ImputeMean;
        const auto m = loadDataset(path, o);
        QCOMPARE(m.rows(), 7);
        QCOMPARE(m.imputedValues, int64_t{4});
        QVERIFY(m.inputRows.empty());
        // Arrays count theirs too.
        const float nan = std::nanf("");
        const auto npy =
            write(dir, "n.npy",
                  fixtures::npy(1, "<f4", {3, 2},
                                fixtures::bytesOf(std::vector<float>{1, nan, 3, 4, 5, 6})));
        o.missing = MissingPolicy::Drop;
        const auto a = loadDataset(npy, o);
        QCOMPARE(a.droppedRows, int64_t{1});
        QCOMPARE(a.inputRows, (std::vector<int64_t>{1, 2}));
        o.missing = MissingPolicy::ImputeMean;
        QCOMPARE(loadDataset(npy, o).imputedValues, int64_t{1});
        // Two parts: the second's rows are numbered after all of the first's.
        o.missing = MissingPolicy::Drop;
        const auto copy =
            write(dir, "n2.csv", "a,b,c\n1,2,3\nnan,2,3\n4,NaN,6\n7,8,NA\n1,,3\n2,3,4\n5,6,7\n");
        const auto both = loadDatasets({path, copy}, o);
        QCOMPARE(both.inputRows, (std::vector<int64_t>{0, 5, 6, 7, 12, 13}));
        QCOMPARE(both.droppedRows, int64_t{8});
    }

    void labelsCsvIdsAreInputRows()
    {
        ClusteringResult r;
        r.labels = {1, 0, 1};
        QCOMPARE(labelsCsv(r), std::string("id,cluster\n0,1\n1,0\n2,1\n"));
        QCOMPARE(labelsCsv(r, {0, 5, 6}), std::string("id,cluster\n0,1\n5,0\n6,1\n"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, labelsCsv(r, {0, 1}));
    }

    // --- 6. Infinities ---

    void infinitiesAreMissingValuesForThePolicies()
    {
        const auto path = write(dir, "inf.csv", "a,b\n1,2\n3,inf\n5,-Infinity\n7,8\n");
        CS_EXPECT_ERROR(DataError, loadDataset(path), "inf.csv", "line 3", "column 'b'", "infinity",
                        "--missing drop");
        LoadOptions o;
        o.missing = MissingPolicy::Drop; // the advice works
        const auto d = loadDataset(path, o);
        QCOMPARE(values(d), (std::vector<float>{1, 2, 7, 8}));
        QCOMPARE(d.droppedRows, int64_t{2});
        o.missing = MissingPolicy::ImputeMean;
        const auto m = loadDataset(path, o);
        QCOMPARE(values(m), (std::vector<float>{1, 2, 3, 5, 5, 5, 7, 8}));
        QCOMPARE(m.imputedValues, int64_t{2});
        // In arrays too; a value float32 cannot hold stays an error whose advice is to rescale.
        const double inf = std::numeric_limits<double>::infinity();
        const auto npy = write(
            dir, "inf.npy",
            fixtures::npy(1, "<f8", {2, 2}, fixtures::bytesOf(std::vector<double>{1, 2, 3, -inf})));
        CS_EXPECT_ERROR(DataError, loadDataset(npy), "inf.npy", "row 1, column 1", "infinity",
                        "--missing drop");
        o.missing = MissingPolicy::Drop;
        QCOMPARE(values(loadDataset(npy, o)), (std::vector<float>{1, 2}));
        const auto big = write(
            dir, "big.npy",
            fixtures::npy(1, "<f8", {2, 2}, fixtures::bytesOf(std::vector<double>{1, 1e39, 3, 4})));
        CS_EXPECT_ERROR(DataError, loadDataset(big, o), "big.npy", "float32", "rescale");
    }

    void imputedMeansOfHugeValuesStayFinite()
    {
        // Found by fuzz_npy: the mean of -3.06e38 and -1.74e38, summed in float32, overflowed
        // to -inf and an infinity was imputed. Every loader's imputation averages in float64.
        LoadOptions o;
        o.missing = MissingPolicy::ImputeMean;
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const auto npy = write(
            dir, "huge.npy",
            fixtures::npy(1, "<f4", {3, 2},
                          fixtures::bytesOf(std::vector<float>{1, -3e38F, nan, -2e38F, 3, nan})));
        const auto a = loadDataset(npy, o);
        QCOMPARE(values(a), (std::vector<float>{1, -3e38F, 2, -2e38F, 3, -2.5e38F}));
        QCOMPARE(a.imputedValues, int64_t{2});
        const auto csv = write(dir, "huge.csv", "a,b\n1,-3e38\n,-2e38\n3,\n");
        const auto c = loadDataset(csv, o);
        QCOMPARE(values(c), (std::vector<float>{1, -3e38F, 2, -2e38F, 3, -2.5e38F}));
        QCOMPARE(c.imputedValues, int64_t{2});
    }

    // --- 7. Row identifiers are not features ---

    void rowIdentifiersStayOutOfTheFeatures()
    {
        // pandas' to_csv: an unnamed first column holding the index 0..n-1. Before: it was a
        // feature, dominated every distance, and nothing was said.
        std::string pandas = ",x1,x2,class\n";
        std::string named = "id,x1,x2\n";
        std::string bare;
        for (int i = 0; i < 12; ++i)
        {
            const auto row = std::to_string(i % 3) + ".5," + std::to_string(i % 2) + ".25";
            pandas += std::to_string(i) + "," + row + "," + std::to_string(i % 3) + "\n";
            named += std::to_string(i + 1) + "," + row + "\n";
            bare += std::to_string(i) + "," + row + "\n";
        }
        const auto path = write(dir, "pandas.csv", QByteArray::fromStdString(pandas));
        const auto d = loadDataset(path);
        QCOMPARE(d.featureNames, (std::vector<std::string>{"x1", "x2"}));
        QCOMPARE(d.labelColumn, std::string("class"));
        QCOMPARE(d.metadata.size(), size_t{1});
        QCOMPARE(d.metadata[0].numbers.back(), 11.0);
        QVERIFY2(anyWarningHas(d, {"pandas.csv", "column 'column 0'", "row numbers 0..11",
                                   "--id-column none"}),
                 d.warnings.empty() ? "no warning" : d.warnings.front().c_str());
        // The advice works: an explicit choice wins.
        LoadOptions keep;
        keep.idColumn = "none";
        const auto kept = loadDataset(path, keep);
        QCOMPARE(kept.featureNames, (std::vector<std::string>{"column 0", "x1", "x2"}));
        QVERIFY(kept.warnings.empty());
        // 1..n under a name, and a header-less file (counted from the first record).
        const auto n = loadDataset(write(dir, "named.csv", QByteArray::fromStdString(named)));
        QCOMPARE(n.featureNames, (std::vector<std::string>{"x1", "x2"}));
        QVERIFY(anyWarningHas(n, {"column 'id'", "row numbers 1..12"}));
        const auto b = loadDataset(write(dir, "bare.csv", QByteArray::fromStdString(bare)));
        QCOMPARE(b.featureNames, (std::vector<std::string>{"column 1", "column 2"}));
        // A shuffled index (df.sample().to_csv()) under pandas' name for it: distinct integers.
        const auto shuffled =
            loadDataset(write(dir, "shuffled.csv", "Unnamed: 0,a,b\n7,1,2\n2,3,4\n9,5,6\n0,7,8\n"));
        QCOMPARE(shuffled.featureNames, (std::vector<std::string>{"a", "b"}));
        QVERIFY(anyWarningHas(
            shuffled, {"'Unnamed: 0'", "named like a row identifier", "4 distinct integers"}));
        // Not identifiers: a repeated value under an id name, a short 1..5 column of a tiny
        // table, and a column named by --id-column is taken without a warning.
        QCOMPARE(loadDataset(write(dir, "repeat.csv", "id,a\n1,2\n1,3\n2,4\n")).featureNames,
                 (std::vector<std::string>{"id", "a"}));
        QCOMPARE(loadDataset(write(dir, "tiny.csv", "x,y\n1,2\n2,3\n3,9\n4,1\n5,0\n")).featureNames,
                 (std::vector<std::string>{"x", "y"}));
        LoadOptions pick;
        pick.idColumn = "a";
        const auto picked = loadDataset(write(dir, "pick.csv", "a,b,c\n5,1,2\n3,3,4\n"), pick);
        QCOMPARE(picked.featureNames, (std::vector<std::string>{"b", "c"}));
        QVERIFY(picked.warnings.empty());
        CS_EXPECT_ERROR(DataError,
                        loadDataset(dir.filePath("pick.csv").toStdString(),
                                    []
                                    {
                                        LoadOptions o;
                                        o.idColumn = "zz";
                                        return o;
                                    }()),
                        "pick.csv", "no column 'zz' for --id-column");
        // Dropped rows keep their numbers: the column is still the row numbers.
        LoadOptions drop;
        drop.missing = MissingPolicy::Drop;
        auto gap = pandas;
        gap.replace(gap.find("\n3,") + 3, 3, "nan");
        const auto g = loadDataset(write(dir, "gap.csv", QByteArray::fromStdString(gap)), drop);
        QCOMPARE(g.featureNames, (std::vector<std::string>{"x1", "x2"}));
        QCOMPARE(g.droppedRows, int64_t{1});
    }

    void arraysKeepRowNumbersOutOfTheFeatures()
    {
        // np.save(df.reset_index().to_numpy()): the index is column f0.
        std::vector<double> v;
        for (int i = 0; i < 12; ++i)
            v.insert(v.end(), {double(i), double(i % 3), double(i % 2) * 0.5});
        const auto npy =
            write(dir, "index.npy", fixtures::npy(1, "<f8", {12, 3}, fixtures::bytesOf(v)));
        const auto d = loadDataset(npy);
        QCOMPARE(d.featureNames, (std::vector<std::string>{"f1", "f2"}));
        QCOMPARE(d.metadata.size(), size_t{1});
        QCOMPARE(d.metadata[0].name, std::string("f0"));
        QVERIFY(anyWarningHas(
            d, {"index.npy", "column 'f0'", "row numbers 0..11", "--id-column none"}));
        LoadOptions keep;
        keep.idColumn = "none";
        QCOMPARE(loadDataset(npy, keep).cols(), 3);
        // Images keep every pixel, whatever a pixel's values.
        std::vector<float> image(12 * 2 * 2, 1.0F);
        for (int i = 0; i < 12; ++i)
            image[static_cast<size_t>(4 * i)] = static_cast<float>(i);
        const auto images = loadDataset(write(
            dir, "images.npy", fixtures::npy(1, "<f4", {12, 2, 2}, fixtures::bytesOf(image))));
        QCOMPARE(images.cols(), 4);
    }

    // --- 8. scikit-learn's bundled CSVs, and class columns of header-less tables ---

    void sklearnBundledCsvsLoadTheirLabels()
    {
        // load_csv_data's layout: "n_samples,n_features,class names", the target last. Before:
        // iris.csv's target was a feature and its first line the column names; wine_data.csv
        // could not be read at all (line 2 has 14 fields).
        const auto path = write(dir, "iris_like.csv",
                                "4,3,setosa,versicolor,virginica\n5.1,3.5,1.4,0\n4.9,3.0,1.4,1\n"
                                "6.3,3.3,6.0,2\n5.8,2.7,5.1,2\n");
        const auto d = loadDataset(path);
        QCOMPARE(d.featureNames, (std::vector<std::string>{"column 0", "column 1", "column 2"}));
        QCOMPARE(d.labels, (std::vector<int64_t>{0, 1, 2, 2}));
        QCOMPARE(d.labelNames, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
        QCOMPARE(d.labelText(1), std::string("versicolor"));
        QVERIFY(anyWarningHas(d, {"iris_like.csv", "scikit-learn", "4 samples", "3 features",
                                  "--label-column none"}));
        LoadOptions none;
        none.labelColumn = "none";
        QCOMPARE(loadDataset(path, none).cols(), 4);
        // The counts must match the file, else it is an ordinary table (here: an error on the
        // widths, as before).
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "miscount.csv", "9,3,a\n1,2,3,0\n4,5,6,1\n")),
                        "miscount.csv", "line 2 has 4 fields");
        // The real files, where scikit-learn is installed.
        const std::string sklearn = "/usr/lib/python3/dist-packages/sklearn/datasets/data/";
        if (QFileInfo::exists(QString::fromStdString(sklearn + "wine_data.csv")))
        {
            const auto wine = loadDataset(sklearn + "wine_data.csv");
            QCOMPARE(wine.rows(), 178);
            QCOMPARE(wine.cols(), 13);
            QCOMPARE(wine.labelNames.size(), size_t{3});
            const auto iris = loadDataset(sklearn + "iris.csv");
            QCOMPARE(iris.cols(), 4);
            QCOMPARE(iris.labelText(2), std::string("virginica"));
        }
    }

    void headerlessClassColumnsAreNamed()
    {
        // digits.csv.gz: no header, the digit last. Before: a feature, with no word.
        std::string csv;
        for (int i = 0; i < 12; ++i)
            csv += std::to_string(i * 7 % 5) + ".5," + std::to_string(i % 11) + "," +
                   std::to_string(i % 3) + "\n";
        const auto d = loadDataset(write(dir, "digits_like.csv", QByteArray::fromStdString(csv)));
        QCOMPARE(d.cols(), 3);
        QVERIFY2(anyWarningHas(d, {"digits_like.csv", "last column ('column 2')",
                                   "3 distinct small integers (0..2)", "--label-column last"}),
                 d.warnings.empty() ? "no warning" : d.warnings.front().c_str());
        // The advice works, and an explicit choice is not second-guessed.
        LoadOptions last;
        last.labelColumn = "last";
        const auto labelled = loadDataset(dir.filePath("digits_like.csv").toStdString(), last);
        QCOMPARE(labelled.cols(), 2);
        QVERIFY(labelled.warnings.empty());
        // The first column, when the last is not one.
        const auto first = loadDataset(write(dir, "first.csv",
                                             "1,0.5\n0,1.5\n1,2.5\n0,3.5\n"
                                             "1,4.5\n0,5.5\n"));
        QVERIFY(anyWarningHas(first, {"first column", "--label-column 0"}));
        // Floats, or as many values as rows, are not classes.
        QVERIFY(
            loadDataset(write(dir, "floats.csv", "0.5,1.5\n2.5,3.5\n1.5,0.5\n")).warnings.empty());
    }

    // --- 9. NumPy dtypes ClusterScope cannot read say how to re-save them ---

    void unreadableNpyDtypesSayHowToResave()
    {
        // np.save of dtype=object pickles. Before: "unreadable NPY dtype '|O'".
        const auto object =
            write(dir, "object.npy", fixtures::npy(1, "|O", {2, 2}, QByteArray(16, 'x')));
        CS_EXPECT_ERROR(DataError, loadDataset(object), "object.npy", "pickled Python objects",
                        "does not unpickle", "np.save(path, np.asarray(arr, dtype=np.float32))");
        const auto cases = std::vector<std::pair<std::string, std::vector<std::string>>>{
            {"<c8", {"complex numbers", "arr.real, arr.imag"}},
            {"<M8[D]", {"dates and times", "astype('datetime64[s]')"}},
            {"<m8[s]", {"durations", "np.timedelta64(1, 's')"}},
            {"<f16", {"long double", "arr.astype(np.float64)"}},
            {"<U3", {"holds text", "np.savez(path, X=features, y=labels)"}},
        };
        for (const auto& [descr, fragments] : cases)
        {
            const auto file =
                write(dir, "odd.npy", fixtures::npy(1, descr, {2, 1}, QByteArray(32, '\0')));
            try
            {
                loadDataset(file);
                QFAIL(("no error for " + descr).c_str());
            }
            catch (const DataError& e)
            {
                for (const auto& f : fragments)
                    QVERIFY2(std::string(e.what()).find(f) != std::string::npos, e.what());
            }
        }
        // A structured (record) dtype.
        QByteArray record = fixtures::npy(1, "<f4", {2}, QByteArray(16, '\0'));
        record.replace("'<f4'", "[('a', '<f4'), ('b', '<f4')]");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "record.npy", record)), "record.npy",
                        "structured (record) array", "structured_to_unstructured");
        // uint16/32/64 are numbers like any other.
        const auto u2 = loadDataset(write(
            dir, "u2.npy",
            fixtures::npy(1, "<u2", {1, 2}, fixtures::bytesOf(std::vector<uint16_t>{1, 65535}))));
        QCOMPARE(values(u2), (std::vector<float>{1, 65535}));
        const auto u4 = loadDataset(
            write(dir, "u4.npy",
                  fixtures::npy(1, "<u4", {1, 2},
                                fixtures::bytesOf(std::vector<uint32_t>{7, 4000000000U}))));
        QCOMPARE(values(u4), (std::vector<float>{7, 4e9F}));
        const auto u8 = loadDataset(write(
            dir, "u8.npy",
            fixtures::npy(1, "<u8", {1, 2},
                          fixtures::bytesOf(std::vector<uint64_t>{3, 18446744073709551615ULL}))));
        QCOMPARE(values(u8), (std::vector<float>{3, 1.8446744e19F}));
    }
};

QTEST_GUILESS_MAIN(TestLoadersTrust)
#include "test_loaders_trust.moc"

// Loaders on handmade fixtures, good and broken: every broken one must give a DataError that
// names the file and what was wrong, never a crash.

#include "fixtures.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/output.h>

#include <QtTest>

#include <cmath>

using namespace clusterscope;
using fixtures::write;

class TestLoaders : public QObject
{
    Q_OBJECT

    QTemporaryDir dir;

    static std::vector<float> values(const Dataset& d) { return floatValues(d.features); }

private Q_SLOTS:
    void csvWithHeaderQuotesAndMetadata()
    {
        const auto path = write(dir, "table.csv",
                                "id,\"height, cm\",weight,species,label\n"
                                "a1,170.5,60,\"cat, big\",0\n"
                                "a2,180,\"75\",\"say \"\"hi\"\"\",1\r\n"
                                "a3,+165,1e2,dog,1\n"
                                "\n");
        const Dataset d = loadDataset(path);
        QCOMPARE(d.rows(), 3);
        QCOMPARE(d.cols(), 2);
        QCOMPARE(d.featureNames, (std::vector<std::string>{"height, cm", "weight"}));
        QCOMPARE(values(d), (std::vector<float>{170.5f, 60, 180, 75, 165, 100}));
        QCOMPARE(d.labels, (std::vector<int64_t>{0, 1, 1}));
        QCOMPARE(d.labelColumn, std::string("label"));
        QCOMPARE(d.metadata.size(), size_t{2});
        QCOMPARE(d.metadata[1].name, std::string("species"));
        QCOMPARE(d.metadata[1].text(0), std::string("cat, big"));
        QCOMPARE(d.metadata[1].text(1), std::string("say \"hi\""));
        QCOMPARE(d.format, std::string("csv"));
    }

    void csvWithoutHeaderAndLabelByIndex()
    {
        const auto path = write(dir, "plain.csv", "1,2,7\n3,4,8\n5,6,7\n");
        LoadOptions o;
        o.labelColumn = "last";
        const Dataset d = loadDataset(path, o);
        QCOMPARE(d.rows(), 3);
        QCOMPARE(values(d), (std::vector<float>{1, 2, 3, 4, 5, 6}));
        QCOMPARE(d.labels, (std::vector<int64_t>{7, 8, 7}));
        o.labelColumn = "0";
        QCOMPARE(loadDataset(path, o).labels, (std::vector<int64_t>{1, 3, 5}));
    }

    void textLabelsBecomeSortedCodes()
    {
        const auto path =
            write(dir, "text_labels.csv", "x,y,class\n0,1,virginica\n1,0,setosa\n2,2,virginica\n");
        const Dataset d = loadDataset(path);
        QCOMPARE(d.labelNames, (std::vector<std::string>{"setosa", "virginica"}));
        QCOMPARE(d.labels, (std::vector<int64_t>{1, 0, 1}));
    }

    void pixelColumnsMakeAnImage()
    {
        const auto path =
            write(dir, "px.csv", "pixel_0_0,pixel_0_1,pixel_1_0,pixel_1_1,label\n1,2,3,4,0\n");
        const Dataset d = loadDataset(path);
        QVERIFY(d.imageShape.has_value());
        QCOMPARE(d.imageShape->height, 2);
        QCOMPARE(d.imageShape->width, 2);
        // Out of order, or not a full grid: not an image.
        QVERIFY(!loadDataset(write(dir, "px2.csv", "pixel_0_1,pixel_0_0\n1,2\n")).imageShape);
        QVERIFY(!loadDataset(write(dir, "px3.csv", "pixel_0_0,pixel_0_1,pixel_1_0\n1,2,3\n"))
                     .imageShape);
    }

    void tsvByExtension()
    {
        const auto path = write(dir, "t.tsv", "a\tb\n1.5\t2\n3\t4\n");
        const Dataset d = loadDataset(path);
        QCOMPARE(d.format, std::string("tsv"));
        QCOMPARE(values(d), (std::vector<float>{1.5f, 2, 3, 4}));
    }

    void missingValuesFollowThePolicy()
    {
        const auto path = write(dir, "missing.csv", "a,b\n1,2\n3,NA\n5,\n7,NaN\n9,10\n");
        CS_EXPECT_ERROR(DataError, loadDataset(path), "missing.csv", "line 3", "column 'b'",
                        "--missing");
        LoadOptions o;
        o.missing = MissingPolicy::Drop;
        QCOMPARE(values(loadDataset(path, o)), (std::vector<float>{1, 2, 9, 10}));
        o.missing = MissingPolicy::ImputeMean;
        QCOMPARE(values(loadDataset(path, o)), (std::vector<float>{1, 2, 3, 6, 5, 6, 7, 6, 9, 10}));
    }

    void brokenCsvFilesGiveClearErrors()
    {
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "empty.csv", "")), "empty.csv", "empty");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "ragged.csv", "a,b\n1,2\n3\n")),
                        "ragged.csv", "line 3", "1 fields", "expected 2");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "quote.csv", "a,b\n1,\"2\n")),
                        "quote.csv", "never closed");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "header_only.csv", "a,b\n")),
                        "no data rows");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "words.csv", "a,b\nx,y\n")),
                        "no numeric column");
        LoadOptions o;
        o.labelColumn = "nope";
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "lbl.csv", "a,b\n1,2\n"), o),
                        "no column 'nope'", "a, b");
        CS_EXPECT_ERROR(DataError, loadDataset(dir.filePath("absent.csv").toStdString()),
                        "absent.csv", "no such file");
    }

    void npyVersionsDtypesAndLayouts_data()
    {
        QTest::addColumn<int>("version");
        QTest::addColumn<QString>("descr");
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<bool>("fortran");
        // The 2 x 3 matrix [[1, 2, 3], [4, 5, 6]] in each encoding.
        const std::vector<float> f{1, 2, 3, 4, 5, 6};
        const std::vector<double> d{1, 2, 3, 4, 5, 6};
        const std::vector<int32_t> i{1, 2, 3, 4, 5, 6};
        const std::vector<int64_t> l{1, 2, 3, 4, 5, 6};
        const std::vector<uint8_t> u{1, 2, 3, 4, 5, 6};
        const std::vector<float> fColumnMajor{1, 4, 2, 5, 3, 6};
        QTest::newRow("v1 <f4") << 1 << "<f4" << fixtures::bytesOf(f) << false;
        QTest::newRow("v2 <f8") << 2 << "<f8" << fixtures::bytesOf(d) << false;
        QTest::newRow("v3 <i4") << 3 << "<i4" << fixtures::bytesOf(i) << false;
        QTest::newRow("v1 <i8") << 1 << "<i8" << fixtures::bytesOf(l) << false;
        QTest::newRow("v1 |u1") << 1 << "|u1" << fixtures::bytesOf(u) << false;
        QTest::newRow("v1 >f4 big-endian") << 1 << ">f4" << fixtures::bytesOf(f, true) << false;
        QTest::newRow("v1 >f8 big-endian") << 1 << ">f8" << fixtures::bytesOf(d, true) << false;
        QTest::newRow("v1 <f4 Fortran") << 1 << "<f4" << fixtures::bytesOf(fColumnMajor) << true;
    }

    void npyVersionsDtypesAndLayouts()
    {
        QFETCH(int, version);
        QFETCH(QString, descr);
        QFETCH(QByteArray, data);
        QFETCH(bool, fortran);
        const auto path =
            write(dir, "m.npy", fixtures::npy(version, descr.toStdString(), {2, 3}, data, fortran));
        const Dataset ds = loadDataset(path);
        QCOMPARE(ds.format, std::string("npy"));
        QCOMPARE(ds.rows(), 2);
        QCOMPARE(ds.cols(), 3);
        QCOMPARE(values(ds), (std::vector<float>{1, 2, 3, 4, 5, 6}));
    }

    void npyImagesKeepTheirShape()
    {
        std::vector<uint8_t> pixels(2 * 3 * 4);
        std::iota(pixels.begin(), pixels.end(), 0);
        const auto path =
            write(dir, "img.npy", fixtures::npy(1, "|u1", {2, 3, 4}, fixtures::bytesOf(pixels)));
        const Dataset d = loadDataset(path);
        QCOMPARE(d.cols(), 12);
        QVERIFY(d.imageShape.has_value());
        QCOMPARE(d.imageShape->height, 3);
        QCOMPARE(d.imageShape->width, 4);
        QCOMPARE(values(d)[13], 13.0f);
    }

    void writtenNpyLoadsBack()
    {
        const auto m = matrixFromValues({1.5F, -2, 3, 4, 5, 6.25F}, 3, 2);
        const auto bytes = matrixNpy(m);
        QVERIFY(bytes.rfind("\x93NUMPY\x01\x00", 0) == 0);
        // numpy aligns the data to 64 bytes; the header names the type and the shape.
        const size_t headerLength = static_cast<unsigned char>(bytes[8]) |
                                    static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8;
        QCOMPARE((10 + headerLength) % 64, size_t{0});
        QVERIFY(bytes.find("'descr': '<f4'") != std::string::npos);
        QVERIFY(bytes.find("'shape': (3, 2)") != std::string::npos);
        const auto d = loadDataset(write(dir, "written.npy", QByteArray::fromStdString(bytes)));
        QCOMPARE(d.rows(), 3);
        QCOMPARE(d.cols(), 2);
        QCOMPARE(values(d), floatValues(m));
    }

    void brokenNpyFilesGiveClearErrors()
    {
        const auto good = fixtures::npy(1, "<f4", {2, 3},
                                        fixtures::bytesOf(std::vector<float>{1, 2, 3, 4, 5, 6}));
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "trunc.npy", good.left(good.size() - 5))),
                        "trunc.npy", "truncated", "24 bytes");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "hdr.npy", good.left(20))), "hdr.npy",
                        "header is truncated");
        QByteArray badVersion = good;
        badVersion[6] = 9;
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "ver.npy", badVersion)), "version 9");
        CS_EXPECT_ERROR(
            DataError,
            loadDataset(write(dir, "c8.npy", fixtures::npy(1, "<c8", {1}, QByteArray(8, '\0')))),
            "c8.npy", "'c8' is not supported");
        QByteArray noShape = good;
        noShape.replace("'shape'", "'shope'");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "shape.npy", noShape)), "no 'shape'");
    }

    void npzFromNumpy()
    {
        // Written by numpy.savez (tests/reference/make_npz_fixtures.py): X, y and two per-row
        // arrays, which become metadata.
        const std::string npz = CLUSTERSCOPE_TEST_DATA "/npz/";
        const auto table = loadDataset(npz + "table.npz");
        QCOMPARE(table.format, std::string("npz"));
        QCOMPARE(table.rows(), 6);
        QCOMPARE(table.cols(), 2);
        QCOMPARE(values(table), (std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
        QCOMPARE(table.labelColumn, std::string("y"));
        QCOMPARE(table.labels, (std::vector<int64_t>{0, 1, 1, 0, 2, 2}));
        QCOMPARE(table.metadata.size(), size_t{2});
        const auto& site = table.metadata[0].name == "site" ? table.metadata[0] : table.metadata[1];
        const auto& weight =
            table.metadata[0].name == "site" ? table.metadata[1] : table.metadata[0];
        QCOMPARE(weight.name, std::string("weight"));
        QCOMPARE(weight.numbers[5], 1.0);
        QCOMPARE(site.categories, (std::vector<std::string>{"a", "bé", "c", "d", "e"}));
        QCOMPARE(site.codes, (std::vector<int32_t>{0, 1, 2, 0, 3, 4}));

        // savez_compressed: deflated members, images keep their shape, text labels get names.
        const auto images = loadDataset(npz + "images.npz");
        QCOMPARE(images.rows(), 5);
        QCOMPARE(images.cols(), 8);
        QVERIFY(images.imageShape && images.imageShape->height == 2 &&
                images.imageShape->width == 4);
        QCOMPARE(values(images)[39], 39.0F);
        QCOMPARE(images.labelNames, (std::vector<std::string>{"cat", "dog", "é"}));
        QCOMPARE(images.labels, (std::vector<int64_t>{0, 1, 0, 2, 1}));

        // One unnamed array, big-endian and in Fortran order.
        const auto single = loadDataset(npz + "single.npz");
        QCOMPARE(values(single), (std::vector<float>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}));
        QVERIFY(!single.hasLabels());
    }

    void npzArraysChosenByName()
    {
        const std::string npz = CLUSTERSCOPE_TEST_DATA "/npz/";
        CS_EXPECT_ERROR(DataError, loadDataset(npz + "ambiguous.npz"), "ambiguous.npz",
                        "a (3 x 4, f8), b (3 x 2, i4)", "--array");
        LoadOptions pick;
        pick.array = "b";
        const auto b = loadDataset(npz + "ambiguous.npz", pick);
        QCOMPARE(values(b), (std::vector<float>{0, 1, 2, 3, 4, 5}));
        // The other table is not per-row metadata; a named labels array must exist.
        QVERIFY(b.metadata.empty());
        pick.array = "c";
        CS_EXPECT_ERROR(DataError, loadDataset(npz + "ambiguous.npz", pick), "no array 'c'");
        LoadOptions labels;
        labels.labelColumn = "site";
        const auto bySite = loadDataset(npz + "table.npz", labels);
        QCOMPARE(bySite.labelNames.size(), size_t{5});
        QCOMPARE(bySite.metadata.size(), size_t{2}); // y and weight
        labels.labelColumn = "weight";
        CS_EXPECT_ERROR(DataError, loadDataset(npz + "table.npz", labels), "weight.npy",
                        "entry 1 is 0.2");
        labels.labelColumn = "-none-";
        QVERIFY(!loadDataset(npz + "table.npz", labels).hasLabels());
    }

    void brokenNpzFilesGiveClearErrors()
    {
        const std::string npz = CLUSTERSCOPE_TEST_DATA "/npz/";
        CS_EXPECT_ERROR(DataError, loadDataset(npz + "short_labels.npz"), "short_labels.npz",
                        "y (3, i8)", "6 rows");
        CS_EXPECT_ERROR(DataError, loadDataset(npz + "float_labels.npz"), "y.npy", "entry 2 is 1.5",
                        "not an integer");
        QFile source(QString::fromStdString(npz + "images.npz"));
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray good = source.readAll();
        // Cut: the zip directory at the end is gone.
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "cut.npz", good.left(good.size() / 2))),
                        "cut.npz", "not a readable .npz");
        // A flipped byte inside the first member's deflated data: a damaged member, named.
        QByteArray flipped = good;
        flipped[60] = static_cast<char>(flipped[60] ^ 0x5A);
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "flipped.npz", flipped)), "flipped.npz",
                        "damaged");
    }

    void idxImagesFindTheirLabels()
    {
        QByteArray pixels;
        for (int i = 0; i < 3 * 2 * 2; ++i)
        {
            pixels.append(static_cast<char>(i * 10));
        }
        const auto images = write(dir, "train-images-idx3-ubyte.gz",
                                  fixtures::gzip(fixtures::idx({3, 2, 2}, pixels)));
        write(dir, "train-labels-idx1-ubyte.gz",
              fixtures::gzip(fixtures::idx({3}, QByteArray("\x07\x01\x07", 3))));
        const Dataset d = loadDataset(images);
        QCOMPARE(d.format, std::string("idx"));
        QCOMPARE(d.rows(), 3);
        QCOMPARE(d.cols(), 4);
        QCOMPARE(d.imageShape->height, 2);
        QCOMPARE(values(d)[5], 50.0f);
        QCOMPARE(d.labels, (std::vector<int64_t>{7, 1, 7}));
    }

    void idxTrainAndTestConcatenate()
    {
        QTemporaryDir folder;
        write(folder, "train-images-idx3-ubyte",
              fixtures::idx({2, 1, 2}, QByteArray("\x01\x02\x03\x04", 4)));
        write(folder, "train-labels-idx1-ubyte", fixtures::idx({2}, QByteArray("\x00\x01", 2)));
        write(folder, "t10k-images-idx3-ubyte.gz",
              fixtures::gzip(fixtures::idx({1, 1, 2}, QByteArray("\x05\x06", 2))));
        write(folder, "t10k-labels-idx1-ubyte.gz",
              fixtures::gzip(fixtures::idx({1}, QByteArray("\x02", 1))));
        QCOMPARE(detectFormat(folder.path().toStdString()), std::string("idx-dir"));
        const Dataset d = loadDataset(folder.path().toStdString());
        QCOMPARE(d.rows(), 3);
        QCOMPARE(values(d), (std::vector<float>{1, 2, 3, 4, 5, 6}));
        QCOMPARE(d.labels, (std::vector<int64_t>{0, 1, 2}));
        // The same by naming the files, the labels file given explicitly.
        const auto base = folder.path().toStdString() + "/";
        const Dataset e =
            loadDatasets({base + "t10k-images-idx3-ubyte.gz", base + "t10k-labels-idx1-ubyte.gz"});
        QCOMPARE(e.labels, (std::vector<int64_t>{2}));
    }

    void brokenIdxFilesGiveClearErrors()
    {
        const QByteArray good = fixtures::idx({2, 2, 2}, QByteArray(8, '\x01'));
        QByteArray corrupt = fixtures::gzip(good);
        corrupt[corrupt.size() / 2] = static_cast<char>(corrupt[corrupt.size() / 2] ^ 0x5a);
        corrupt[12] = static_cast<char>(corrupt[12] ^ 0xff);
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "bad-images-idx3-ubyte.gz", corrupt)),
                        "bad-images-idx3-ubyte.gz", "gzip");
        const QByteArray gz = fixtures::gzip(good);
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "cut-images-idx3-ubyte.gz", gz.left(gz.size() - 6))),
                        "cut-images-idx3-ubyte.gz");
        CS_EXPECT_ERROR(
            DataError,
            loadDataset(write(dir, "short-images-idx3-ubyte", good.left(good.size() - 3))),
            "short-images-idx3-ubyte", "truncated");
        write(dir, "odd-images-idx3-ubyte", good);
        write(dir, "odd-labels-idx1-ubyte", fixtures::idx({5}, QByteArray(5, '\0')));
        CS_EXPECT_ERROR(DataError, loadDataset(dir.filePath("odd-images-idx3-ubyte").toStdString()),
                        "odd-labels-idx1-ubyte", "expected 2 labels", "found 5");
    }

    void realFashionMnistLoads()
    {
        const std::string root = "/usr/share/datasets/fashion-mnist";
        if (!QFile::exists(QString::fromStdString(root + "/t10k-images-idx3-ubyte.gz")))
        {
            QFAIL("Fashion-MNIST is missing: run scripts/setup.sh (package dataset-fashion-mnist)");
        }
        const Dataset d = loadDataset(root);
        QCOMPARE(d.rows(), 70000);
        QCOMPARE(d.cols(), 784);
        QCOMPARE(static_cast<int64_t>(d.labels.size()), 70000);
        QCOMPARE(std::count(d.labels.begin(), d.labels.end(), 9), 7000);
    }
};

QTEST_GUILESS_MAIN(TestLoaders)
#include "test_loaders.moc"

// Loaders on handmade fixtures, good and broken: every broken one must give a DataError that
// names the file and what was wrong, never a crash.

#include "fixtures.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/registry.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/output.h>
#include <clusterscope/metrics/metrics.h>
#include <clusterscope/pipeline/builtin.h>

#include <ATen/ATen.h>
#include <QtTest>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace clusterscope;
using fixtures::write;

namespace
{

void appendLittleEndian(QByteArray& out, uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
    {
        // Fields wider than the value (10 zero bytes at once) are zero-filled: shifting a
        // 64-bit value by 64 or more is undefined (UBSan's asan lane caught it).
        out.append(static_cast<char>(i < 8 ? (value >> (8 * i)) & 0xff : 0));
    }
}

// One member of a handmade zip archive. `claimedSize` (when set) replaces the true uncompressed
// size in both headers, as a damaged or hostile archive would.
struct ZipMember
{
    std::string name;
    QByteArray data;
    bool deflate = false;
    uint32_t claimedSize = 0;
};

QByteArray rawDeflate(const QByteArray& raw)
{
    z_stream s{};
    deflateInit2(&s, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(static_cast<int>(deflateBound(&s, static_cast<uLong>(raw.size()))), '\0');
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    s.avail_in = static_cast<uInt>(raw.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    deflate(&s, Z_FINISH);
    out.resize(static_cast<int>(s.total_out));
    deflateEnd(&s);
    return out;
}

// A plain (not ZIP64) zip archive, as an .npz: local headers, data, central directory, end.
QByteArray zip(const std::vector<ZipMember>& members)
{
    QByteArray out;
    QByteArray directory;
    for (const auto& m : members)
    {
        const QByteArray stored = m.deflate ? rawDeflate(m.data) : m.data;
        const auto crc = static_cast<uint32_t>(crc32(
            0, reinterpret_cast<const Bytef*>(m.data.data()), static_cast<uInt>(m.data.size())));
        const uint32_t size = m.claimedSize ? m.claimedSize : static_cast<uint32_t>(m.data.size());
        const auto offset = static_cast<uint32_t>(out.size());
        auto common = [&](QByteArray& h)
        {
            appendLittleEndian(h, 20, 2);                // version needed
            appendLittleEndian(h, 0, 2);                 // flags
            appendLittleEndian(h, m.deflate ? 8 : 0, 2); // method
            appendLittleEndian(h, 0, 4);                 // time and date
            appendLittleEndian(h, crc, 4);
            appendLittleEndian(h, static_cast<uint32_t>(stored.size()), 4);
            appendLittleEndian(h, size, 4);
            appendLittleEndian(h, m.name.size(), 2);
            appendLittleEndian(h, 0, 2); // extra
        };
        appendLittleEndian(out, 0x04034b50, 4);
        common(out);
        out.append(m.name.data(), static_cast<int>(m.name.size()));
        out.append(stored);
        appendLittleEndian(directory, 0x02014b50, 4);
        appendLittleEndian(directory, 20, 2); // version made by
        common(directory);
        appendLittleEndian(directory, 0, 2 + 2 + 2 + 4); // comment, disk, attributes
        appendLittleEndian(directory, offset, 4);
        directory.append(m.name.data(), static_cast<int>(m.name.size()));
    }
    const auto directoryOffset = static_cast<uint32_t>(out.size());
    out.append(directory);
    appendLittleEndian(out, 0x06054b50, 4);
    appendLittleEndian(out, 0, 4);
    appendLittleEndian(out, members.size(), 2);
    appendLittleEndian(out, members.size(), 2);
    appendLittleEndian(out, static_cast<uint32_t>(directory.size()), 4);
    appendLittleEndian(out, directoryOffset, 4);
    appendLittleEndian(out, 0, 2);
    return out;
}

// Four well-separated groups of 150 rows in 3 columns (centres 6 apart, standard deviation
// 0.5), rows interleaved, times `scale` plus `offset`; row-major float64 and the true groups.
std::vector<double> fourGroups(double offset, double scale, std::vector<int64_t>* truth = nullptr)
{
    std::mt19937_64 rng(11);
    std::normal_distribution<double> noise(0.0, 0.5);
    std::vector<double> v;
    for (int i = 0; i < 600; ++i)
    {
        const int g = i % 4;
        for (int c = 0; c < 3; ++c)
            v.push_back(offset + scale * ((g == c + 1 ? 6.0 : 0.0) + noise(rng)));
        if (truth)
            truth->push_back(g);
    }
    return v;
}

QByteArray csvOf(const std::vector<double>& v)
{
    QByteArray out("x,y,z\n");
    char cell[40];
    for (size_t i = 0; i < v.size(); ++i)
    {
        std::snprintf(cell, sizeof(cell), "%.17g%c", v[i], i % 3 == 2 ? '\n' : ',');
        out.append(cell);
    }
    return out;
}

// An IDX file of big-endian float64 (type 0x0E), rows x 3.
QByteArray idxDoubles(const std::vector<double>& v)
{
    QByteArray out("\0\0\x0E\x02", 4);
    for (uint32_t d : {static_cast<uint32_t>(v.size() / 3), 3U})
        for (int shift = 24; shift >= 0; shift -= 8)
            out.append(static_cast<char>((d >> shift) & 0xff));
    out.append(fixtures::bytesOf(v, true));
    return out;
}

// `values` written in `format` (csv, npy, npz, idx, npy-int64: the values rounded).
std::string writeTable(const QTemporaryDir& dir, const std::string& format,
                       const std::vector<double>& values)
{
    const int64_t rows = static_cast<int64_t>(values.size() / 3);
    const auto f8 = fixtures::npy(1, "<f8", {rows, 3}, fixtures::bytesOf(values));
    if (format == "csv")
        return write(dir, "table.csv", csvOf(values));
    if (format == "npy")
        return write(dir, "table.npy", f8);
    if (format == "npz")
        return write(dir, "table.npz", zip({{"X.npy", f8}}));
    if (format == "idx")
        return write(dir, "table.idx", idxDoubles(values));
    std::vector<int64_t> rounded;
    for (double x : values)
        rounded.push_back(static_cast<int64_t>(std::llround(x)));
    return write(dir, "table-int.npy",
                 fixtures::npy(1, "<i8", {rows, 3}, fixtures::bytesOf(rounded)));
}

// Every classic method, through its registry entry, with its settings for fourGroups.
const std::vector<std::pair<std::string, std::map<std::string, ParamValue>>>& classicMethods()
{
    static const std::vector<std::pair<std::string, std::map<std::string, ParamValue>>> m{
        {"kmeans", {{"k", int64_t{4}}}},
        {"minibatch_kmeans", {{"k", int64_t{4}}}},
        {"gmm", {{"k", int64_t{4}}}},
        {"agglomerative", {{"k", int64_t{4}}}},
        {"kmedoids", {{"k", int64_t{4}}}},
        {"spectral", {{"k", int64_t{4}}}},
        {"hdbscan", {{"min_cluster_size", int64_t{20}}}},
        {"leiden", {}},
    };
    return m;
}

std::vector<int64_t> clusterWith(const std::string& id,
                                 const std::map<std::string, ParamValue>& overrides,
                                 const at::Tensor& x)
{
    const auto& algorithm = builtinRegistry().get(id);
    ParamSet params(algorithm.params);
    for (const auto& [name, value] : overrides)
        params.set(name, value);
    return algorithm.run(x, params, RunContext{c10::Device(c10::kCPU), 0, &nullProgress()}).labels;
}

// An .npy file whose header dict is given verbatim (for dtypes fixtures::npy cannot spell).
QByteArray npyWithHeader(std::string dict, const QByteArray& data)
{
    while ((10 + dict.size() + 1) % 64 != 0)
    {
        dict += ' ';
    }
    dict += '\n';
    QByteArray out("\x93NUMPY\x01\x00", 8);
    appendLittleEndian(out, dict.size(), 2);
    out.append(dict.data(), static_cast<int>(dict.size()));
    out.append(data);
    return out;
}

// NumPy's 'U' strings: `width` UTF-32LE characters each, padded with NULs (ASCII text here).
QByteArray utf32(const std::vector<std::string>& texts, size_t width)
{
    QByteArray out;
    for (const auto& t : texts)
    {
        for (size_t i = 0; i < width; ++i)
        {
            appendLittleEndian(out, i < t.size() ? static_cast<unsigned char>(t[i]) : 0, 4);
        }
    }
    return out;
}

// An IDX file of any value type; `values` are already big-endian.
QByteArray idxTyped(char type, const std::vector<uint32_t>& dims, const QByteArray& values)
{
    QByteArray out = fixtures::idx(dims, values);
    out[2] = type;
    return out;
}

Dataset tiny(const std::string& source, std::vector<std::string> names)
{
    Dataset d;
    d.source = source;
    d.features = matrixFromValues(std::vector<float>(2 * names.size(), 0.0F), 2,
                                  static_cast<int64_t>(names.size()));
    d.featureNames = std::move(names);
    return d;
}

} // namespace

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

    // Found by tests/fuzz/fuzz_npy: NumPy pads the header to 64 bytes, another writer may not,
    // leaving the values at any offset. The features must still be aligned float32 with the
    // right values (a view at an odd offset is undefined behaviour to read).
    void npyValuesAtAnyOffsetLoadAligned()
    {
        const std::vector<float> expected{1, 2, 3, 4, 5, 6};
        const QByteArray f4 = fixtures::bytesOf(expected);
        QByteArray f8;
        for (const float v : expected)
        {
            f8.append(fixtures::bytesOf(std::vector<double>{v}));
        }
        for (const auto& [descr, data] : {std::pair{"<f4", f4}, std::pair{"<f8", f8}})
        {
            for (int pad = 0; pad < 8; ++pad)
            {
                std::string dict = std::string("{'descr': '") + descr +
                                   "', 'fortran_order': False, 'shape': (2, 3), }" +
                                   std::string(static_cast<size_t>(pad), ' ') + "\n";
                QByteArray file("\x93NUMPY\x01\x00", 8);
                appendLittleEndian(file, dict.size(), 2);
                file.append(dict.data(), static_cast<int>(dict.size()));
                file.append(data);
                const auto d = loadDataset(write(dir, "offset.npy", file));
                QCOMPARE(values(d), expected);
                QVERIFY2(reinterpret_cast<uintptr_t>(d.features.data_ptr()) % alignof(float) == 0,
                         qPrintable(QString("%1 with a %2-byte header: misaligned features")
                                        .arg(descr)
                                        .arg(10 + dict.size())));
            }
        }
        // No values at a misaligned offset: still the clear "empty" error (no copy from null).
        std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), } \n";
        QByteArray empty("\x93NUMPY\x01\x00", 8);
        appendLittleEndian(empty, dict.size(), 2);
        empty.append(dict.data(), static_cast<int>(dict.size()));
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "empty.npy", empty)), "empty.npy",
                        "empty");
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
            "c8.npy", "'c8' holds complex numbers");
        QByteArray noShape = good;
        noShape.replace("'shape'", "'shope'");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "shape.npy", noShape)), "'shope'",
                        "each once");
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

    // --- Numbers: out of range, infinite, NaN in other spellings (every loader) ---

    void csvNumbersThatAreNoFeatureValuesAreErrors()
    {
        // Before: 1e400 made its whole column metadata, silently; inf and 1e39 became infinite
        // features; a stray 1.2.3 did the same as 1e400.
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "big.csv", "a,b\n1,2\n3,1e400\n")),
                        "big.csv", "line 3", "column 'b'", "'1e400'", "rescale the column");
        for (const char* inf : {"inf", "Infinity", "-INF", "+inf"})
        {
            CS_EXPECT_ERROR(
                MissingValueError,
                loadDataset(write(dir, "inf.csv", QByteArray("a,b\n1,2\n3,") + inf + "\n")),
                "inf.csv", "line 3", "column 'b'", inf, "infinity", "--missing drop");
        }
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "f32.csv", "a,b\n1,2\n-1e39,4\n")),
                        "f32.csv", "line 3", "column 'a'", "'-1e39'", "float32");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "typo.csv", "a,b\n1,2\n3,1.2.3\n")),
                        "typo.csv", "line 3", "column 'b'", "'1.2.3'", "not a number");
        // No missing-value policy accepts a number out of range: none is offered for it.
        for (const char* name : {"big.csv", "f32.csv", "typo.csv"})
        {
            try
            {
                loadDataset((dir.path() + "/" + name).toStdString());
            }
            catch (const MissingValueError& e)
            {
                QFAIL(e.what());
            }
            catch (const DataError&)
            {
            }
        }
        // Tiny numbers underflow to zero: numbers still. Number-like text with no number beside
        // it (dates, versions) is a text column, as before.
        const auto ok = loadDataset(write(
            dir, "fine.csv", "a,when,version\n1e-400,2020.01.05,1.2.3\n2,2021.02.03,2.0.1\n"));
        QCOMPARE(values(ok), (std::vector<float>{0, 2}));
        QCOMPARE(ok.metadata.size(), size_t{2});
    }

    void csvNanSpellingsFollowTheMissingPolicy()
    {
        // Before: Nan, -nan, +nan and nan(0x1) parsed as NaN numbers and bypassed --missing.
        for (const char* nan : {"Nan", "-nan", "+nan", "nan(0x1)", "NAN"})
        {
            const auto path = write(dir, "nan.csv", QByteArray("a,b\n1,2\n3,") + nan + "\n5,6\n");
            CS_EXPECT_ERROR(MissingValueError, loadDataset(path), "nan.csv", "line 3", "column 'b'",
                            "missing value", "--missing");
            LoadOptions o;
            o.missing = MissingPolicy::Drop;
            QCOMPARE(values(loadDataset(path, o)), (std::vector<float>{1, 2, 5, 6}));
            o.missing = MissingPolicy::ImputeMean;
            QCOMPARE(values(loadDataset(path, o)), (std::vector<float>{1, 2, 3, 4, 5, 6}));
        }
    }

    void arrayNanAndInfinityFollowTheSameRules()
    {
        const float nan = std::nanf("");
        const auto withNan =
            write(dir, "nan.npy",
                  fixtures::npy(1, "<f4", {3, 2},
                                fixtures::bytesOf(std::vector<float>{1, 2, nan, 4, 5, 6})));
        CS_EXPECT_ERROR(MissingValueError, loadDataset(withNan), "nan.npy", "row 1, column 0",
                        "NaN", "--missing");
        LoadOptions o;
        o.missing = MissingPolicy::Drop;
        QCOMPARE(values(loadDataset(withNan, o)), (std::vector<float>{1, 2, 5, 6}));
        o.missing = MissingPolicy::ImputeMean;
        QCOMPARE(values(loadDataset(withNan, o)), (std::vector<float>{1, 2, 3, 4, 5, 6}));
        const auto allNan = write(
            dir, "allnan.npy",
            fixtures::npy(1, "<f4", {2, 2}, fixtures::bytesOf(std::vector<float>{1, nan, 2, nan})));
        CS_EXPECT_ERROR(MissingValueError, loadDataset(allNan, o), "allnan.npy", "column 1",
                        "no values at all");
        o.missing = MissingPolicy::Drop;
        CS_EXPECT_ERROR(MissingValueError, loadDataset(allNan, o), "allnan.npy", "none is left");

        const double inf = std::numeric_limits<double>::infinity();
        CS_EXPECT_ERROR(MissingValueError,
                        loadDataset(write(
                            dir, "inf.npy",
                            fixtures::npy(1, "<f8", {2, 2},
                                          fixtures::bytesOf(std::vector<double>{1, 2, 3, -inf})))),
                        "inf.npy", "row 1, column 1", "infinity", "--missing drop");
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(
                            dir, "f32.npy",
                            fixtures::npy(1, "<f8", {2, 2},
                                          fixtures::bytesOf(std::vector<double>{1, 1e39, 3, 4})))),
                        "f32.npy", "row 0, column 1", "1e+39", "float32");
        // IDX images of float values load, and follow the same rules.
        const auto floats = fixtures::bytesOf(std::vector<float>{0.5F, 1, 2, nan}, true);
        const auto idx = write(dir, "f-images-idx3-ubyte", idxTyped('\x0D', {1, 2, 2}, floats));
        CS_EXPECT_ERROR(MissingValueError, loadDataset(idx), "f-images-idx3-ubyte",
                        "row 0, column 3", "NaN");
        o.missing = MissingPolicy::ImputeMean;
        QCOMPARE(values(loadDataset(
                     write(dir, "g-images-idx3-ubyte",
                           idxTyped('\x0D', {1, 2, 2},
                                    fixtures::bytesOf(std::vector<float>{0.5F, 1, 2, 3}, true))))),
                 (std::vector<float>{0.5F, 1, 2, 3}));
    }

    // --- Labels: which column, exact values, missing ones ---

    void onlyUnambiguousColumnNamesAreGuessedAsLabels()
    {
        // Before: y was taken as the labels, so x,y was clustered on x alone, and float ys could
        // not be loaded at all.
        const auto xy = loadDataset(write(dir, "xy.csv", "x,y\n0,1\n1,2\n2,1\n"));
        QCOMPARE(xy.cols(), 2);
        QVERIFY(!xy.hasLabels());
        QVERIFY(xy.labelColumn.empty());
        QCOMPARE(loadDataset(write(dir, "xyf.csv", "x,y\n0,1.5\n1,2.5\n")).cols(), 2);
        for (const char* name : {"Class", "LABEL", "Labels", "target"})
        {
            const auto d =
                loadDataset(write(dir, "named.csv", QByteArray("a,") + name + "\n1,0\n2,1\n"));
            QCOMPARE(d.labelColumn, std::string(name));
            QCOMPARE(d.labels, (std::vector<int64_t>{0, 1}));
        }
        // An explicit "no labels" is always accepted, even where a label column would be found
        // or could not be read; the column is then data.
        const auto path = write(dir, "floatlabel.csv", "a,label\n1,0.5\n2,1.5\n");
        CS_EXPECT_ERROR(DataError, loadDataset(path), "floatlabel.csv", "line 2",
                        "not an integer class label", "--label-column none");
        for (const char* none : {"none", "-none-"})
        {
            LoadOptions o;
            o.labelColumn = none;
            const auto d = loadDataset(path, o);
            QVERIFY(!d.hasLabels());
            QVERIFY(d.labelColumn.empty());
            QCOMPARE(d.featureNames, (std::vector<std::string>{"a", "label"}));
            QVERIFY(!loadDataset(std::string(CLUSTERSCOPE_TEST_DATA) + "/npz/table.npz", o)
                         .hasLabels());
        }
        // In an .npz, y stays NumPy's name for the labels array (np.savez(X=..., y=...)).
        QCOMPARE(loadDataset(std::string(CLUSTERSCOPE_TEST_DATA) + "/npz/table.npz").labelColumn,
                 std::string("y"));
    }

    void labelValuesAreExactIntegersOrRefused()
    {
        // Before: labels went through a double, so 2^53 + 1 became 2^53, and int64's largest
        // value became INT64_MIN; a float IDX label -1.5 became the noise code -1.
        const auto csv =
            loadDataset(write(dir, "big_labels.csv", "a,label\n1,9007199254740993\n2,+2\n3,4.0\n"));
        QCOMPARE(csv.labels, (std::vector<int64_t>{9007199254740993LL, 2, 4}));
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "huge.csv", "a,label\n1,1e300\n")),
                        "huge.csv", "line 2", "'1e300'", "not an integer class label");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "inf_label.csv", "a,label\n1,inf\n")),
                        "inf_label.csv", "'inf'", "not an integer class label");

        const auto X =
            fixtures::npy(1, "<f8", {3, 1}, fixtures::bytesOf(std::vector<double>{0, 1, 2}));
        const auto ints = write(dir, "int_labels.npz",
                                zip({{"X.npy", X},
                                     {"y.npy", fixtures::npy(1, "<i8", {3},
                                                             fixtures::bytesOf(std::vector<int64_t>{
                                                                 INT64_MAX, INT64_MIN, 7}))}}));
        QCOMPARE(loadDataset(ints).labels, (std::vector<int64_t>{INT64_MAX, INT64_MIN, 7}));
        const auto floats =
            write(dir, "float_labels.npz",
                  zip({{"X.npy", X},
                       {"y.npy", fixtures::npy(1, "<f8", {3},
                                               fixtures::bytesOf(std::vector<double>{
                                                   0, 4611686018427387904.0, 1}))}}));
        CS_EXPECT_ERROR(DataError, loadDataset(floats), "float_labels.npz", "y.npy", "entry 1",
                        "not an integer class label within +-2^53");

        write(dir, "one-images-idx3-ubyte", fixtures::idx({2, 1, 1}, QByteArray("\x01\x02", 2)));
        write(dir, "one-labels-idx1-ubyte",
              idxTyped('\x0D', {2}, fixtures::bytesOf(std::vector<float>{1.0F, -1.5F}, true)));
        CS_EXPECT_ERROR(DataError, loadDataset(dir.filePath("one-images-idx3-ubyte").toStdString()),
                        "one-labels-idx1-ubyte", "entry 1 is -1.5", "not an integer class label");
    }

    void emptyTextLabelsAreMissingLabels()
    {
        // Before: an empty string became the code -1, which `info` used as an index into the
        // label names and crashed.
        const auto X =
            fixtures::npy(1, "<f8", {3, 1}, fixtures::bytesOf(std::vector<double>{0, 1, 2}));
        const auto path =
            write(dir, "empty_label.npz",
                  zip({{"X.npy", X},
                       {"y.npy", fixtures::npy(1, "<U3", {3}, utf32({"cat", "", "dog"}, 3))}}));
        CS_EXPECT_ERROR(DataError, loadDataset(path), "empty_label.npz", "y.npy", "entry 1",
                        "missing label", "--missing drop", "--label-column none");
        LoadOptions o;
        o.missing = MissingPolicy::Drop;
        const auto d = loadDataset(path, o);
        QCOMPARE(values(d), (std::vector<float>{0, 2}));
        QCOMPARE(d.labels, (std::vector<int64_t>{0, 1}));
        QCOMPARE(d.labelNames, (std::vector<std::string>{"cat", "dog"}));
        // Blank is empty: spaces or a tab were a class of their own (issue 13's second trial).
        for (const char* blank : {"  ", "\t", " \n"})
        {
            const auto blanks = write(
                dir, "blank_label.npz",
                zip({{"X.npy", X},
                     {"y.npy", fixtures::npy(1, "<U3", {3}, utf32({"cat", blank, "dog"}, 3))}}));
            CS_EXPECT_ERROR(DataError, loadDataset(blanks), "blank_label.npz", "entry 1",
                            "missing label");
            QCOMPARE(loadDataset(blanks, o).labelNames, (std::vector<std::string>{"cat", "dog"}));
        }
        // Every label missing: the labels are named, not the features.
        const auto none = write(
            dir, "no_labels.npz",
            zip({{"X.npy", X}, {"y.npy", fixtures::npy(1, "<U3", {3}, utf32({"", " ", ""}, 3))}}));
        CS_EXPECT_ERROR(MissingValueError, loadDataset(none, o), "no_labels.npz", "y.npy",
                        "every label is missing", "--label-column none");
        // The same rule in a CSV: an empty label cell is a missing label.
        const auto csv = write(dir, "empty_label.csv", "a,class\n1,cat\n2,\n3,dog\n");
        CS_EXPECT_ERROR(DataError, loadDataset(csv), "empty_label.csv", "line 3",
                        "label is missing", "--missing drop");
        QCOMPARE(loadDataset(csv, o).labels, (std::vector<int64_t>{0, 1}));
        // Whatever the codes, showing a label never indexes past the names.
        Dataset named;
        named.labelNames = {"cat"};
        QCOMPARE(named.labelText(0), std::string("cat"));
        QCOMPARE(named.labelText(-1), std::string("-1"));
        QCOMPARE(named.labelText(3), std::string("3"));
    }

    // --- Sizes from headers: no wrap-around, no allocation beyond the file ---

    void headerSizesThatWrapAreRefused()
    {
        // 4 strings of 2^61 UTF-32 characters: 2^65 bytes, which wrapped to 0 and read past the
        // end.
        const auto X =
            fixtures::npy(1, "<f8", {4, 1}, fixtures::bytesOf(std::vector<double>{0, 1, 2, 3}));
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(
                            dir, "wide.npz",
                            zip({{"X.npy", X},
                                 {"y.npy", npyWithHeader("{'descr': '<U2305843009213693952', "
                                                         "'fortran_order': False, 'shape': (4,), }",
                                                         QByteArray(64, 'a'))}}))),
                        "wide.npz", "y.npy", "more bytes than any file can hold");
        // 2^61 x 2 float32: 2^64 bytes, 0 after wrapping.
        CS_EXPECT_ERROR(
            DataError,
            loadDataset(write(dir, "wrap.npy",
                              npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': "
                                            "(2305843009213693952, 2), }",
                                            QByteArray(16, '\0')))),
            "wrap.npy", "more bytes than any file can hold");
        CS_EXPECT_ERROR(
            DataError,
            loadDataset(write(dir, "wrap2.npy",
                              npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': "
                                            "(4294967296, 4294967296, 4), }",
                                            QByteArray(16, '\0')))),
            "wrap2.npy", "more elements than any file can hold");
        // IDX: 65536^4 values, 0 after wrapping.
        CS_EXPECT_ERROR(
            DataError,
            loadDataset(write(dir, "wrap-images-idx3-ubyte",
                              fixtures::idx({65536, 65536, 65536, 65536}, QByteArray(8, '\0')))),
            "wrap-images-idx3-ubyte", "more elements than any file can hold");
    }

    void npzDirectoryClaimsAreCheckedBeforeAllocating()
    {
        // Before: the buffer was allocated at whatever size the zip directory claimed.
        const auto X =
            fixtures::npy(1, "<f8", {2, 1}, fixtures::bytesOf(std::vector<double>{0, 1}));
        ZipMember stored{"X.npy", X};
        stored.claimedSize = 1u << 30;
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "claims.npz", zip({stored}))),
                        "claims.npz", "X.npy", "claims 1073741824 bytes", "stored", "damaged");
        ZipMember deflated{"X.npy", X, true};
        deflated.claimedSize = 1u << 30;
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "claims2.npz", zip({deflated}))),
                        "claims2.npz", "X.npy", "claims 1073741824 bytes", "deflated", "damaged");
        // The true sizes load, stored and deflated.
        QCOMPARE(values(loadDataset(write(dir, "honest.npz", zip({{"X.npy", X, true}})))),
                 (std::vector<float>{0, 1}));
        // Honest zip sizes, but 16 MB of zeros after a 2 x 1 array: the member holds more than
        // its .npy header declares, refused before it is inflated (before: inflated whole, 2 GB
        // of memory for a 1 MB file of 1 GB).
        ZipMember padded{"X.npy", X + QByteArray(16 << 20, '\0'), true};
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "padded.npz", zip({padded}))),
                        "padded.npz", "X.npy", "holds 16777360 bytes", "more than the 144",
                        "declares");
    }

    void scipySparseArchivesAreTheirMatrix()
    {
        // Before: scipy.sparse.save_npz's `data` (the stored values, 1-D) was taken for the
        // features, a column of 1.2 million rows from a 20000 x 30000 matrix, without a word.
        const std::string npz = CLUSTERSCOPE_TEST_DATA "/npz/";
        const std::vector<float> dense{0, 1.5F, 0, 0, 2, 0, 0, 0.25F, 0, 0,
                                       0, 0,    0, 3, 4, 0, 5, 0,     0, 1};
        for (const char* name : {"scipy_csr.npz", "scipy_csc.npz"})
        {
            const auto d = loadDataset(npz + name);
            QCOMPARE(d.rows(), int64_t{5});
            QCOMPARE(d.cols(), int64_t{4});
            QCOMPARE(values(d), dense);
            QVERIFY(std::any_of(d.warnings.begin(), d.warnings.end(),
                                [](const std::string& w)
                                {
                                    return w.find("SciPy sparse matrix") != std::string::npos &&
                                           w.find("5 x 4") != std::string::npos;
                                }));
        }
        CS_EXPECT_ERROR(DataError, loadDataset(npz + "scipy_coo.npz"), "scipy_coo.npz", "'coo'",
                        "X.tocsr()");
    }

    void npzInflationIsCappedLikeGzip()
    {
        // Before: np.savez_compressed of 1 GiB of zeros (a 1 MB file, its sizes honest) was
        // inflated whole, 3 GB of memory. A deflated member has the .gz limit.
        const int64_t rows = (int64_t{kGzipInflateFloor} >> 8) + 1; // 256 B a row: past the floor
        const auto bytes = static_cast<int>(rows * 64 * 4);
        ZipMember zeros{"X.npy", fixtures::npy(1, "<f4", {rows, 64}, QByteArray(bytes, '\0')),
                        true};
        const auto archive = zip({zeros});
        QVERIFY(archive.size() < bytes / 64);
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "zeros.npz", archive)), "zeros.npz",
                        "X.npy", "inflates to", "64 times the compressed size", "np.savez");
    }

    void gzipInflationIsCapped()
    {
        // Before: a small .gz was inflated whole, with no limit (6 MB reached 19 GB).
        const auto path = dir.filePath("bomb.csv.gz").toStdString();
        gzFile gz = gzopen(path.c_str(), "wb9");
        QVERIFY(gz);
        const std::string chunk(1 << 20, 'a');
        for (size_t written = 0; written <= kGzipInflateFloor; written += chunk.size())
        {
            QCOMPARE(gzwrite(gz, chunk.data(), static_cast<unsigned>(chunk.size())),
                     static_cast<int>(chunk.size()));
        }
        gzclose(gz);
        CS_EXPECT_ERROR(DataError, loadDataset(path), "bomb.csv.gz", "inflates to more than",
                        "gunzip the file");
    }

    void csvColumnsAreCapped()
    {
        // Before: one line of 52 M columns took 7.6 GB.
        QByteArray line;
        line.reserve(static_cast<int>(2 * kMaxCsvColumns + 4));
        for (size_t c = 0; c <= kMaxCsvColumns; ++c)
        {
            line.append(c ? ",0" : "0");
        }
        line.append('\n');
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "wide.csv", line)), "wide.csv", "line 1",
                        "more than 1000000 fields", "delimiter");
    }

    void malformedHeadersAreDataErrors()
    {
        // Before: a LibTorch check (an empty IDX reshaped to N x -1) escaped as c10::Error.
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "zero-images-idx3-ubyte",
                                          fixtures::idx({0, 28, 28}, QByteArray()))),
                        "zero-images-idx3-ubyte", "holds no values");
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "flat-images-idx3-ubyte",
                                          fixtures::idx({3, 0, 2}, QByteArray()))),
                        "flat-images-idx3-ubyte", "holds no values");
        // Headers NumPy refuses (issue 13's trials): no closing brace, fortran_order Maybe.
        const auto good = fixtures::npy(1, "<f4", {2, 2}, QByteArray(16, '\0'));
        auto open = good;
        open.replace("), }", "),  ");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "open.npy", open)), "open.npy",
                        "not a dictionary");
        auto maybe = good;
        maybe.replace("False", "Maybe");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "maybe.npy", maybe)), "maybe.npy",
                        "fortran_order is 'Maybe'");
        QCOMPARE(loadDataset(write(dir, "good.npy", good)).rows(), int64_t{2});
        // Double quotes are the same dict to np.load.
        auto doubled = good;
        doubled.replace('\'', '"');
        QCOMPARE(loadDataset(write(dir, "doubled.npy", doubled)).rows(), int64_t{2});
        // A repeated key (np.load reads the last; this loader read the first) and a foreign key.
        auto twice = good;
        twice.replace("'shape': (2, 2), }", "'shape': (2, 2), 'shape': (4, 1)}");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "twice.npy", twice)), "twice.npy",
                        "'descr', 'fortran_order', 'shape', 'shape'", "each once");
        auto extra = good;
        extra.replace("'shape': (2, 2), }", "'shape': (2, 2), 'x': 1}");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "extra.npy", extra)), "extra.npy", "'x'");
    }

    // --- Files that are not regular, readable files ---

    void unreadablePathsSayWhatIsWrong()
    {
        // Before: a FIFO blocked forever, a pipe read as empty, a loop said "no such file".
        const auto fifo = dir.filePath("fifo.csv").toStdString();
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        CS_EXPECT_ERROR(DataError, loadDataset(fifo), "fifo.csv", "not a regular file", "FIFO");
        int fds[2];
        QCOMPARE(::pipe(fds), 0);
        const auto pipePath = "/proc/self/fd/" + std::to_string(fds[0]);
        CS_EXPECT_ERROR(DataError, loadDataset(pipePath), pipePath.c_str(), "not a regular file",
                        "pipe");
        ::close(fds[0]);
        ::close(fds[1]);
        const auto loop = dir.filePath("loop.csv").toStdString();
        QCOMPARE(::symlink("loop.csv", loop.c_str()), 0);
        CS_EXPECT_ERROR(DataError, loadDataset(loop), "loop.csv", "symbolic links");
        CS_EXPECT_ERROR(DataError, loadDataset(dir.filePath("absent.npy").toStdString()),
                        "absent.npy", "no such file");
        QTemporaryDir folder;
        write(folder, "notes.txt", "x");
        CS_EXPECT_ERROR(DataError, loadDataset(folder.path().toStdString()),
                        "holds no IDX images files");
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "data.gz", fixtures::gzip("1,2\n"))),
                        "data.gz", "neither IDX nor .csv.gz");
    }

    void unreadableFileSaysPermissionDenied()
    {
        // Root reads a mode-000 file regardless, so as root the check runs in a child process
        // that has dropped to the unprivileged user nobody (65534).
        QTemporaryDir open;
        QVERIFY(QFile::setPermissions(open.path(), QFile::ReadOwner | QFile::WriteOwner |
                                                       QFile::ExeOwner | QFile::ReadOther |
                                                       QFile::ExeOther));
        const auto path = write(open, "secret.csv", "a,b\n1,2\n");
        QCOMPARE(::chmod(path.c_str(), 0), 0);
        const auto check = [&path]() -> int
        {
            try
            {
                (void)loadDataset(path);
                return 1; // read although it should not be readable
            }
            catch (const DataError& e)
            {
                const std::string message = e.what();
                return message.find(path) != std::string::npos &&
                               message.find("permission denied") != std::string::npos
                           ? 0
                           : 3;
            }
        };
        if (::geteuid() != 0)
        {
            QCOMPARE(check(), 0);
            return;
        }
        const pid_t child = ::fork();
        QVERIFY(child >= 0);
        if (child == 0)
        {
            if (::setgid(65534) != 0 || ::setuid(65534) != 0)
            {
                ::_exit(2);
            }
            ::_exit(check());
        }
        int status = 0;
        QCOMPARE(::waitpid(child, &status, 0), child);
        QVERIFY(WIFEXITED(status));
        if (WEXITSTATUS(status) == 2)
        {
            QSKIP("running as root without the right to drop to user nobody; cannot make a "
                  "file unreadable");
        }
        QCOMPARE(WEXITSTATUS(status), 0);
    }

    // --- Error paths of each format ---

    void moreBrokenNpyFiles()
    {
        const auto good =
            fixtures::npy(1, "<f4", {1, 2}, fixtures::bytesOf(std::vector<float>{1, 2}));
        QByteArray noMagic = good;
        noMagic[1] = 'X';
        // Named .npy but without the magic: read as a CSV of binary junk, never as an array.
        CS_EXPECT_ERROR(DataError, loadNpy(write(dir, "magic.npy", noMagic)), "magic.npy",
                        "magic string");
        // The magic and nothing after it: cut short, not "missing the magic".
        CS_EXPECT_ERROR(DataError, loadNpy(write(dir, "stub.npy", good.left(8))), "stub.npy",
                        "cut short: 8 bytes");
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "struct.npy",
                                          npyWithHeader("{'descr': [('a', '<f4'), ('b', '<i4')], "
                                                        "'fortran_order': False, 'shape': (1,), }",
                                                        QByteArray(8, '\0')))),
                        "struct.npy", "structured (record) array");
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(
                            dir, "scalar.npy",
                            fixtures::npy(1, "<f4", {}, fixtures::bytesOf(std::vector<float>{1})))),
                        "scalar.npy", "scalar");
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "none.npy", fixtures::npy(1, "<f4", {0, 3}, {}))),
                        "none.npy", "empty", "0 x 3");
    }

    void moreBrokenNpzFiles()
    {
        const auto X =
            fixtures::npy(1, "<f8", {2, 1}, fixtures::bytesOf(std::vector<double>{0, 1}));
        const auto y = fixtures::npy(1, "<i8", {2}, fixtures::bytesOf(std::vector<int64_t>{0, 1}));
        const QByteArray good = zip({{"X.npy", X}, {"y.npy", y}});
        QCOMPARE(loadDataset(write(dir, "good.npz", good)).labels, (std::vector<int64_t>{0, 1}));
        // The first central directory entry's signature damaged. Before: "no .npy arrays".
        QByteArray damaged = good;
        const auto directory = damaged.indexOf(QByteArray("PK\x01\x02", 4));
        damaged[directory + 3] = '\x09';
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "dir.npz", damaged)), "dir.npz",
                        "zip directory is damaged");
        // A flipped byte in a stored member's data: only the CRC tells.
        QByteArray flipped = good;
        const auto data = flipped.indexOf(X) + X.size() - 3;
        flipped[data] = static_cast<char>(flipped[data] ^ 0x40);
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "crc.npz", flipped)), "crc.npz", "X.npy",
                        "CRC");
        // ZIP64 records throughout (tests/reference/make_zip64_fixture.py).
        const auto zip64 = loadDataset(std::string(CLUSTERSCOPE_TEST_DATA) + "/npz/zip64.npz");
        QCOMPARE(values(zip64), (std::vector<float>{0, 1, 2, 3, 4, 5}));
        QCOMPARE(zip64.labels, (std::vector<int64_t>{1, 0, 1}));
        // A scalar features array, named.
        CS_EXPECT_ERROR(
            DataError,
            loadDataset(
                write(dir, "rank.npz",
                      zip({{"X.npy",
                            fixtures::npy(1, "<f8", {}, fixtures::bytesOf(std::vector<double>{1}))},
                           {"y.npy", y}}))),
            "rank.npz", "X.npy", "scalar");
        LoadOptions o;
        o.labelColumn = "truth";
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "named.npz", good), o), "named.npz",
                        "no array 'truth' for the labels", "X (2 x 1, f8), y (2, i8)");
    }

    void moreBrokenIdxFiles()
    {
        QByteArray badMagic = fixtures::idx({1, 1, 1}, QByteArray(1, '\x01'));
        badMagic[1] = '\x01';
        CS_EXPECT_ERROR(DataError, loadIdx(write(dir, "magic-images-idx3-ubyte", badMagic), ""),
                        "magic-images-idx3-ubyte", "not an IDX file");
        QByteArray badType = fixtures::idx({1, 1, 1}, QByteArray(1, '\x01'));
        badType[2] = '\x0A';
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "type-images-idx3-ubyte", badType)),
                        "type-images-idx3-ubyte", "unknown IDX value type 0x0A");
        const QByteArray header = fixtures::idx({5, 28, 28}, {});
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "head-images-idx3-ubyte", header.left(9))),
                        "head-images-idx3-ubyte", "header is truncated", "3 dimensions");
    }

    void moreBrokenCsvFiles()
    {
        LoadOptions label;
        label.labelColumn = "label";
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "nolabel.csv", "a,b\n1,2\n"), label),
                        "nolabel.csv", "no column 'label'", "'none'");
        LoadOptions drop;
        drop.missing = MissingPolicy::Drop;
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "holes.csv", "a,b\n1,\nNA,2\n"), drop),
                        "holes.csv", "none is left");
        LoadOptions impute;
        impute.missing = MissingPolicy::ImputeMean;
        // A column without a single value is left out with a warning (a trailing delimiter).
        const auto blank = loadDataset(write(dir, "blank.csv", "a,b\n1,\n2,NA\n"), impute);
        QCOMPARE(blank.featureNames, (std::vector<std::string>{"a"}));
        QCOMPARE(blank.warnings.size(), size_t{1});
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "after.csv", "a,b\n\"1\"x,2\n")),
                        "after.csv", "line 2", "unexpected text after a closing quote");
    }

    // --- Concatenating parts ---

    void concatenatedPartsMustAgree()
    {
        const auto a = tiny("a.csv", {"x", "y"});
        CS_EXPECT_ERROR(DataError, concatenateRows(a, tiny("b.csv", {"x"})), "a.csv", "b.csv",
                        "feature counts must match");
        // Before: parts whose columns had other names (or other image shapes) were stacked.
        CS_EXPECT_ERROR(DataError, concatenateRows(a, tiny("b.csv", {"x", "z"})), "b.csv",
                        "feature names differ", "column 1", "'y' and 'z'");
        auto image = tiny("b.npy", {"x", "y"});
        image.imageShape = ImageShape{1, 2, 1};
        CS_EXPECT_ERROR(DataError, concatenateRows(a, image), "b.npy", "image shapes differ",
                        "not images", "1 x 2 x 1");
        auto labelled = tiny("b.csv", {"x", "y"});
        labelled.labels = {0, 1};
        CS_EXPECT_ERROR(DataError, concatenateRows(a, labelled), "only b.csv has labels");
        auto named = labelled;
        named.labelNames = {"p", "q"};
        CS_EXPECT_ERROR(DataError, concatenateRows(labelled, named), "label names differ");
        auto withMeta = tiny("a.csv", {"x", "y"});
        withMeta.metadata.push_back({"site", {1, 2}, {}, {}, {}});
        auto otherMeta = tiny("b.csv", {"x", "y"});
        otherMeta.metadata.push_back({"city", {}, {0, 0}, {"Oslo"}, {}});
        CS_EXPECT_ERROR(DataError, concatenateRows(withMeta, otherMeta),
                        "metadata column 'site' does not match 'city'");
        QCOMPARE(concatenateRows(a, tiny("b.csv", {"x", "y"})).rows(), 4);
        // Palettes (AnnData's uns colours) are merged with the categories while they cover them.
        auto left = tiny("a.h5ad", {"x", "y"});
        left.metadata.push_back({"type", {}, {0, 1}, {"B", "T"}, {"#000001", "#000002"}});
        auto right = tiny("b.h5ad", {"x", "y"});
        right.metadata.push_back({"type", {}, {0, 1}, {"NK", "B"}, {"#000003", "#000009"}});
        auto merged = concatenateRows(left, right).metadata.front();
        QCOMPARE(merged.categories, (std::vector<std::string>{"B", "T", "NK"}));
        QCOMPARE(merged.codes, (std::vector<int32_t>{0, 1, 2, 0}));
        QCOMPARE(merged.colors, (std::vector<std::string>{"#000001", "#000002", "#000003"}));
        right.metadata.front().colors.clear(); // NK would have no colour: none is kept
        QVERIFY(concatenateRows(left, right).metadata.front().colors.empty());
    }

    // float32 is 8 apart at 1e8 and 65536 apart at 1e12: rounding the file's float64 (or int64)
    // values put 600 rows on a handful of points before any method ran (gmm's ARI was 0.54 at
    // 1e8). The loaders now centre such columns in float64 first and record the offset.
    void farOffsetsSurviveEveryLoader_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<double>("offset");
        QTest::addColumn<double>("scale");
        for (const char* format : {"csv", "npy", "npz", "idx"})
        {
            QTest::addRow("%s at 1e8", format) << QString(format) << 1e8 << 0.5;
            QTest::addRow("%s at 1e12", format) << QString(format) << 1e12 << 1e-2;
        }
        QTest::addRow("npy int64 at 1e12") << QString("npy-int64") << 1e12 << 100.0;
    }
    void farOffsetsSurviveEveryLoader()
    {
        QFETCH(QString, format);
        QFETCH(double, offset);
        QFETCH(double, scale);
        std::vector<int64_t> truth;
        const auto values = fourGroups(offset, scale, &truth);
        const Dataset far = loadDataset(writeTable(dir, format.toStdString(), values));
        QCOMPARE(static_cast<int64_t>(far.featureOffsets.size()), int64_t{3});
        for (double o : far.featureOffsets)
            QVERIFY2(std::abs(o - offset) < 10 * scale, qPrintable(QString::number(o, 'g', 17)));
        // The file's values come back as feature + offset, to float32's precision at the spread.
        const auto restored = far.features.to(at::kDouble) +
                              at::tensor(at::ArrayRef<double>(far.featureOffsets)).unsqueeze(0);
        const auto file = at::tensor(at::ArrayRef<double>(values)).view({600, 3});
        const double worst = (restored - file).abs().max().item<double>();
        QVERIFY2(worst < (format == "npy-int64" ? 0.6 : 1e-5 * scale),
                 qPrintable(QString::number(worst)));
        QCOMPARE(centringNotes(far).size(), size_t{3});
        QVERIFY(centringNotes(far)[0].find("column 'x'") != std::string::npos || format != "csv");

        const Dataset near =
            loadDataset(writeTable(dir, format.toStdString() + "", fourGroups(0, scale)));
        for (const auto& [id, params] : classicMethods())
        {
            const auto farLabels = clusterWith(id, params, far.features);
            const double agreement =
                adjustedRandIndex(clusterWith(id, params, near.features), farLabels);
            QVERIFY2(agreement == 1.0,
                     qPrintable(QString::fromStdString(id) + ": ARI with the offset-free file " +
                                QString::number(agreement)));
            if (id != "leiden") // Leiden's count follows its resolution, not k
                QVERIFY2(adjustedRandIndex(truth, farLabels) == 1.0,
                         qPrintable(QString::fromStdString(id) + ": ARI with the truth " +
                                    QString::number(adjustedRandIndex(truth, farLabels))));
        }
    }

    void ordinaryColumnsAreNotCentred()
    {
        // Years, prices, pixels: float32 keeps their spread, so they stay in the file's frame.
        const Dataset d = loadDataset(writeTable(dir, "npy", fourGroups(2000, 1)));
        QVERIFY(!d.hasCentredColumns());
        QVERIFY(centringNotes(d).empty());
        QCOMPARE(d.features[0][0].item<float>(), static_cast<float>(fourGroups(2000, 1)[0]));
    }

    void partsCentredApartShareOneFrame()
    {
        const auto a = fourGroups(1e8, 1);
        auto b = fourGroups(1e8 + 50, 1); // its own rounded mean: a different offset
        const auto pa =
            write(dir, "a.npy", fixtures::npy(1, "<f8", {600, 3}, fixtures::bytesOf(a)));
        const auto pb =
            write(dir, "b.npy", fixtures::npy(1, "<f8", {600, 3}, fixtures::bytesOf(b)));
        const Dataset d = loadDatasets({pa, pb});
        QCOMPARE(d.rows(), int64_t{1200});
        auto both = a;
        both.insert(both.end(), b.begin(), b.end());
        const auto restored = d.features.to(at::kDouble) +
                              at::tensor(at::ArrayRef<double>(d.featureOffsets)).unsqueeze(0);
        const auto file = at::tensor(at::ArrayRef<double>(both)).view({1200, 3});
        QVERIFY((restored - file).abs().max().item<double>() < 1e-4);
    }

    // Values too small for float32 (subnormal below 1.2e-38, squared differences underflowing
    // below ~1e-19) used to load as a few points and give one cluster with a "duplicated or
    // constant rows?" warning; now a DataError names the file, the column and a remedy.
    void spreadTooSmallForFloat32IsRefused_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<double>("scale");
        QTest::addColumn<QString>("column");
        QTest::addRow("npy f8 1e-42") << "npy" << 1e-42 << "'f0'";
        QTest::addRow("npy f8 1e-30") << "npy" << 1e-30 << "'f0'";
        QTest::addRow("csv 1e-42") << "csv" << 1e-42 << "'x'";
        QTest::addRow("npz 1e-42") << "npz" << 1e-42 << "'f0'";
        QTest::addRow("idx 1e-42") << "idx" << 1e-42 << "'pixel0'";
        // Squares of differences this small underflow float64 too: the column passed for
        // constant and became zeros (issue 13's second trial: p-values near 1e-300).
        QTest::addRow("npy f8 1e-200") << "npy" << 1e-200 << "'f0'";
        QTest::addRow("csv 1e-301") << "csv" << 1e-301 << "'x'";
    }
    void spreadTooSmallForFloat32IsRefused()
    {
        QFETCH(QString, format);
        QFETCH(double, scale);
        QFETCH(QString, column);
        const auto path = writeTable(dir, format.toStdString(), fourGroups(0, scale));
        const std::string name = column.toStdString();
        CS_EXPECT_ERROR(DataError, loadDataset(path), path.c_str(), name.c_str(),
                        "multiply the column by a power of ten");
    }
    void float32FileTooSmallIsRefused()
    {
        std::vector<float> tiny;
        for (double v : fourGroups(0, 1e-30))
            tiny.push_back(static_cast<float>(v));
        const auto path =
            write(dir, "tiny32.npy", fixtures::npy(1, "<f4", {600, 3}, fixtures::bytesOf(tiny)));
        CS_EXPECT_ERROR(DataError, loadDataset(path), "'f0'", "multiply the column");
    }
    void theRemedyInTheMessageWorks()
    {
        // Multiplying by the power of ten the message names gives the planted groups back.
        std::vector<int64_t> truth;
        std::string message;
        try
        {
            loadDataset(writeTable(dir, "npy", fourGroups(0, 1e-42)));
        }
        catch (const DataError& e)
        {
            message = e.what();
        }
        const auto at = message.find("(e.g. ");
        QVERIFY2(at != std::string::npos, message.c_str());
        const double factor = std::stod(message.substr(at + 6));
        auto scaled = fourGroups(0, 1e-42, &truth);
        for (auto& v : scaled)
            v *= factor;
        const Dataset d = loadDataset(
            write(dir, "scaled.npy", fixtures::npy(1, "<f8", {600, 3}, fixtures::bytesOf(scaled))));
        QCOMPARE(adjustedRandIndex(truth, clusterWith("kmeans", {{"k", int64_t{4}}}, d.features)),
                 1.0);
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

    // Issue 13: an .npz member of a dtype that cannot be read (np.savez of an object array,
    // which pickles it) names the member and the np.savez call that re-saves it.
    void unreadableNpzMembersSayHowToResave()
    {
        const auto X =
            fixtures::npy(1, "<f4", {2, 2}, fixtures::bytesOf(std::vector<float>{1, 2, 3, 4}));
        const auto object = fixtures::npy(1, "|O", {2}, QByteArray(16, 'x'));
        // Object features, object labels: errors naming the member and the np.savez that works.
        CS_EXPECT_ERROR(DataError, loadDataset(write(dir, "objx.npz", zip({{"X.npy", object}}))),
                        "objx.npz: X.npy", "pickled Python objects",
                        "np.savez(path, X=np.asarray(X, dtype=np.float32), ...)");
        CS_EXPECT_ERROR(DataError,
                        loadDataset(write(dir, "objy.npz", zip({{"X.npy", X}, {"y.npy", object}}))),
                        "objy.npz: y.npy", "pickled Python objects", "np.asarray(y, dtype=str)");
        // A per-row object array the run does not need is left out, with a warning; before,
        // the whole archive was refused.
        const auto d =
            loadDataset(write(dir, "objmeta.npz", zip({{"X.npy", X}, {"names.npy", object}})));
        QCOMPARE(d.cols(), 2);
        QVERIFY(d.metadata.empty());
        QCOMPARE(d.warnings.size(), size_t{1});
        for (const char* f : {"objmeta.npz: names.npy", "pickled", "left out of the metadata"})
            QVERIFY2(d.warnings[0].find(f) != std::string::npos, d.warnings[0].c_str());
    }
};

QTEST_GUILESS_MAIN(TestLoaders)
#include "test_loaders.moc"

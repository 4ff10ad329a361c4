// Folders of PNG and JPEG images: class subfolders become labels, pixels arrive exactly as
// written (PNG) or within JPEG's loss, colour makes every image RGB, sizes must agree unless
// --image-size resizes them, and every bad file (truncated, not an image, huge) is named.

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/io/loaders.h>

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <stb/stb_image_write.h>
#include <zlib.h>

using namespace clusterscope;
namespace fs = std::filesystem;

namespace
{

// An h x w x c image whose value at (y, x, ch) is a fixed function of them and `seed`.
std::vector<uint8_t> pattern(int h, int w, int c, int seed)
{
    std::vector<uint8_t> out(static_cast<size_t>(h * w * c));
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<uint8_t>((i * 37 + static_cast<size_t>(seed) * 11) % 251);
    return out;
}

void writePng(const fs::path& path, int h, int w, int c, const std::vector<uint8_t>& pixels)
{
    fs::create_directories(path.parent_path());
    QVERIFY(stbi_write_png(path.c_str(), w, h, c, pixels.data(), w * c));
}

std::string errorOf(const std::function<void()>& f)
{
    try
    {
        f();
    }
    catch (const std::exception& e)
    {
        return e.what();
    }
    return "no error";
}

// A PNG header (signature and IHDR, correct CRC) claiming h x w pixels, and no image data.
std::string pngHeader(uint32_t h, uint32_t w)
{
    auto be = [](uint32_t v)
    {
        return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                           static_cast<char>(v >> 8), static_cast<char>(v)};
    };
    std::string chunk = "IHDR" + be(w) + be(h) + std::string("\x08\x00\x00\x00\x00", 5);
    const auto crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(chunk.data()), static_cast<uInt>(chunk.size())));
    return std::string("\x89PNG\r\n\x1a\n", 8) + be(13) + chunk + be(crc);
}

class CancelAt : public Progress
{
public:
    void report(double, std::string_view) override {}
    bool cancelRequested() const override { return true; }
};

} // namespace

class TestImageFolder : public QObject
{
    Q_OBJECT

    QTemporaryDir tmp;
    fs::path root() const { return tmp.path().toStdString(); }

private Q_SLOTS:
    void classFoldersBecomeLabels()
    {
        const fs::path dir = root() / "classes";
        // Written out of order: the classes and files load sorted by name.
        const std::vector<std::string> classes = {"coat", "ankle boot", "bag"};
        std::map<std::string, std::vector<uint8_t>> written;
        int seed = 0;
        for (const auto& c : classes)
            for (const char* name : {"b.png", "a.PNG"})
            {
                const auto rel = c + "/" + name;
                written[rel] = pattern(6, 5, 1, seed++);
                writePng(dir / rel, 6, 5, 1, written[rel]);
            }
        std::ofstream(dir / "README.txt") << "not an image";
        const Dataset d = loadDataset(dir.string());
        QCOMPARE(d.format, std::string("images"));
        QCOMPARE(d.rows(), int64_t(6));
        QCOMPARE(d.cols(), int64_t(30));
        QVERIFY(d.imageShape);
        QCOMPARE(d.imageShape->height, int64_t(6));
        QCOMPARE(d.imageShape->width, int64_t(5));
        QCOMPARE(d.imageShape->channels, int64_t(1));
        QCOMPARE(d.labelNames, (std::vector<std::string>{"ankle boot", "bag", "coat"}));
        QCOMPARE(d.labels, (std::vector<int64_t>{0, 0, 1, 1, 2, 2}));
        QCOMPARE(d.labelColumn, std::string("folder"));
        QCOMPARE(d.metadata.size(), size_t(1));
        const std::vector<std::string> order = {"ankle boot/a.PNG", "ankle boot/b.png",
                                                "bag/a.PNG",        "bag/b.png",
                                                "coat/a.PNG",       "coat/b.png"};
        for (int64_t i = 0; i < 6; ++i)
        {
            const auto& rel = order[static_cast<size_t>(i)];
            QCOMPARE(d.metadata[0].text(i), rel);
            const auto& px = written[rel];
            QCOMPARE(floatValues(d.features[i]), std::vector<float>(px.begin(), px.end()));
        }
        QVERIFY(!d.warnings.empty()); // the README was left out, with a word
        // --label-column none: the same rows, no labels.
        LoadOptions none;
        none.labelColumn = "none";
        QVERIFY(!loadDataset(dir.string(), none).hasLabels());
    }

    void colourMakesEveryImageRgb()
    {
        const fs::path dir = root() / "flat";
        const auto grey = pattern(4, 3, 1, 1);
        const auto rgb = pattern(4, 3, 3, 2);
        const auto rgba = pattern(4, 3, 4, 3);
        writePng(dir / "1.png", 4, 3, 1, grey);
        writePng(dir / "2.png", 4, 3, 3, rgb);
        writePng(dir / "3.png", 4, 3, 4, rgba);
        const Dataset d = loadDataset(dir.string());
        QVERIFY(!d.hasLabels());
        QCOMPARE(d.imageShape->channels, int64_t(3));
        QCOMPARE(d.cols(), int64_t(36));
        const auto first = floatValues(d.features[0]);
        for (size_t p = 0; p < 12; ++p) // grey replicated into R, G and B
            for (size_t c = 0; c < 3; ++c)
                QCOMPARE(first[p * 3 + c], float(grey[p]));
        QCOMPARE(floatValues(d.features[1]), std::vector<float>(rgb.begin(), rgb.end()));
        const auto third = floatValues(d.features[2]);
        for (size_t p = 0; p < 12; ++p) // alpha dropped
            for (size_t c = 0; c < 3; ++c)
                QCOMPARE(third[p * 3 + c], float(rgba[p * 4 + c]));
    }

    void jpegDecodesWithinItsLoss()
    {
        const fs::path dir = root() / "jpeg";
        fs::create_directories(dir);
        std::vector<uint8_t> smooth(16 * 16);
        for (int y = 0; y < 16; ++y)
            for (int x = 0; x < 16; ++x)
                smooth[static_cast<size_t>(y * 16 + x)] = static_cast<uint8_t>(8 * x + 4 * y);
        QVERIFY(stbi_write_jpg((dir / "a.jpg").c_str(), 16, 16, 1, smooth.data(), 100));
        // stb's writer stores even a grey JPEG as three components: the image loads as RGB.
        const Dataset d = loadDataset(dir.string());
        const auto c = static_cast<size_t>(d.imageShape->channels);
        const auto values = floatValues(d.features[0]);
        QCOMPARE(values.size(), smooth.size() * c);
        for (size_t i = 0; i < smooth.size(); ++i)
            QVERIFY2(std::abs(values[i * c] - float(smooth[i])) <= 4,
                     qPrintable(QString("%1: %2 for %3").arg(i).arg(values[i * c]).arg(smooth[i])));
    }

    void mixedSizesNeedImageSize()
    {
        const fs::path dir = root() / "mixed";
        writePng(dir / "a.png", 6, 5, 1, pattern(6, 5, 1, 0));
        writePng(dir / "b.png", 8, 8, 1, std::vector<uint8_t>(64, 100));
        const auto error = errorOf([&] { loadDataset(dir.string()); });
        QVERIFY2(error.find("b.png: 8 x 8 pixels") != std::string::npos &&
                     error.find("a.png has 6 x 5") != std::string::npos &&
                     error.find("--image-size 6x5") != std::string::npos,
                 error.c_str());
        LoadOptions resize;
        resize.imageSize = "4x4";
        const Dataset d = loadDataset(dir.string(), resize);
        QCOMPARE(d.cols(), int64_t(16));
        QCOMPARE(d.imageShape->height, int64_t(4));
        // A constant image stays constant when resized.
        for (float v : floatValues(d.features[1]))
            QCOMPARE(v, 100.0f);
        for (const char* bad : {"28", "0x5", "axb", "5x", "4x4x4", "20000x20"})
        {
            resize.imageSize = bad;
            const auto e = errorOf([&] { loadDataset(dir.string(), resize); });
            QVERIFY2(e.find("image_size") != std::string::npos, e.c_str());
        }
    }

    void badFilesAreNamed()
    {
        const fs::path dir = root() / "bad";
        writePng(dir / "a.png", 6, 5, 1, pattern(6, 5, 1, 0));
        {
            std::ifstream in(dir / "a.png", std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            std::ofstream(dir / "b.png", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
        }
        auto error = errorOf([&] { loadDataset(dir.string()); });
        QVERIFY2(error.find("b.png") != std::string::npos &&
                     error.find("truncated or damaged") != std::string::npos,
                 error.c_str());
        // A chunk claiming 553 MB in a file of a hundred bytes (stb_image would allocate it).
        {
            std::ifstream in(dir / "a.png", std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            const auto idat = bytes.find("IDAT");
            QVERIFY(idat != std::string::npos);
            bytes.replace(idat - 4, 4, std::string("\x21\x00\x00\x00", 4));
            std::ofstream(dir / "b.png", std::ios::binary) << bytes;
        }
        error = errorOf([&] { loadDataset(dir.string()); });
        QVERIFY2(error.find("b.png: a PNG chunk of 553648128 bytes runs past the end") !=
                     std::string::npos,
                 error.c_str());
        // And one that claims only a little more than the file holds.
        {
            std::ifstream in(dir / "a.png", std::ios::binary);
            std::string bytes((std::istreambuf_iterator<char>(in)), {});
            const auto idat = bytes.find("IDAT");
            const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + idat - 4);
            const uint32_t length =
                uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
            const uint32_t claimed = length + 40; // past IEND, within the file's size
            QVERIFY(claimed < bytes.size());
            bytes.replace(idat - 4, 4,
                          std::string{static_cast<char>(claimed >> 24),
                                      static_cast<char>(claimed >> 16),
                                      static_cast<char>(claimed >> 8), static_cast<char>(claimed)});
            std::ofstream(dir / "b.png", std::ios::binary) << bytes;
        }
        error = errorOf([&] { loadDataset(dir.string()); });
        QVERIFY2(error.find("runs past the end") != std::string::npos, error.c_str());
        fs::remove(dir / "b.png");
        std::ofstream(dir / "c.jpg") << "this is text, not a JPEG";
        error = errorOf([&] { loadDataset(dir.string()); });
        QVERIFY2(error.find("c.jpg") != std::string::npos, error.c_str());
        fs::remove(dir / "c.jpg");
        std::ofstream(dir / "huge.png", std::ios::binary) << pngHeader(20000, 20000);
        error = errorOf([&] { loadDataset(dir.string()); });
        QVERIFY2(error.find("huge.png: 20000 x 20000 pixels") != std::string::npos &&
                     error.find("8192") != std::string::npos,
                 error.c_str());

        const fs::path empty = root() / "empty";
        fs::create_directories(empty / "sub");
        std::ofstream(empty / "notes.txt") << "x";
        error = errorOf([&] { loadDataset(empty.string()); });
        QVERIFY2(error.find("no IDX images files") != std::string::npos &&
                     error.find("no PNG or JPEG") != std::string::npos,
                 error.c_str());
    }

    // A JPEG whose Huffman table is bogus: Debian's stb_image read out of bounds on it (the fuzz
    // lane's finding); libjpeg-turbo refuses it by name.
    void damagedJpegIsRefusedByName()
    {
        const fs::path dir = root() / "bogus_jpeg";
        fs::create_directories(dir);
        const QByteArray bytes = QByteArray::fromBase64(
            "/9j/4AAQSkZJRAABAQBFAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQ"
            "DQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRT/wAALCAB+AAYBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACP/E"
            "ABoAAAAHAAAAAAAAAAAAAAAAAAACBxlTpNH/2gAIAQEAAD8APzr6wTWTYP/Z");
        std::ofstream(dir / "x.jpg", std::ios::binary).write(bytes.data(), bytes.size());
        const auto error = errorOf([&] { loadDataset(dir.string()); });
        QVERIFY2(error.find("x.jpg: not a readable JPEG image") != std::string::npos &&
                     error.find("truncated or damaged") != std::string::npos,
                 error.c_str());
    }

    void cancelStopsTheLoad()
    {
        const fs::path dir = root() / "cancel";
        writePng(dir / "a.png", 6, 5, 1, pattern(6, 5, 1, 0));
        CancelAt cancel;
        QVERIFY_THROWS_EXCEPTION(CancelledError, loadImageFolder(dir.string(), {}, cancel));
    }
};

QTEST_GUILESS_MAIN(TestImageFolder)
#include "test_image_folder.moc"

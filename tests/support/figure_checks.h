#pragma once
// Reading exported figures back: they must parse, have the expected size, and contain the
// expected colours and text.

#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <QXmlStreamReader>

#include <set>

namespace figures
{

// How many of `colors` appear exactly among the image's pixels.
inline int colorsPresent(const QImage& image, const std::vector<QRgb>& colors)
{
    std::set<QRgb> pixels;
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    for (int y = 0; y < rgb.height(); ++y)
        for (int x = 0; x < rgb.width(); ++x)
            pixels.insert(rgb.pixel(x, y) & 0xffffff);
    int found = 0;
    for (QRgb c : colors)
        found += pixels.count(c & 0xffffff) ? 1 : 0;
    return found;
}

struct SvgSummary
{
    bool valid = false;
    int shapes = 0; // circles, ellipses and paths
    int images = 0; // embedded raster layers
    QString text;   // all text content
    std::set<QString> fills;
};

inline SvgSummary readSvg(const QString& path)
{
    SvgSummary s;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return s;
    QXmlStreamReader xml(&f);
    while (!xml.atEnd())
    {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        const auto name = xml.name();
        if (name == QLatin1String("circle") || name == QLatin1String("ellipse") ||
            name == QLatin1String("path"))
            ++s.shapes;
        if (name == QLatin1String("image"))
            ++s.images;
        const auto fill = xml.attributes().value("fill");
        if (!fill.isEmpty())
            s.fills.insert(fill.toString().toLower());
        if (name == QLatin1String("text"))
            s.text += xml.readElementText(QXmlStreamReader::IncludeChildElements) + "\n";
    }
    s.valid = !xml.hasError();
    return s;
}

// The text of a PDF, through pdftotext (poppler-utils, installed by scripts/setup.sh).
inline QString pdfText(const QString& path)
{
    QProcess p;
    p.start("pdftotext", {path, "-"});
    p.waitForFinished(30000);
    return QString::fromUtf8(p.readAllStandardOutput());
}

// The first page of a PDF as an image, through pdftoppm.
inline QImage pdfImage(const QString& path, int dpi = 72)
{
    QTemporaryDir dir;
    QProcess p;
    p.start("pdftoppm",
            {"-png", "-r", QString::number(dpi), "-singlefile", path, dir.filePath("page")});
    p.waitForFinished(30000);
    return QImage(dir.filePath("page.png"));
}

} // namespace figures

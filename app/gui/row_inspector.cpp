#include "row_inspector.h"

#include <clusterscope/core/tensor_io.h>

#include <QObject>
#include <QStringList>

#include <algorithm>

namespace clusterscope
{

QString describeRow(const Dataset& data, const std::vector<int64_t>& clusters, int64_t row,
                    const std::map<int64_t, QString>& labelNames)
{
    QStringList lines{QObject::tr("row %1").arg(row)};
    if (data.hasLabels())
    {
        const int64_t l = data.labels[static_cast<size_t>(row)];
        const auto named = labelNames.find(l);
        lines << QObject::tr("label: %1")
                     .arg(named != labelNames.end() ? named->second
                                                    : QString::fromStdString(data.labelText(l)));
    }
    if (clusters.size() == static_cast<size_t>(data.rows()))
        lines << QObject::tr("cluster: %1").arg(clusters[static_cast<size_t>(row)]);
    for (const auto& m : data.metadata)
        lines << QString("%1: %2").arg(QString::fromStdString(m.name),
                                       QString::fromStdString(m.text(row)));
    return lines.join('\n');
}

QImage rowThumbnail(const Dataset& data, int64_t row)
{
    // Grey (1 channel) or RGB (3, interleaved as image folders and NumPy's N x H x W x 3 load).
    if (!data.imageShape || (data.imageShape->channels != 1 && data.imageShape->channels != 3))
        return {};
    const auto values = floatValues(data.features[row]);
    const float top = std::max(1e-6f, *std::max_element(values.begin(), values.end()));
    const int h = static_cast<int>(data.imageShape->height);
    const int w = static_cast<int>(data.imageShape->width);
    const int c = static_cast<int>(data.imageShape->channels);
    QImage image(w, h, c == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w * c; ++x)
        {
            const float v = values[static_cast<size_t>(y * w * c + x)] / top;
            image.scanLine(y)[x] = static_cast<uchar>(std::clamp(v, 0.0f, 1.0f) * 255);
        }
    return image;
}

} // namespace clusterscope

#pragma once
// What the inspector shows for one row: its label, cluster and metadata as text, and its image
// for single-channel image datasets.

#include <clusterscope/core/dataset.h>

#include <QImage>
#include <QString>

#include <vector>

namespace clusterscope
{

// "row 12\nlabel: 3\ncluster: 5\n...". `clusters`: one per loaded row, or empty.
QString describeRow(const Dataset& data, const std::vector<int64_t>& clusters, int64_t row);

// The row's image as 8-bit grey scaled to its own range; null for tables and colour images.
QImage rowThumbnail(const Dataset& data, int64_t row);

} // namespace clusterscope

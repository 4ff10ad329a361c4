#pragma once
// What the inspector shows for one row: its label, cluster and metadata as text, and its image
// for single-channel image datasets.

#include <clusterscope/core/dataset.h>

#include <QImage>
#include <QString>

#include <map>
#include <vector>

namespace clusterscope
{

// "row 12\nlabel: 3\ncluster: 5\n...". `clusters`: one per loaded row, or empty. `labelNames`:
// names the user gave true labels (by code), over the data's own.
QString describeRow(const Dataset& data, const std::vector<int64_t>& clusters, int64_t row,
                    const std::map<int64_t, QString>& labelNames = {});

// The row's image, grey or RGB, scaled to its own range; null for tables.
QImage rowThumbnail(const Dataset& data, int64_t row);

} // namespace clusterscope

#pragma once
// What colours the points of a dataset, for the view and for figures alike. Modes:
// "uniform", "cluster", "truth", "meta:<i>" (a metadata column), "feature:<i>" (a numeric
// feature). Categories get the categorical palette and a legend; numbers get the continuous
// palette and a bar. With true labels, a cluster takes the colour of the label it matches
// (metrics/color_slots.h), so the "cluster" and "truth" colourings compare colour for colour.

#include "figure_scene.h"

#include <clusterscope/core/dataset.h>
#include <clusterscope/metrics/color_slots.h>

#include <cstdint>
#include <map>
#include <vector>

namespace clusterscope
{

// Fills scene.rgb, legend, legendTitle and the colour bar. Falls back to uniform grey when the
// mode does not apply (e.g. "cluster" before any clustering). `clusterNames`: names the user gave
// clusters, shown in the legend as "cluster 3 · Sneakers".
// `labelNames`: names the user gave true labels (by label code), over the data's own.
void colorScene(FigureScene& scene, const Dataset& data, const std::vector<int64_t>& clusters,
                const QString& mode, const std::map<int64_t, QString>& clusterNames = {},
                const std::map<int64_t, QString>& labelNames = {});

// A cluster's colour from its slots (clusterColorSlots), as colorScene colours it; and the RGB
// bytes (N x 3) of per-row cluster ids.
QColor clusterColor(const ColorSlots& slots, int64_t id);
std::vector<uint8_t> clusterColors(const ColorSlots& slots, const std::vector<int64_t>& ids);

} // namespace clusterscope

#pragma once
// What colours the points of a dataset, for the view and for figures alike. Modes:
// "uniform", "cluster", "truth", "meta:<i>" (a metadata column), "feature:<i>" (a numeric
// feature). Categories get the categorical palette and a legend; numbers get viridis and a bar.

#include "figure_scene.h"

#include <clusterscope/core/dataset.h>

#include <cstdint>
#include <map>
#include <vector>

namespace clusterscope
{

// Fills scene.rgb, legend, legendTitle and the colour bar. Falls back to uniform grey when the
// mode does not apply (e.g. "cluster" before any clustering). `clusterNames`: names the user gave
// clusters, shown in the legend as "cluster 3 · Sneakers".
void colorScene(FigureScene& scene, const Dataset& data, const std::vector<int64_t>& clusters,
                const QString& mode, const std::map<int64_t, QString>& clusterNames = {});

} // namespace clusterscope

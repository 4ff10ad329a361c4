#include "coloring.h"

#include "palette.h"

#include <clusterscope/core/tensor_io.h>

#include <map>

namespace clusterscope
{

namespace
{

// Legend entries "name (count)" for each id present, in id order, and the colours.
template <typename NameOf>
void categories(FigureScene& scene, const std::vector<int64_t>& ids, NameOf nameOf,
                const QString& title)
{
    std::map<int64_t, int64_t> counts;
    for (int64_t id : ids)
        ++counts[id];
    scene.legend.clear();
    for (const auto& [id, count] : counts)
        scene.legend.push_back(
            {categoricalColor(id), QString("%1 (%2)").arg(nameOf(id)).arg(count)});
    scene.rgb = categoricalColors(ids);
    scene.legendTitle = title;
}

void values(FigureScene& scene, const std::vector<double>& v, const QString& title)
{
    scene.legend.clear();
    scene.rgb = continuousColors(v, &scene.colorBarMin, &scene.colorBarMax);
    scene.colorBar = true;
    scene.legendTitle = title;
}

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

void colorScene(FigureScene& scene, const Dataset& data, const std::vector<int64_t>& clusters,
                const QString& mode, const std::map<int64_t, QString>& clusterNames)
{
    const auto rows = static_cast<size_t>(data.rows());
    scene.colorBar = false;
    if (mode == "cluster" && clusters.size() == rows)
    {
        categories(
            scene, clusters,
            [&](int64_t id)
            {
                if (id < 0)
                    return QString("noise");
                const auto named = clusterNames.find(id);
                return named == clusterNames.end() || named->second.isEmpty()
                           ? QString("cluster %1").arg(id)
                           : QString("cluster %1 · %2").arg(id).arg(named->second);
            },
            "Clusters");
    }
    else if (mode == "truth" && data.hasLabels())
    {
        // Label codes may be any integers: colour by their rank so that the palette is dense.
        std::map<int64_t, int64_t> rank;
        for (int64_t l : data.labels)
            rank.emplace(l, 0);
        std::vector<QString> names;
        for (auto& [label, r] : rank)
        {
            r = static_cast<int64_t>(names.size());
            names.push_back(text(data.labelText(label)));
        }
        std::vector<int64_t> ids;
        ids.reserve(rows);
        for (int64_t l : data.labels)
            ids.push_back(rank[l]);
        categories(
            scene, ids, [&names](int64_t id) { return names[static_cast<size_t>(id)]; },
            QString("True label (%1)").arg(text(data.labelColumn)));
    }
    else if (mode.startsWith("meta:") && mode.mid(5).toULongLong() < data.metadata.size())
    {
        const auto& column = data.metadata[mode.mid(5).toULongLong()];
        if (column.isNumeric())
        {
            values(scene, column.numbers, text(column.name));
        }
        else
        {
            const std::vector<int64_t> ids(column.codes.begin(), column.codes.end());
            categories(
                scene, ids,
                [&column](int64_t id) {
                    return id < 0 ? QString("missing")
                                  : text(column.categories[static_cast<size_t>(id)]);
                },
                text(column.name));
        }
    }
    else if (mode.startsWith("feature:") && mode.mid(8).toLongLong() < data.cols())
    {
        const auto column = mode.mid(8).toLongLong();
        const auto v = floatValues(data.features.select(1, column));
        values(scene, std::vector<double>(v.begin(), v.end()),
               text(data.featureNames[static_cast<size_t>(column)]));
    }
    else
    {
        scene.rgb.assign(rows * 3, 90);
        scene.legend.clear();
        scene.legendTitle.clear();
    }
}

} // namespace clusterscope

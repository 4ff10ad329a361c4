#include "coloring.h"

#include "palette.h"

#include <clusterscope/core/tensor_io.h>

#include <map>

namespace clusterscope
{

namespace
{

// Each id's colour: the data's own palette (AnnData's uns['<key>_colors']) where it has one
// for that id, else the categorical palette. `palette` is indexed by id.
QColor colorOf(int64_t id, const std::vector<std::string>& palette)
{
    if (id >= 0 && static_cast<size_t>(id) < palette.size())
        if (const QColor c(QString::fromStdString(palette[static_cast<size_t>(id)])); c.isValid())
            return c;
    return categoricalColor(id);
}

// Legend entries "name (count)" for each id present, in id order, and the colours.
template <typename NameOf>
void categories(FigureScene& scene, const std::vector<int64_t>& ids, NameOf nameOf,
                const QString& title, const std::vector<std::string>& palette = {})
{
    std::map<int64_t, int64_t> counts;
    for (int64_t id : ids)
        ++counts[id];
    scene.legend.clear();
    for (const auto& [id, count] : counts)
        scene.legend.push_back(
            {colorOf(id, palette), QString("%1 (%2)").arg(nameOf(id)).arg(count)});
    if (palette.empty())
    {
        scene.rgb = categoricalColors(ids);
    }
    else
    {
        std::map<int64_t, QColor> shade;
        for (const auto& [id, count] : counts)
            shade[id] = colorOf(id, palette);
        scene.rgb.resize(ids.size() * 3);
        for (size_t i = 0; i < ids.size(); ++i)
        {
            const QColor& c = shade[ids[i]];
            scene.rgb[i * 3] = static_cast<uint8_t>(c.red());
            scene.rgb[i * 3 + 1] = static_cast<uint8_t>(c.green());
            scene.rgb[i * 3 + 2] = static_cast<uint8_t>(c.blue());
        }
    }
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
                if (id == kNotClustered)
                    return QString("not clustered");
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
        // A palette of the data is by label code (categories no row has keep their colour).
        std::map<int64_t, int64_t> rank;
        for (int64_t l : data.labels)
            rank.emplace(l, 0);
        std::vector<QString> names;
        std::vector<std::string> palette; // by rank
        for (auto& [label, r] : rank)
        {
            r = static_cast<int64_t>(names.size());
            names.push_back(text(data.labelText(label)));
            if (!data.labelColors.empty())
                palette.push_back(label >= 0 && static_cast<size_t>(label) < data.labelColors.size()
                                      ? data.labelColors[static_cast<size_t>(label)]
                                      : std::string());
        }
        std::vector<int64_t> ids;
        ids.reserve(rows);
        for (int64_t l : data.labels)
            ids.push_back(rank[l]);
        categories(
            scene, ids, [&names](int64_t id) { return names[static_cast<size_t>(id)]; },
            QString("True label (%1)").arg(text(data.labelColumn)), palette);
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
                text(column.name), column.colors);
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

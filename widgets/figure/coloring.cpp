#include "coloring.h"

#include "palette.h"

#include <clusterscope/core/tensor_io.h>

#include <map>

namespace clusterscope
{

namespace
{

// Each id's colour: the data's own palette (AnnData's uns['<key>_colors']) where it has one
// for that id, else slot `slotOf(id)` of the categorical palette's `count`. `palette` is
// indexed by id.
template <typename SlotOf>
QColor colorOf(int64_t id, const std::vector<std::string>& palette, SlotOf slotOf, int64_t count)
{
    if (id >= 0 && static_cast<size_t>(id) < palette.size())
        if (const QColor c(QString::fromStdString(palette[static_cast<size_t>(id)])); c.isValid())
            return c;
    return categoricalColor(slotOf(id), count);
}

// Legend entries "name (count)" for each id present, in id order, and the colours.
template <typename NameOf, typename SlotOf>
void categories(FigureScene& scene, const std::vector<int64_t>& ids, NameOf nameOf,
                const QString& title, SlotOf slotOf, int64_t count,
                const std::vector<std::string>& palette = {})
{
    std::map<int64_t, int64_t> counts;
    for (int64_t id : ids)
        ++counts[id];
    scene.legend.clear();
    std::map<int64_t, QColor> shade;
    for (const auto& [id, rows] : counts)
    {
        shade[id] = colorOf(id, palette, slotOf, count);
        scene.legend.push_back({shade[id], nameOf(id), rows, id});
    }
    std::map<int64_t, int32_t> entryOf;
    for (const auto& [id, rows] : counts)
        entryOf.emplace(id, static_cast<int32_t>(entryOf.size()));
    scene.category.resize(ids.size());
    for (size_t i = 0; i < ids.size(); ++i)
        scene.category[i] = entryOf[ids[i]];
    scene.rgb.resize(ids.size() * 3);
    for (size_t i = 0; i < ids.size(); ++i)
    {
        const QColor& c = shade[ids[i]];
        scene.rgb[i * 3] = static_cast<uint8_t>(c.red());
        scene.rgb[i * 3 + 1] = static_cast<uint8_t>(c.green());
        scene.rgb[i * 3 + 2] = static_cast<uint8_t>(c.blue());
    }
    scene.legendTitle = title;
}

int64_t identity(int64_t id)
{
    return id;
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
                const QString& mode, const std::map<int64_t, QString>& clusterNames,
                const std::map<int64_t, QString>& labelNames)
{
    const auto rows = static_cast<size_t>(data.rows());
    scene.colorBar = false;
    scene.category.clear();
    const bool clustered = clusters.size() == rows;
    scene.background.clear();
    if (mode == "cluster" && clustered)
    {
        scene.background.resize(rows);
        for (size_t i = 0; i < rows; ++i)
            scene.background[i] = clusters[i] < 0 ? 1 : 0;
        const ColorSlots slots = clusterColorSlots(clusters, data.labels);
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
                           ? QString::number(id)
                           : QString("%1 · %2").arg(id).arg(named->second);
            },
            "Cluster", [&slots](int64_t id) { return slots.slot(id); }, slots.count);
    }
    else if (mode == "truth" && data.hasLabels())
    {
        // Label codes may be any integers: colour by their rank so that the palette is dense.
        // A palette of the data is by label code (categories no row has keep their colour).
        std::map<int64_t, int64_t> rank;
        for (int64_t l : data.labels)
            rank.emplace(l, 0);
        std::vector<QString> names;
        std::vector<int64_t> codes;       // by rank
        std::vector<std::string> palette; // by rank
        for (auto& [label, r] : rank)
        {
            r = static_cast<int64_t>(names.size());
            const auto named = labelNames.find(label);
            names.push_back(named != labelNames.end() ? named->second
                                                      : text(data.labelText(label)));
            codes.push_back(label);
            if (!data.labelColors.empty())
                palette.push_back(label >= 0 && static_cast<size_t>(label) < data.labelColors.size()
                                      ? data.labelColors[static_cast<size_t>(label)]
                                      : std::string());
        }
        std::vector<int64_t> ids;
        ids.reserve(rows);
        for (int64_t l : data.labels)
            ids.push_back(rank[l]);
        // The palette the clusters are drawn from, so that a label and its cluster match.
        const int64_t count = clustered ? clusterColorSlots(clusters, data.labels).count
                                        : static_cast<int64_t>(rank.size());
        categories(
            scene, ids, [&names](int64_t id) { return names[static_cast<size_t>(id)]; },
            QString("True label (%1)").arg(text(data.labelColumn)), identity, count, palette);
        for (auto& entry : scene.legend) // by label code, not rank
            entry.id = codes[static_cast<size_t>(entry.id)];
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
                text(column.name), identity, static_cast<int64_t>(column.categories.size()),
                column.colors);
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

QColor clusterColor(const ColorSlots& slots, int64_t id)
{
    return categoricalColor(slots.slot(id), slots.count);
}

std::vector<uint8_t> clusterColors(const ColorSlots& slots, const std::vector<int64_t>& ids)
{
    std::vector<int64_t> slotIds;
    slotIds.reserve(ids.size());
    for (int64_t id : ids)
        slotIds.push_back(slots.slot(id));
    return categoricalColors(slotIds, slots.count);
}

} // namespace clusterscope

#include "figure_controls.h"

#include "figure_scene.h"

#include <QComboBox>
#include <QObject>

#include <utility>

namespace clusterscope
{

QComboBox* legendPlacementBox(const char* objectName, QWidget* parent)
{
    auto* box = new QComboBox(parent);
    box->setObjectName(objectName);
    for (const auto& [placement, text] :
         {std::pair{LegendPlacement::Auto,
                    QObject::tr("Automatic (beside the plot, or on the data when long)")},
          std::pair{LegendPlacement::Right, QObject::tr("Right of the plot")},
          std::pair{LegendPlacement::Bottom, QObject::tr("Below the plot")},
          std::pair{LegendPlacement::OnData, QObject::tr("On the data")},
          std::pair{LegendPlacement::None, QObject::tr("None")}})
        box->addItem(text, placementName(placement));
    return box;
}

} // namespace clusterscope

#pragma once
// Controls shared by the figure dialog and Preferences' "New figures": one list of the legend's
// placements, worded for a person, with FigureStyle's names as item data.

class QComboBox;
class QWidget;

namespace clusterscope
{

// A combo box named `objectName` offering every LegendPlacement (placementName as data).
QComboBox* legendPlacementBox(const char* objectName, QWidget* parent);

} // namespace clusterscope

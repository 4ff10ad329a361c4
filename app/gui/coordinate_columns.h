#pragma once
// Embedding > Coordinates from Columns: asks which of the loaded table's columns hold a map
// made elsewhere (x and y, or three of them).

#include <string>
#include <vector>

class QWidget;

namespace clusterscope
{

// A modal list of `columns` (the loaded features' names) in which the user picks 1 to 64;
// returns them in the table's order, or nothing when the dialog was cancelled.
std::vector<std::string> pickCoordinateColumns(QWidget* parent,
                                               const std::vector<std::string>& columns);

} // namespace clusterscope

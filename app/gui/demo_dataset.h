#pragma once
// Where the bundled demo dataset (scikit-learn's digits) lies: installed beside the executable
// in ../share/clusterscope/demo (the .deb), or in the source tree (a build).

#include <QString>

namespace clusterscope
{

QString demoDatasetPath();

} // namespace clusterscope

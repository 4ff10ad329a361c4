#pragma once
// Files the package installs under <prefix>/share (beside the executable's ../share) and a build
// finds in the source tree: the demo dataset and the user guide.

#include <QString>

namespace clusterscope
{

// The first of `installed` (relative to <prefix>/share) and `source` (absolute) that exists,
// canonical; "" when neither does.
QString installedOrSource(const QString& installed, const QString& source);

// The bundled demo dataset (scikit-learn's digits) for File > Open Demo and --demo.
QString demoDatasetPath();

// docs/user-guide.md for Help > User Guide ("" when it is in neither place), and the two places
// it is looked for, for the message that says so.
QString userGuidePath();
QStringList userGuidePlaces();

} // namespace clusterscope

#pragma once
// The engine's advice names the CLI's flags ("choose --missing drop"); in the window the same
// choices are controls. inWindowTerms rewrites a message's flags into the controls that make
// the choice (the import dialog's and the Dataset dock's), so that no advice in the window
// sends a person to a command line.

#include <QString>

namespace clusterscope
{

// `message` with each loading flag (--missing, --label-column, --id-column, --skip-lines,
// --metadata-columns, --ignore-columns, --array) replaced by the control that sets it; other
// text is kept as it is.
QString inWindowTerms(QString message);

} // namespace clusterscope

#pragma once
// The engine's advice names the CLI's flags ("choose --missing drop"); in the window the same
// choices are controls. inWindowTerms rewrites a message's flags into the controls that make
// the choice (the import dialog's and the Dataset dock's), so that no advice in the window
// sends a person to a command line.

#include <QString>

#include <string>

namespace clusterscope
{

// A missing-value policy as the window shows it: its name (the Dataset panel's and the CLI's),
// then what it does: "drop: drop the rows that have one".
QString missingPolicyText(const std::string& policy);

// `message` with each loading flag (--missing, --label-column, --id-column, --skip-lines,
// --metadata-columns, --ignore-columns, --array) replaced by the control that sets it; other
// text is kept as it is.
QString inWindowTerms(QString message);

} // namespace clusterscope

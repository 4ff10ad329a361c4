#pragma once
// The pieces the Method and Embedding panels share: a list of registry operations, and an
// operation's parameter form above the run settings in one scroll area.

#include <clusterscope/core/registry.h>
#include <clusterscope/pipeline/run_settings.h>

#include <QString>

class QComboBox;
class QScrollArea;
class QWidget;

namespace clusterscope
{

class ParameterForm;

// Appends `op` to `box`: its display name, its id as the item's data, its summary as tooltip.
void addOperationItem(QComboBox& box, const OperationInfo& op);

// A scroll area holding `params` and, below it in a group box titled `settingsTitle`,
// `settings`: a method with many parameters would otherwise make the dock taller than the
// screen.
QScrollArea* scrollingForms(ParameterForm* params, ParameterForm* settings,
                            const QString& settingsTitle, QWidget* parent);

// The run settings a form over runSettingsSchema(stage) holds, the others at their defaults.
RunSettings runSettingsFromForm(const ParameterForm& settings);

} // namespace clusterscope

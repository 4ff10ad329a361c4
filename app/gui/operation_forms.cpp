#include "operation_forms.h"

#include "parameter_form.h"

#include <QComboBox>
#include <QGroupBox>
#include <QScrollArea>
#include <QVBoxLayout>

namespace clusterscope
{

void addOperationItem(QComboBox& box, const OperationInfo& op)
{
    box.addItem(QString::fromStdString(op.displayName), QString::fromStdString(op.id));
    box.setItemData(box.count() - 1, QString::fromStdString(op.summary), Qt::ToolTipRole);
}

QScrollArea* scrollingForms(ParameterForm* params, ParameterForm* settings,
                            const QString& settingsTitle, QWidget* parent)
{
    auto* fields = new QWidget;
    auto* fieldsLayout = new QVBoxLayout(fields);
    fieldsLayout->setContentsMargins(0, 0, 0, 0);
    fieldsLayout->addWidget(params);
    auto* settingsBox = new QGroupBox(settingsTitle, fields);
    auto* settingsLayout = new QVBoxLayout(settingsBox);
    settingsLayout->setContentsMargins(0, 0, 0, 0);
    settingsLayout->addWidget(settings);
    fieldsLayout->addWidget(settingsBox);
    fieldsLayout->addStretch(1);
    auto* scroll = new QScrollArea(parent);
    scroll->setWidget(fields);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return scroll;
}

RunSettings runSettingsFromForm(const ParameterForm& settings)
{
    ParamSet all(runSettingsSchema());
    const ParamSet chosen = settings.values(); // values() returns a copy: keep it alive
    for (const auto& [name, value] : chosen.values())
        all.set(name, value);
    return runSettingsFrom(all);
}

} // namespace clusterscope

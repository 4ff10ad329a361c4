#include "method_panel.h"

#include "parameter_form.h"

#include <clusterscope/core/device.h>
#include <clusterscope/pipeline/builtin.h>

#include <QComboBox>
#include <QFormLayout>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace clusterscope
{

MethodPanel::MethodPanel(QWidget* parent)
    : QWidget(parent), method_(new QComboBox(this)), form_(new ParameterForm(this)),
      scaling_(new QComboBox(this)), device_(new QComboBox(this)), seed_(new QSpinBox(this)),
      run_(new QPushButton(tr("Run"), this))
{
    for (const auto& a : builtinRegistry().all())
    {
        method_->addItem(QString::fromStdString(a.displayName), QString::fromStdString(a.id));
        method_->setItemData(method_->count() - 1, QString::fromStdString(a.summary),
                             Qt::ToolTipRole);
    }
    for (const auto& spec : runSettingsSchema())
        if (spec.name == "scaling")
            for (const auto& c : spec.choices)
                scaling_->addItem(QString::fromStdString(c));
    scaling_->setObjectName("scaling");
    scaling_->setToolTip(tr("Feature scaling before clustering"));
    device_->addItems({"auto", "cpu", "cuda"});
    device_->setToolTip(cudaAvailable() ? tr("A CUDA GPU is available")
                                        : tr("This build or machine has no CUDA GPU"));
    seed_->setRange(0, 1'000'000'000);
    seed_->setToolTip(tr("The same seed on the same device gives the same labels"));
    run_->setObjectName("run");
    run_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));

    auto* settings = new QFormLayout;
    settings->addRow(tr("Method:"), method_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(settings);
    layout->addWidget(form_);
    auto* runSettings = new QFormLayout;
    runSettings->addRow(tr("Scaling:"), scaling_);
    runSettings->addRow(tr("Device:"), device_);
    runSettings->addRow(tr("Seed:"), seed_);
    layout->addLayout(runSettings);
    layout->addWidget(run_);
    layout->addStretch(1);

    auto showSchema = [this]
    {
        const auto id = method_->currentData().toString().toStdString();
        form_->setSchema(builtinRegistry().get(id).params);
    };
    connect(method_, &QComboBox::currentIndexChanged, this, showSchema);
    connect(form_, &ParameterForm::validityChanged, run_, &QPushButton::setEnabled);
    connect(run_, &QPushButton::clicked, this, &MethodPanel::runRequested);
    showSchema();
}

RunRequest MethodPanel::request() const
{
    RunRequest r;
    r.method = &builtinRegistry().get(method_->currentData().toString().toStdString());
    r.params = form_->values();
    r.settings.scaling = scaling_->currentText().toStdString();
    r.settings.device = device_->currentText().toStdString();
    r.settings.seed = static_cast<uint64_t>(seed_->value());
    return r;
}

} // namespace clusterscope

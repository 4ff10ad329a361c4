#include "method_panel.h"

#include "parameter_form.h"

#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/run_settings.h>
#include <clusterscope/pipeline/validate.h>

#include <QComboBox>
#include <QFormLayout>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace clusterscope
{

namespace
{

// The settings a person changes per run; the others keep the pipeline's defaults.
std::vector<ParamSpec> offeredSettings()
{
    std::vector<ParamSpec> out;
    for (const auto& spec : runSettingsSchema())
        if (spec.name == "scaling" || spec.name == "pca" || spec.name == "device" ||
            spec.name == "seed")
            out.push_back(spec);
    return out;
}

} // namespace

MethodPanel::MethodPanel(QWidget* parent)
    : QWidget(parent), method_(new QComboBox(this)), form_(new ParameterForm(this)),
      settings_(new ParameterForm(this)), run_(new QPushButton(tr("Run"), this))
{
    for (const auto& a : builtinRegistry().all())
    {
        method_->addItem(QString::fromStdString(a.displayName), QString::fromStdString(a.id));
        method_->setItemData(method_->count() - 1, QString::fromStdString(a.summary),
                             Qt::ToolTipRole);
    }
    settings_->setObjectName("runSettings");
    settings_->setSchema(offeredSettings());
    run_->setObjectName("run");
    run_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));

    auto* methodRow = new QFormLayout;
    methodRow->addRow(tr("Method:"), method_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(methodRow);
    layout->addWidget(form_);
    layout->addWidget(settings_);
    layout->addWidget(run_);
    layout->addStretch(1);

    auto showSchema = [this] { form_->setSchema(currentMethod().params); };
    connect(method_, &QComboBox::currentIndexChanged, this, showSchema);
    connect(form_, &ParameterForm::validityChanged, this, &MethodPanel::updateRunButton);
    connect(settings_, &ParameterForm::validityChanged, this, &MethodPanel::updateRunButton);
    connect(run_, &QPushButton::clicked, this, &MethodPanel::runRequested);
    showSchema();
}

const AlgorithmInfo& MethodPanel::currentMethod() const
{
    return builtinRegistry().get(method_->currentData().toString().toStdString());
}

void MethodPanel::updateRunButton()
{
    run_->setEnabled(form_->isValid() && settings_->isValid());
}

RunRequest MethodPanel::request() const
{
    RunRequest r;
    r.method = &currentMethod();
    r.params = form_->values();
    ParamSet settings(runSettingsSchema());
    const ParamSet chosen = settings_->values();
    for (const auto& [name, value] : chosen.values())
        settings.set(name, value);
    r.settings = runSettingsFrom(settings);
    return r;
}

void MethodPanel::setDataset(const Dataset* loaded)
{
    auto* model = qobject_cast<QStandardItemModel*>(method_->model());
    const auto& methods = builtinRegistry().all();
    for (int i = 0; i < method_->count() && i < static_cast<int>(methods.size()); ++i)
    {
        const auto& info = methods[static_cast<size_t>(i)];
        const std::string why = loaded ? whyNotRunnable(*loaded, info) : std::string();
        model->item(i)->setEnabled(why.empty());
        method_->setItemData(
            i, QString::fromStdString(why.empty() ? info.summary : info.displayName + ": " + why),
            Qt::ToolTipRole);
    }
    if (!model->item(method_->currentIndex())->isEnabled())
        for (int i = 0; i < method_->count(); ++i)
            if (model->item(i)->isEnabled())
            {
                method_->setCurrentIndex(i);
                break;
            }
}

bool MethodPanel::selectMethod(const std::string& id)
{
    const int index = method_->findData(QString::fromStdString(id));
    auto* model = qobject_cast<QStandardItemModel*>(method_->model());
    if (index < 0 || !model->item(index)->isEnabled())
        return false;
    method_->setCurrentIndex(index);
    return true;
}

void MethodPanel::showRequest(const RunRequest& request)
{
    if (!request.method || !selectMethod(request.method->id))
        return;
    for (const auto& [name, value] : request.params.values())
        form_->setText(name, QString::fromStdString(formatValue(value)));
    const auto settings = toParamSet(request.settings).values();
    for (const auto& spec : settings_->schema())
        if (auto it = settings.find(spec.name); it != settings.end())
            settings_->setText(spec.name, QString::fromStdString(formatValue(it->second)));
}

} // namespace clusterscope

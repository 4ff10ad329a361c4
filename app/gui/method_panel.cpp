#include "method_panel.h"

#include "operation_forms.h"
#include "parameter_form.h"

#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/run_settings.h>
#include <clusterscope/pipeline/validate.h>

#include <QComboBox>
#include <QFormLayout>
#include <QPushButton>
#include <QScrollArea>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace clusterscope
{

MethodPanel::MethodPanel(QWidget* parent)
    : QWidget(parent), method_(new QComboBox(this)), form_(new ParameterForm(this)),
      settings_(new ParameterForm(this)), run_(new QPushButton(tr("Run"), this))
{
    for (const auto& a : builtinRegistry().all())
        addOperationItem(*method_, a);
    settings_->setObjectName("runSettings");
    // Every setting that applies per run, as the CLI's flags; the Load settings are with the
    // dataset, and the process-wide ones are set once at start.
    settings_->setSchema(runSettingsSchema(SettingStage::Run));
    run_->setObjectName("run");
    run_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    run_->setToolTip(tr("Run the method on the loaded data (Ctrl+R, F5)"));

    auto* methodRow = new QFormLayout;
    methodRow->addRow(tr("Method:"), method_);
    // The forms scroll and the Run button stays below them.
    scroll_ = scrollingForms(form_, settings_, tr("Run settings"), this);
    scroll_->setObjectName("methodScroll");
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(methodRow);
    layout->addWidget(scroll_, 1);
    layout->addWidget(run_);

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
    r.settings = runSettingsFromForm(*settings_);
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

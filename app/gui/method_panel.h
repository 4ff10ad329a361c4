#pragma once
// The Method dock: the algorithm picker (only what can run on the loaded data is enabled, the
// others say why in their tooltip), its generated parameter form, and the run settings, whose
// editors are generated from runSettingsSchema() like the CLI's flags.

#include <clusterscope/core/dataset.h>
#include <clusterscope/core/registry.h>
#include <clusterscope/pipeline/run.h>

#include <QWidget>

class QComboBox;
class QPushButton;
class QScrollArea;

namespace clusterscope
{

class ParameterForm;

class MethodPanel : public QWidget
{
    Q_OBJECT

public:
    explicit MethodPanel(QWidget* parent = nullptr);
    // The method, its parameters and the settings chosen here (the pipeline's defaults for the
    // rest). Throws ParameterError naming the field when the form is invalid.
    RunRequest request() const;
    // Enables the methods that can run on `data` (all when null); each other one is disabled
    // with whyNotRunnable's reason as its tooltip. A disabled current method gives way to the
    // first enabled one.
    void setDataset(const Dataset* loaded);
    // Shows `request`'s method and parameters (e.g. of the run the window shows).
    void showRequest(const RunRequest& request);
    // Selects a method by id; false when it is unknown or disabled.
    bool selectMethod(const std::string& id);
    const AlgorithmInfo& currentMethod() const;

    ParameterForm* form() const { return form_; }
    ParameterForm* settingsForm() const { return settings_; }
    QPushButton* runButton() const { return run_; }
    QComboBox* methodBox() const { return method_; }
    QScrollArea* scrollArea() const { return scroll_; }

Q_SIGNALS:
    void runRequested();

private:
    void updateRunButton();

    QComboBox* method_;
    ParameterForm* form_;
    ParameterForm* settings_;
    QScrollArea* scroll_;
    QPushButton* run_;
};

} // namespace clusterscope

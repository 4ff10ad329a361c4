#pragma once
// The Method dock: the algorithm picker, its generated parameter form, and the run settings.

#include <clusterscope/core/registry.h>
#include <clusterscope/pipeline/run.h>

#include <QWidget>

class QComboBox;
class QPushButton;
class QSpinBox;

namespace clusterscope
{

class ParameterForm;

class MethodPanel : public QWidget
{
    Q_OBJECT

public:
    explicit MethodPanel(QWidget* parent = nullptr);
    // The method, its parameters and the settings chosen here (the pipeline's defaults for the
    // rest). Throws ParameterError when the form is invalid.
    RunRequest request() const;
    ParameterForm* form() const { return form_; }
    QPushButton* runButton() const { return run_; }
    QComboBox* methodBox() const { return method_; }

Q_SIGNALS:
    void runRequested();

private:
    QComboBox* method_;
    ParameterForm* form_;
    QComboBox* scaling_;
    QComboBox* device_;
    QSpinBox* seed_;
    QPushButton* run_;
};

} // namespace clusterscope

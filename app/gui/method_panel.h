#pragma once
// The Method dock: the algorithm picker, its generated parameter form, and the run settings.

#include <clusterscope/core/registry.h>

#include <QWidget>

class QComboBox;
class QPushButton;
class QSpinBox;

namespace clusterscope
{

class ParameterForm;

struct RunRequest
{
    const AlgorithmInfo* method = nullptr;
    ParamSet params;
    std::string scaling;
    std::string device;
    uint64_t seed = 0;
};

class MethodPanel : public QWidget
{
    Q_OBJECT

public:
    explicit MethodPanel(QWidget* parent = nullptr);
    RunRequest request() const; // throws ParameterError when the form is invalid
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

#pragma once
// A form generated from an algorithm's parameter schema: one editor per parameter, with its
// range, its help as a tooltip, and validation that marks a bad entry and names the problem.

#include <clusterscope/core/parameters.h>

#include <QWidget>

#include <map>
#include <string>
#include <vector>

class QFormLayout;
class QLabel;

namespace clusterscope
{

class ParameterForm : public QWidget
{
    Q_OBJECT

public:
    explicit ParameterForm(QWidget* parent = nullptr);

    void setSchema(const std::vector<ParamSpec>& schema);
    const std::vector<ParamSpec>& schema() const { return schema_; }

    // The values as typed; throws ParameterError naming the first invalid field.
    ParamSet values() const;
    bool isValid() const;
    QString firstError() const;

    // The editor of a parameter (tests drive the form through it).
    QWidget* editor(const std::string& name) const;
    // Sets a field from text, as if typed; returns whether it was accepted.
    bool setText(const std::string& name, const QString& text);
    // Shows or hides a parameter's row (its value still counts in values()).
    void setRowVisible(const std::string& name, bool visible);

Q_SIGNALS:
    void validityChanged(bool valid);
    // A field was edited (typed, picked or set with setText), valid or not.
    void edited();

private:
    void fieldEdited();
    void revalidate();
    QString textOf(const ParamSpec& spec) const;

    std::vector<ParamSpec> schema_;
    std::map<std::string, QWidget*> editors_;
    QFormLayout* layout_;
    QLabel* error_;
    bool valid_ = true;
};

} // namespace clusterscope

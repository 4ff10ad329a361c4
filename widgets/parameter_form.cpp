#include "parameter_form.h"

#include <clusterscope/core/errors.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>

namespace clusterscope
{

ParameterForm::ParameterForm(QWidget* parent)
    : QWidget(parent), layout_(new QFormLayout(this)), error_(nullptr)
{
}

namespace
{

// What an empty field shows: a number's range, or a text's example from its help ("e.g.
// 28x28"), never the bare word "text".
QString placeholderOf(const ParamSpec& spec)
{
    if (spec.type != ParamType::Text)
        return QString::fromStdString(spec.describeRange());
    static const QRegularExpression example(QStringLiteral("\\be\\.g\\. ([^ ,;)]+)"));
    const auto match = example.match(QString::fromStdString(spec.help));
    return match.hasMatch() ? QObject::tr("e.g. %1").arg(match.captured(1)) : QString();
}

} // namespace

void ParameterForm::setSchema(const std::vector<ParamSpec>& schema)
{
    while (layout_->rowCount() > 0)
    {
        layout_->removeRow(0);
    }
    editors_.clear();
    schema_ = schema;
    error_ = new QLabel(this);
    error_->setStyleSheet("color: #b00020;");
    error_->setWordWrap(true);
    error_->hide();
    for (const auto& spec : schema_)
    {
        QWidget* editor = nullptr;
        const QString tip = QString::fromStdString(spec.help + "\nType: " + spec.typeName() +
                                                   ", range: " + spec.describeRange() +
                                                   ", default: " + formatValue(spec.defaultValue));
        switch (spec.type)
        {
        case ParamType::Bool:
        {
            auto* box = new QCheckBox(this);
            box->setChecked(std::get<bool>(spec.defaultValue));
            connect(box, &QCheckBox::toggled, this, &ParameterForm::fieldEdited);
            editor = box;
            break;
        }
        case ParamType::Choice:
        {
            auto* combo = new QComboBox(this);
            for (const auto& c : spec.choices)
            {
                combo->addItem(QString::fromStdString(c));
            }
            combo->setCurrentText(QString::fromStdString(std::get<std::string>(spec.defaultValue)));
            connect(combo, &QComboBox::currentTextChanged, this, &ParameterForm::fieldEdited);
            editor = combo;
            break;
        }
        case ParamType::Int:
        case ParamType::Real:
        case ParamType::Text:
        {
            // A line edit checked by the schema itself, so the form and the CLI agree on what
            // is valid (a spin box would silently clamp).
            auto* line =
                new QLineEdit(QString::fromStdString(formatValue(spec.defaultValue)), this);
            line->setPlaceholderText(placeholderOf(spec));
            connect(line, &QLineEdit::textChanged, this, &ParameterForm::fieldEdited);
            editor = line;
            break;
        }
        }
        editor->setObjectName(QString::fromStdString(spec.name));
        editor->setToolTip(tip);
        auto* label = new QLabel(QString::fromStdString(spec.name), this);
        label->setToolTip(tip);
        layout_->addRow(label, editor);
        editors_[spec.name] = editor;
    }
    layout_->addRow(error_);
    revalidate();
}

QWidget* ParameterForm::editor(const std::string& name) const
{
    auto it = editors_.find(name);
    return it == editors_.end() ? nullptr : it->second;
}

QString ParameterForm::textOf(const ParamSpec& spec) const
{
    QWidget* e = editor(spec.name);
    if (auto* line = qobject_cast<QLineEdit*>(e))
        return line->text().trimmed();
    if (auto* combo = qobject_cast<QComboBox*>(e))
        return combo->currentText();
    if (auto* box = qobject_cast<QCheckBox*>(e))
        return box->isChecked() ? "true" : "false";
    return {};
}

void ParameterForm::setRowVisible(const std::string& name, bool visible)
{
    if (QWidget* editor = this->editor(name))
        layout_->setRowVisible(editor, visible);
}

bool ParameterForm::setText(const std::string& name, const QString& text)
{
    QWidget* e = editor(name);
    if (auto* line = qobject_cast<QLineEdit*>(e))
        line->setText(text);
    else if (auto* combo = qobject_cast<QComboBox*>(e))
        combo->setCurrentText(text);
    else if (auto* box = qobject_cast<QCheckBox*>(e))
        box->setChecked(text == "true");
    else
        return false;
    return isValid();
}

ParamSet ParameterForm::values() const
{
    ParamSet set(schema_);
    for (const auto& spec : schema_)
    {
        set.set(spec.name, spec.parse(textOf(spec).toStdString()));
    }
    return set;
}

QString ParameterForm::firstError() const
{
    try
    {
        values();
        return {};
    }
    catch (const ParameterError& e)
    {
        return QString::fromStdString(e.what());
    }
}

bool ParameterForm::isValid() const
{
    return firstError().isEmpty();
}

void ParameterForm::fieldEdited()
{
    revalidate();
    Q_EMIT edited();
}

void ParameterForm::revalidate()
{
    bool valid = true;
    for (const auto& spec : schema_)
    {
        bool ok = true;
        try
        {
            spec.parse(textOf(spec).toStdString());
        }
        catch (const ParameterError&)
        {
            ok = false;
            valid = false;
        }
        if (auto* line = qobject_cast<QLineEdit*>(editor(spec.name)))
        {
            line->setStyleSheet(ok ? QString() : "border: 1px solid #b00020;");
        }
    }
    const QString message = firstError();
    if (error_)
    {
        error_->setText(message);
        error_->setVisible(!message.isEmpty());
    }
    if (valid != valid_)
    {
        valid_ = valid;
        Q_EMIT validityChanged(valid);
    }
}

} // namespace clusterscope

#pragma once
// The Dataset dock: shape, source, the label-column choice, the Load-stage run settings (the
// missing-value policy, generated from runSettingsSchema() like the CLI's --missing), and a
// preview of the rows.

#include <clusterscope/core/dataset.h>
#include <clusterscope/pipeline/run_settings.h>

#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;
class QTableWidget;

namespace clusterscope
{

class ParameterForm;

class DatasetPanel : public QWidget
{
    Q_OBJECT

public:
    explicit DatasetPanel(QWidget* parent = nullptr);
    // `applied`: the Load settings the dataset was read with (shown, without signals);
    // `idColumn`: the row-id option it was read with ("" found by name, "none", or a column).
    void showDataset(const Dataset& data, const QStringList& labelChoices,
                     const RunSettings& applied, const QString& idColumn = {});
    // The pipeline's defaults with the Load settings chosen here; throws ParameterError naming
    // the field when the form is invalid.
    RunSettings loadSettings() const;
    ParameterForm* loadSettingsForm() const { return loadSettings_; }
    // Sets one Load setting's field without reading the data again.
    void setLoadSetting(const std::string& name, const QString& text);
    QTableWidget* preview() const { return preview_; }
    QComboBox* labelColumn() const { return labelColumn_; }
    QComboBox* idColumn() const { return idColumn_; }
    // The matrices the file offers (an AnnData file's X and layers, a plain HDF5 file's 2-D
    // datasets), each "name" with its "rows x columns"; `current` is the one read ("" : the
    // first). The Matrix row shows only when there is a choice.
    void setArrayChoices(const QStringList& names, const QStringList& shapes,
                         const QString& current);
    QComboBox* arrayChoice() const { return array_; }
    // "Import Settings...", shown for tables: the import step again (importSettingsRequested).
    QPushButton* importSettingsButton() const { return importSettings_; }

Q_SIGNALS:
    // The user picked another column as ground truth ("" for none).
    void labelColumnChosen(const QString& column);
    // The user picked the column of row ids ("" found by name, "none" for none), as the
    // CLI's --id-column: it is kept out of the features.
    void idColumnChosen(const QString& column);
    // The user picked another matrix of the file (setArrayChoices), as the CLI's --dataset.
    void arrayChosen(const QString& name);
    // The user committed another value of a Load setting (a choice, or a typed value on
    // Return or leaving the field): the data are to be read again with it.
    void loadSettingsEdited();
    // The user asked for the table's import step again (its roles, lines to skip, policy).
    void importSettingsRequested();

private:
    void commitLoadSettings();
    // Shows the Load settings that apply to data of `format` ("" before any).
    void showSettingsOf(const std::string& format);

    QLabel* summary_;
    QComboBox* labelColumn_;
    QComboBox* idColumn_;
    QComboBox* array_;
    QPushButton* importSettings_;
    QFormLayout* form_;
    ParameterForm* loadSettings_;
    QTableWidget* preview_;
    QStringList applied_; // the Load settings the shown dataset was read with
};

} // namespace clusterscope

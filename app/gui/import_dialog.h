#pragma once
// The import step for a CSV/TSV table (after Orange's File widget and spreadsheet import
// dialogs): the first rows as written, each column's detected type and role (feature, label,
// metadata, ignore), the proposed label column and why, header lines to skip, the
// missing-value policy with the rows it touches, and the scaling with a line on each. Every
// change previews the table again through the loader itself, so what the dialog shows is what
// loads, and a choice that cannot load says why before Open. The table is read on a worker
// thread (a 100 MB table takes seconds), the controls waiting meanwhile.
// Children: "skipLines" (QSpinBox), "labelColumn" (QComboBox, item data the column name, ""
// for none), "labelWhy" (QLabel), "importColumns" (QTableWidget: Column, Type, Values,
// Missing, Role, Why; Role cells are QComboBoxes "role-<column index>" up to 300 columns),
// "roleOfSelected" (QComboBox: sets the role of the selected rows), "importPreview"
// (QTableWidget), "missingSummary" (QLabel), "missingPolicy" (QComboBox, data the policy
// name), "scaling" (QComboBox), "scalingHelp" (QLabel), "importMessage" (QLabel),
// "loadAsBefore" (QCheckBox) and the "importOpen" button.

#include "import_choices.h"

#include <clusterscope/io/table_preview.h>

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace clusterscope
{

class ImportDialog : public QDialog
{
    Q_OBJECT

public:
    // `start`: the choices to begin from (remembered ones, or the Dataset panel's settings
    // with the loader's own label and row-id choices).
    ImportDialog(const QString& path, const ImportChoices& start, QWidget* parent = nullptr);

    // The choices as shown, explicit: the label column (or "-none-"), no automatic row
    // identifier, every metadata and ignored column named.
    ImportChoices choices() const;
    const TablePreview& preview() const { return preview_; }
    // Gives `column` (an index into preview().columns) `role`, and previews again.
    void setRole(int column, ColumnRole role);
    // Whether a preview is being read (on a worker thread); the controls wait for it.
    bool isReading() const { return reading_; }

Q_SIGNALS:
    // A preview was read and shown.
    void previewShown();

private:
    void refresh();
    void showPreview(TablePreview preview, const std::string& error);
    void setControlsEnabled(bool enabled);
    void showColumns();
    void showRows();
    void showSummary();
    // The scaling's one-line explanation, and the proposal's reason while it is the choice.
    void explainScaling();
    // The roles shown, made explicit in options_, so that one change leaves the others.
    void freezeRoles();

    QString path_;
    LoadOptions options_;
    TablePreview preview_;
    bool readable_ = false; // the last preview read the table (if not, preview_ is empty)
    bool reading_ = false;  // a preview is being read
    bool stale_ = false;    // the choices changed while it was
    QString readError_;

    QLabel* summary_;
    QSpinBox* skipLines_;
    QComboBox* label_;
    QLabel* labelWhy_;
    QTableWidget* columns_;
    QComboBox* roleOfSelected_;
    QTableWidget* rows_;
    QLabel* missingSummary_;
    QComboBox* missing_;
    QComboBox* scaling_;
    QLabel* scalingHelp_;
    bool scalingChosen_ = false; // given at the start or picked: proposals no longer apply
    QLabel* message_;
    QCheckBox* loadAsBefore_;
    QPushButton* open_;
};

} // namespace clusterscope

#include "dataset_panel.h"

#include "parameter_form.h"

#include <clusterscope/core/tensor_io.h>

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

#include <set>

namespace clusterscope
{

namespace
{

// The Load-stage settings of `s` as text, to tell a committed change from a repeat.
QStringList paramsOf(const RunSettings& s)
{
    QStringList out;
    const auto values = toParamSet(s).values();
    for (const auto& spec : runSettingsSchema(SettingStage::Load))
        out << QString::fromStdString(formatValue(values.at(spec.name)));
    return out;
}

} // namespace

namespace
{
constexpr int kPreviewRows = 100;
constexpr int kPreviewFeatures = 12;
} // namespace

DatasetPanel::DatasetPanel(QWidget* parent)
    : QWidget(parent),
      summary_(new QLabel(tr("No dataset. Drop a file here or use File > Open."), this)),
      labelColumn_(new QComboBox(this)), idColumn_(new QComboBox(this)),
      array_(new QComboBox(this)), importSettings_(new QPushButton(tr("Import Settings..."), this)),
      form_(new QFormLayout), loadSettings_(new ParameterForm(this)),
      preview_(new QTableWidget(this))
{
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* form = form_;
    array_->setObjectName("arrayChoice");
    array_->setToolTip(tr("The matrix of the file to read as the features (an AnnData layer, "
                          "an HDF5 dataset), as the CLI's --dataset"));
    form->addRow(tr("Matrix:"), array_);
    form->setRowVisible(array_, false);
    form->addRow(tr("Labels:"), labelColumn_);
    idColumn_->setObjectName("idColumn");
    idColumn_->setToolTip(tr("The column that names the rows (an index, a sample id): kept "
                             "out of the features, as the CLI's --id-column"));
    form->addRow(tr("Row ids:"), idColumn_);
    loadSettings_->setObjectName("loadSettings");
    loadSettings_->setSchema(runSettingsSchema(SettingStage::Load));
    loadSettings_->layout()->setContentsMargins(0, 0, 0, 0);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    importSettings_->setObjectName("importSettings");
    importSettings_->setToolTip(tr("The table's import step: column roles, labels, lines to "
                                   "skip, missing values and scaling"));
    importSettings_->setVisible(false);
    connect(importSettings_, &QPushButton::clicked, this, &DatasetPanel::importSettingsRequested);
    layout->addWidget(importSettings_, 0, Qt::AlignLeft);
    layout->addLayout(form);
    layout->addWidget(loadSettings_);
    showSettingsOf({});
    // A setting is applied when it is committed: a choice at once, a typed value on Return or
    // when the field loses focus (each keystroke of "28x28" must not read the data again).
    for (const auto& spec : loadSettings_->schema())
    {
        QWidget* editor = loadSettings_->editor(spec.name);
        if (auto* line = qobject_cast<QLineEdit*>(editor))
            connect(line, &QLineEdit::editingFinished, this, &DatasetPanel::commitLoadSettings);
        else if (auto* combo = qobject_cast<QComboBox*>(editor))
            connect(combo, &QComboBox::currentIndexChanged, this,
                    &DatasetPanel::commitLoadSettings);
    }
    layout->addWidget(preview_, 1);
    preview_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    preview_->setMinimumHeight(56); // a header and a row: the window fits a 1024 x 768 screen
    labelColumn_->setEnabled(false);
    idColumn_->setEnabled(false);
    connect(array_, &QComboBox::activated, this,
            [this](int index) { Q_EMIT arrayChosen(array_->itemData(index).toString()); });
    connect(idColumn_, &QComboBox::activated, this,
            [this](int index) { Q_EMIT idColumnChosen(idColumn_->itemData(index).toString()); });
    connect(labelColumn_, &QComboBox::activated, this,
            [this](int index)
            { Q_EMIT labelColumnChosen(index == 0 ? QString() : labelColumn_->itemText(index)); });
}

void DatasetPanel::showSettingsOf(const std::string& format)
{
    // A table's lines to skip and column roles are edited in its import step (Import
    // Settings...), and an image size means something for folders of images only: the dock
    // stays short enough for a 1024 x 768 screen.
    for (const char* name : {"skip_lines", "metadata_columns", "ignore_columns"})
        loadSettings_->setRowVisible(name, false);
    loadSettings_->setRowVisible("image_size", format == "images");
}

void DatasetPanel::setArrayChoices(const QStringList& names, const QStringList& shapes,
                                   const QString& current)
{
    const QSignalBlocker block(array_);
    array_->clear();
    for (int i = 0; i < names.size(); ++i)
        array_->addItem(QString("%1  (%2)").arg(names[i], shapes.value(i)), names[i]);
    const int chosen = array_->findData(current);
    array_->setCurrentIndex(chosen < 0 ? 0 : chosen);
    form_->setRowVisible(array_, names.size() > 1);
}

void DatasetPanel::setLoadSetting(const std::string& name, const QString& text)
{
    const QSignalBlocker quiet(loadSettings_->editor(name));
    loadSettings_->setText(name, text);
}

void DatasetPanel::commitLoadSettings()
{
    if (!loadSettings_->isValid())
        return;
    const auto chosen = paramsOf(loadSettings());
    if (chosen != applied_)
        Q_EMIT loadSettingsEdited();
}

RunSettings DatasetPanel::loadSettings() const
{
    ParamSet all(runSettingsSchema());
    const ParamSet chosen = loadSettings_->values();
    for (const auto& [name, value] : chosen.values())
        all.set(name, value);
    return runSettingsFrom(all);
}

void DatasetPanel::showDataset(const Dataset& d, const QStringList& labelChoices,
                               const RunSettings& applied, const QString& idColumn)
{
    applied_ = paramsOf(applied);
    const bool table = d.format == "csv" || d.format == "tsv";
    importSettings_->setVisible(table);
    showSettingsOf(d.format);
    {
        const QSignalBlocker block(loadSettings_);
        const auto values = toParamSet(applied).values();
        for (const auto& spec : loadSettings_->schema())
            if (auto it = values.find(spec.name); it != values.end())
            {
                const QSignalBlocker quiet(loadSettings_->editor(spec.name));
                loadSettings_->setText(spec.name, QString::fromStdString(formatValue(it->second)));
            }
    }
    std::set<int64_t> classes(d.labels.begin(), d.labels.end());
    QString text = tr("<b>%1</b><br>%2 rows × %3 features, format %4")
                       .arg(QString::fromStdString(d.source).toHtmlEscaped())
                       .arg(d.rows())
                       .arg(d.cols())
                       .arg(QString::fromStdString(d.format));
    if (d.imageShape)
    {
        text += tr("<br>images %1 × %2").arg(d.imageShape->height).arg(d.imageShape->width);
    }
    text += d.hasLabels() ? tr("<br>%1 classes in '%2'")
                                .arg(classes.size())
                                .arg(QString::fromStdString(d.labelColumn))
                          : tr("<br>no ground-truth labels");
    if (!d.embeddings.empty())
    {
        // Stored maps (AnnData's obsm) open as embeddings: say which, so the view's map is named.
        QStringList maps;
        for (const auto& e : d.embeddings)
            maps << QString::fromStdString(e.name).toHtmlEscaped();
        text += tr("<br>stored maps: %1").arg(maps.join(", "));
    }
    if (d.droppedRows > 0)
        text += tr("<br>%1 rows with missing values dropped").arg(d.droppedRows);
    if (d.imputedValues > 0)
        text += tr("<br>%1 missing values imputed with their column's %2")
                    .arg(d.imputedValues)
                    .arg(applied.missing == "impute-median" ? tr("median") : tr("mean"));
    summary_->setText(text);
    {
        const QSignalBlocker block(labelColumn_);
        labelColumn_->clear();
        labelColumn_->addItem(tr("(none)"));
        labelColumn_->addItems(labelChoices);
        labelColumn_->setCurrentText(d.hasLabels() ? QString::fromStdString(d.labelColumn)
                                                   : tr("(none)"));
        labelColumn_->setEnabled(labelChoices.size() > 0);
    }
    {
        // Tables only: arrays and images have no columns of ids to choose.
        const QSignalBlocker block(idColumn_);
        idColumn_->clear();
        // Short entries, so that the dock's width shows them; what each does is their tip.
        idColumn_->addItem(tr("(found)"), QString());
        idColumn_->setItemData(0,
                               tr("A column named like ids, or one of row numbers, is kept out "
                                  "of the features"),
                               Qt::ToolTipRole);
        idColumn_->addItem(tr("(none)"), QStringLiteral("none"));
        idColumn_->setItemData(1, tr("No column of row ids: every numeric column is a feature"),
                               Qt::ToolTipRole);
        for (const auto& column : labelChoices)
            if (column != QString::fromStdString(d.labelColumn))
                idColumn_->addItem(column, column);
        const int chosen = idColumn_->findData(idColumn);
        idColumn_->setCurrentIndex(chosen < 0 ? 0 : chosen);
        idColumn_->setEnabled(d.format == "csv" || d.format == "tsv");
    }

    const int rows = static_cast<int>(std::min<int64_t>(kPreviewRows, d.rows()));
    const int features = static_cast<int>(std::min<int64_t>(kPreviewFeatures, d.cols()));
    QStringList headers;
    if (d.hasLabels())
        headers << QString::fromStdString(d.labelColumn);
    for (int c = 0; c < features; ++c)
        headers << QString::fromStdString(d.featureNames[static_cast<size_t>(c)]);
    for (const auto& m : d.metadata)
        headers << QString::fromStdString(m.name);
    preview_->clear();
    preview_->setColumnCount(static_cast<int>(headers.size()));
    preview_->setRowCount(rows);
    preview_->setHorizontalHeaderLabels(headers);
    const auto head = floatValues(d.features.narrow(0, 0, rows));
    for (int r = 0; r < rows; ++r)
    {
        int col = 0;
        if (d.hasLabels())
        {
            const int64_t l = d.labels[static_cast<size_t>(r)];
            const QString name = QString::fromStdString(d.labelText(l));
            preview_->setItem(r, col++, new QTableWidgetItem(name));
        }
        for (int c = 0; c < features; ++c)
        {
            preview_->setItem(r, col++,
                              new QTableWidgetItem(QString::number(
                                  head[static_cast<size_t>(r * d.cols() + c)], 'g', 5)));
        }
        for (const auto& m : d.metadata)
        {
            preview_->setItem(r, col++, new QTableWidgetItem(QString::fromStdString(m.text(r))));
        }
    }
}

} // namespace clusterscope

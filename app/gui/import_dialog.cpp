#include "import_dialog.h"

#include "window_terms.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/io/loaders.h>

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QThreadPool>
#include <QVBoxLayout>

#include <algorithm>
#include <memory>

namespace clusterscope
{

namespace
{

constexpr int kRoleCombosUpTo = 300; // wider tables set roles through the selection
const ColumnRole kRoles[] = {ColumnRole::Feature, ColumnRole::Label, ColumnRole::Metadata,
                             ColumnRole::Ignore};

QString roleText(ColumnRole role)
{
    switch (role)
    {
    case ColumnRole::Feature:
        return QObject::tr("feature");
    case ColumnRole::Label:
        return QObject::tr("label");
    case ColumnRole::Metadata:
        return QObject::tr("metadata");
    case ColumnRole::Ignore:
        return QObject::tr("ignore");
    }
    return {};
}

// A loader message without the file's path in front: the dialog is about that file.
QString withoutPath(const std::string& message, const QString& path)
{
    QString text = QString::fromStdString(message);
    const QString prefix = path + ": ";
    return text.startsWith(prefix) ? text.mid(prefix.size()) : text;
}

// A setting's list of columns: names, or the 0-based index of a name with a comma in it.
std::string columnSetting(const std::vector<std::string>& names,
                          const std::vector<ColumnPreview>& columns)
{
    std::string out;
    for (const auto& name : names)
    {
        std::string entry = name;
        if (name.find(',') != std::string::npos)
        {
            const auto it = std::find_if(columns.begin(), columns.end(),
                                         [&](const ColumnPreview& c) { return c.name == name; });
            entry = std::to_string(it - columns.begin());
        }
        out += (out.empty() ? "" : ",") + entry;
    }
    return out;
}

} // namespace

ImportDialog::ImportDialog(const QString& path, const ImportChoices& start, QWidget* parent)
    : QDialog(parent), path_(path), summary_(new QLabel(this)), skipLines_(new QSpinBox(this)),
      label_(new QComboBox(this)), labelWhy_(new QLabel(this)), columns_(new QTableWidget(this)),
      roleOfSelected_(new QComboBox(this)), rows_(new QTableWidget(this)),
      missingSummary_(new QLabel(this)), missing_(new QComboBox(this)),
      scaling_(new QComboBox(this)), scalingHelp_(new QLabel(this)), message_(new QLabel(this)),
      loadAsBefore_(new QCheckBox(tr("Next time, open this file with these choices without "
                                     "asking"),
                                  this)),
      open_(nullptr)
{
    setObjectName("importDialog");
    setWindowTitle(tr("Import %1").arg(QFileInfo(path).fileName()));
    options_.labelColumn = start.labelColumn.toStdString();
    options_.idColumn = start.idColumn.toStdString();
    applyLoadSettings(start.load, options_);

    summary_->setObjectName("importSummary");
    summary_->setWordWrap(true);
    skipLines_->setObjectName("skipLines");
    skipLines_->setRange(0, 1000);
    skipLines_->setMaximumWidth(90);
    skipLines_->setValue(static_cast<int>(options_.skipLines));
    skipLines_->setToolTip(tr("Lines above the table, such as a title or a line of metadata "
                              "(the CLI's --skip-lines)"));
    label_->setObjectName("labelColumn");
    label_->setToolTip(tr("The ground truth the clusters are compared with (the CLI's "
                          "--label-column); not clustered"));
    labelWhy_->setObjectName("labelWhy");
    labelWhy_->setWordWrap(true);

    columns_->setObjectName("importColumns");
    columns_->setColumnCount(6);
    columns_->setHorizontalHeaderLabels(
        {tr("Column"), tr("Type"), tr("Values"), tr("Missing"), tr("Role"), tr("Why")});
    columns_->horizontalHeader()->setStretchLastSection(true);
    columns_->verticalHeader()->setVisible(false);
    columns_->setSelectionBehavior(QAbstractItemView::SelectRows);
    columns_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    roleOfSelected_->setObjectName("roleOfSelected");
    roleOfSelected_->addItem(tr("Set the role of the selected columns..."), -1);
    for (ColumnRole role : kRoles)
        roleOfSelected_->addItem(roleText(role), static_cast<int>(role));

    rows_->setObjectName("importPreview");
    rows_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    rows_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);

    missingSummary_->setObjectName("missingSummary");
    missingSummary_->setWordWrap(true);
    missing_->setObjectName("missingPolicy");
    for (const auto& policy : missingPolicyNames())
        missing_->addItem(missingPolicyText(policy), QString::fromStdString(policy));
    missing_->setCurrentIndex(missing_->findData(QString::fromStdString(start.load.missing)));
    missing_->setToolTip(tr("What happens to empty, NA, NaN or infinite feature values (the "
                            "Dataset panel's 'missing' setting)"));

    scaling_->setObjectName("scaling");
    for (const auto& name : scalingNames())
        scaling_->addItem(QString::fromStdString(name), QString::fromStdString(name));
    scaling_->setCurrentIndex(
        std::max(0, scaling_->findData(start.scaling.isEmpty() ? QString("none") : start.scaling)));
    scalingHelp_->setObjectName("scalingHelp");
    scalingHelp_->setWordWrap(true);
    scalingChosen_ = !start.scaling.isEmpty();
    explainScaling();

    message_->setObjectName("importMessage");
    message_->setWordWrap(true);
    // The explanations keep their lines in a short dialog: the tables above give way instead.
    for (QLabel* label : {missingSummary_, scalingHelp_, message_})
        label->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    loadAsBefore_->setObjectName("loadAsBefore");
    loadAsBefore_->setChecked(start.loadAsBefore);
    loadAsBefore_->setToolTip(tr("The Dataset panel's Import Settings... shows this dialog again"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    open_ = buttons->button(QDialogButtonBox::Open);
    open_->setObjectName("importOpen");
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // Layout: what the table is and how it is read, its columns beside its first rows, then
    // the policy, the scaling and what the load would say.
    auto* reading = new QFormLayout;
    reading->addRow(tr("Lines to skip before the header:"), skipLines_);
    auto* labelRow = new QHBoxLayout;
    labelRow->addWidget(label_);
    labelRow->addWidget(labelWhy_, 1);
    reading->addRow(tr("Labels (ground truth):"), labelRow);

    auto* columnsBox = new QWidget(this);
    auto* columnsLayout = new QVBoxLayout(columnsBox);
    columnsLayout->setContentsMargins(0, 0, 0, 0);
    columnsLayout->addWidget(columns_, 1);
    columnsLayout->addWidget(roleOfSelected_);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(columnsBox);
    split->addWidget(rows_);
    split->setSizes({600, 480}); // the roles and their reasons first

    auto* after = new QFormLayout;
    auto* missingRow = new QVBoxLayout;
    missingRow->addWidget(missingSummary_);
    missingRow->addWidget(missing_);
    after->addRow(tr("Missing values:"), missingRow);
    auto* scalingRow = new QVBoxLayout;
    scalingRow->addWidget(scaling_);
    scalingRow->addWidget(scalingHelp_);
    after->addRow(tr("Scaling:"), scalingRow);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    layout->addLayout(reading);
    layout->addWidget(split, 1);
    layout->addLayout(after);
    layout->addWidget(message_);
    layout->addWidget(loadAsBefore_);
    layout->addWidget(buttons);
    resize(1100, 680);

    connect(skipLines_, &QSpinBox::valueChanged, this,
            [this](int lines)
            {
                // Other lines make other columns: the loader chooses the roles afresh.
                options_ = LoadOptions{};
                options_.missing =
                    parseMissingPolicy(missing_->currentData().toString().toStdString());
                options_.skipLines = lines;
                refresh();
            });
    connect(label_, &QComboBox::activated, this,
            [this]
            {
                freezeRoles();
                const std::string chosen = label_->currentData().toString().toStdString();
                options_.labelColumn = chosen.empty() ? "-none-" : chosen;
                std::erase(options_.metadataColumns, chosen);
                std::erase(options_.ignoreColumns, chosen);
                refresh();
            });
    connect(roleOfSelected_, &QComboBox::activated, this,
            [this](int index)
            {
                const int role = roleOfSelected_->itemData(index).toInt();
                roleOfSelected_->setCurrentIndex(0);
                if (role < 0)
                    return;
                QList<int> rows;
                for (const auto& range : columns_->selectedRanges())
                    for (int r = range.topRow(); r <= range.bottomRow(); ++r)
                        rows << r;
                if (rows.isEmpty())
                    return;
                freezeRoles();
                for (int r : rows)
                {
                    const auto& name = preview_.columns[static_cast<size_t>(r)].name;
                    std::erase(options_.metadataColumns, name);
                    std::erase(options_.ignoreColumns, name);
                    if (options_.labelColumn == name)
                        options_.labelColumn = "-none-";
                    if (role == static_cast<int>(ColumnRole::Metadata))
                        options_.metadataColumns.push_back(name);
                    else if (role == static_cast<int>(ColumnRole::Ignore))
                        options_.ignoreColumns.push_back(name);
                    else if (role == static_cast<int>(ColumnRole::Label))
                        options_.labelColumn = name;
                }
                refresh();
            });
    connect(missing_, &QComboBox::activated, this,
            [this]
            {
                options_.missing =
                    parseMissingPolicy(missing_->currentData().toString().toStdString());
                refresh();
            });
    connect(scaling_, &QComboBox::currentIndexChanged, this, &ImportDialog::explainScaling);
    connect(scaling_, &QComboBox::activated, this, [this] { scalingChosen_ = true; });
    refresh();
}

void ImportDialog::freezeRoles()
{
    if (!readable_)
        return;
    options_.labelColumn = "-none-";
    options_.idColumn = "none"; // a row identifier the loader found stays, as metadata
    options_.metadataColumns.clear();
    options_.ignoreColumns.clear();
    for (const auto& column : preview_.columns)
    {
        if (column.role == ColumnRole::Label)
            options_.labelColumn = column.name;
        else if (column.role == ColumnRole::Metadata)
            options_.metadataColumns.push_back(column.name);
        else if (column.role == ColumnRole::Ignore && column.type != "empty")
            options_.ignoreColumns.push_back(column.name);
    }
}

void ImportDialog::setRole(int column, ColumnRole role)
{
    if (!readable_ || column < 0 || column >= static_cast<int>(preview_.columns.size()))
        return;
    columns_->clearSelection();
    columns_->selectRow(column);
    roleOfSelected_->setCurrentIndex(roleOfSelected_->findData(static_cast<int>(role)));
    Q_EMIT roleOfSelected_->activated(roleOfSelected_->currentIndex());
}

void ImportDialog::refresh()
{
    // The preview reads the whole table (seconds for a 100 MB one): on a worker, so the window
    // stays live; a change made meanwhile is previewed once this reading ends.
    if (reading_)
    {
        stale_ = true;
        return;
    }
    reading_ = true;
    stale_ = false;
    setControlsEnabled(false);
    message_->setText(tr("Reading %1...").arg(QFileInfo(path_).fileName().toHtmlEscaped()));
    QPointer<ImportDialog> self(this);
    const std::string path = path_.toStdString();
    const LoadOptions options = options_;
    QThreadPool::globalInstance()->start(
        [self, path, options]
        {
            auto preview = std::make_shared<TablePreview>();
            std::string error;
            try
            {
                *preview = previewTable(path, options);
            }
            catch (const Error& e)
            {
                error = e.what();
            }
            QMetaObject::invokeMethod(
                qApp,
                [self, preview, error]
                {
                    if (self)
                        self->showPreview(std::move(*preview), error);
                },
                Qt::QueuedConnection);
        });
}

void ImportDialog::showPreview(TablePreview preview, const std::string& error)
{
    reading_ = false;
    setControlsEnabled(true);
    readable_ = error.empty();
    readError_ = inWindowTerms(withoutPath(error, path_));
    preview_ = readable_ ? std::move(preview) : TablePreview{};
    if (preview_.proposedSkipLines > 0) // shown in the field, and said below
    {
        options_.skipLines = preview_.proposedSkipLines;
        const QSignalBlocker quiet(skipLines_);
        skipLines_->setValue(static_cast<int>(options_.skipLines));
    }
    if (stale_) // the choices changed while reading: read with them
        return refresh();
    if (!scalingChosen_) // the table's proposal, until a scaling is picked
    {
        const QString proposed = QString::fromStdString(
            preview_.proposedScaling.empty() ? "none" : preview_.proposedScaling);
        const QSignalBlocker quiet(scaling_);
        scaling_->setCurrentIndex(std::max(0, scaling_->findData(proposed)));
    }
    explainScaling();
    showColumns();
    showRows();
    showSummary();
    Q_EMIT previewShown();
}

void ImportDialog::explainScaling()
{
    const std::string chosen = scaling_->currentData().toString().toStdString();
    QString text = QString::fromStdString(scalingExplanation(chosen));
    if (!scalingChosen_ && !preview_.proposedScaling.empty() && chosen == preview_.proposedScaling)
        text =
            tr("Proposed: %1. %2").arg(QString::fromStdString(preview_.proposedScalingWhy), text);
    scalingHelp_->setText(text);
}

void ImportDialog::setControlsEnabled(bool enabled)
{
    for (QWidget* w : std::initializer_list<QWidget*>{skipLines_, label_, columns_, roleOfSelected_,
                                                      missing_, open_})
        w->setEnabled(enabled);
}

void ImportDialog::showColumns()
{
    const QSignalBlocker quiet(label_);
    label_->clear();
    label_->addItem(tr("(none)"), QString());
    columns_->setRowCount(static_cast<int>(preview_.columns.size()));
    const bool combos = preview_.columns.size() <= kRoleCombosUpTo;
    for (int r = 0; r < static_cast<int>(preview_.columns.size()); ++r)
    {
        const auto& c = preview_.columns[static_cast<size_t>(r)];
        const QString name = QString::fromStdString(c.name);
        label_->addItem(name, name);
        if (c.role == ColumnRole::Label)
        {
            label_->setCurrentIndex(label_->count() - 1);
            labelWhy_->setText(QString::fromStdString(c.why));
        }
        const QString values = c.distinct < 0 ? tr("> 100") : QString::number(c.distinct);
        const QStringList cells = {name,
                                   QString::fromStdString(c.type),
                                   values,
                                   QString::number(c.missing),
                                   roleText(c.role),
                                   QString::fromStdString(c.why)};
        for (int k = 0; k < cells.size(); ++k)
        {
            auto* item = new QTableWidgetItem(cells[k]);
            item->setToolTip(k == 5 ? cells[k] : QString());
            columns_->setItem(r, k, item);
        }
        if (!combos)
            continue;
        auto* role = new QComboBox(columns_);
        role->setObjectName(QString("role-%1").arg(r));
        for (ColumnRole option : kRoles)
            role->addItem(roleText(option), static_cast<int>(option));
        role->setCurrentIndex(role->findData(static_cast<int>(c.role)));
        if (c.type == "text" || c.type == "empty") // words cannot be clustered
        {
            auto* model = qobject_cast<QStandardItemModel*>(role->model());
            if (auto* item = model ? model->item(0) : nullptr)
            {
                item->setEnabled(false);
                item->setToolTip(tr("Text: not a number to cluster"));
            }
        }
        // Queued: the preview replaces this box, which must not be deleted in its own signal.
        connect(
            role, &QComboBox::activated, this,
            [this, r, role] { setRole(r, static_cast<ColumnRole>(role->currentData().toInt())); },
            Qt::QueuedConnection);
        columns_->setCellWidget(r, 4, role);
    }
    if (label_->currentIndex() == 0)
        labelWhy_->setText(readable_ ? tr("no column is taken for the labels") : QString());
    columns_->resizeColumnsToContents();
}

void ImportDialog::showRows()
{
    const auto& columns = preview_.columns;
    rows_->clear();
    rows_->setColumnCount(static_cast<int>(columns.size()));
    rows_->setRowCount(static_cast<int>(preview_.firstRows.size()));
    const QPalette colours = palette();
    for (int c = 0; c < static_cast<int>(columns.size()); ++c)
    {
        const auto& column = columns[static_cast<size_t>(c)];
        auto* header = new QTableWidgetItem(QString::fromStdString(column.name));
        header->setToolTip(
            tr("%1, %2").arg(QString::fromStdString(column.type), roleText(column.role)));
        rows_->setHorizontalHeaderItem(c, header);
        for (int r = 0; r < static_cast<int>(preview_.firstRows.size()); ++r)
        {
            const auto& row = preview_.firstRows[static_cast<size_t>(r)];
            auto* item =
                new QTableWidgetItem(c < static_cast<int>(row.size())
                                         ? QString::fromStdString(row[static_cast<size_t>(c)])
                                         : QString());
            // The roles at a glance: labels tinted, what is not clustered greyed.
            if (column.role == ColumnRole::Label)
                item->setBackground(colours.color(QPalette::Highlight).lighter(170));
            else if (column.role != ColumnRole::Feature)
                item->setForeground(colours.color(QPalette::Disabled, QPalette::Text));
            if (column.role == ColumnRole::Ignore)
            {
                QFont font = item->font();
                font.setStrikeOut(true);
                item->setFont(font);
            }
            rows_->setItem(r, c, item);
        }
    }
    rows_->resizeColumnsToContents();
}

void ImportDialog::showSummary()
{
    const QString file = QFileInfo(path_).fileName();
    if (!readable_)
    {
        summary_->setText(tr("<b>%1</b>").arg(file.toHtmlEscaped()));
        message_->setText(
            tr("<span style='color:#b00020'>Cannot read the table: %1</span><br>If the table "
               "starts lower down the file, set the lines to skip.")
                .arg(readError_.toHtmlEscaped()));
        missingSummary_->clear();
        open_->setEnabled(false);
        return;
    }
    int features = 0;
    for (const auto& c : preview_.columns)
        features += c.role == ColumnRole::Feature ? 1 : 0;
    const QString delimiter = preview_.delimiter == "\t" ? tr("tab")
                              : preview_.delimiter == " "
                                  ? tr("blank")
                                  : QString("'%1'").arg(QString::fromStdString(preview_.delimiter));
    summary_->setText(tr("<b>%1</b>: %2 rows, %3 columns (%4 features), %5-separated, %6.")
                          .arg(file.toHtmlEscaped())
                          .arg(preview_.rows)
                          .arg(preview_.columns.size())
                          .arg(features)
                          .arg(delimiter)
                          .arg(preview_.countsLine
                                   ? tr("scikit-learn's layout (a first line of counts and "
                                        "class names)")
                               : preview_.header ? tr("the first line names the columns")
                                                 : tr("no header line")));
    if (preview_.rowsWithMissing == 0)
        missingSummary_->setText(tr("None in the features or the labels."));
    else
        missingSummary_->setText(tr("%1 rows have a missing value in the labels or in %2 of the "
                                    "feature columns. Dropping removes those rows; imputing fills "
                                    "in the features only.")
                                     .arg(preview_.rowsWithMissing < 0
                                              ? tr("Many")
                                              : QString::number(preview_.rowsWithMissing))
                                     .arg(preview_.columnsWithMissing));
    QStringList lines;
    if (preview_.proposedSkipLines > 0)
        lines << (preview_.proposedSkipLines == 1
                      ? tr("The table starts below its first line, which is skipped (notes "
                           "above the header?).")
                      : tr("The table starts below its first %1 lines, which are skipped (notes "
                           "above the header?).")
                            .arg(preview_.proposedSkipLines));
    if (!preview_.proposedTarget.empty())
        lines << tr("'%1' is set apart as metadata: %2.")
                     .arg(QString::fromStdString(preview_.proposedTarget),
                          QString::fromStdString(preview_.proposedTargetWhy).toHtmlEscaped());
    if (!preview_.error.empty())
        lines << tr("<span style='color:#b00020'>%1%2</span>")
                     .arg(preview_.missingValueError ? tr("Choose a missing-value policy: ")
                                                     : tr("Cannot load with these choices: "),
                          inWindowTerms(withoutPath(preview_.error, path_)).toHtmlEscaped());
    for (const auto& w : preview_.warnings)
        lines << inWindowTerms(withoutPath(w, path_)).toHtmlEscaped();
    message_->setText(lines.join("<br>"));
    open_->setEnabled(preview_.error.empty());
}

ImportChoices ImportDialog::choices() const
{
    ImportChoices out;
    out.loadAsBefore = loadAsBefore_->isChecked();
    out.scaling = scaling_->currentData().toString();
    out.load.missing = missing_->currentData().toString().toStdString();
    out.load.skipLines = skipLines_->value();
    if (!readable_)
        return out;
    // Explicit, as freezeRoles makes them: the same choices whatever the loader would guess.
    out.labelColumn = "-none-";
    out.idColumn = "none";
    std::vector<std::string> metadata;
    std::vector<std::string> ignored;
    for (const auto& column : preview_.columns)
    {
        if (column.role == ColumnRole::Label)
            out.labelColumn = QString::fromStdString(column.name);
        else if (column.role == ColumnRole::Metadata)
            metadata.push_back(column.name);
        else if (column.role == ColumnRole::Ignore && column.type != "empty")
            ignored.push_back(column.name);
    }
    out.load.metadataColumns = columnSetting(metadata, preview_.columns);
    out.load.ignoreColumns = columnSetting(ignored, preview_.columns);
    return out;
}

} // namespace clusterscope

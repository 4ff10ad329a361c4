#include "history_dialog.h"

#include "clustering_controller.h"
#include "dataset_loader.h"
#include "session.h"

#include <clusterscope/core/fingerprint.h>
#include <clusterscope/pipeline/run_record.h>

#include <QAbstractButton>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <functional>
#include <set>

namespace clusterscope
{

namespace
{

// The table's columns (a struct: unity builds put other files' enums beside this one).
struct HistoryColumn
{
    enum : int
    {
        Id,
        When,
        From,
        Method,
        DatasetName,
        Rows,
        Clusters,
        Seed,
        Device,
        Seconds,
        Metrics,
        Count
    };
};

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

// "k-means (k=3)" as the Runs panel says it, else the registry id of a method this version
// does not have.
QString methodText(const HistoryRun& run)
{
    try
    {
        return describeRun(requestFromRecord(run.record));
    }
    catch (const std::exception&)
    {
        return text(run.method);
    }
}

QTableWidgetItem* cell(const QString& value, bool number = false)
{
    auto* item = new QTableWidgetItem(value);
    if (number)
        item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

// A question that does not block the event loop: `act` runs when `button` is clicked.
void ask(QWidget* parent, const QString& name, const QString& question, const QString& button,
         const QString& buttonName, std::function<void()> act)
{
    auto* box = new QMessageBox(QMessageBox::Question, QObject::tr("Run History"), question,
                                QMessageBox::Cancel, parent);
    box->setObjectName(name);
    box->setAttribute(Qt::WA_DeleteOnClose);
    auto* yes = box->addButton(button, QMessageBox::AcceptRole);
    yes->setObjectName(buttonName);
    box->setDefaultButton(QMessageBox::Cancel);
    QObject::connect(yes, &QAbstractButton::clicked, parent, std::move(act));
    box->open();
}

} // namespace

HistoryDialog::HistoryDialog(Session& session, DatasetLoader& loader,
                             ClusteringController& clustering, QWidget* parent)
    : QDialog(parent), session_(session), loader_(loader), clustering_(clustering),
      filter_(new QLineEdit(this)), where_(new QLabel(this)), table_(new QTableWidget(this)),
      details_(new QPlainTextEdit(this)), rerun_(new QPushButton(tr("&Re-run"), this)),
      delete_(new QPushButton(tr("&Delete"), this)), status_(new QLabel(this))
{
    setObjectName("historyDialog");
    setWindowTitle(tr("Run History"));
    filter_->setObjectName("historyFilter");
    filter_->setPlaceholderText(tr("Filter by method, dataset, device or parameter"));
    filter_->setClearButtonEnabled(true);
    where_->setObjectName("historyPath");
    where_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    table_->setObjectName("historyTable");
    table_->setColumnCount(HistoryColumn::Count);
    table_->setHorizontalHeaderLabels({tr("#"), tr("When (UTC)"), tr("From"), tr("Method"),
                                       tr("Dataset"), tr("Rows"), tr("Clusters"), tr("Seed"),
                                       tr("Device"), tr("Seconds"), tr("Metrics")});
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    table_->verticalHeader()->hide();
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    table_->horizontalHeader()->setStretchLastSection(true);
    details_->setObjectName("historyDetails");
    details_->setReadOnly(true);
    details_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    details_->setPlaceholderText(tr("Pick a run to see its record"));
    rerun_->setObjectName("rerunButton");
    rerun_->setToolTip(tr("Run it again with the same data, method, parameters and settings, "
                          "and compare the labels"));
    delete_->setObjectName("deleteButton");
    status_->setObjectName("historyStatus");
    status_->setWordWrap(true);

    auto* top = new QHBoxLayout;
    top->addWidget(filter_, 1);
    top->addWidget(where_);
    auto* split = new QSplitter(Qt::Vertical, this); // the table gets the width its columns need
    split->addWidget(table_);
    split->addWidget(details_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(rerun_, QDialogButtonBox::ActionRole);
    buttons->addButton(delete_, QDialogButtonBox::ActionRole);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(split, 1);
    layout->addWidget(status_);
    layout->addWidget(buttons);
    resize(1000, 640);

    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(rerun_, &QPushButton::clicked, this, &HistoryDialog::rerunSelected);
    connect(delete_, &QPushButton::clicked, this, &HistoryDialog::deleteSelected);
    connect(filter_, &QLineEdit::textChanged, this, &HistoryDialog::refresh);
    connect(table_, &QTableWidget::itemSelectionChanged, this, &HistoryDialog::showDetails);
    connect(&session_, &Session::runChanged, this,
            [this](int id)
            {
                const RunEntry* run = session_.run(id);
                if (reruns_.count(id))
                    compareRerun(id);
                else if (run && run->finished())
                    refresh(); // it was kept as it finished
            });
    refresh();
}

std::vector<int64_t> HistoryDialog::shownIds() const
{
    std::vector<int64_t> out;
    for (int r = 0; r < table_->rowCount(); ++r)
        out.push_back(table_->item(r, HistoryColumn::Id)->data(Qt::UserRole).toLongLong());
    return out;
}

bool HistoryDialog::select(int64_t id)
{
    const auto ids = shownIds();
    for (size_t r = 0; r < ids.size(); ++r)
        if (ids[r] == id)
        {
            table_->selectRow(static_cast<int>(r));
            return true;
        }
    return false;
}

void HistoryDialog::say(const QString& message)
{
    status_->setText(message);
}

void HistoryDialog::refresh()
{
    const QString path = clustering_.historyPath();
    std::set<int64_t> picked;
    for (const auto& index : table_->selectionModel()->selectedRows())
        picked.insert(
            table_->item(index.row(), HistoryColumn::Id)->data(Qt::UserRole).toLongLong());
    table_->setRowCount(0);
    where_->setText(path.isEmpty() ? tr("history off") : path);
    if (path.isEmpty())
    {
        say(tr("The run history is off (CLUSTERSCOPE_HISTORY=off): runs are not kept."));
        return;
    }
    std::vector<HistoryRun> runs;
    try
    {
        runs = RunHistory(path.toStdString()).list({filter_->text().toStdString(), {}, 0});
    }
    catch (const std::exception& e)
    {
        say(QString::fromStdString(e.what()));
        return;
    }
    table_->setRowCount(static_cast<int>(runs.size()));
    for (int r = 0; r < static_cast<int>(runs.size()); ++r)
    {
        const HistoryRun& run = runs[static_cast<size_t>(r)];
        auto* id = cell(QString::number(run.id), true);
        id->setData(Qt::UserRole, static_cast<qlonglong>(run.id));
        id->setData(Qt::UserRole + 1,
                    text(run.record.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)));
        table_->setItem(r, HistoryColumn::Id, id);
        table_->setItem(r, HistoryColumn::When,
                        cell(text(run.createdUtc).replace('T', ' ').remove('Z')));
        table_->setItem(r, HistoryColumn::From, cell(text(run.origin)));
        table_->setItem(r, HistoryColumn::Method, cell(methodText(run)));
        table_->setItem(r, HistoryColumn::DatasetName, cell(text(run.dataset)));
        table_->setItem(r, HistoryColumn::Rows, cell(QString::number(run.rows), true));
        table_->setItem(r, HistoryColumn::Clusters, cell(QString::number(run.clusters), true));
        table_->setItem(r, HistoryColumn::Seed, cell(QString::number(run.seed), true));
        table_->setItem(r, HistoryColumn::Device, cell(text(run.device)));
        table_->setItem(r, HistoryColumn::Seconds,
                        cell(QString::number(run.runSeconds, 'f', 2), true));
        table_->setItem(r, HistoryColumn::Metrics, cell(describeMetrics(run.metrics)));
    }
    table_->resizeColumnsToContents();
    if (runs.empty() && !filter_->text().isEmpty())
        say(tr("No kept run matches \u201c%1\u201d.").arg(filter_->text()));
    for (int r = 0; r < table_->rowCount(); ++r)
        if (picked.count(table_->item(r, HistoryColumn::Id)->data(Qt::UserRole).toLongLong()))
            table_->selectRow(r);
    showDetails();
}

void HistoryDialog::showDetails()
{
    const auto rows = table_->selectionModel()->selectedRows();
    rerun_->setEnabled(rows.size() == 1);
    delete_->setEnabled(!rows.isEmpty());
    details_->setPlainText(
        rows.size() == 1
            ? table_->item(rows.front().row(), HistoryColumn::Id)->data(Qt::UserRole + 1).toString()
            : QString());
}

bool HistoryDialog::rerunSelected()
{
    const auto rows = table_->selectionModel()->selectedRows();
    if (rows.size() != 1)
    {
        say(tr("Pick one run to run again."));
        return false;
    }
    const int64_t id =
        table_->item(rows.front().row(), HistoryColumn::Id)->data(Qt::UserRole).toLongLong();
    std::optional<HistoryRun> stored;
    try
    {
        stored = RunHistory(clustering_.historyPath().toStdString()).find(id);
    }
    catch (const std::exception& e)
    {
        say(QString::fromStdString(e.what()));
        return false;
    }
    if (!stored)
    {
        say(tr("Run #%1 is no longer in the history.").arg(id));
        refresh();
        return false;
    }
    return startRerun(*stored);
}

bool HistoryDialog::startRerun(const HistoryRun& stored)
{
    const QString which = tr("Run #%1").arg(stored.id);
    if (stored.record.contains("input"))
    {
        say(tr("%1 clustered an embedding or a selection of its data, which only its session "
               "holds: open that session and run it from there.")
                .arg(which));
        return false;
    }
    RunRequest request;
    try
    {
        request = requestFromRecord(stored.record);
    }
    catch (const std::exception& e)
    {
        say(tr("%1 cannot be repeated: %2").arg(which, QString::fromStdString(e.what())));
        return false;
    }
    const auto start = [this, stored, request, which]
    {
        try
        {
            const auto started = clustering_.start(request);
            reruns_[started.runId] = stored;
            say(tr("%1 is running again as run #%2...").arg(which).arg(started.runId));
        }
        catch (const std::exception& e)
        {
            say(tr("%1 could not start: %2").arg(which, QString::fromStdString(e.what())));
        }
    };
    const auto& dataset = session_.dataset();
    if (dataset && hashedDataset_ != dataset.get())
    {
        hashedDataset_ = dataset.get();
        datasetHash_ = contentHash(*dataset);
    }
    if (dataset && datasetHash_ == stored.inputHash)
    {
        start();
        return true;
    }
    // Other data are loaded: read the run's again (refused if they changed since).
    QStringList paths;
    for (const auto& p : stored.load.value("paths", nlohmann::json::array()))
        paths << text(p.get<std::string>());
    if (paths.isEmpty())
    {
        say(tr("%1 does not say where its data are.").arg(which));
        return false;
    }
    const auto read = [this, stored, request, paths, which, start]
    {
        Job* job =
            loader_.open(paths, text(stored.load.value("label_column", std::string())),
                         request.settings, text(stored.load.value("id_column", std::string())),
                         text(stored.inputHash), text(stored.load.value("array", std::string())));
        say(tr("Reading %1 again for %2...").arg(paths.join(", "), which));
        connect(job, &Job::finished, this,
                [this, job, which, start]
                {
                    if (job->state() == Job::State::Finished)
                        start();
                    else
                        say(tr("%1's data could not be read: %2").arg(which, job->error()));
                });
    };
    if (session_.runIds().empty())
        read();
    else
        ask(this, "replaceDataBox",
            tr("%1 ran on %2, not on the loaded data. Reading it replaces the loaded data and "
               "their %3 runs (save the session first to keep them).")
                .arg(which, paths.join(", "))
                .arg(session_.runIds().size()),
            tr("Read It"), "replaceData", read);
    return true;
}

void HistoryDialog::compareRerun(int runId)
{
    const RunEntry* run = session_.run(runId);
    const auto it = reruns_.find(runId);
    if (!run || run->running())
        return;
    const HistoryRun stored = it->second;
    reruns_.erase(it);
    if (!run->finished())
    {
        say(tr("Run #%1 in this window (kept run #%2 again) did not finish: %3")
                .arg(runId)
                .arg(stored.id)
                .arg(run->error.isEmpty() ? tr("cancelled") : run->error));
        return;
    }
    const auto agreement = compareLabels(stored, run->sourceRows, run->outcome.result.labels,
                                         tensorHash(run->outcome.result.soft));
    say(tr("Run #%1 in this window repeats kept run #%2: %3")
            .arg(runId)
            .arg(stored.id)
            .arg(QString::fromStdString(describeAgreement(agreement))));
    refresh();
}

void HistoryDialog::deleteSelected()
{
    std::vector<int64_t> ids;
    for (const auto& index : table_->selectionModel()->selectedRows())
        ids.push_back(
            table_->item(index.row(), HistoryColumn::Id)->data(Qt::UserRole).toLongLong());
    if (ids.empty())
        return;
    QStringList names;
    for (const int64_t id : ids)
        names << "#" + QString::number(id);
    ask(this, "deleteHistoryBox",
        tr("Delete %1 from the run history? Their records and labels are removed; runs open "
           "in this window stay.")
            .arg(names.join(", ")),
        tr("Delete"), "deleteRuns",
        [this, ids]
        {
            try
            {
                RunHistory history(clustering_.historyPath().toStdString());
                for (const int64_t id : ids)
                    history.remove(id);
                say(tr("Deleted %n run(s) from the history.", nullptr,
                       static_cast<int>(ids.size())));
            }
            catch (const std::exception& e)
            {
                say(QString::fromStdString(e.what()));
            }
            refresh();
        });
}

} // namespace clusterscope

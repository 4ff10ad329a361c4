#include "runs_panel.h"

#include "session.h"

#include <QListWidget>
#include <QVBoxLayout>

namespace clusterscope
{

namespace
{

QString runText(const RunEntry& run)
{
    QString state;
    switch (run.status)
    {
    case RunEntry::Status::Running:
        state = QObject::tr("running");
        break;
    case RunEntry::Status::Finished:
        state = describeMetrics(run.outcome.metrics);
        if (state.isEmpty())
            state = QObject::tr("done");
        break;
    case RunEntry::Status::Failed:
        state = QObject::tr("failed");
        break;
    case RunEntry::Status::Cancelled:
        state = QObject::tr("cancelled");
        break;
    }
    const QString what = describeEntry(run);
    return QString("#%1 %2 — %3").arg(run.id).arg(what, state);
}

} // namespace

RunsPanel::RunsPanel(Session& session, QWidget* parent)
    : QWidget(parent), session_(session), list_(new QListWidget(this))
{
    list_->setObjectName("runs");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(list_);
    connect(&session_, &Session::datasetChanged, this, &RunsPanel::rebuild);
    connect(&session_, &Session::runAdded, this, &RunsPanel::rebuild);
    connect(&session_, &Session::runChanged, this, &RunsPanel::refresh);
    connect(&session_, &Session::currentRunChanged, this, &RunsPanel::rebuild);
    connect(list_, &QListWidget::itemActivated, this,
            [this](QListWidgetItem* item) { Q_EMIT runPicked(item->data(Qt::UserRole).toInt()); });
    connect(list_, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item) { Q_EMIT runPicked(item->data(Qt::UserRole).toInt()); });
}

void RunsPanel::rebuild()
{
    const QSignalBlocker block(list_);
    list_->clear();
    for (int id : session_.runIds())
    {
        auto* item = new QListWidgetItem(runText(*session_.run(id)), list_);
        item->setData(Qt::UserRole, id);
        if (id == session_.currentRunId())
        {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
            list_->setCurrentItem(item);
        }
    }
}

void RunsPanel::refresh(int id)
{
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->data(Qt::UserRole).toInt() == id)
            list_->item(i)->setText(runText(*session_.run(id)));
}

} // namespace clusterscope

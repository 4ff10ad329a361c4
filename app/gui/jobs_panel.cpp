#include "jobs_panel.h"

#include "job_runner.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace clusterscope
{

namespace
{
enum Column
{
    ColTitle,
    ColProgress,
    ColElapsed,
    ColStatus,
    ColPause,
    ColCancel,
    ColCount
};
}

JobsPanel::JobsPanel(JobRunner& runner, QWidget* parent)
    : QWidget(parent), runner_(runner), table_(new QTableWidget(0, ColCount, this)),
      running_(new QLabel(this)), cancelAll_(new QPushButton(tr("Cancel All"), this))
{
    running_->setObjectName("runningCount");
    cancelAll_->setObjectName("cancelAllButton");
    cancelAll_->setToolTip(tr("Cancel every running job"));
    connect(cancelAll_, &QPushButton::clicked, this, &JobsPanel::cancelAllRequested);
    table_->setHorizontalHeaderLabels(
        {tr("Job"), tr("Progress"), tr("Elapsed"), tr("Status"), QString(), QString()});
    // Wide enough to read a job's name, its progress and its status: the title and status
    // take the room, the buttons and times only what they need.
    auto* header = table_->horizontalHeader();
    header->setSectionResizeMode(ColTitle, QHeaderView::Interactive);
    header->setSectionResizeMode(ColProgress, QHeaderView::Fixed);
    header->setSectionResizeMode(ColElapsed, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ColStatus, QHeaderView::Stretch);
    header->setSectionResizeMode(ColPause, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(ColCancel, QHeaderView::ResizeToContents);
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    table_->setColumnWidth(ColTitle, 14 * em);
    table_->setColumnWidth(ColProgress, 8 * em);
    header->setMinimumSectionSize(3 * em);
    // Shown once a job that can pause is listed: an empty column otherwise.
    table_->setColumnHidden(ColPause, true);
    setMinimumWidth(44 * em);
    table_->verticalHeader()->hide();
    // Compact rows: the progress bar and buttons need no more than a line of text.
    table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    // Four jobs in view, each with its Cancel, however short the window makes the dock.
    table_->setMinimumHeight(table_->horizontalHeader()->sizeHint().height() +
                             4 * table_->verticalHeader()->defaultSectionSize() +
                             2 * table_->frameWidth());
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionMode(QAbstractItemView::NoSelection);
    auto* top = new QHBoxLayout;
    top->setContentsMargins(4, 0, 0, 0);
    top->addWidget(running_, 1);
    top->addWidget(cancelAll_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(top);
    layout->addWidget(table_);
    connect(&runner, &JobRunner::jobAdded, this, &JobsPanel::addJob);
    countRunning();
}

void JobsPanel::addJob(Job* job)
{
    const int row = 0; // newest first
    table_->insertRow(row);
    auto* title = new QTableWidgetItem(job->title());
    title->setToolTip(job->title());
    table_->setItem(row, ColTitle, title);
    table_->setItem(row, ColElapsed, new QTableWidgetItem());
    table_->setItem(row, ColStatus, new QTableWidgetItem());
    auto* bar = new QProgressBar(table_);
    bar->setRange(0, 1000);
    table_->setCellWidget(row, ColProgress, bar);
    // Only jobs whose work polls for pauses (training methods) get a Pause button.
    if (job->canPause())
    {
        table_->setColumnHidden(ColPause, false);
        auto* pause = new QPushButton(tr("Pause"), table_);
        pause->setObjectName(QString("pause-%1").arg(job->id()));
        pause->setToolTip(tr("Training holds still until resumed"));
        connect(pause, &QPushButton::clicked, job, [job] { job->setPaused(!job->isPaused()); });
        table_->setCellWidget(row, ColPause, pause);
    }
    auto* cancel = new QPushButton(tr("Cancel"), table_);
    cancel->setObjectName(QString("cancel-%1").arg(job->id()));
    connect(cancel, &QPushButton::clicked, job, &Job::cancel);
    table_->setCellWidget(row, ColCancel, cancel);
    table_->item(row, ColTitle)->setData(Qt::UserRole, job->id());
    connect(job, &Job::changed, this,
            [this, job]
            {
                for (int r = 0; r < table_->rowCount(); ++r)
                {
                    if (table_->item(r, ColTitle)->data(Qt::UserRole).toInt() == job->id())
                    {
                        refresh(job, r);
                        return;
                    }
                }
            });
    refresh(job, row);
}

void JobsPanel::refresh(Job* job, int row)
{
    auto* bar = qobject_cast<QProgressBar*>(table_->cellWidget(row, ColProgress));
    auto* cancel = qobject_cast<QPushButton*>(table_->cellWidget(row, ColCancel));
    auto* pause = qobject_cast<QPushButton*>(table_->cellWidget(row, ColPause));
    table_->item(row, ColElapsed)
        ->setText(QString::number(job->elapsedMs() / 1000.0, 'f', 1) + " s");
    QString status;
    switch (job->state())
    {
    case Job::State::Running:
        bar->setValue(static_cast<int>(job->progress() * 1000));
        status = job->isPaused() ? tr("paused: %1").arg(job->message()) : job->message();
        break;
    case Job::State::Finished:
        bar->setValue(1000);
        status = job->summary().isEmpty() ? tr("done") : job->summary();
        break;
    case Job::State::Failed:
        status = tr("failed: %1").arg(job->error());
        table_->item(row, ColStatus)->setForeground(QColor(0xb0, 0x00, 0x20));
        break;
    case Job::State::Cancelled:
        status = tr("cancelled");
        break;
    }
    table_->item(row, ColStatus)->setText(status);
    table_->item(row, ColStatus)->setToolTip(status);
    cancel->setEnabled(job->isRunning());
    countRunning();
    if (pause)
    {
        pause->setEnabled(job->isRunning());
        pause->setText(job->isPaused() ? tr("Resume") : tr("Pause"));
    }
}

void JobsPanel::countRunning()
{
    const auto jobs = runner_.jobs();
    const auto running = std::count_if(jobs.begin(), jobs.end(),
                                       [](const Job* job) { return job && job->isRunning(); });
    running_->setText(running ? tr("%n job(s) running", nullptr, static_cast<int>(running))
                              : tr("No job running"));
    cancelAll_->setEnabled(running > 0);
}

} // namespace clusterscope

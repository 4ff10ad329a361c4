#pragma once
// The Jobs dock: every running or finished job with its progress, elapsed time, a Cancel
// button, a Pause button for jobs that can pause (Job::canPause), and its result or error.

#include <QWidget>

class QTableWidget;

namespace clusterscope
{

class Job;
class JobRunner;

class JobsPanel : public QWidget
{
    Q_OBJECT

public:
    JobsPanel(JobRunner& runner, QWidget* parent = nullptr);
    QTableWidget* table() const { return table_; }

private:
    void addJob(Job* job);
    void refresh(Job* job, int row);

    QTableWidget* table_;
};

} // namespace clusterscope

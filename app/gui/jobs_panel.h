#pragma once
// The Jobs dock: every running or finished job with its progress, elapsed time, a Cancel
// button, a Pause button for jobs that can pause (Job::canPause), and its result or error.
// Rows are compact, so that a short dock still shows four, and above them the count of running
// jobs ("runningCount") and Cancel All ("cancelAllButton") stay in view however many there are.

#include <QWidget>

class QLabel;
class QPushButton;
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

Q_SIGNALS:
    // Cancel All was clicked (the window asks first when a job has run a while).
    void cancelAllRequested();

private:
    void addJob(Job* job);
    void refresh(Job* job, int row);
    void countRunning();

    JobRunner& runner_;
    QTableWidget* table_;
    QLabel* running_;
    QPushButton* cancelAll_;
};

} // namespace clusterscope

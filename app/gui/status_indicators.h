#pragma once
// The status bar's permanent fields: the dataset's shape, the compute device, and the
// process's resident memory (refreshed every 2 s).

#include <QObject>

class QLabel;
class QStatusBar;

namespace clusterscope
{

struct Dataset;

class StatusIndicators : public QObject
{
    Q_OBJECT

public:
    explicit StatusIndicators(QStatusBar* bar);
    void showDataset(const Dataset* data);

private:
    void updateMemory();

    QLabel* shape_;
    QLabel* device_;
    QLabel* memory_;
};

} // namespace clusterscope

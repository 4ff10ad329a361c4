#include "status_indicators.h"

#include <clusterscope/core/dataset.h>
#include <clusterscope/core/device.h>

#include <QLabel>
#include <QStatusBar>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

namespace clusterscope
{

StatusIndicators::StatusIndicators(QStatusBar* bar)
    : QObject(bar), shape_(new QLabel(bar)), device_(new QLabel(bar)), memory_(new QLabel(bar))
{
    bar->addPermanentWidget(shape_);
    bar->addPermanentWidget(device_);
    bar->addPermanentWidget(memory_);
    device_->setText(cudaAvailable() ? tr("device: CUDA") : tr("device: CPU"));
    auto* timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, &StatusIndicators::updateMemory);
    timer->start(2000);
    showDataset(nullptr);
    updateMemory();
}

void StatusIndicators::showDataset(const Dataset* data)
{
    shape_->setText(data ? tr("%1 × %2").arg(data->rows()).arg(data->cols()) : tr("no dataset"));
}

void StatusIndicators::updateMemory()
{
    long pages = 0;
    long resident = 0;
    if (FILE* f = std::fopen("/proc/self/statm", "r"))
    {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    const double mb =
        static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1 << 20);
    memory_->setText(tr("memory: %1 MB").arg(mb, 0, 'f', 0));
}

} // namespace clusterscope

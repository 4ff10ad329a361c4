#pragma once
// Export Chart...: asks where to write a chart (PNG, SVG or PDF), writes it with `write`, and
// says so in a box when the write fails.

#include <QString>

#include <functional>

class QWidget;

namespace clusterscope
{

// `write` takes the chosen path and returns "" or the problem (renderPainting's).
void exportChartAs(QWidget* parent, const QString& title, const QString& defaultName,
                   const std::function<QString(const QString&)>& write);

} // namespace clusterscope

#pragma once
// Help > About: versions of ClusterScope and what it runs on.

class QWidget;

namespace clusterscope
{

void showAboutBox(QWidget* parent);

} // namespace clusterscope

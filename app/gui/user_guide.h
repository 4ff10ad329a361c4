#pragma once
// Help > User Guide: docs/user-guide.md in a window of its own, with its screenshots, from the
// installed package (/usr/share/doc/clusterscope) or the source tree.

class QWidget;

namespace clusterscope
{

// Shows the guide in a non-modal window named "userGuide" (one per parent: a second call
// raises it), whose QTextBrowser is "userGuideText"; tells the user where it looked when
// there is no guide.
void showUserGuide(QWidget* parent);

} // namespace clusterscope

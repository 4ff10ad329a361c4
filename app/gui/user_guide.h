#pragma once
// Help > User Guide: docs/user-guide.md in a window of its own, with its screenshots, from the
// installed package (/usr/share/doc/clusterscope) or the source tree.

#include <QString>

class QWidget;

namespace clusterscope
{

// The guide's file, or an empty string when neither copy exists.
QString userGuidePath();

// Shows the guide in a non-modal window named "userGuide" (one per parent: a second call
// raises it), whose QTextBrowser is "userGuideText"; tells the user where it looked when
// there is no guide.
void showUserGuide(QWidget* parent);

} // namespace clusterscope

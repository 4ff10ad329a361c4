#pragma once
// Makes the main window's menu shortcuts (Ctrl+E, F5, Ctrl+H, ...) win over the widget that has
// the focus: Qt lets a focused widget claim a key first (a QLineEdit takes Ctrl+E on X11 to move
// to the end of the line), so Export Figure would do nothing while a form field has the focus.
// Applies to chords (Ctrl, Alt, Meta) and function keys, in the window and its floating docks;
// not to plain keys (Home keeps moving a field's cursor) and not in dialogs.

#include <QObject>

class QMainWindow;

namespace clusterscope
{

class WindowShortcuts : public QObject
{
public:
    // Installs itself on the application; the menu bar's actions are read at each key press, so
    // actions added later count too.
    explicit WindowShortcuts(QMainWindow* window);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QMainWindow* window_;
};

} // namespace clusterscope

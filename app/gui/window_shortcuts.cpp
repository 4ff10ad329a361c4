#include "window_shortcuts.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QKeyEvent>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>

namespace clusterscope
{

namespace
{

bool hasShortcut(const QList<QAction*>& actions, const QKeySequence& pressed)
{
    for (QAction* action : actions)
    {
        if (action->menu() && hasShortcut(action->menu()->actions(), pressed))
            return true;
        if (action->isEnabled() && action->shortcuts().contains(pressed))
            return true;
    }
    return false;
}

} // namespace

WindowShortcuts::WindowShortcuts(QMainWindow* window) : QObject(window), window_(window)
{
    qApp->installEventFilter(this);
}

bool WindowShortcuts::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() != QEvent::ShortcutOverride || !watched->isWidgetType())
        return false;
    const QWidget* top = static_cast<QWidget*>(watched)->window();
    const auto* dock = qobject_cast<const QDockWidget*>(top);
    if (top != window_ && !(dock && dock->parentWidget() == window_))
        return false;
    const auto* key = static_cast<QKeyEvent*>(event);
    // Only chords and function keys: a plain Home (Reset Camera) still moves a field's cursor.
    const bool chord =
        key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier);
    const bool functionKey = key->key() >= Qt::Key_F1 && key->key() <= Qt::Key_F35;
    if (!chord && !functionKey)
        return false;
    const QKeySequence pressed(key->keyCombination());
    // Eaten unaccepted: the widget does not claim the key, so the window's shortcut fires.
    return hasShortcut(window_->menuBar()->actions(), pressed);
}

} // namespace clusterscope

#pragma once
// The Select menu: which shape a drag draws in the view (box or lasso), Clear Selection (Esc)
// and Name Selection as Cluster. The selection itself is the session's; the view draws it
// (Shift + drag replaces it, Ctrl + drag adds to it, Alt + drag takes from it).
//
// Children (objectName): the actions "boxTool", "lassoTool" (checkable, one at a time),
// "clearSelection" and "nameSelection"; the name is asked in "nameSelectionDialog".

#include <QObject>

class QAction;
class QMainWindow;
class QMenu;

namespace clusterscope
{

class EmbeddingView;
class Session;

class SelectionMenu : public QObject
{
    Q_OBJECT

public:
    SelectionMenu(QMainWindow& window, Session& session, EmbeddingView& view);

    // Adds the Select menu to the window's menu bar, before `before` (nullptr: at the end).
    QMenu* addTo(QAction* before = nullptr);
    QAction* boxTool() const { return box_; }
    QAction* lassoTool() const { return lasso_; }

    // Names the selection as a new cluster of the current run (Session::nameSelectionAsCluster);
    // the new run's id, or 0 after saying why not (failed).
    int nameSelection(const QString& name);
    // Asks for the name, then nameSelection.
    void askName();

Q_SIGNALS:
    void failed(const QString& title, const QString& text);

private:
    QMainWindow& window_;
    Session& session_;
    EmbeddingView& view_;
    QAction* box_;
    QAction* lasso_;
    QAction* clear_;
    QAction* name_;
};

} // namespace clusterscope

#pragma once
// The Runs dock: every run of the session as its own entry (method, state, metrics); picking
// one makes it the run the window shows.

#include <QWidget>

class QListWidget;

namespace clusterscope
{

class Session;

class RunsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit RunsPanel(Session& session, QWidget* parent = nullptr);
    QListWidget* list() const { return list_; }

Q_SIGNALS:
    // The user picked this run.
    void runPicked(int id);

private:
    void rebuild();
    void refresh(int id);

    Session& session_;
    QListWidget* list_;
};

} // namespace clusterscope

#include "selection_menu.h"

#include "embedding_view.h"
#include "session.h"

#include <clusterscope/core/errors.h>

#include <QActionGroup>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenuBar>

#include <tuple>

namespace clusterscope
{

SelectionMenu::SelectionMenu(QMainWindow& window, Session& session, EmbeddingView& view)
    : QObject(&window), window_(window), session_(session), view_(view),
      box_(new QAction(tr("&Box"), this)), lasso_(new QAction(tr("&Lasso"), this)),
      clear_(new QAction(tr("&Clear Selection"), this)),
      name_(new QAction(tr("&Name Selection as Cluster..."), this))
{
    auto* tools = new QActionGroup(this);
    for (const auto& [action, name, tip] :
         {std::tuple{box_, "boxTool",
                     tr("Drag a box: Shift + drag selects, Ctrl + drag adds, "
                        "Alt + drag removes, Esc clears")},
          std::tuple{lasso_, "lassoTool",
                     tr("Draw round the points: Shift + drag selects, Ctrl + drag adds, Alt + "
                        "drag removes, Esc clears")}})
    {
        action->setObjectName(name);
        action->setCheckable(true);
        action->setToolTip(tip);
        action->setStatusTip(tip);
        tools->addAction(action);
    }
    box_->setChecked(true);
    connect(box_, &QAction::toggled, this,
            [this](bool on)
            { view_.setSelectionTool(on ? SelectionTool::Box : SelectionTool::Lasso); });
    clear_->setObjectName("clearSelection");
    clear_->setShortcut(QKeySequence(Qt::Key_Escape));
    connect(clear_, &QAction::triggered, this, [this] { session_.setSelection({}); });
    name_->setObjectName("nameSelection");
    name_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G)); // G: group, as in drawing programs
    connect(name_, &QAction::triggered, this, &SelectionMenu::askName);
    // Clearing or naming needs something selected.
    auto enable = [this]
    {
        const bool any = !session_.selection().empty();
        clear_->setEnabled(any);
        name_->setEnabled(any && session_.currentRun() && session_.currentRun()->finished());
    };
    connect(&session_, &Session::selectionChanged, this, enable);
    connect(&session_, &Session::currentRunChanged, this, enable);
    connect(&session_, &Session::runChanged, this, enable);
    enable();
}

QMenu* SelectionMenu::addTo(QAction* before)
{
    auto* menu = new QMenu(tr("&Select"), window_.menuBar());
    menu->setObjectName("selectMenu");
    menu->addAction(box_);
    menu->addAction(lasso_);
    menu->addSeparator();
    menu->addAction(clear_);
    menu->addAction(name_);
    window_.menuBar()->insertMenu(before, menu);
    return menu;
}

int SelectionMenu::nameSelection(const QString& name)
{
    try
    {
        if (session_.selection().empty())
            throw ParameterError("Select points first: Shift + drag a box or a lasso in the "
                                 "view (Select > Box or Lasso).");
        if (!session_.currentRun())
            throw ParameterError("Run a clustering first: the selection becomes a cluster of "
                                 "the current run.");
        return session_.nameSelectionAsCluster(session_.currentRunId(), name);
    }
    catch (const Error& e)
    {
        Q_EMIT failed(tr("Cannot name the selection"), QString::fromStdString(e.what()));
        return 0;
    }
}

void SelectionMenu::askName()
{
    auto* dialog = new QInputDialog(&window_);
    dialog->setObjectName("nameSelectionDialog");
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Name Selection as Cluster"));
    dialog->setLabelText(
        tr("The %n selected point(s) become a new cluster, in a new run; the current run stays "
           "as it is.\nName:",
           nullptr, static_cast<int>(session_.selection().size())));
    connect(dialog, &QInputDialog::textValueSelected, this,
            [this](const QString& name) { nameSelection(name); });
    dialog->open();
}

} // namespace clusterscope

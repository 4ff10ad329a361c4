#pragma once
// Beside the embedding view: what colours the points, 2D or 3D, point size, the legend, and
// the inspector that shows the hovered row (with its image for image datasets).
//
// The legend is interactive: a click on an entry hides its points or shows them again (a
// hidden entry is drawn hollow and grey), a double-click asks to rename it, and a search box
// ("legendSearch") filters long legends (more than 8 entries).

#include "figure_scene.h"

#include <QWidget>

#include <set>
#include <vector>

class QAction;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QListWidget;
class QTimer;

namespace clusterscope
{

class ViewSidebar : public QWidget
{
    Q_OBJECT

public:
    explicit ViewSidebar(QWidget* parent = nullptr);

    QComboBox* colorBy() const { return colorBy_; }
    QCheckBox* threeD() const { return threeD_; }
    QDoubleSpinBox* pointSize() const { return pointSize_; }
    QListWidget* legend() const { return legend_; }
    // A "Select:" row of tool buttons for the selection tools (the Select menu's actions).
    void addSelectionTools(QAction* box, QAction* lasso);

    // Legend entries: a swatch and a text each; the entries whose ids are in `hidden` are drawn
    // as hidden. `renamable`: a double-click asks for a new name (renameRequested).
    void setLegend(const std::vector<LegendEntry>& entries, const QString& title,
                   const std::set<int64_t>& hidden = {}, bool renamable = false);
    QLineEdit* legendSearch() const { return legendSearch_; }
    // What a click on legend row `row` does: hides its entry's points, or shows them again.
    void toggleEntry(int row);
    // A continuous colouring: a colour bar from lo to hi instead of legend entries.
    void setColorBar(double lo, double hi, const QString& title);
    QLabel* colorBar() const { return colorBar_; }
    void inspect(const QString& text, const QImage& thumbnail);

Q_SIGNALS:
    // The entry with id `id` (LegendEntry::id) was clicked: its points are to be shown or not.
    void entryToggled(int64_t id, bool shown);
    // The entry with id `id` was double-clicked, in a legend set as renamable.
    void renameRequested(int64_t id);

private:
    void filterLegend(const QString& text);
    void paintEntry(int row);

    QComboBox* colorBy_;
    QCheckBox* threeD_;
    QFormLayout* form_;
    QDoubleSpinBox* pointSize_;
    QLabel* legendTitle_;
    QLineEdit* legendSearch_;
    QListWidget* legend_;
    QLabel* colorBar_;
    QLabel* inspector_;
    QLabel* thumbnail_;
    std::vector<LegendEntry> entries_; // as the rows show them
    std::vector<bool> shown_;          // by row
    bool renamable_ = false;
    QTimer* clickTimer_; // a click waits to see whether it is a double-click's first half
    int64_t clickedId_ = 0;
};

} // namespace clusterscope

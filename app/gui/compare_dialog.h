#pragma once
// Run > Compare Runs: how the session's finished runs agree. The Agreement tab is a heat map
// of ARI or NMI over the runs ticked in the list; the Two Runs tab is the contingency table of
// two runs and its alluvial diagram (how the clusters of one split and merge into the other's).
// Either chart exports as PNG, SVG or PDF. It follows the session: new runs join the list.

#include <QDialog>

#include <vector>

class QComboBox;
class QListWidget;
class QTableWidget;
class QTabWidget;

namespace clusterscope
{

class AgreementChart;
class AlluvialChart;
class Session;

class CompareDialog : public QDialog
{
    Q_OBJECT

public:
    CompareDialog(Session& session, QWidget* parent = nullptr);

    // Ticks exactly these runs (the agreement matrix's) and shows the first two in Two Runs.
    void setRuns(const std::vector<int>& ids);
    std::vector<int> tickedRuns() const;
    // The two runs of the Two Runs tab.
    void setPair(int first, int second);

    AgreementChart* agreement() const { return agreement_; }
    AlluvialChart* alluvial() const { return alluvial_; }
    QTableWidget* contingencyTable() const { return table_; }
    QComboBox* measure() const { return measure_; }
    QTabWidget* tabs() const { return tabs_; }
    // Writes the shown tab's chart; "" on success, else the reason.
    QString exportShown(const QString& path) const;

private:
    void rebuildList();
    void updateAgreement();
    void updatePair();

    Session& session_;
    QListWidget* list_;
    QTabWidget* tabs_;
    QComboBox* measure_;
    AgreementChart* agreement_;
    QComboBox* first_;
    QComboBox* second_;
    QTableWidget* table_;
    AlluvialChart* alluvial_;
};

} // namespace clusterscope

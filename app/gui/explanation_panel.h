#pragma once
// The Explanation dock: an explainer of the registry (polyhedral descriptions, IMM, ExKMC,
// profiles) with its parameter form, the button that explains the current run's clusters (or
// the reason it cannot), the clusters with their names, coverage and precision, the chosen
// cluster's rules (or its most distinguishing features), and the export of the rules as JSON,
// text or LaTeX. Choosing a cluster selects the rows its description covers, so the embedding
// and layout views highlight them; "Select Errors" selects the rows the description gets
// wrong (covered rows of other clusters, uncovered rows of the cluster). The Two Features tab
// draws the chosen cluster's rule over any two features (RuleView); the Prototypes tab shows an
// image cluster's mean image and its rows nearest the mean; hovering a row in any view says which
// of the chosen cluster's conditions it breaks.

#include <QWidget>

#include <cstdint>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QTableWidget;
class QTabWidget;
class QTextBrowser;

namespace clusterscope
{

class ExplanationController;
class Job;
class ProfileChart;
class RuleView;
class ParameterForm;
class Session;

class ExplanationPanel : public QWidget
{
    Q_OBJECT

public:
    ExplanationPanel(Session& session, ExplanationController& controller,
                     QWidget* parent = nullptr);

    // Explains the current run with the form's explainer and parameters; nullptr, with the
    // reason in the panel, when it cannot.
    Job* explainCurrentRun();
    QString refusal() const;
    int shownRun() const { return shownRun_; }
    // Chooses the cluster at `index` of the shown explanation (the table's row).
    void chooseCluster(int index);
    // The loaded rows the chosen cluster's description covers, and those it gets wrong.
    std::vector<int64_t> coveredRows(int index) const;
    std::vector<int64_t> errorRows(int index) const;
    // JSON, plain text or LaTeX by the extension (.json, .txt, .tex).
    bool exportRules(const QString& path, QString* error = nullptr) const;
    // The two-feature view of the chosen cluster as a figure: PNG, SVG or PDF by the extension.
    bool exportFigure(const QString& path, QString* error = nullptr) const;
    RuleView* ruleView() const { return ruleView_; }
    ProfileChart* profileChart() const { return profile_; }
    // Names the cluster at `index` (the table's row) in the session; the legend shows it.
    void renameCluster(int index, const QString& name);
    // Why loaded row `row` is inside or outside the chosen cluster's description: the
    // conditions it breaks, and whether that makes it an error; empty for a row not explained.
    QString describeRow(int64_t row) const;
    // Shows describeRow(row) under the tabs (the row hovered in any view); -1 clears it.
    void showHovered(int64_t row);
    // The chosen cluster's mean image and its rows nearest the mean (image data only): loaded
    // rows, nearest first.
    std::vector<int64_t> prototypeRows() const { return prototypes_; }

Q_SIGNALS:
    // The chosen cluster's errors (loaded rows), for the views to ring; empty: none.
    void errorsMarked(const std::vector<int64_t>& rows);

private:
    void showCurrentRun();
    void updateRefusal();
    void showDetails(int index);

    Session& session_;
    ExplanationController& controller_;
    QComboBox* explainer_;
    ParameterForm* form_;
    QPushButton* run_;
    QLabel* note_;
    QTableWidget* clusters_;
    QTextBrowser* details_;
    RuleView* ruleView_;
    QTabWidget* tabs_;
    QWidget* prototypeTab_;
    ProfileChart* profile_;
    QLabel* hover_;
    QPushButton* selectCovered_;
    QPushButton* selectErrors_;
    QPushButton* export_;
    QPushButton* exportFigure_;
    int shownRun_ = 0;
    int chosen_ = -1;
    std::vector<float> values_;       // the explained rows in the file's units, N x D
    std::vector<int64_t> indexOfRow_; // loaded row -> explained row, or -1
    std::vector<int64_t> prototypes_;

    void showPrototypes(int index);
    void showProfile(int index);
};

} // namespace clusterscope

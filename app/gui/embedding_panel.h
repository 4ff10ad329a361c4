#pragma once
// The Embedding dock: the reducer picker (every reducer of the registry, its form generated
// from its schema), the input it maps (the prepared features, which the run settings may
// reduce by PCA, or a run's learned embedding), Compute, and the dataset's embeddings to show:
// the data view (PCA) first, then each computed one. "Cluster this embedding" runs the Method
// panel's method on the picked embedding's coordinates.

#include <clusterscope/pipeline/embed.h>

#include <QWidget>

class QComboBox;
class QListWidget;
class QPushButton;

namespace clusterscope
{

class ParameterForm;
class Session;

class EmbeddingPanel : public QWidget
{
    Q_OBJECT

public:
    explicit EmbeddingPanel(Session& session, QWidget* parent = nullptr);

    // The reducer, its parameters and the settings chosen here. Throws ParameterError naming
    // the field when a form is invalid.
    EmbedRequest request() const;
    // The run whose learned embedding is the input (0: the features).
    int inputRun() const;
    // Runs offering a learned embedding, shown as inputs after the features.
    void setLearnedRuns(const std::vector<int>& runIds);
    bool selectReducer(const std::string& id);

    QComboBox* reducerBox() const { return reducer_; }
    QComboBox* inputBox() const { return input_; }
    ParameterForm* form() const { return form_; }
    ParameterForm* settingsForm() const { return settings_; }
    QPushButton* computeButton() const { return compute_; }
    QListWidget* embeddingList() const { return list_; }
    QPushButton* clusterButton() const { return cluster_; }

Q_SIGNALS:
    void computeRequested();
    void clusterRequested(int embeddingId);

private:
    void rebuildList();
    void updateButtons();

    Session& session_;
    QComboBox* reducer_;
    QComboBox* input_;
    ParameterForm* form_;
    ParameterForm* settings_;
    QPushButton* compute_;
    QListWidget* list_;
    QPushButton* cluster_;
};

} // namespace clusterscope

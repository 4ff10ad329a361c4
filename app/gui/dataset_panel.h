#pragma once
// The Dataset dock: shape, source, the label-column choice, and a preview of the rows.

#include <clusterscope/core/dataset.h>

#include <QWidget>

class QComboBox;
class QLabel;
class QTableWidget;

namespace clusterscope
{

class DatasetPanel : public QWidget
{
    Q_OBJECT

public:
    explicit DatasetPanel(QWidget* parent = nullptr);
    void showDataset(const Dataset& data, const QStringList& labelChoices);
    QTableWidget* preview() const { return preview_; }
    QComboBox* labelColumn() const { return labelColumn_; }

Q_SIGNALS:
    // The user picked another column as ground truth ("" for none).
    void labelColumnChosen(const QString& column);

private:
    QLabel* summary_;
    QComboBox* labelColumn_;
    QTableWidget* preview_;
};

} // namespace clusterscope

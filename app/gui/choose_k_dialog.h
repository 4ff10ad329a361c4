#pragma once
// The "Choose k" window: the sweep's range, its curves (ChooseKChart), the suggestion, and a
// k to hand back to the Method panel. The sweep itself runs as a job of the main window.

#include <clusterscope/cluster/choose_k.h>

#include <QDialog>

class QLabel;
class QPushButton;
class QSpinBox;

namespace clusterscope
{

class ChooseKChart;

class ChooseKDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ChooseKDialog(QWidget* parent = nullptr);

    void setResult(ChooseKResult result);
    void setBusy(bool busy); // while a sweep runs
    int64_t kMin() const;
    int64_t kMax() const;
    int64_t pickedK() const;
    ChooseKChart* chart() const { return chart_; }
    QPushButton* sweepButton() const { return sweep_; }
    QPushButton* useButton() const { return use_; }
    QSpinBox* pickBox() const { return pick_; }

Q_SIGNALS:
    void sweepRequested(qint64 kMin, qint64 kMax);
    void kChosen(qint64 k);

private:
    QSpinBox* kMin_;
    QSpinBox* kMax_;
    QPushButton* sweep_;
    ChooseKChart* chart_;
    QLabel* summary_;
    QSpinBox* pick_;
    QPushButton* use_;
};

} // namespace clusterscope

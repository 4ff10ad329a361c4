#pragma once
// Live training curves of a deep job: the autoencoder's reconstruction loss per pretraining
// epoch, and the clustering loss, the fraction of labels changed and (when labels are known)
// ACC per target-distribution update. Painted with QPainter.

#include <QWidget>

#include <map>
#include <string>
#include <vector>

namespace clusterscope
{

class TrainingChart : public QWidget
{
    Q_OBJECT

public:
    using History = std::map<std::string, std::vector<double>>;

    explicit TrainingChart(QWidget* parent = nullptr);
    void setHistory(History history);
    const History& history() const { return history_; }
    void clear();
    QSize sizeHint() const override { return {420, 200}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    // A series with at least one value, or null.
    const std::vector<double>* values(const std::string& name) const;
    void paintPanel(QPainter& p, const QRectF& rect, const QString& title,
                    const std::vector<std::string>& series) const;

    History history_;
};

} // namespace clusterscope

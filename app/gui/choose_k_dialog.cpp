#include "choose_k_dialog.h"

#include "chart_export.h"
#include "choose_k_chart.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace clusterscope
{

ChooseKDialog::ChooseKDialog(QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Choose k"));
    auto* layout = new QVBoxLayout(this);

    auto* range = new QHBoxLayout;
    range->addWidget(new QLabel(tr("Sweep k from")));
    kMin_ = new QSpinBox;
    kMin_->setRange(2, 1000);
    kMin_->setValue(2);
    range->addWidget(kMin_);
    range->addWidget(new QLabel(tr("to")));
    kMax_ = new QSpinBox;
    kMax_->setRange(3, 1000);
    kMax_->setValue(15);
    range->addWidget(kMax_);
    sweep_ = new QPushButton(tr("&Sweep"));
    sweep_->setToolTip(tr("k-means (3 restarts) and a diagonal Gaussian mixture at each k, with "
                          "the gap statistic against 10 uniform reference sets"));
    range->addWidget(sweep_);
    range->addStretch();
    layout->addLayout(range);

    chart_ = new ChooseKChart;
    layout->addWidget(chart_, 1);
    summary_ = new QLabel(tr("Run a sweep to see how each criterion rates k."));
    summary_->setWordWrap(true);
    summary_->setMinimumHeight(3 * summary_->fontMetrics().lineSpacing());
    layout->addWidget(summary_);

    auto* bottom = new QHBoxLayout;
    bottom->addWidget(new QLabel(tr("k:")));
    pick_ = new QSpinBox;
    pick_->setRange(2, 1000);
    pick_->setEnabled(false);
    bottom->addWidget(pick_);
    use_ = new QPushButton(tr("&Use this k"));
    use_->setEnabled(false);
    use_->setToolTip(tr("Set k in the Method panel"));
    bottom->addWidget(use_);
    auto* exportChart = new QPushButton(tr("Export Chart..."));
    exportChart->setObjectName("exportChooseK");
    bottom->addWidget(exportChart);
    bottom->addStretch();
    auto* close = new QDialogButtonBox(QDialogButtonBox::Close);
    bottom->addWidget(close);
    layout->addLayout(bottom);
    resize(820, 560);

    connect(kMin_, &QSpinBox::valueChanged, this, [this](int v) { kMax_->setMinimum(v + 1); });
    connect(sweep_, &QPushButton::clicked, this,
            [this] { Q_EMIT sweepRequested(kMin_->value(), kMax_->value()); });
    connect(chart_, &ChooseKChart::kPicked, this,
            [this](qint64 k) { pick_->setValue(static_cast<int>(k)); });
    connect(pick_, &QSpinBox::valueChanged, chart_, [this](int k) { chart_->setPickedK(k); });
    connect(use_, &QPushButton::clicked, this, [this] { Q_EMIT kChosen(pick_->value()); });
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto exportIt = [this]
    {
        exportChartAs(this, tr("Export the choose-k chart"), "choose-k.pdf",
                      [this](const QString& path) { return chart_->exportTo(path); });
    };
    connect(exportChart, &QPushButton::clicked, this, exportIt);
    connect(chart_, &ChooseKChart::exportRequested, this, exportIt);
}

void ChooseKDialog::setResult(ChooseKResult result)
{
    QStringList votes;
    for (const auto& [name, k] : result.preferred)
        votes << QString("%1: %2").arg(QString::fromStdString(name)).arg(k);
    QString text = tr("Suggested k = %1, the k most criteria prefer (%2). Rings mark each "
                      "criterion's choice; click a panel to pick another k.")
                       .arg(result.suggested)
                       .arg(votes.join(", "));
    for (const auto& warning : result.warnings)
        text += "\n" + tr("Note: %1").arg(QString::fromStdString(warning));
    summary_->setText(text);
    pick_->setRange(static_cast<int>(result.ks.front()), static_cast<int>(result.ks.back()));
    pick_->setValue(static_cast<int>(result.suggested));
    pick_->setEnabled(true);
    use_->setEnabled(true);
    chart_->setResult(std::move(result));
}

void ChooseKDialog::setBusy(bool busy)
{
    sweep_->setEnabled(!busy);
    sweep_->setText(busy ? tr("Sweeping...") : tr("&Sweep"));
}

int64_t ChooseKDialog::kMin() const
{
    return kMin_->value();
}

int64_t ChooseKDialog::kMax() const
{
    return kMax_->value();
}

int64_t ChooseKDialog::pickedK() const
{
    return pick_->value();
}

} // namespace clusterscope

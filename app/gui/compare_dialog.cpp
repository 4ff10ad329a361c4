#include "compare_dialog.h"

#include "comparison_charts.h"
#include "run_comparison.h"
#include "session.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace clusterscope
{

namespace
{

// "Barolo (59)", "2 (48)", "noise (7)": a cluster as the charts label it.
QString clusterLabel(const RunEntry& run, int64_t cluster, int64_t rows)
{
    QString name;
    if (cluster < 0)
        name = QObject::tr("noise");
    else if (auto it = run.clusterNames.find(cluster); it != run.clusterNames.end())
        name = it->second;
    else
        name = QString::number(cluster);
    return QString("%1 (%2)").arg(name).arg(rows);
}

} // namespace

CompareDialog::CompareDialog(Session& session, QWidget* parent)
    : QDialog(parent), session_(session), list_(new QListWidget(this)), tabs_(new QTabWidget(this)),
      measure_(new QComboBox(this)), agreement_(new AgreementChart(this)),
      first_(new QComboBox(this)), second_(new QComboBox(this)), table_(new QTableWidget(this)),
      alluvial_(new AlluvialChart(this))
{
    setObjectName("compareDialog");
    setWindowTitle(tr("Compare Runs"));
    list_->setObjectName("runsToCompare");
    list_->setToolTip(tr("Tick the runs to compare"));
    measure_->setObjectName("agreementMeasure");
    measure_->addItem(tr("Adjusted Rand index (ARI)"), "ari");
    measure_->addItem(tr("Normalized mutual information (NMI)"), "nmi");
    table_->setObjectName("contingency");
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    first_->setObjectName("firstRun");
    second_->setObjectName("secondRun");

    auto* agreementTab = new QWidget(this);
    auto* a = new QVBoxLayout(agreementTab);
    a->addWidget(measure_);
    a->addWidget(agreement_, 1);
    auto* pairTab = new QWidget(this);
    auto* b = new QVBoxLayout(pairTab);
    auto* pick = new QHBoxLayout;
    pick->addWidget(first_, 1);
    pick->addWidget(new QLabel(QString::fromUtf8("\u2192"), this));
    pick->addWidget(second_, 1);
    b->addLayout(pick);
    auto* split = new QSplitter(Qt::Vertical, pairTab);
    split->addWidget(table_);
    split->addWidget(alluvial_);
    split->setStretchFactor(1, 2);
    b->addWidget(split, 1);
    tabs_->addTab(agreementTab, tr("Agreement"));
    tabs_->addTab(pairTab, tr("Two Runs"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* exportButton = buttons->addButton(tr("Export Figure..."), QDialogButtonBox::ActionRole);
    exportButton->setObjectName("exportComparison");
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(exportButton, &QPushButton::clicked, this,
            [this]
            {
                const QString path = QFileDialog::getSaveFileName(
                    this, tr("Export comparison"),
                    tabs_->currentIndex() == 0 ? "agreement.png" : "alluvial.png",
                    tr("Figures (*.png *.svg *.pdf)"));
                if (path.isEmpty())
                    return;
                if (const QString error = exportShown(path); !error.isEmpty())
                    QMessageBox::warning(this, tr("Could not export"), error);
            });

    auto* side = new QSplitter(Qt::Horizontal, this);
    side->addWidget(list_);
    side->addWidget(tabs_);
    side->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(side, 1);
    layout->addWidget(buttons);
    resize(900, 560);

    connect(list_, &QListWidget::itemChanged, this, &CompareDialog::updateAgreement);
    connect(measure_, &QComboBox::currentIndexChanged, this, &CompareDialog::updateAgreement);
    connect(first_, &QComboBox::currentIndexChanged, this, &CompareDialog::updatePair);
    connect(second_, &QComboBox::currentIndexChanged, this, &CompareDialog::updatePair);
    connect(&session_, &Session::runAdded, this, &CompareDialog::rebuildList);
    connect(&session_, &Session::runChanged, this, &CompareDialog::rebuildList);
    connect(&session_, &Session::datasetChanged, this, &CompareDialog::rebuildList);
    rebuildList();
}

void CompareDialog::rebuildList()
{
    const auto ticked = tickedRuns();
    const int a = first_->currentData().toInt(), b = second_->currentData().toInt();
    {
        const QSignalBlocker blockList(list_), blockA(first_), blockB(second_);
        list_->clear();
        first_->clear();
        second_->clear();
        for (const int id : session_.runIds())
        {
            const RunEntry* run = session_.run(id);
            if (!run->finished())
                continue;
            const QString text = QString("#%1 %2").arg(id).arg(describeEntry(*run));
            auto* item = new QListWidgetItem(text, list_);
            item->setData(Qt::UserRole, id);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            const bool wasTicked = std::find(ticked.begin(), ticked.end(), id) != ticked.end();
            item->setCheckState(wasTicked || ticked.empty() ? Qt::Checked : Qt::Unchecked);
            first_->addItem(text, id);
            second_->addItem(text, id);
        }
        if (first_->findData(a) >= 0)
            first_->setCurrentIndex(first_->findData(a));
        if (second_->findData(b) >= 0)
            second_->setCurrentIndex(second_->findData(b));
        else if (second_->count() > 1)
            second_->setCurrentIndex(1);
    }
    updateAgreement();
    updatePair();
}

std::vector<int> CompareDialog::tickedRuns() const
{
    std::vector<int> ids;
    for (int i = 0; i < list_->count(); ++i)
        if (list_->item(i)->checkState() == Qt::Checked)
            ids.push_back(list_->item(i)->data(Qt::UserRole).toInt());
    return ids;
}

void CompareDialog::setRuns(const std::vector<int>& ids)
{
    {
        const QSignalBlocker block(list_);
        for (int i = 0; i < list_->count(); ++i)
        {
            const int id = list_->item(i)->data(Qt::UserRole).toInt();
            list_->item(i)->setCheckState(
                std::find(ids.begin(), ids.end(), id) != ids.end() ? Qt::Checked : Qt::Unchecked);
        }
    }
    updateAgreement();
    if (ids.size() >= 2)
        setPair(ids[0], ids[1]);
}

void CompareDialog::setPair(int first, int second)
{
    const QSignalBlocker a(first_), b(second_);
    first_->setCurrentIndex(first_->findData(first));
    second_->setCurrentIndex(second_->findData(second));
    updatePair();
}

void CompareDialog::updateAgreement()
{
    const auto ids = tickedRuns();
    if (ids.empty())
        return agreement_->setMatrix({}, {}, {});
    const auto agreement = compareRuns(session_, ids);
    const bool ari = measure_->currentData().toString() == "ari";
    agreement_->setMatrix(agreement.names, ari ? agreement.ari : agreement.nmi,
                          ari ? tr("Adjusted Rand index between runs")
                              : tr("Normalized mutual information between runs"));
}

void CompareDialog::updatePair()
{
    const RunEntry* a = session_.run(first_->currentData().toInt());
    const RunEntry* b = session_.run(second_->currentData().toInt());
    table_->clear();
    if (!a || !b || !a->finished() || !b->finished())
    {
        table_->setRowCount(0);
        table_->setColumnCount(0);
        alluvial_->setFlows({}, {}, {}, {}, {});
        return;
    }
    const Contingency c = contingency(*a, *b);
    std::vector<int64_t> rowSums(c.first.size(), 0), colSums(c.second.size(), 0);
    for (size_t i = 0; i < c.first.size(); ++i)
        for (size_t j = 0; j < c.second.size(); ++j)
        {
            rowSums[i] += c.counts[i * c.second.size() + j];
            colSums[j] += c.counts[i * c.second.size() + j];
        }
    std::vector<QString> left, right;
    for (size_t i = 0; i < c.first.size(); ++i)
        left.push_back(clusterLabel(*a, c.first[i], rowSums[i]));
    for (size_t j = 0; j < c.second.size(); ++j)
        right.push_back(clusterLabel(*b, c.second[j], colSums[j]));
    table_->setRowCount(static_cast<int>(left.size()));
    table_->setColumnCount(static_cast<int>(right.size()));
    for (size_t i = 0; i < left.size(); ++i)
        table_->setVerticalHeaderItem(static_cast<int>(i), new QTableWidgetItem(left[i]));
    for (size_t j = 0; j < right.size(); ++j)
        table_->setHorizontalHeaderItem(static_cast<int>(j), new QTableWidgetItem(right[j]));
    for (size_t i = 0; i < left.size(); ++i)
        for (size_t j = 0; j < right.size(); ++j)
        {
            const int64_t n = c.counts[i * right.size() + j];
            auto* item = new QTableWidgetItem(n ? QString::number(n) : QString());
            item->setData(Qt::UserRole, static_cast<qlonglong>(n));
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            table_->setItem(static_cast<int>(i), static_cast<int>(j), item);
        }
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    alluvial_->setFlows(left, right, c.counts, QString("#%1 %2").arg(a->id).arg(describeEntry(*a)),
                        QString("#%1 %2").arg(b->id).arg(describeEntry(*b)));
}

QString CompareDialog::exportShown(const QString& path) const
{
    return tabs_->currentIndex() == 0 ? agreement_->exportTo(path) : alluvial_->exportTo(path);
}

} // namespace clusterscope

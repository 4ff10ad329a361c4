#include "view_sidebar.h"

#include "figure_renderer.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace clusterscope
{

ViewSidebar::ViewSidebar(QWidget* parent)
    : QWidget(parent), colorBy_(new QComboBox(this)), threeD_(new QCheckBox(tr("3D"), this)),
      pointSize_(new QDoubleSpinBox(this)), legendTitle_(new QLabel(this)),
      legendSearch_(new QLineEdit(this)), legend_(new QListWidget(this)),
      colorBar_(new QLabel(this)), inspector_(new QLabel(this)), thumbnail_(new QLabel(this)),
      clickTimer_(new QTimer(this))
{
    colorBy_->setObjectName("colorBy");
    inspector_->setObjectName("inspector");
    thumbnail_->setObjectName("thumbnail");
    pointSize_->setRange(1, 20);
    pointSize_->setValue(3);
    pointSize_->setSuffix(tr(" px"));
    form_ = new QFormLayout;
    form_->addRow(tr("Colour by:"), colorBy_);
    form_->addRow(tr("Point size:"), pointSize_);
    form_->addRow(threeD_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form_);
    layout->addWidget(legendTitle_);
    layout->addWidget(legendSearch_);
    layout->addWidget(legend_, 1);
    layout->addWidget(colorBar_, 1);
    colorBar_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    colorBar_->hide();
    legend_->setSelectionMode(QAbstractItemView::NoSelection);
    legend_->setObjectName("legend");
    legend_->setToolTip(tr("Click an entry to hide or show its points"));
    legendSearch_->setObjectName("legendSearch");
    legendSearch_->setPlaceholderText(tr("Search the legend"));
    legendSearch_->setClearButtonEnabled(true);
    legendSearch_->hide();
    connect(legendSearch_, &QLineEdit::textChanged, this, &ViewSidebar::filterLegend);
    // A click toggles, a double-click renames: the click waits for the double-click's time.
    clickTimer_->setSingleShot(true);
    clickTimer_->setInterval(QApplication::doubleClickInterval());
    // The pending click is of an entry, not a row: a recolouring meanwhile may reorder rows.
    connect(clickTimer_, &QTimer::timeout, this,
            [this]
            {
                for (size_t row = 0; row < entries_.size(); ++row)
                    if (entries_[row].id == clickedId_)
                        toggleEntry(static_cast<int>(row));
            });
    connect(legend_, &QListWidget::itemClicked, this,
            [this](QListWidgetItem* item)
            {
                const int row = legend_->row(item);
                if (row < 0 || static_cast<size_t>(row) >= entries_.size())
                    return;
                clickedId_ = entries_[static_cast<size_t>(row)].id;
                clickTimer_->start();
            });
    connect(legend_, &QListWidget::itemDoubleClicked, this,
            [this](QListWidgetItem* item)
            {
                clickTimer_->stop();
                const int row = legend_->row(item);
                if (renamable_ && row >= 0 && static_cast<size_t>(row) < entries_.size())
                    Q_EMIT renameRequested(entries_[static_cast<size_t>(row)].id);
            });
    inspector_->setWordWrap(true);
    inspector_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    inspector_->setMinimumHeight(60);
    inspector_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(new QLabel(tr("<b>Point under the pointer</b>"), this));
    layout->addWidget(inspector_);
    layout->addWidget(thumbnail_);
    setFixedWidth(220);
}

void ViewSidebar::addSelectionTools(QAction* box, QAction* lasso)
{
    auto* row = new QHBoxLayout;
    row->setSpacing(2);
    for (QAction* action : {box, lasso})
    {
        auto* button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setToolButtonStyle(Qt::ToolButtonTextOnly);
        button->setAutoRaise(false);
        button->setObjectName(action->objectName() + "Button");
        row->addWidget(button);
    }
    row->addStretch();
    form_->addRow(tr("Select:"), row);
}

void ViewSidebar::setLegend(const std::vector<LegendEntry>& entries, const QString& title,
                            const std::set<int64_t>& hidden, bool renamable)
{
    legendTitle_->setText("<b>" + title.toHtmlEscaped() + "</b>");
    colorBar_->hide();
    legend_->show();
    legend_->clear();
    entries_ = entries;
    renamable_ = renamable;
    shown_.clear();
    for (const auto& entry : entries)
    {
        shown_.push_back(!hidden.count(entry.id));
        legend_->addItem(new QListWidgetItem(legendText(entry)));
        paintEntry(legend_->count() - 1);
    }
    legend_->setToolTip(renamable ? tr("Click an entry to hide or show its points; "
                                       "double-click to rename it")
                                  : tr("Click an entry to hide or show its points"));
    legendSearch_->setVisible(entries.size() > 8);
    filterLegend(legendSearch_->text());
}

void ViewSidebar::paintEntry(int row)
{
    const auto r = static_cast<size_t>(row);
    const QColor& color = entries_[r].color;
    const bool shown = shown_[r];
    QPixmap swatch(14, 14);
    swatch.fill(Qt::transparent);
    QPainter p(&swatch);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(shown ? QBrush(color) : QBrush(Qt::NoBrush));
    p.setPen(QPen(shown ? color.darker(130) : QColor(150, 150, 150), shown ? 1 : 1.5));
    p.drawEllipse(QRectF(1.5, 1.5, 11, 11));
    p.end();
    QListWidgetItem* item = legend_->item(row);
    item->setIcon(QIcon(swatch));
    item->setForeground(shown ? palette().text() : QBrush(QColor(150, 150, 150)));
    item->setData(Qt::AccessibleDescriptionRole, shown ? tr("shown") : tr("hidden"));
}

void ViewSidebar::toggleEntry(int row)
{
    if (row < 0 || static_cast<size_t>(row) >= entries_.size())
        return;
    const auto r = static_cast<size_t>(row);
    shown_[r] = !shown_[r];
    paintEntry(row);
    Q_EMIT entryToggled(entries_[r].id, shown_[r]);
}

void ViewSidebar::filterLegend(const QString& text)
{
    for (int row = 0; row < legend_->count(); ++row)
        legend_->item(row)->setHidden(
            !text.isEmpty() && !legend_->item(row)->text().contains(text, Qt::CaseInsensitive));
}

void ViewSidebar::setColorBar(double lo, double hi, const QString& title)
{
    legendTitle_->setText("<b>" + title.toHtmlEscaped() + "</b>");
    legend_->hide();
    legendSearch_->hide();
    entries_.clear();
    shown_.clear();
    QPixmap bar(200, 240);
    bar.fill(Qt::transparent);
    QPainter p(&bar);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font = this->font();
    font.setPointSizeF(9);
    paintColorBar(p, QRectF(4, 8, 18, 220), lo, hi, font);
    p.end();
    colorBar_->setPixmap(bar);
    colorBar_->show();
}

void ViewSidebar::inspect(const QString& text, const QImage& thumbnail)
{
    inspector_->setText(text);
    thumbnail_->setPixmap(thumbnail.isNull()
                              ? QPixmap()
                              : QPixmap::fromImage(thumbnail.scaled(112, 112, Qt::KeepAspectRatio,
                                                                    Qt::FastTransformation)));
}

} // namespace clusterscope

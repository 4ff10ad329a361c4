#include "view_sidebar.h"

#include "figure_renderer.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QVBoxLayout>

namespace clusterscope
{

ViewSidebar::ViewSidebar(QWidget* parent)
    : QWidget(parent), colorBy_(new QComboBox(this)), threeD_(new QCheckBox(tr("3D"), this)),
      pointSize_(new QDoubleSpinBox(this)), legendTitle_(new QLabel(this)),
      legend_(new QListWidget(this)), colorBar_(new QLabel(this)), inspector_(new QLabel(this)),
      thumbnail_(new QLabel(this))
{
    colorBy_->setObjectName("colorBy");
    inspector_->setObjectName("inspector");
    thumbnail_->setObjectName("thumbnail");
    pointSize_->setRange(1, 20);
    pointSize_->setValue(3);
    pointSize_->setSuffix(tr(" px"));
    auto* form = new QFormLayout;
    form->addRow(tr("Colour by:"), colorBy_);
    form->addRow(tr("Point size:"), pointSize_);
    form->addRow(threeD_);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(legendTitle_);
    layout->addWidget(legend_, 1);
    layout->addWidget(colorBar_, 1);
    colorBar_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    colorBar_->hide();
    legend_->setSelectionMode(QAbstractItemView::NoSelection);
    inspector_->setWordWrap(true);
    inspector_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    inspector_->setMinimumHeight(60);
    inspector_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(new QLabel(tr("<b>Point under the pointer</b>"), this));
    layout->addWidget(inspector_);
    layout->addWidget(thumbnail_);
    setFixedWidth(220);
}

void ViewSidebar::setLegend(const std::vector<LegendEntry>& entries, const QString& title)
{
    legendTitle_->setText("<b>" + title.toHtmlEscaped() + "</b>");
    colorBar_->hide();
    legend_->show();
    legend_->clear();
    for (const auto& entry : entries)
    {
        const QColor& color = entry.color;
        QPixmap swatch(14, 14);
        swatch.fill(Qt::transparent);
        QPainter p(&swatch);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(color);
        p.setPen(color.darker(130));
        p.drawEllipse(1, 1, 12, 12);
        legend_->addItem(new QListWidgetItem(QIcon(swatch), legendText(entry)));
    }
}

void ViewSidebar::setColorBar(double lo, double hi, const QString& title)
{
    legendTitle_->setText("<b>" + title.toHtmlEscaped() + "</b>");
    legend_->hide();
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

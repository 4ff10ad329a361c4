#include "figure_dialog.h"

#include "figure_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontComboBox>
#include <QFontInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>

namespace clusterscope
{

namespace
{

constexpr QSize kPreview{560, 400};

QDoubleSpinBox* numberBox(const char* name, double lo, double hi, double step, int decimals,
                          QWidget* parent)
{
    auto* box = new QDoubleSpinBox(parent);
    box->setObjectName(name);
    box->setRange(lo, hi);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    return box;
}

QComboBox* choiceBox(const char* name, const std::vector<std::pair<QString, QString>>& items,
                     QWidget* parent)
{
    auto* box = new QComboBox(parent);
    box->setObjectName(name);
    for (const auto& [text, data] : items)
        box->addItem(text, data);
    return box;
}

void choose(QComboBox* box, const QString& data)
{
    if (const int i = box->findData(data); i >= 0)
        box->setCurrentIndex(i);
}

// The family "sans-serif" resolves to here: FigureStyle's default, kept as "".
QString defaultFamily()
{
    QFont font(QStringLiteral("sans-serif"));
    font.setStyleHint(QFont::SansSerif);
    return QFontInfo(font).family();
}

// Points per unit.
double pointsPer(const QString& unit, int dpi)
{
    return unit == "in" ? 72.0 : unit == "px" ? 72.0 / dpi : 72.0 / 25.4;
}

// Whole pixels, tenths of millimetres, hundredths of inches.
void showUnit(QDoubleSpinBox* box, const QString& unit)
{
    const QSignalBlocker block(box);
    box->setDecimals(unit == "px" ? 0 : unit == "in" ? 2 : 1);
    box->setSingleStep(unit == "in" ? 0.1 : unit == "px" ? 10 : 1);
}

} // namespace

FigureDialog::FigureDialog(FigureScene view, QWidget* parent)
    : QDialog(parent), view_(std::move(view)), title_(new QLineEdit(view_.title, this)),
      xLabel_(new QLineEdit(view_.xLabel, this)), yLabel_(new QLineEdit(view_.yLabel, this)),
      fontFamily_(new QFontComboBox(this)), fontSize_(numberBox("fontSize", 4, 48, 0.5, 1, this)),
      pointSize_(numberBox("pointSize", 0, 50, 0.25, 2, this)), opacity_(new QSpinBox(this)),
      width_(numberBox("width", 1, 20000, 1, 1, this)),
      height_(numberBox("height", 1, 20000, 1, 1, this)),
      unit_(choiceBox("unit", {{tr("mm"), "mm"}, {tr("in"), "in"}, {tr("px"), "px"}}, this)),
      dpi_(new QSpinBox(this)), legend_(legendPlacementBox("legend", this)),
      legendCounts_(new QCheckBox(tr("Row counts in the legend"), this)),
      points_(choiceBox("points",
                        {{tr("Automatic (vector up to 50,000, else one PNG layer)"), "auto"},
                         {tr("Vector shapes"), "vector"},
                         {tr("One embedded PNG layer"), "raster"}},
                        this)),
      axes_(choiceBox("axes", {{tr("Fit the data"), "data"}, {tr("Keep the view's zoom"), "view"}},
                      this)),
      sizeNote_(new QLabel(this)), preview_(new QLabel(this)), previewTimer_(new QTimer(this))
{
    setObjectName("figureDialog");
    setWindowTitle(tr("Export Figure"));
    title_->setObjectName("title");
    xLabel_->setObjectName("xLabel");
    yLabel_->setObjectName("yLabel");
    fontFamily_->setObjectName("fontFamily");
    fontFamily_->setFontFilters(QFontComboBox::ScalableFonts);
    fontSize_->setSuffix(" pt");
    pointSize_->setSuffix(" pt");
    pointSize_->setSpecialValueText(tr("auto"));
    pointSize_->setToolTip(tr("The points' diameter; auto sizes them to the plot's area per "
                              "point"));
    opacity_->setObjectName("opacity");
    opacity_->setRange(5, 100);
    opacity_->setSuffix(" %");
    opacity_->setToolTip(tr("Noise is drawn at a third of it, under the clusters"));
    dpi_->setObjectName("dpi");
    dpi_->setRange(36, 1152);
    dpi_->setSingleStep(50);
    dpi_->setSuffix(" dpi");
    dpi_->setToolTip(tr("PNG pixels per inch; SVG and PDF are vector and print at any size"));
    legendCounts_->setObjectName("legendCounts");
    points_->setToolTip(tr("SVG and PDF: many points as shapes make large, slow files; the PNG "
                           "layer is lossless"));
    sizeNote_->setObjectName("sizeNote");
    preview_->setObjectName("preview");
    preview_->setFixedSize(kPreview);
    preview_->setAlignment(Qt::AlignCenter);
    preview_->setStyleSheet("QLabel#preview { background: #d8d8d8; }");
    if (!view_.showAxes) // 3D: the camera is the figure; there are no axes to fit
    {
        choose(axes_, "view");
        axes_->setEnabled(false);
        xLabel_->setEnabled(false);
        yLabel_->setEnabled(false);
    }

    auto* size = new QHBoxLayout;
    size->addWidget(width_);
    size->addWidget(new QLabel(QStringLiteral("×"), this));
    size->addWidget(height_);
    size->addWidget(unit_);
    auto* form = new QFormLayout;
    form->addRow(tr("Title:"), title_);
    form->addRow(tr("x axis:"), xLabel_);
    form->addRow(tr("y axis:"), yLabel_);
    form->addRow(tr("Axes:"), axes_);
    form->addRow(tr("Font:"), fontFamily_);
    form->addRow(tr("Font size:"), fontSize_);
    form->addRow(tr("Point size:"), pointSize_);
    form->addRow(tr("Opacity:"), opacity_);
    form->addRow(tr("Points in SVG/PDF:"), points_);
    form->addRow(tr("Legend:"), legend_);
    form->addRow(QString(), legendCounts_);
    form->addRow(tr("Size:"), size);
    form->addRow(tr("Resolution:"), dpi_);
    form->addRow(QString(), sizeNote_);

    auto* exportButton = new QPushButton(tr("Export..."), this);
    exportButton->setObjectName("exportFigure");
    exportButton->setDefault(true);
    auto* reset = new QPushButton(tr("Defaults"), this);
    reset->setObjectName("resetStyle");
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(reset, QDialogButtonBox::ResetRole);
    buttons->addButton(exportButton, QDialogButtonBox::AcceptRole);

    auto* columns = new QHBoxLayout;
    columns->addLayout(form);
    columns->addWidget(preview_, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(buttons);

    unitShown_ = "mm";
    setSettings(FigureSettings::load(QSettings()));

    previewTimer_->setSingleShot(true);
    previewTimer_->setInterval(60);
    connect(previewTimer_, &QTimer::timeout, this, &FigureDialog::drawPreview);
    for (auto* edit : {title_, xLabel_, yLabel_})
        connect(edit, &QLineEdit::textChanged, this, &FigureDialog::schedulePreview);
    connect(fontFamily_, &QFontComboBox::currentFontChanged, this, &FigureDialog::schedulePreview);
    for (auto* box : {fontSize_, pointSize_, width_, height_})
        connect(box, &QDoubleSpinBox::valueChanged, this, &FigureDialog::schedulePreview);
    for (auto* box : {opacity_, dpi_})
        connect(box, &QSpinBox::valueChanged, this, &FigureDialog::schedulePreview);
    connect(unit_, &QComboBox::currentIndexChanged, this, &FigureDialog::convertUnit);
    for (auto* box : {legend_, points_, axes_})
        connect(box, &QComboBox::currentIndexChanged, this, &FigureDialog::schedulePreview);
    connect(legendCounts_, &QCheckBox::toggled, this, &FigureDialog::schedulePreview);
    connect(exportButton, &QPushButton::clicked, this, &FigureDialog::chooseFileAndExport);
    connect(reset, &QPushButton::clicked, this, [this] { setSettings(FigureSettings()); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    drawPreview();
}

FigureSettings FigureDialog::settings() const
{
    FigureSettings s;
    const QString family = fontFamily_->currentFont().family();
    s.style.fontFamily = family == defaultFamily() ? QString() : family;
    s.style.fontSize = fontSize_->value();
    s.style.opacity = opacity_->value() / 100.0;
    s.style.legend = placementNamed(legend_->currentData().toString()).value_or(s.style.legend);
    s.style.legendCounts = legendCounts_->isChecked();
    s.style.points = shapesNamed(points_->currentData().toString()).value_or(s.style.points);
    s.pointSize = pointSize_->value();
    s.width = width_->value();
    s.height = height_->value();
    s.unit = unitShown_;
    s.dpi = dpi_->value();
    s.fitData = axes_->currentData().toString() == "data";
    return s;
}

void FigureDialog::setSettings(const FigureSettings& s)
{
    {
        const QSignalBlocker b1(unit_), b2(axes_);
        unitShown_ = s.unit;
        choose(unit_, s.unit);
        showUnit(width_, s.unit);
        showUnit(height_, s.unit);
        if (view_.showAxes)
            choose(axes_, s.fitData ? "data" : "view");
    }
    fontFamily_->setCurrentFont(
        QFont(s.style.fontFamily.isEmpty() ? defaultFamily() : s.style.fontFamily));
    fontSize_->setValue(s.style.fontSize);
    opacity_->setValue(static_cast<int>(std::lround(s.style.opacity * 100)));
    choose(legend_, placementName(s.style.legend));
    legendCounts_->setChecked(s.style.legendCounts);
    choose(points_, shapesName(s.style.points));
    pointSize_->setValue(s.pointSize);
    dpi_->setValue(s.dpi);
    width_->setValue(s.width);
    height_->setValue(s.height);
    schedulePreview();
}

FigureScene FigureDialog::figure() const
{
    const FigureSettings s = settings();
    FigureScene f = view_;
    f.title = title_->text().trimmed();
    f.xLabel = xLabel_->text();
    f.yLabel = yLabel_->text();
    f.style = s.style;
    const QSizeF page = s.points();
    if (s.fitData && view_.showAxes)
        fitToData(f);
    const QRectF plot = plotRect(f, page);
    f.pointSize = s.pointDiameter(f.count(), plot.width() * plot.height());
    return f;
}

FigureOptions FigureDialog::options() const
{
    const FigureSettings s = settings();
    FigureOptions o;
    o.size = s.points();
    o.scale = s.scale();
    return o;
}

QString FigureDialog::exportTo(const QString& path)
{
    const QString problem = renderFigure(figure(), path, options());
    if (!problem.isEmpty())
        return problem;
    QSettings store;
    settings().save(store);
    Q_EMIT exported(path);
    return {};
}

void FigureDialog::schedulePreview()
{
    previewTimer_->start();
}

void FigureDialog::drawPreview()
{
    const FigureSettings s = settings();
    const QSizeF page = s.points();
    const QSize pixels = s.pixels();
    sizeNote_->setText(tr("%1 × %2 mm; PNG %3 × %4 px")
                           .arg(page.width() * 25.4 / 72, 0, 'f', 0)
                           .arg(page.height() * 25.4 / 72, 0, 'f', 0)
                           .arg(pixels.width())
                           .arg(pixels.height()));
    const double ratio = devicePixelRatioF();
    const double fit = std::min(kPreview.width() / page.width(), kPreview.height() / page.height());
    const QSize size(std::max(1, static_cast<int>(page.width() * fit * ratio)),
                     std::max(1, static_cast<int>(page.height() * fit * ratio)));
    QImage image(size, QImage::Format_RGB32);
    // Painted as the PNG is: 72 dpi, so that a point of text is a point of the page.
    image.setDotsPerMeterX(static_cast<int>(std::lround(72 / 0.0254)));
    image.setDotsPerMeterY(static_cast<int>(std::lround(72 / 0.0254)));
    QPainter p(&image);
    p.scale(size.width() / page.width(), size.height() / page.height());
    paintFigure(p, figure(), page, false);
    p.end();
    previewImage_ = image;
    QPixmap pixmap = QPixmap::fromImage(image);
    pixmap.setDevicePixelRatio(ratio);
    preview_->setPixmap(pixmap);
}

void FigureDialog::convertUnit()
{
    // The page keeps its size; its numbers change unit (pixels at the current DPI).
    const QString unit = unit_->currentData().toString();
    const double factor = pointsPer(unitShown_, dpi_->value()) / pointsPer(unit, dpi_->value());
    const double w = width_->value() * factor, h = height_->value() * factor;
    unitShown_ = unit;
    showUnit(width_, unit);
    showUnit(height_, unit);
    width_->setValue(w);
    height_->setValue(h);
    schedulePreview();
}

void FigureDialog::chooseFileAndExport()
{
    const QString name =
        title_->text().trimmed().isEmpty()
            ? QStringLiteral("figure")
            : title_->text().trimmed().replace(QRegularExpression("[^\\w.-]+"), "_");
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export figure"), name + ".pdf",
        tr("PDF document (*.pdf);;SVG image (*.svg);;PNG image (*.png)"));
    if (path.isEmpty())
        return;
    if (const QString problem = exportTo(path); !problem.isEmpty())
    {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Export failed"), problem,
                                    QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open();
        return;
    }
    accept();
}

} // namespace clusterscope

#include "preferences_dialog.h"

#include "figure_controls.h"

#include <clusterscope/core/device.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFontComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>

namespace clusterscope
{

namespace
{

QSpinBox* threadBox(const QString& name, int value, QWidget* parent)
{
    auto* box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(0, 4096);
    box->setSpecialValueText(QObject::tr("all cores")); // 0
    box->setValue(value);
    return box;
}

} // namespace

PreferencesDialog::PreferencesDialog(const Preferences& current, const FigureSettings& figure,
                                     QWidget* parent)
    : QDialog(parent), device_(new QComboBox(this)),
      torchThreads_(threadBox("torchThreads", current.torchThreads, this)),
      blasThreads_(threadBox("blasThreads", current.blasThreads, this)),
      cacheDir_(new QLineEdit(current.cacheDir, this)), cacheSize_(new QLabel(this)),
      keepHistory_(new QCheckBox(tr("Keep every finished run in the run history"), this)),
      palette_(new QComboBox(this)), continuousPalette_(new QComboBox(this)), figure_(figure),
      figureFont_(new QFontComboBox(this)), figureFontSize_(new QDoubleSpinBox(this)),
      figureWidth_(new QDoubleSpinBox(this)), figureHeight_(new QDoubleSpinBox(this)),
      figureDpi_(new QSpinBox(this)), figureLegend_(legendPlacementBox("figureLegend", this))
{
    setObjectName("preferencesDialog");
    setWindowTitle(tr("Preferences"));
    device_->setObjectName("device");
    device_->addItem(tr("auto (a GPU when there is one)"), "auto");
    device_->addItem(tr("CPU"), "cpu");
    if (cudaAvailable())
        device_->addItem(tr("CUDA"), "cuda");
    if (device_->findData(current.device) < 0) // cuda:1, or CUDA saved on another machine
        device_->addItem(current.device, current.device);
    device_->setCurrentIndex(device_->findData(current.device));
    torchThreads_->setToolTip(tr("LibTorch's threads in each job (the deep methods, tensors); "
                                 "docs/performance.md measures the choices"));
    blasThreads_->setToolTip(tr("OpenBLAS's threads, shared by every job: applies at the next "
                                "start"));
    cacheDir_->setObjectName("cacheDir");
    cacheDir_->setMinimumWidth(360); // a whole path, usually
    cacheSize_->setObjectName("cacheSize");
    keepHistory_->setObjectName("keepHistory");
    keepHistory_->setChecked(current.keepHistory);
    if (Preferences::historyFromEnvironment())
    {
        keepHistory_->setEnabled(false);
        keepHistory_->setToolTip(tr("CLUSTERSCOPE_HISTORY decides: %1")
                                     .arg(qEnvironmentVariable("CLUSTERSCOPE_HISTORY")));
    }
    palette_->setObjectName("palette");
    palette_->addItem(tr("Colour-blind safe: Okabe-Ito, then colours chosen to stay apart"),
                      "auto");
    palette_->addItem(tr("Tableau 20 (matplotlib's tab20)"), "tableau");
    palette_->addItem(tr("Glasbey (the most distinct; not colour-blind safe)"), "glasbey");
    palette_->setCurrentIndex(std::max(0, palette_->findData(current.palette)));
    palette_->setToolTip(tr("Okabe-Ito's 8 colours, 12 more that stay apart with protanopia "
                            "and deuteranopia, then up to 256 distinct ones; a cluster keeps its "
                            "colour however many there are"));
    continuousPalette_->setObjectName("continuousPalette");
    continuousPalette_->addItem(tr("viridis"), "viridis");
    continuousPalette_->addItem(tr("cividis (for colour vision deficiencies)"), "cividis");
    continuousPalette_->setCurrentIndex(
        std::max(0, continuousPalette_->findData(current.continuousPalette)));

    auto* browse = new QPushButton(tr("Browse..."), this);
    auto* clear = new QPushButton(tr("Clear Cache..."), this);
    clear->setObjectName("clearCache");
    auto* cacheRow = new QHBoxLayout;
    cacheRow->addWidget(cacheDir_, 1);
    cacheRow->addWidget(browse);
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(cacheSize_, 1);
    sizeRow->addWidget(clear);

    auto* form = new QFormLayout;
    form->addRow(tr("Device of new runs:"), device_);
    form->addRow(tr("LibTorch threads per run:"), torchThreads_);
    form->addRow(tr("OpenBLAS threads (next start):"), blasThreads_);
    form->addRow(tr("Pretrained autoencoders:"), cacheRow);
    form->addRow(QString(), sizeRow);
    form->addRow(tr("Run history:"), keepHistory_);
    form->addRow(tr("Cluster and label colours:"), palette_);
    form->addRow(tr("Colours of numbers:"), continuousPalette_);

    // The style new figures start from (the figure dialog changes it for one figure).
    figureFont_->setObjectName("figureFont");
    figureFontSize_->setObjectName("figureFontSize");
    figureFontSize_->setRange(4, 36);
    figureFontSize_->setSingleStep(0.5);
    figureFontSize_->setSuffix(tr(" pt"));
    for (const auto& [box, name] :
         {std::pair{figureWidth_, "figureWidth"}, std::pair{figureHeight_, "figureHeight"}})
    {
        box->setObjectName(name);
        box->setRange(20, 1000);
        box->setDecimals(1);
        box->setSuffix(tr(" mm"));
    }
    figureDpi_->setObjectName("figureDpi");
    figureDpi_->setRange(72, 2400);
    figureDpi_->setSuffix(tr(" dpi"));
    auto* reset = new QPushButton(tr("Reset to the Defaults"), this);
    reset->setObjectName("resetFigureStyle");
    connect(reset, &QPushButton::clicked, this,
            [this]
            {
                figure_ = FigureSettings{};
                showFigure(figure_);
            });
    auto* page = new QHBoxLayout;
    page->addWidget(figureWidth_);
    page->addWidget(new QLabel(QStringLiteral("×"), this));
    page->addWidget(figureHeight_);
    page->addWidget(figureDpi_);
    auto* figures = new QGroupBox(tr("New figures (File > Export Figure)"), this);
    auto* figureForm = new QFormLayout(figures);
    figureForm->addRow(tr("Font:"), figureFont_);
    figureForm->addRow(tr("Font size:"), figureFontSize_);
    figureForm->addRow(tr("Page:"), page);
    figureForm->addRow(tr("Legend:"), figureLegend_);
    figureForm->addRow(QString(), reset);
    showFigure(figure_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(figures);
    layout->addWidget(buttons);

    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(cacheDir_, &QLineEdit::textChanged, this, &PreferencesDialog::showCacheSize);
    connect(clear, &QPushButton::clicked, this, &PreferencesDialog::askToClearCache);
    connect(browse, &QPushButton::clicked, this,
            [this]
            {
                const QString dir = QFileDialog::getExistingDirectory(
                    this, tr("Folder of pretrained autoencoders"), cacheDir_->text());
                if (!dir.isEmpty())
                    cacheDir_->setText(dir);
            });
    showCacheSize();
}

Preferences PreferencesDialog::chosen() const
{
    Preferences p;
    p.device = device_->currentData().toString();
    p.torchThreads = torchThreads_->value();
    p.blasThreads = blasThreads_->value();
    p.cacheDir = cacheDir_->text().trimmed();
    if (p.cacheDir.isEmpty())
        p.cacheDir = Preferences::defaults().cacheDir;
    p.keepHistory = keepHistory_->isChecked();
    p.palette = palette_->currentData().toString();
    p.continuousPalette = continuousPalette_->currentData().toString();
    return p;
}

void PreferencesDialog::showFigure(const FigureSettings& figure)
{
    // In millimetres here, whatever unit the figure dialog last used.
    const QSizeF mm = figure.points() * (25.4 / 72.0);
    if (figure.style.fontFamily.isEmpty())
        figureFont_->setCurrentFont(QFontDatabase::systemFont(QFontDatabase::GeneralFont));
    else
        figureFont_->setCurrentFont(QFont(figure.style.fontFamily));
    figureFontSize_->setValue(figure.style.fontSize);
    figureWidth_->setValue(mm.width());
    figureHeight_->setValue(mm.height());
    figureDpi_->setValue(figure.dpi);
    figureLegend_->setCurrentIndex(figureLegend_->findData(placementName(figure.style.legend)));
}

FigureSettings PreferencesDialog::chosenFigure() const
{
    FigureSettings f = figure_;
    // The platform's sans-serif stays "" (whatever it is where the figure is made) unless
    // another font was picked.
    const QString family = figureFont_->currentFont().family();
    const bool platform = family == QFontDatabase::systemFont(QFontDatabase::GeneralFont).family();
    f.style.fontFamily = platform && figure_.style.fontFamily.isEmpty() ? QString() : family;
    f.style.fontSize = figureFontSize_->value();
    f.unit = "mm";
    f.width = figureWidth_->value();
    f.height = figureHeight_->value();
    f.dpi = figureDpi_->value();
    f.style.legend =
        placementNamed(figureLegend_->currentData().toString()).value_or(LegendPlacement::Auto);
    return f;
}

void PreferencesDialog::showCacheSize()
{
    const qint64 bytes = autoencoderCacheBytes(cacheDir_->text());
    cacheSize_->setText(bytes == 0 ? tr("empty")
                                   : tr("%1 in use").arg(QLocale().formattedDataSize(bytes)));
}

void PreferencesDialog::askToClearCache()
{
    auto* box = new QMessageBox(QMessageBox::Question, tr("Clear the cache?"),
                                tr("Remove the pretrained autoencoders in %1? Deep runs will "
                                   "pretrain again when they need one.")
                                    .arg(cacheDir_->text()),
                                QMessageBox::Cancel, this);
    box->setObjectName("clearCacheBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    auto* confirm = box->addButton(tr("Clear"), QMessageBox::DestructiveRole);
    confirm->setObjectName("clearCacheConfirm");
    connect(confirm, &QPushButton::clicked, this,
            [this]
            {
                if (clearAutoencoderCache(cacheDir_->text()) < 0)
                    QMessageBox::warning(
                        this, tr("Clear the cache"),
                        tr("Some files in %1 could not be removed.").arg(cacheDir_->text()));
                showCacheSize();
            });
    box->open();
}

} // namespace clusterscope

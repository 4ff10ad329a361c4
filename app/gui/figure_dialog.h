#pragma once
// File > Export Figure...: the figure as it will be written, and what shapes it: title, axis
// labels, font and its size, point size and opacity, the page in mm, inches or pixels at a DPI,
// the legend's place, vector points or one embedded PNG layer, and axes that fit the data or
// keep the view's zoom. The preview is the figure: the same painting (paintFigure) scaled down.
// The settings are kept for the next figure (figure_settings.h); title and labels are the
// figure's own.
//
// Children (objectName): "title", "xLabel", "yLabel" (QLineEdit); "fontFamily"
// (QFontComboBox); "fontSize", "pointSize" (0 shows "auto"), "width", "height"
// (QDoubleSpinBox); "opacity", "dpi" (QSpinBox, opacity in percent); "unit", "legend",
// "points", "axes" (QComboBox, with the settings' names as item data); "legendCounts"
// (QCheckBox); "sizeNote" (QLabel: the size in pixels and millimetres); "preview" (QLabel);
// "exportFigure" (QPushButton: asks for a file, then writes it).

#include "figure_renderer.h"
#include "figure_settings.h"

#include <QDialog>
#include <QImage>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFontComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTimer;

namespace clusterscope
{

class FigureDialog : public QDialog
{
    Q_OBJECT

public:
    // `view`: the view's figure, whose camera is "the view's zoom"; its title, axis labels and
    // point size start the dialog's. The settings start from the last figure's (QSettings).
    explicit FigureDialog(FigureScene view, QWidget* parent = nullptr);

    FigureSettings settings() const;
    void setSettings(const FigureSettings& settings);
    // The figure the preview shows and an export writes, and its page.
    FigureScene figure() const;
    FigureOptions options() const;
    // Writes the figure to `path` (.pdf, .svg or .png, atomically) and keeps the settings for
    // the next figure. Returns "" or what went wrong.
    QString exportTo(const QString& path);
    // The preview as last drawn (tests, screenshots).
    const QImage& previewImage() const { return previewImage_; }

Q_SIGNALS:
    void exported(const QString& path);

private:
    void schedulePreview();
    void drawPreview();
    void convertUnit();
    void chooseFileAndExport();

    FigureScene view_;
    QLineEdit* title_;
    QLineEdit* xLabel_;
    QLineEdit* yLabel_;
    QFontComboBox* fontFamily_;
    QDoubleSpinBox* fontSize_;
    QDoubleSpinBox* pointSize_;
    QSpinBox* opacity_;
    QDoubleSpinBox* width_;
    QDoubleSpinBox* height_;
    QComboBox* unit_;
    QSpinBox* dpi_;
    QComboBox* legend_;
    QCheckBox* legendCounts_;
    QComboBox* points_;
    QComboBox* axes_;
    QLabel* sizeNote_;
    QLabel* preview_;
    QTimer* previewTimer_;
    QImage previewImage_;
    QString unitShown_; // the unit width_ and height_ hold now
};

} // namespace clusterscope

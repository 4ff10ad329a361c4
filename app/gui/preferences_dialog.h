#pragma once
// File > Preferences: the device and thread counts new runs start with, OpenBLAS's threads (at
// the next start), the folder of cached autoencoders with its size and a Clear button, and
// whether runs are kept in the run history. Non-modal; `accepted` means chosen() should apply.
// Children: "device" (QComboBox), "torchThreads", "blasThreads" (QSpinBox), "cacheDir"
// (QLineEdit), "cacheSize" (QLabel), "clearCache" (QPushButton, which asks first in a box
// "clearCacheBox" with "clearCacheConfirm"), "keepHistory" (QCheckBox), "palette" and
// "continuousPalette" (QComboBox, the palette's name as item data); the figure style new
// figures start from (FigureSettings, QSettings' "figure/", which the figure dialog also keeps):
// "figureFont" (QFontComboBox), "figureFontSize" (QDoubleSpinBox), "figureWidth" and
// "figureHeight" (QDoubleSpinBox, millimetres), "figureDpi" (QSpinBox), "figureLegend"
// (QComboBox, placementName as item data) and "resetFigureStyle" (QPushButton: the defaults).

#include "figure_settings.h"
#include "preferences.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFontComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace clusterscope
{

class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    PreferencesDialog(const Preferences& current, const FigureSettings& figure,
                      QWidget* parent = nullptr);

    Preferences chosen() const;
    // `figure` (as given) with the style chosen here.
    FigureSettings chosenFigure() const;

private:
    void showCacheSize();
    void askToClearCache();
    void showFigure(const FigureSettings& figure);

    QComboBox* device_;
    QSpinBox* torchThreads_;
    QSpinBox* blasThreads_;
    QLineEdit* cacheDir_;
    QLabel* cacheSize_;
    QCheckBox* keepHistory_;
    QComboBox* palette_;
    QComboBox* continuousPalette_;
    FigureSettings figure_;
    QFontComboBox* figureFont_;
    QDoubleSpinBox* figureFontSize_;
    QDoubleSpinBox* figureWidth_;
    QDoubleSpinBox* figureHeight_;
    QSpinBox* figureDpi_;
    QComboBox* figureLegend_;
};

} // namespace clusterscope

#pragma once
// File > Preferences: the device and thread counts new runs start with, OpenBLAS's threads (at
// the next start), the folder of cached autoencoders with its size and a Clear button, and
// whether runs are kept in the run history. Non-modal; `accepted` means chosen() should apply.
// Children: "device" (QComboBox), "torchThreads", "blasThreads" (QSpinBox), "cacheDir"
// (QLineEdit), "cacheSize" (QLabel), "clearCache" (QPushButton, which asks first in a box
// "clearCacheBox" with "clearCacheConfirm"), "keepHistory" (QCheckBox), "palette" and
// "continuousPalette" (QComboBox, the palette's name as item data).

#include "preferences.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace clusterscope
{

class PreferencesDialog : public QDialog
{
    Q_OBJECT

public:
    PreferencesDialog(const Preferences& current, QWidget* parent = nullptr);

    Preferences chosen() const;

private:
    void showCacheSize();
    void askToClearCache();

    QComboBox* device_;
    QSpinBox* torchThreads_;
    QSpinBox* blasThreads_;
    QLineEdit* cacheDir_;
    QLabel* cacheSize_;
    QCheckBox* keepHistory_;
    QComboBox* palette_;
    QComboBox* continuousPalette_;
};

} // namespace clusterscope

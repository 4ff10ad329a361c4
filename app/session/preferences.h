#pragma once
// The app's preferences (File > Preferences), kept in QSettings under "preferences/": the
// defaults a new run starts from, and where the app keeps its files. QtCore only, so tests and
// other front ends read them without a window.

#include <QFileInfoList>
#include <QSettings>
#include <QString>

namespace clusterscope
{

struct Preferences
{
    // Run settings a new window's Method panel starts with (a run can still change them).
    QString device = "auto"; // the run settings' "device": auto, cpu, cuda, cuda:N
    int torchThreads = 1;    // LibTorch's intra-op threads per job; 0: all cores
    // OpenBLAS's threads are process-wide: set at start, so a change applies at the next start.
    int blasThreads = 0; // 0: all cores
    // Pretrained autoencoders of the deep methods (a run with the same data and settings reuses
    // one instead of pretraining again).
    QString cacheDir;
    // Whether finished runs are kept in the run history (defaultHistoryPath). When
    // $CLUSTERSCOPE_HISTORY is set, it decides, and this is not used.
    bool keepHistory = true;
    // The palettes views and figures draw from (core/palette.h's names): categories ("auto",
    // "tableau", "glasbey") and numbers ("viridis", "cividis").
    QString palette = "auto";
    QString continuousPalette = "viridis";

    // The defaults: the run settings schema's device and thread counts, the user's cache
    // folder ($XDG_CACHE_HOME or ~/.cache, /clusterscope/autoencoders).
    static Preferences defaults();
    // Saved values over the defaults; a value of the wrong type is ignored.
    static Preferences load(const QSettings& settings);
    void save(QSettings& settings) const;

    // The history file runs are kept in with these preferences: "" when none is kept.
    QString historyPath() const;
    // Whether $CLUSTERSCOPE_HISTORY decides where runs are kept (the preference is then moot).
    static bool historyFromEnvironment();

    bool operator==(const Preferences&) const = default;
};

// The cache's entries in `folder`: the pretrained autoencoders (<key>.pt) and the hidden
// .<key>.pt* files a save interrupted on a file system without O_TMPFILE leaves; nothing else.
QFileInfoList autoencoderCacheFiles(const QString& folder);
// Their size in bytes (0 when the folder does not exist).
qint64 autoencoderCacheBytes(const QString& folder);
// Removes them; returns how many, or -1 when one could not be removed.
int clearAutoencoderCache(const QString& folder);

} // namespace clusterscope

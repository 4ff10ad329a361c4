#include "preferences.h"

#include "run_history.h"

#include <clusterscope/core/palette.h>
#include <clusterscope/pipeline/run_settings.h>

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace clusterscope
{

namespace
{

const ParamSpec& runSetting(const char* name)
{
    for (const auto& spec : runSettingsSchema())
        if (spec.name == name)
            return spec;
    throw std::logic_error(std::string("no run setting ") + name);
}

// A saved value of the expected type, else `fallback`.
template <typename T>
T readPreference(const QSettings& settings, const char* key, const T& fallback)
{
    const QVariant v = settings.value(QStringLiteral("preferences/") + key);
    return v.isValid() && v.canConvert<T>() ? v.value<T>() : fallback;
}

} // namespace

Preferences Preferences::defaults()
{
    Preferences p;
    p.device = QString::fromStdString(std::get<std::string>(runSetting("device").defaultValue));
    p.torchThreads = static_cast<int>(std::get<int64_t>(runSetting("torch_threads").defaultValue));
    p.blasThreads = static_cast<int>(std::get<int64_t>(runSetting("blas_threads").defaultValue));
    p.cacheDir = QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) +
                 "/clusterscope/autoencoders";
    return p;
}

Preferences Preferences::load(const QSettings& settings)
{
    const Preferences d = defaults();
    Preferences p;
    p.device = readPreference(settings, "device", d.device);
    p.torchThreads = std::max(0, readPreference(settings, "torchThreads", d.torchThreads));
    p.blasThreads = std::max(0, readPreference(settings, "blasThreads", d.blasThreads));
    p.cacheDir = readPreference(settings, "cacheDir", d.cacheDir);
    if (p.cacheDir.isEmpty())
        p.cacheDir = d.cacheDir;
    p.keepHistory = readPreference(settings, "keepHistory", d.keepHistory);
    // An unknown name (a newer version's palette) is not ours to draw: the default.
    p.palette = readPreference(settings, "palette", d.palette);
    if (!categoricalPaletteNamed(p.palette.toStdString()))
        p.palette = d.palette;
    p.continuousPalette = readPreference(settings, "continuousPalette", d.continuousPalette);
    if (!continuousPaletteNamed(p.continuousPalette.toStdString()))
        p.continuousPalette = d.continuousPalette;
    return p;
}

void Preferences::save(QSettings& settings) const
{
    settings.setValue("preferences/device", device);
    settings.setValue("preferences/torchThreads", torchThreads);
    settings.setValue("preferences/blasThreads", blasThreads);
    settings.setValue("preferences/cacheDir", cacheDir);
    settings.setValue("preferences/keepHistory", keepHistory);
    settings.setValue("preferences/palette", palette);
    settings.setValue("preferences/continuousPalette", continuousPalette);
}

bool Preferences::historyFromEnvironment()
{
    return qEnvironmentVariableIsSet("CLUSTERSCOPE_HISTORY");
}

QString Preferences::historyPath() const
{
    if (!historyFromEnvironment() && !keepHistory)
        return {};
    return QString::fromStdString(defaultHistoryPath());
}

QFileInfoList autoencoderCacheFiles(const QString& folder)
{
    QFileInfoList entries;
    for (const QFileInfo& file :
         QDir(folder).entryInfoList(QDir::Files | QDir::Hidden | QDir::NoSymLinks))
    {
        const QString name = file.fileName();
        if (name.endsWith(".pt") || (name.startsWith('.') && name.contains(".pt")))
            entries.push_back(file);
    }
    return entries;
}

qint64 autoencoderCacheBytes(const QString& folder)
{
    qint64 bytes = 0;
    for (const QFileInfo& file : autoencoderCacheFiles(folder))
        bytes += file.size();
    return bytes;
}

int clearAutoencoderCache(const QString& folder)
{
    int removed = 0;
    for (const QFileInfo& file : autoencoderCacheFiles(folder))
    {
        if (!QFile::remove(file.filePath()))
            return -1;
        ++removed;
    }
    return removed;
}

} // namespace clusterscope

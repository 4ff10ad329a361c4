#pragma once
// What the import step decided for a table (app/gui/import_dialog.h), and its memory per file
// in QSettings under "imports/": the next open of the same file starts from these choices, or
// loads with them at once ("load as before"). The choices themselves are the loaders' options,
// so the session and each run record keep them with the data (RunSources).

#include <clusterscope/pipeline/run_settings.h>

#include <QSettings>
#include <QString>

#include <optional>

namespace clusterscope
{

struct ImportChoices
{
    QString labelColumn;       // "-none-": no labels; "": the loader's own choice
    QString idColumn;          // "none": no row identifier; "": the loader's own choice
    RunSettings load;          // the Load-stage settings (missing values, skipped lines, roles)
    QString scaling;           // the run settings' scaling chosen with the data ("": unchanged)
    bool loadAsBefore = false; // open the file with these choices without asking

    bool operator==(const ImportChoices&) const = default;
};

// The choices last made for the file at `path` (canonical, so a link or a relative path finds
// them), if any.
std::optional<ImportChoices> rememberedImport(QSettings& settings, const QString& path);
void rememberImport(QSettings& settings, const QString& path, const ImportChoices& choices);
void forgetImport(QSettings& settings, const QString& path);

} // namespace clusterscope

#include "import_choices.h"

#include <clusterscope/pipeline/run_record.h>

#include <QCryptographicHash>
#include <QFileInfo>

#include <nlohmann/json.hpp>

namespace clusterscope
{

namespace
{

// One key per file: a hash, as QSettings keys cannot hold every character a path can.
QString keyFor(const QString& path)
{
    const QFileInfo info(path);
    const QString canonical =
        info.canonicalFilePath().isEmpty() ? info.absoluteFilePath() : info.canonicalFilePath();
    return "imports/" +
           QCryptographicHash::hash(canonical.toUtf8(), QCryptographicHash::Sha1).toHex();
}

} // namespace

std::optional<ImportChoices> rememberedImport(QSettings& settings, const QString& path)
{
    const QString stored = settings.value(keyFor(path)).toString();
    if (stored.isEmpty())
        return std::nullopt;
    try
    {
        const auto j = nlohmann::json::parse(stored.toStdString());
        ImportChoices out;
        out.labelColumn = QString::fromStdString(j.value("label_column", std::string()));
        out.idColumn = QString::fromStdString(j.value("id_column", std::string()));
        out.scaling = QString::fromStdString(j.value("scaling", std::string()));
        out.loadAsBefore = j.value("load_as_before", false);
        // Through the schema, so a value out of range (an older version's) is refused.
        ParamSet values(runSettingsSchema());
        for (const auto& spec : runSettingsSchema(SettingStage::Load))
            if (j.contains("load") && j["load"].contains(spec.name))
            {
                const auto& v = j["load"][spec.name];
                values.set(spec.name, spec.parse(v.is_string() ? v.get<std::string>() : v.dump()));
            }
        out.load = runSettingsFrom(values);
        return out;
    }
    catch (const std::exception&) // damaged or from another version: ask again
    {
        return std::nullopt;
    }
}

void rememberImport(QSettings& settings, const QString& path, const ImportChoices& choices)
{
    nlohmann::json load = nlohmann::json::object();
    const auto all = paramsJson(toParamSet(choices.load));
    for (const auto& spec : runSettingsSchema(SettingStage::Load))
        load[spec.name] = all.at(spec.name);
    const nlohmann::json j = {{"path", QFileInfo(path).absoluteFilePath().toStdString()},
                              {"label_column", choices.labelColumn.toStdString()},
                              {"id_column", choices.idColumn.toStdString()},
                              {"scaling", choices.scaling.toStdString()},
                              {"load_as_before", choices.loadAsBefore},
                              {"load", load}};
    settings.setValue(keyFor(path), QString::fromStdString(j.dump()));
}

void forgetImport(QSettings& settings, const QString& path)
{
    settings.remove(keyFor(path));
}

} // namespace clusterscope

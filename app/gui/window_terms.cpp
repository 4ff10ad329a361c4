#include "window_terms.h"

#include <QObject>
#include <QRegularExpression>

#include <utility>
#include <vector>

namespace clusterscope
{

QString missingPolicyText(const std::string& policy)
{
    const QString name = QString::fromStdString(policy);
    if (policy == "error")
        return QObject::tr("%1: refuse the file at the first missing value").arg(name);
    if (policy == "drop")
        return QObject::tr("%1: drop the rows that have one").arg(name);
    if (policy == "impute-mean")
        return QObject::tr("%1: fill in the column's mean").arg(name);
    if (policy == "impute-median")
        return QObject::tr("%1: fill in the column's median").arg(name);
    return name;
}

QString inWindowTerms(QString message)
{
    // Longest first: "--missing drop" before "--missing".
    static const std::vector<std::pair<QRegularExpression, QString>> rules = {
        // "--missing drop or --missing impute-mean": one control, two of its choices.
        {QRegularExpression("--missing ([a-z-]+) or --missing ([a-z-]+)"),
         QObject::tr("Missing values: “\\1” or “\\2”")},
        {QRegularExpression("--missing (drop|error|impute-mean|impute-median)"),
         QObject::tr("Missing values: “\\1”")},
        {QRegularExpression("--missing"), QObject::tr("the Missing values policy")},
        {QRegularExpression("--label-column none"), QObject::tr("Labels: (none)")},
        {QRegularExpression("--label-column(?: [A-Z]+\\b)?"), QObject::tr("the Labels box")},
        {QRegularExpression("--id-column none"), QObject::tr("Row ids: (none)")},
        {QRegularExpression("--id-column(?: [A-Z]+\\b)?"), QObject::tr("the Row ids box")},
        {QRegularExpression("--skip-lines ([0-9]+)"), QObject::tr("Lines to skip: \\1")},
        {QRegularExpression("--skip-lines(?: N\\b)?"), QObject::tr("Lines to skip")},
        {QRegularExpression("--metadata-columns"), QObject::tr("the Role “metadata”")},
        {QRegularExpression("--ignore-columns"), QObject::tr("the Role “ignore”")},
        {QRegularExpression("--array(?: [A-Z]+\\b)?"), QObject::tr("the Matrix box")},
    };
    for (const auto& [flag, control] : rules)
        message.replace(flag, control);
    return message;
}

} // namespace clusterscope

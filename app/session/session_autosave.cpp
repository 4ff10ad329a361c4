#include "session_autosave.h"

#include "session.h"
#include "session_file.h"

#include <clusterscope/io/output.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <sys/types.h>

namespace clusterscope
{

namespace
{

const QString kPrefix = "recovery-";

// Whether process `pid` still runs (it may be another user's: EPERM means it exists).
bool processRuns(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

} // namespace

SessionAutosave::SessionAutosave(Session& session, const QString& folder, int intervalMs,
                                 QObject* parent)
    : QObject(parent), session_(session),
      path_(QDir(folder).filePath(QString("%1%2.%3")
                                      .arg(kPrefix)
                                      .arg(QCoreApplication::applicationPid())
                                      .arg(kSessionSuffix)))
{
    QDir().mkpath(folder);
    timer_.setInterval(intervalMs);
    connect(&timer_, &QTimer::timeout, this, [this] { saveNow(); });
    timer_.start();
}

SessionAutosave::~SessionAutosave()
{
    wait();
}

bool SessionAutosave::saveNow()
{
    if (inFlight_.valid())
    {
        if (inFlight_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
            return false;
        if (const QString error = inFlight_.get(); !error.isEmpty())
            Q_EMIT failed(error);
    }
    if (!session_.dataset() || session_.revision() == written_)
        return false;
    if (beforeWrite_)
        beforeWrite_();
    std::string bytes;
    try
    {
        bytes = sessionFileBytes(session_);
    }
    catch (const std::exception& e)
    {
        Q_EMIT failed(QString::fromStdString(e.what()));
        return false;
    }
    written_ = session_.revision();
    inFlight_ = std::async(std::launch::async,
                           [path = path_.toStdString(), bytes = std::move(bytes)]
                           {
                               try
                               {
                                   writeFileAtomically(path, bytes);
                                   return QString();
                               }
                               catch (const std::exception& e)
                               {
                                   return QString::fromStdString(e.what());
                               }
                           });
    return true;
}

void SessionAutosave::wait()
{
    if (inFlight_.valid())
        if (const QString error = inFlight_.get(); !error.isEmpty())
            Q_EMIT failed(error);
}

void SessionAutosave::discard()
{
    timer_.stop();
    wait();
    QFile::remove(path_);
}

QStringList SessionAutosave::orphans(const QString& folder)
{
    QFileInfoList found;
    const auto files = QDir(folder).entryInfoList({kPrefix + "*." + kSessionSuffix}, QDir::Files);
    for (const QFileInfo& f : files)
    {
        bool ok = false;
        const qint64 pid = f.completeBaseName().mid(kPrefix.size()).toLongLong(&ok);
        if (ok && !processRuns(pid))
            found << f;
    }
    std::sort(found.begin(), found.end(),
              [](const QFileInfo& a, const QFileInfo& b)
              { return a.lastModified() > b.lastModified(); });
    QStringList out;
    for (const auto& f : found)
        out << f.absoluteFilePath();
    return out;
}

QString SessionAutosave::defaultFolder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
        .filePath("recovery");
}

int SessionAutosave::defaultIntervalMs()
{
    bool ok = false;
    const double seconds = qEnvironmentVariable("CLUSTERSCOPE_AUTOSAVE_SECONDS").toDouble(&ok);
    return ok && seconds > 0 ? static_cast<int>(seconds * 1000) : 60000;
}

} // namespace clusterscope

#include "session_actions.h"

#include "embedding_view.h"
#include "session.h"
#include "session_file.h"
#include "view_presenter.h"
#include "view_sidebar.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDoubleSpinBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>

namespace clusterscope
{

namespace
{
const QString kFilter = QObject::tr("ClusterScope sessions (*.%1)").arg(kSessionSuffix);
}

SessionActions::SessionActions(QMainWindow& window, Session& session, DatasetLoader& loader,
                               EmbeddingView& view, ViewSidebar& sidebar, ViewPresenter& presenter)
    : QObject(&window), window_(window), session_(session), view_(view), sidebar_(sidebar),
      presenter_(presenter), files_(session, loader)
{
    files_.setBeforeWrite([this] { captureView(); });
    connect(&session_, &Session::datasetChanged, this, [this] { showPath({}); });
    connect(&files_, &SessionFiles::openFailed, this,
            [this](const QString& error)
            { Q_EMIT failed(tr("Could not open the session"), error); });
    connect(&files_, &SessionFiles::opened, this,
            [this](const QString& path, const QStringList& warnings)
            {
                applyView();
                showPath(path);
                if (!warnings.isEmpty())
                    Q_EMIT failed(tr("Parts of %1 were left out").arg(QFileInfo(path).fileName()),
                                  warnings.join("\n"));
            });
}

SessionActions::~SessionActions() = default;

void SessionActions::addTo(QMenu* file)
{
    file->addAction(tr("Open Sess&ion..."), this,
                    [this]
                    {
                        const QString path =
                            QFileDialog::getOpenFileName(&window_, tr("Open session"), {}, kFilter);
                        if (!path.isEmpty())
                            open(path);
                    });
    file->addAction(tr("&Save Session"), this,
                    [this]
                    {
                        if (files_.path().isEmpty())
                            return saveAs();
                        QString error;
                        if (!save(files_.path(), &error))
                            Q_EMIT failed(tr("Could not save the session"), error);
                    })
        ->setShortcut(QKeySequence::Save);
    file->addAction(tr("Save Session &As..."), this, &SessionActions::saveAs)
        ->setShortcut(QKeySequence::SaveAs);
}

void SessionActions::saveAs()
{
    if (!session_.dataset())
        return Q_EMIT failed(tr("Nothing to save"),
                             tr("Open a dataset first: a session keeps a dataset's runs."));
    QString suggested = files_.path();
    if (suggested.isEmpty())
    {
        const QFileInfo data(QString::fromStdString(session_.sources().paths.front()));
        suggested = data.absolutePath() + "/" + data.baseName() + "." + kSessionSuffix;
    }
    QString path = QFileDialog::getSaveFileName(&window_, tr("Save session"), suggested, kFilter);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QString(".") + kSessionSuffix;
    QString error;
    if (!save(path, &error))
        Q_EMIT failed(tr("Could not save the session"), error);
}

bool SessionActions::save(const QString& path, QString* error)
{
    if (!files_.save(path, error))
        return false;
    showPath(path);
    Q_EMIT said(
        tr("Session saved to %1 (%n run(s))", nullptr, static_cast<int>(session_.runIds().size()))
            .arg(path));
    return true;
}

Job* SessionActions::open(const QString& path)
{
    QString error;
    Job* job = files_.open(
        path,
        [this](const QString& missing)
        {
            return QFileDialog::getOpenFileName(
                &window_,
                tr("Where is %1 now? (the session's dataset)").arg(QFileInfo(missing).fileName()),
                QFileInfo(missing).absolutePath());
        },
        &error);
    if (!job)
    {
        Q_EMIT failed(tr("Could not open %1").arg(QFileInfo(path).fileName()), error);
        return nullptr;
    }
    connect(job, &Job::finished, this,
            [this, job, path]
            {
                if (job->state() == Job::State::Failed)
                    Q_EMIT failed(tr("Could not open %1").arg(QFileInfo(path).fileName()),
                                  job->error());
                else if (job->state() == Job::State::Finished)
                    Q_EMIT said(tr("Session %1 opened: %n run(s) back as they were saved", nullptr,
                                   static_cast<int>(session_.runIds().size()))
                                    .arg(QFileInfo(path).fileName()));
            });
    return job;
}

void SessionActions::showPath(const QString& path)
{
    // The session file, else the dataset's (as MainWindow names a freshly opened one).
    QString shown = QFileInfo(path).fileName();
    if (shown.isEmpty() && session_.dataset())
        shown = QFileInfo(QString::fromStdString(session_.sources().paths.front())).fileName();
    window_.setWindowTitle(shown.isEmpty() ? tr("ClusterScope")
                                           : tr("ClusterScope — %1").arg(shown));
}

void SessionActions::captureView()
{
    const auto camera = view_.camera();
    session_.setViewState({{"camera", std::vector<double>(camera.begin(), camera.end())},
                           {"color_by", sidebar_.colorBy()->currentData().toString().toStdString()},
                           {"three_d", sidebar_.threeD()->isChecked()},
                           {"point_size", sidebar_.pointSize()->value()},
                           {"hidden", presenter_.hiddenEntries()}});
}

void SessionActions::applyView()
{
    const nlohmann::json& state = session_.viewState();
    if (state.contains("three_d") && state["three_d"].is_boolean())
        sidebar_.threeD()->setChecked(state["three_d"].get<bool>());
    if (state.contains("point_size") && state["point_size"].is_number())
        sidebar_.pointSize()->setValue(state["point_size"].get<double>());
    if (state.contains("color_by") && state["color_by"].is_string())
    {
        const int index = sidebar_.colorBy()->findData(
            QString::fromStdString(state["color_by"].get<std::string>()));
        if (index >= 0)
            sidebar_.colorBy()->setCurrentIndex(index);
    }
    std::set<int64_t> hidden;
    for (const auto& id : state.value("hidden", nlohmann::json::array()))
        if (id.is_number_integer())
            hidden.insert(id.get<int64_t>());
    presenter_.setHiddenEntries(std::move(hidden));
    const auto camera = state.value("camera", nlohmann::json());
    if (camera.is_array() && camera.size() == 10)
    {
        std::array<double, 10> values{};
        for (size_t i = 0; i < 10; ++i)
            values[i] = camera[i].is_number() ? camera[i].get<double>() : std::nan("");
        view_.setCamera(values);
    }
}

void SessionActions::enableAutosave(const QString& folder, int intervalMs)
{
    const QStringList orphans = SessionAutosave::orphans(folder);
    autosave_ = std::make_unique<SessionAutosave>(session_, folder, intervalMs);
    autosave_->setBeforeWrite([this] { captureView(); });
    connect(autosave_.get(), &SessionAutosave::failed, this,
            [this](const QString& error) { Q_EMIT failed(tr("Autosave failed"), error); });
    if (!orphans.isEmpty())
        offerRecovery(orphans.front());
}

void SessionActions::offerRecovery(const QString& file)
{
    SessionContents contents;
    try
    {
        contents = readSessionFile(file.toStdString());
    }
    catch (const std::exception&)
    {
        QFile::remove(file); // a file this version cannot read cannot be recovered either
        return;
    }
    const QString saved =
        QDateTime::fromString(QString::fromStdString(contents.savedAt), Qt::ISODate)
            .toLocalTime()
            .toString("yyyy-MM-dd HH:mm:ss");
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Recover session"),
        tr("ClusterScope did not close normally. Its session of %1 (%n run(s), saved %2) can "
           "be recovered.",
           nullptr, static_cast<int>(contents.runs.size()))
            .arg(QFileInfo(QString::fromStdString(contents.sources.paths.front())).fileName(),
                 saved),
        QMessageBox::NoButton, &window_);
    box->setObjectName("recoveryBox");
    box->setAttribute(Qt::WA_DeleteOnClose);
    auto* recover = box->addButton(tr("Recover"), QMessageBox::AcceptRole);
    recover->setObjectName("recover");
    auto* discard = box->addButton(tr("Discard"), QMessageBox::DestructiveRole);
    discard->setObjectName("discard");
    box->setDefaultButton(recover);
    connect(recover, &QAbstractButton::clicked, this,
            [this, file]
            {
                if (Job* job = open(file))
                    connect(job, &Job::finished, this,
                            [this, job, file]
                            {
                                // Recovered: this process's autosave keeps it from now on,
                                // and Save asks where to write.
                                if (job->state() != Job::State::Finished)
                                    return;
                                QFile::remove(file);
                                files_.setPath({});
                                showPath({});
                            });
            });
    connect(discard, &QAbstractButton::clicked, this, [file] { QFile::remove(file); });
    box->open();
}

void SessionActions::askToSave(const QString& boxName, const QString& text,
                               const QString& discardText, const QString& cancelName,
                               std::function<void()> saved, std::function<void()> discarded)
{
    auto* box = new QMessageBox(QMessageBox::Question, tr("Save the session?"), text,
                                QMessageBox::NoButton, &window_);
    box->setObjectName(boxName);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(tr("Saved, it reopens as it is now (File > Open Session)."));
    auto* saveButton = box->addButton(tr("Save..."), QMessageBox::AcceptRole);
    saveButton->setObjectName("saveSession");
    auto* discard = box->addButton(discardText, QMessageBox::DestructiveRole);
    discard->setObjectName("discardSession");
    box->addButton(QMessageBox::Cancel)->setObjectName(cancelName);
    box->setDefaultButton(saveButton);
    connect(saveButton, &QAbstractButton::clicked, this,
            [this, saved]
            {
                if (files_.path().isEmpty())
                    saveAs();
                else if (QString error; !save(files_.path(), &error))
                    return Q_EMIT failed(tr("Could not save the session"), error);
                if (!files_.unsaved())
                    saved();
            });
    connect(discard, &QAbstractButton::clicked, this, std::move(discarded));
    box->open();
}

bool SessionActions::confirmClose(int runningJobs)
{
    if (closeAnswered_ || (!files_.unsaved() && runningJobs == 0))
        return true;
    if (!files_.unsaved())
    {
        auto* box =
            new QMessageBox(QMessageBox::Question, tr("Cancel the running jobs?"),
                            tr("%n job(s) still running will be cancelled.", nullptr, runningJobs),
                            QMessageBox::NoButton, &window_);
        box->setObjectName("runningJobsBox");
        box->setAttribute(Qt::WA_DeleteOnClose);
        auto* closeAnyway =
            box->addButton(tr("Cancel Jobs and Close"), QMessageBox::DestructiveRole);
        closeAnyway->setObjectName("closeAnyway");
        auto* keep = box->addButton(QMessageBox::Cancel);
        keep->setObjectName("cancelClose");
        box->setDefaultButton(keep); // Enter keeps the work
        connect(closeAnyway, &QAbstractButton::clicked, this,
                [this]
                {
                    closeAnswered_ = true;
                    window_.close();
                });
        box->open();
        return false;
    }
    QString text = tr("The session has runs that are not saved.");
    if (runningJobs > 0)
        text += " " + tr("%n job(s) still running will be cancelled.", nullptr, runningJobs);
    askToSave(
        "unsavedBox", text, tr("Close Without Saving"), "cancelClose", [this] { window_.close(); },
        [this]
        {
            closeAnswered_ = true;
            window_.close();
        });
    return false;
}

void SessionActions::confirmReplace(const QString& what, std::function<void()> proceed)
{
    if (!files_.unsaved())
        return proceed();
    askToSave("replaceSessionBox",
              tr("Opening %1 closes this session, whose runs are not saved.").arg(what),
              tr("Open Without Saving"), "cancelReplace", proceed, proceed);
}

void SessionActions::closing()
{
    if (autosave_)
        autosave_->discard();
}

} // namespace clusterscope

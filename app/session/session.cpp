#include "session.h"

#include "subclustering.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/metrics/metrics.h>

#include <QDir>
#include <QFileInfo>
#include <QStringList>

#include <algorithm>
#include <set>

namespace clusterscope
{

namespace
{

// Labels of the clustered rows spread over the loaded rows (-1 where a row was not clustered).
std::vector<int64_t> onLoadedRows(const std::vector<int64_t>& labels,
                                  const std::vector<int64_t>& rows, int64_t loadedRows)
{
    if (rows.empty() && static_cast<int64_t>(labels.size()) == loadedRows)
        return labels;
    std::vector<int64_t> out(static_cast<size_t>(loadedRows), -1);
    for (size_t i = 0; i < labels.size() && i < rows.size(); ++i)
        if (rows[i] >= 0 && rows[i] < loadedRows)
            out[static_cast<size_t>(rows[i])] = labels[i];
    return out;
}

} // namespace

QString describeRun(const RunRequest& request)
{
    if (!request.method)
        return {};
    QString text = QString::fromStdString(request.method->displayName);
    const std::string& count = request.method->caps.clusterCount;
    if (!count.empty() && request.params.values().count(count))
        text += QString(" (%1=%2)")
                    .arg(QString::fromStdString(count))
                    .arg(request.params.integer(count));
    return text;
}

QString describeDataset(const RunSources& sources)
{
    if (sources.paths.empty())
        return {};
    const QFileInfo first(QString::fromStdString(sources.paths.front()));
    const bool byFolder =
        sources.paths.size() > 1 || sources.format == "idx" || sources.format == "images";
    QString name = byFolder ? (first.isDir() ? first.fileName() : first.dir().dirName())
                            : first.fileName().section('.', 0, 0);
    if (name.isEmpty())
        name = first.fileName();
    return name.replace('_', ' ');
}

QString describeEntry(const RunEntry& run)
{
    if (run.mergedFrom != 0)
        return QObject::tr("#%1 with #%2 merged in").arg(run.parentRun).arg(run.mergedFrom);
    if (run.editedFrom != 0)
    {
        const nlohmann::json edit = run.record.value("edited", nlohmann::json::object());
        const auto cluster = edit.value("new_cluster", int64_t{-1});
        const auto name = run.clusterNames.find(cluster);
        return QObject::tr("#%1 with %2 rows as “%3”")
            .arg(run.editedFrom)
            .arg(edit.value("rows_moved", int64_t{0}))
            .arg(name != run.clusterNames.end() ? name->second : QString::number(cluster));
    }
    QString text = describeRun(run.request);
    if (run.parentRun != 0 && run.sourceRows.empty())
        text += QObject::tr(" on a selection of #%1").arg(run.parentRun);
    else if (run.parentRun != 0)
        text += QObject::tr(" on %1 rows of #%2").arg(run.sourceRows.size()).arg(run.parentRun);
    if (run.embeddingId != 0)
        text += QObject::tr(" on %1").arg(run.embeddingName);
    return text;
}

QString describeMetrics(const std::map<std::string, double>& metrics)
{
    QStringList parts;
    for (const char* key : {"acc", "nmi", "ari", "silhouette"})
        if (auto it = metrics.find(key); it != metrics.end())
            parts << QString("%1 %2").arg(key).arg(it->second, 0, 'f', 3);
    return parts.join(", ");
}

Session::Session(QObject* parent) : QObject(parent)
{
    // Every change passes through one of these signals.
    for (auto signal : {&Session::runAdded, &Session::runChanged, &Session::currentRunChanged,
                        &Session::embeddingAdded, &Session::currentEmbeddingChanged,
                        &Session::layoutChanged, &Session::explanationChanged})
        connect(this, signal, this, [this] { ++revision_; });
    connect(this, &Session::datasetChanged, this, [this] { ++revision_; });
    connect(this, &Session::selectionChanged, this, [this] { ++revision_; });
    connect(this, &Session::labelNamesChanged, this, [this] { ++revision_; });
}

Session::~Session() = default;

void Session::setDataset(std::shared_ptr<const Dataset> dataset, DataView view, RunSources sources)
{
    dataset_ = std::move(dataset);
    dataView_ = std::move(view);
    sources_ = std::move(sources);
    runs_.clear();
    current_ = 0;
    selection_.clear();
    labelNames_.clear();
    embeddings_.clear();
    currentEmbedding_ = 0;
    Q_EMIT datasetChanged();
    Q_EMIT currentRunChanged(0);
    Q_EMIT currentEmbeddingChanged(0);
    Q_EMIT selectionChanged();
}

QStringList Session::paths() const
{
    QStringList out;
    for (const auto& p : sources_.paths)
        out << QString::fromStdString(p);
    return out;
}

int Session::addRun(const RunRequest& request, int parentRun)
{
    auto entry = std::make_unique<RunEntry>();
    entry->id = nextId_++;
    entry->parentRun = parentRun;
    entry->request = request;
    entry->request.onTrainingUpdate = nullptr;
    const int id = entry->id;
    runs_.push_back(std::move(entry));
    Q_EMIT runAdded(id);
    setCurrentRun(id);
    return id;
}

const RunEntry* Session::run(int id) const
{
    for (const auto& r : runs_)
        if (r->id == id)
            return r.get();
    return nullptr;
}

RunEntry* Session::find(int id)
{
    return const_cast<RunEntry*>(std::as_const(*this).run(id));
}

std::vector<int> Session::runIds() const
{
    std::vector<int> ids;
    for (const auto& r : runs_)
        ids.push_back(r->id);
    return ids;
}

bool Session::updateTraining(int id, const TrainingUpdate& update, const std::vector<int64_t>& rows)
{
    RunEntry* r = find(id);
    if (!r || !r->running() || !dataset_)
        return false;
    r->history = update.history;
    if (!update.labels.empty())
        r->labels = onLoadedRows(update.labels, rows, dataset_->rows());
    Q_EMIT runChanged(id);
    return true;
}

bool Session::finishRun(int id, RunOutcome outcome, std::vector<int64_t> rows,
                        nlohmann::json record, std::vector<float> viewXyz,
                        std::vector<float> learnedXyz)
{
    RunEntry* r = find(id);
    if (!r || !r->running() || !dataset_)
        return false;
    r->labels = onLoadedRows(outcome.result.labels, rows, dataset_->rows());
    if (!outcome.result.history.empty())
        r->history = outcome.result.history;
    r->outcome = std::move(outcome);
    r->sourceRows = std::move(rows);
    r->record = std::move(record);
    r->viewXyz = std::move(viewXyz);
    r->learnedXyz = std::move(learnedXyz);
    r->status = RunEntry::Status::Finished;
    Q_EMIT runChanged(id);
    return true;
}

bool Session::setRunLayout(int id, std::shared_ptr<const RunLayout> layout)
{
    RunEntry* r = find(id);
    if (!r || !r->finished())
        return false;
    r->layout = std::move(layout);
    Q_EMIT layoutChanged(id);
    return true;
}

bool Session::renameCluster(int id, int64_t cluster, const QString& name)
{
    RunEntry* r = find(id);
    if (!r || cluster < 0)
        return false;
    if (name.trimmed().isEmpty())
        r->clusterNames.erase(cluster);
    else
        r->clusterNames[cluster] = name.trimmed();
    Q_EMIT runChanged(id);
    return true;
}

void Session::renameLabel(int64_t label, const QString& name)
{
    if (name.trimmed().isEmpty())
        labelNames_.erase(label);
    else
        labelNames_[label] = name.trimmed();
    Q_EMIT labelNamesChanged();
}

bool Session::setRunExplanation(int id, std::shared_ptr<const RunExplanation> explanation)
{
    RunEntry* r = find(id);
    if (!r || !r->finished())
        return false;
    r->explanation = std::move(explanation);
    Q_EMIT explanationChanged(id);
    return true;
}

bool Session::setRunEmbedding(int id, int embeddingId)
{
    RunEntry* r = find(id);
    if (!r)
        return false;
    r->embeddingId = embeddingId;
    if (const EmbeddingEntry* e = embedding(embeddingId))
        r->embeddingName = e->name;
    Q_EMIT runChanged(id);
    return true;
}

bool Session::endRun(int id, RunEntry::Status status, const QString& error)
{
    RunEntry* r = find(id);
    if (!r || !r->running())
        return false;
    r->status = status;
    r->error = error;
    Q_EMIT runChanged(id);
    return true;
}

int Session::mergeIntoParent(int childId)
{
    const RunEntry* child = run(childId);
    if (!child || !child->finished())
        throw ParameterError("run #" + std::to_string(childId) +
                             " has not finished: merge it once it has");
    if (child->parentRun == 0 || child->mergedFrom != 0)
        throw ParameterError("run #" + std::to_string(childId) +
                             " is not a re-clustered selection of another run: select rows "
                             "of a run and use Run > Re-cluster Selection first");
    const RunEntry* parent = run(child->parentRun);
    if (!parent || !parent->finished() || parent->labels.empty())
        throw ParameterError("run #" + std::to_string(child->parentRun) +
                             ", whose selection run #" + std::to_string(childId) +
                             " re-clustered, is gone or unfinished: nothing to merge into");
    std::vector<uint8_t> relabelled(parent->labels.size(), 0);
    for (const int64_t r : child->sourceRows)
        relabelled[static_cast<size_t>(r)] = 1;
    auto entry = relabelledRun(
        *parent, mergeSubclusters(parent->labels, child->sourceRows, child->outcome.result.labels),
        relabelled);
    entry->parentRun = parent->id;
    entry->mergedFrom = child->id;
    entry->outcome.deviceUsed = child->outcome.deviceUsed;
    const RunOutcome& out = entry->outcome;
    entry->record = {{"merged",
                      {{"parent_run", parent->id},
                       {"subclustering_run", child->id},
                       {"rows_relabelled", child->sourceRows.size()},
                       {"parent", parent->record},
                       {"subclustering", child->record}}},
                     {"metrics", out.metrics}};
    return addFinished(std::move(entry));
}

int Session::nameSelectionAsCluster(int id, const QString& name)
{
    const RunEntry* parent = run(id);
    if (!parent || !parent->finished() || parent->labels.empty())
        throw ParameterError("run #" + std::to_string(id) +
                             " has not finished: name a selection of it once it has");
    std::vector<uint8_t> clustered(parent->labels.size(), parent->sourceRows.empty() ? 1 : 0);
    for (const int64_t r : parent->sourceRows)
        clustered[static_cast<size_t>(r)] = 1;
    int64_t cluster = 0;
    auto [labels, moved] = labelsWithNewCluster(parent->labels, clustered, selection_, &cluster);
    if (moved == 0)
        throw ParameterError("none of the " + std::to_string(selection_.size()) +
                             " selected rows is one that run #" + std::to_string(id) +
                             " clustered: select its points (Shift + drag, or Ctrl + drag to "
                             "add) and try again");
    std::vector<uint8_t> relabelled(parent->labels.size(), 0);
    for (size_t r = 0; r < labels.size(); ++r)
        relabelled[r] = labels[r] != parent->labels[r];
    auto entry = relabelledRun(*parent, std::move(labels), relabelled);
    entry->editedFrom = parent->id;
    if (!name.trimmed().isEmpty())
        entry->clusterNames[cluster] = name.trimmed();
    entry->record = {{"edited",
                      {{"parent_run", parent->id},
                       {"new_cluster", cluster},
                       {"name", name.trimmed().toStdString()},
                       {"rows_moved", moved},
                       {"parent", parent->record}}},
                     {"metrics", entry->outcome.metrics}};
    return addFinished(std::move(entry));
}

std::unique_ptr<RunEntry> Session::relabelledRun(const RunEntry& parent,
                                                 std::vector<int64_t> labels,
                                                 const std::vector<uint8_t>& relabelled)
{
    auto entry = std::make_unique<RunEntry>();
    entry->id = nextId_++;
    entry->request = parent.request;
    entry->status = RunEntry::Status::Finished;
    entry->labels = std::move(labels);
    entry->sourceRows = parent.sourceRows;
    if (entry->sourceRows.empty()) // a run of every loaded row may leave its rows implicit
        for (size_t r = 0; r < entry->labels.size(); ++r)
            entry->sourceRows.push_back(static_cast<int64_t>(r));
    entry->viewXyz = parent.viewXyz;
    entry->embeddingId = parent.embeddingId;
    entry->embeddingName = parent.embeddingName;
    RunOutcome& out = entry->outcome;
    out.deviceUsed = parent.outcome.deviceUsed;
    std::vector<int64_t> truth;
    std::set<int64_t> found;
    for (const int64_t r : entry->sourceRows)
    {
        const int64_t label = entry->labels[static_cast<size_t>(r)];
        out.result.labels.push_back(label);
        if (label >= 0)
            found.insert(label);
        if (dataset_ && dataset_->hasLabels())
            truth.push_back(dataset_->labels[static_cast<size_t>(r)]);
    }
    out.clustersFound = static_cast<int64_t>(found.size());
    if (!truth.empty())
    {
        out.metrics["acc"] = accuracy(truth, out.result.labels);
        out.metrics["nmi"] = normalizedMutualInfo(truth, out.result.labels);
        out.metrics["ari"] = adjustedRandIndex(truth, out.result.labels);
        out.metrics["ami"] = adjustedMutualInfo(truth, out.result.labels);
    }
    // Names stay with the clusters that kept rows outside the relabelled ones.
    std::set<int64_t> kept;
    for (size_t r = 0; r < parent.labels.size(); ++r)
        if (!relabelled[r])
            kept.insert(parent.labels[r]);
    for (const auto& [cluster, name] : parent.clusterNames)
        if (kept.count(cluster))
            entry->clusterNames[cluster] = name;
    return entry;
}

int Session::addFinished(std::unique_ptr<RunEntry> entry)
{
    const int id = entry->id;
    runs_.push_back(std::move(entry));
    Q_EMIT runAdded(id);
    setCurrentRun(id);
    return id;
}

void Session::setCurrentRun(int id)
{
    if (id == current_ || (id != 0 && !run(id)))
        return;
    current_ = id;
    Q_EMIT currentRunChanged(id);
}

int Session::addEmbedding(EmbeddingEntry entry)
{
    auto taken = [this](const QString& name)
    {
        return std::any_of(embeddings_.begin(), embeddings_.end(),
                           [&name](const auto& e) { return e->name == name; });
    };
    const QString base = entry.name;
    for (int n = 2; taken(entry.name); ++n)
        entry.name = QString("%1 %2").arg(base).arg(n);
    entry.id = nextEmbeddingId_++;
    const int id = entry.id;
    embeddings_.push_back(std::make_unique<EmbeddingEntry>(std::move(entry)));
    Q_EMIT embeddingAdded(id);
    return id;
}

const EmbeddingEntry* Session::embedding(int id) const
{
    for (const auto& e : embeddings_)
        if (e->id == id)
            return e.get();
    return nullptr;
}

std::vector<int> Session::embeddingIds() const
{
    std::vector<int> ids;
    for (const auto& e : embeddings_)
        ids.push_back(e->id);
    return ids;
}

void Session::setCurrentEmbedding(int id)
{
    if (id == currentEmbedding_ || (id != 0 && !embedding(id)))
        return;
    currentEmbedding_ = id;
    Q_EMIT currentEmbeddingChanged(id);
}

void Session::restore(std::vector<RunEntry> runs, std::vector<EmbeddingEntry> embeddings,
                      std::vector<int64_t> selection, int currentRun, int currentEmbedding,
                      std::map<int64_t, QString> labelNames)
{
    labelNames_ = std::move(labelNames);
    Q_EMIT labelNamesChanged();
    runs_.clear();
    embeddings_.clear();
    current_ = 0;
    currentEmbedding_ = 0;
    for (auto& e : embeddings)
    {
        nextEmbeddingId_ = std::max(nextEmbeddingId_, e.id + 1);
        embeddings_.push_back(std::make_unique<EmbeddingEntry>(std::move(e)));
        Q_EMIT embeddingAdded(embeddings_.back()->id);
    }
    for (auto& r : runs)
    {
        nextId_ = std::max(nextId_, r.id + 1);
        runs_.push_back(std::make_unique<RunEntry>(std::move(r)));
        const RunEntry& added = *runs_.back();
        Q_EMIT runAdded(added.id);
        Q_EMIT runChanged(added.id);
        if (added.layout)
            Q_EMIT layoutChanged(added.id);
        if (added.explanation)
            Q_EMIT explanationChanged(added.id);
    }
    currentEmbedding_ = embedding(currentEmbedding) ? currentEmbedding : 0;
    Q_EMIT currentEmbeddingChanged(currentEmbedding_);
    current_ = run(currentRun) ? currentRun : 0;
    Q_EMIT currentRunChanged(current_);
    setSelection(std::move(selection));
}

void Session::setSelection(std::vector<int64_t> rows)
{
    selection_ = std::move(rows);
    Q_EMIT selectionChanged();
}

ColorSlots viewColorSlots(const Session& session, const RunEntry& run)
{
    const auto& labels = run.outcome.result.labels;
    // An edit of a run (a selection named, a split merged back) keeps the colours of the
    // clusters it kept: only its new clusters take new ones.
    const int from = run.editedFrom != 0 ? run.editedFrom : run.mergedFrom != 0 ? run.parentRun : 0;
    if (const RunEntry* parent = session.run(from); parent && parent->finished())
    {
        ColorSlots inherited = viewColorSlots(session, *parent);
        ColorSlots out;
        std::set<int64_t> used;
        for (const int64_t id : labels)
            if (const auto it = inherited.slotOf.find(id); it != inherited.slotOf.end())
            {
                out.slotOf[id] = it->second;
                used.insert(it->second);
            }
        int64_t next = inherited.count;
        for (const int64_t id : labels)
            if (id >= 0 && !out.slotOf.count(id))
            {
                while (used.count(next))
                    ++next;
                out.slotOf[id] = next;
                used.insert(next);
            }
        out.count = std::max(inherited.count, used.empty() ? 0 : *used.rbegin() + 1);
        return out;
    }
    const auto& data = session.dataset();
    return data ? clusterColorSlots(labels, data->labels, run.sourceRows)
                : clusterColorSlots(labels, {});
}

} // namespace clusterscope

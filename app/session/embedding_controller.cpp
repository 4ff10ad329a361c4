#include "embedding_controller.h"

#include "session.h"

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/embed/view_projection.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/pipeline/prepare.h>

#include <ATen/core/Tensor.h>
#include <QFileInfo>
#include <QPointer>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace clusterscope
{

EmbeddingController::EmbeddingController(Session& session, JobRunner& runner, QObject* parent)
    : QObject(parent), session_(session), runner_(runner)
{
}

int EmbeddingController::addPrecomputed(const at::Tensor& coordinates,
                                        std::vector<std::string> columns, const QString& name,
                                        const QString& source, std::vector<std::string> warnings)
{
    const auto data = session_.dataset();
    if (!data)
        throw ParameterError(source.toStdString() +
                             ": no dataset is open: open the data these coordinates belong to "
                             "first");
    const int id = session_.addEmbedding(precomputedEmbedding(coordinates, std::move(columns), name,
                                                              source, *data, std::move(warnings)));
    Q_EMIT embeddingReady(id);
    return id;
}

int EmbeddingController::loadCoordinates(const QString& path)
{
    LoadOptions options;
    options.labelColumn = "none"; // every numeric column is a coordinate
    const Dataset loaded = loadDataset(path.toStdString(), options);
    const QString file = QFileInfo(path).fileName();
    // What the loader decided (a column of row numbers left out as an id) is the map's to say.
    return addPrecomputed(loaded.features, loaded.featureNames, file, path, loaded.warnings);
}

int EmbeddingController::coordinatesFromColumns(const std::vector<std::string>& names)
{
    const auto data = session_.dataset();
    if (!data)
        throw ParameterError("no dataset: open one first (File > Open, or drop a file)");
    if (names.empty())
        throw ParameterError("pick the columns that hold the coordinates (1 to 64 of them)");
    std::vector<int64_t> picked;
    for (const auto& name : names)
    {
        const auto& all = data->featureNames;
        const auto it = std::find(all.begin(), all.end(), name);
        if (it == all.end())
            throw ParameterError("no feature column '" + name + "' in " + data->source);
        picked.push_back(it - all.begin());
    }
    const int64_t rows = data->rows();
    const int64_t cols = data->cols();
    const float* features = data->features.data_ptr<float>();
    std::vector<float> values;
    values.reserve(static_cast<size_t>(rows) * picked.size());
    for (int64_t r = 0; r < rows; ++r)
        for (int64_t c : picked)
            values.push_back(features[r * cols + c]);
    QStringList label;
    for (const auto& name : names)
        label << QString::fromStdString(name);
    const auto matrix = matrixFromValues(values, rows, static_cast<int64_t>(picked.size()));
    return addPrecomputed(matrix, names, "columns " + label.join(", "),
                          QString::fromStdString(data->source));
}

std::vector<int> EmbeddingController::runsWithLearnedEmbedding() const
{
    std::vector<int> out;
    const auto data = session_.dataset();
    if (!data)
        return out;
    for (int id : session_.runIds())
    {
        const RunEntry* r = session_.run(id);
        const auto& e = r->outcome.result.embedding;
        if (r->finished() && e.defined() && e.dim() == 2 && e.size(0) == data->rows())
            out.push_back(id);
    }
    return out;
}

Job* EmbeddingController::start(const EmbedRequest& asked, int learnedOfRun)
{
    EmbedRequest request = asked;
    // The loader applied the missing-value policy: the record says the one that made the rows.
    copyLoadSettings(session_.sources().loadSettings, request.settings);
    if (!request.reducer)
        throw ParameterError("no reducer chosen: pick one in the Embedding panel");
    const auto snapshot = session_.dataset();
    if (!snapshot)
        throw ParameterError("no dataset: open one first (File > Open, or drop a file)");
    const RunSources sources = session_.sources();
    QString input = request.settings.pca > 0
                        ? QString("PCA %1 of the features").arg(request.settings.pca)
                        : QString("features");
    std::shared_ptr<const Dataset> source = snapshot;
    if (learnedOfRun != 0)
    {
        const auto usable = runsWithLearnedEmbedding();
        if (std::find(usable.begin(), usable.end(), learnedOfRun) == usable.end())
            throw ParameterError(QString("run #%1 has no learned embedding of every loaded row: "
                                         "pick a finished run of a deep method, or the features")
                                     .arg(learnedOfRun)
                                     .toStdString());
        const RunEntry* run = session_.run(learnedOfRun);
        // The learned representation stands in for the features; labels and metadata stay.
        auto learned = std::make_shared<Dataset>(*snapshot);
        learned->features = run->outcome.result.embedding.to(at::kFloat).contiguous().clone();
        learned->featureNames.clear();
        for (int64_t c = 0; c < learned->features.size(1); ++c)
            learned->featureNames.push_back("z" + std::to_string(c));
        learned->featureOffsets.clear();
        source = learned;
        input = QString("run #%1 (%2)'s learned embedding")
                    .arg(learnedOfRun)
                    .arg(QString::fromStdString(run->request.method->displayName));
        if (request.settings.pca > 0)
            input = QString("PCA %1 of ").arg(request.settings.pca) + input;
    }
    const QString name = describeEmbedding(request, input);
    QPointer<Session> session(&session_);
    QPointer<EmbeddingController> self(this);
    const int inputRun = learnedOfRun;
    const std::string inputText = input.toStdString();
    // The delivery tells the job's end which embedding it made, for the Jobs panel's summary.
    auto delivered = std::make_shared<int>(0);

    Job* job = runner_.start(
        name,
        [session, self, snapshot, source, sources, request, name, input, inputText, inputRun,
         delivered](Progress& progress) -> std::function<void()>
        {
            applyTorchThreads(request.settings.threads); // per worker thread (device.h)
            ProgressRange preparing(progress, 0.0, 0.05);
            const auto prepared = prepareData(*source, request.settings, preparing);
            // The view shows every loaded row: a map of some of them has no place there.
            if (prepared.data.rows() != snapshot->rows())
                throw ParameterError(
                    "the embedding would cover " + std::to_string(prepared.data.rows()) + " of " +
                    std::to_string(snapshot->rows()) +
                    " loaded rows, and the view shows them all: set 'subset' to 0 (every row)");
            ProgressRange running(progress, 0.05, 1.0);
            auto outcome = runReducer(prepared, request, running);
            throwIfCancelled(progress);
            auto record = embedRecord(request, prepared, outcome, sources);
            record["input"] = inputText;
            if (inputRun != 0)
                record["input_run"] = inputRun;
            const at::Tensor coords = outcome.reduction.coordinates.to(at::kFloat).contiguous();
            EmbeddingEntry entry;
            entry.name = name;
            entry.input = input;
            entry.inputRun = inputRun;
            entry.request = request;
            entry.dims = coords.size(1);
            for (int64_t c = 0; c < entry.dims; ++c)
                entry.columns.push_back(
                    QString::fromStdString(request.reducer->id).toUpper().toStdString() +
                    std::to_string(c + 1));
            entry.coordinates.assign(coords.data_ptr<float>(),
                                     coords.data_ptr<float>() + coords.numel());
            entry.viewXyz = embeddingViewXyz(entry.coordinates, entry.dims, request.settings.seed);
            entry.quality = outcome.quality;
            entry.warnings = outcome.reduction.warnings;
            entry.record = std::move(record);
            return [session, self, snapshot, delivered, entry = std::move(entry)]() mutable
            {
                // Dropped when the dataset was replaced while it ran.
                if (!session || session->dataset() != snapshot)
                    return;
                const int id = session->addEmbedding(std::move(entry));
                *delivered = id;
                if (self)
                    Q_EMIT self->embeddingReady(id);
            };
        });
    connect(
        job, &Job::finished, this,
        [this, job, delivered]
        {
            if (job->state() == Job::State::Failed)
                Q_EMIT embeddingFailed(job->error());
            const EmbeddingEntry* e = session_.embedding(*delivered);
            if (job->state() != Job::State::Finished || !e)
                return;
            QStringList parts;
            for (const auto& [key, value] : e->quality)
                if (key != "quality_queries")
                    parts
                        << QString("%1 %2").arg(QString::fromStdString(key)).arg(value, 0, 'f', 3);
            if (!e->warnings.empty())
                parts << tr("%n warning(s)", nullptr, static_cast<int>(e->warnings.size()));
            job->setSummary(parts.join(", "));
        });
    return job;
}

} // namespace clusterscope

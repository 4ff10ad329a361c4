#include "session_file.h"

#include "explanation_json.h"
#include "session.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/fingerprint.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/io/npz_archive.h>
#include <clusterscope/io/output.h>
#include <clusterscope/pipeline/builtin.h>
#include <clusterscope/pipeline/json_values.h>

#include <QDateTime>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace clusterscope
{

namespace
{

using json = nlohmann::json;

const char* statusName(RunEntry::Status status)
{
    switch (status)
    {
    case RunEntry::Status::Running:
        return "running";
    case RunEntry::Status::Finished:
        return "finished";
    case RunEntry::Status::Failed:
        return "failed";
    case RunEntry::Status::Cancelled:
        break;
    }
    return "cancelled";
}

// A float vector's values; a tensor's, contiguous on the CPU (undefined: empty).
std::vector<float> floatsOf(const at::Tensor& t)
{
    if (!t.defined())
        return {};
    const auto c = t.to(at::kCPU).to(at::kFloat).contiguous();
    const float* p = c.data_ptr<float>();
    return std::vector<float>(p, p + c.numel());
}

std::string qs(const QString& s)
{
    return s.toStdString();
}

// --- writing ---------------------------------------------------------------------------------

class Writer
{
public:
    // Adds a member and returns its name, for the document to refer to.
    std::string add(const std::string& name, std::string bytes)
    {
        members_.emplace_back(name, std::move(bytes));
        return name;
    }
    void ints(json& j, const char* key, const std::string& prefix, const std::vector<int64_t>& v)
    {
        if (!v.empty())
            j[key] = add(prefix + key + ".npy", integersNpy(v));
    }
    void floats(json& j, const char* key, const std::string& prefix, const std::vector<float>& v,
                int64_t rows)
    {
        if (!v.empty() && rows > 0)
            j[key] = add(prefix + key + ".npy", floatsNpy(v, rows));
    }
    void matrix(json& j, const char* key, const std::string& prefix, const at::Tensor& t)
    {
        if (t.defined() && t.dim() == 2)
            j[key] = add(prefix + key + ".npy", matrixNpy(t));
    }
    void flags(json& j, const char* key, const std::string& prefix, const std::vector<uint8_t>& v)
    {
        if (!v.empty())
            j[key] = add(prefix + key + ".npy", bytesNpy(v));
    }
    std::string archive(const json& document)
    {
        std::vector<std::pair<std::string, std::string>> all;
        all.emplace_back("session.json", dumpJson(document));
        for (auto& m : members_)
            all.push_back(std::move(m));
        return npzArchive(all);
    }

private:
    std::vector<std::pair<std::string, std::string>> members_;
};

json layoutJson(const RunLayout& layout, Writer& w, const std::string& prefix)
{
    const LayoutResult& r = layout.result;
    json j = {{"layout", layout.layout ? layout.layout->id : std::string()},
              {"params", paramsJson(layout.params)},
              {"seed", layout.seed},
              {"name", qs(layout.name)},
              {"cycle", r.cycle},
              {"length", r.length},
              {"exact", r.exact},
              {"anchor_angles", r.anchorAngles},
              {"stats", r.stats},
              {"warnings", r.warnings},
              {"cluster_sizes", layout.clusterSizes}};
    w.matrix(j, "coordinates", prefix, r.coordinates);
    const auto scores = floatsOf(r.outlierScores);
    w.floats(j, "outlier_scores", prefix, scores, static_cast<int64_t>(scores.size()));
    w.flags(j, "outliers", prefix, r.outliers);
    w.ints(j, "rows", prefix, layout.rows);
    w.ints(j, "clusters", prefix, layout.clusters);
    return j;
}

json explanationEntryJson(const RunExplanation& e, Writer& w, const std::string& prefix)
{
    json j = {{"explainer", e.explainer ? e.explainer->id : std::string()},
              {"params", paramsJson(e.params)},
              {"seed", e.seed},
              {"name", qs(e.name)},
              {"result", explanationToJson(e.result)}};
    w.ints(j, "rows", prefix, e.rows);
    w.flags(j, "covered", prefix, e.covered);
    return j;
}

// Names by id, as a JSON object keyed by the id's digits.
json namesJson(const std::map<int64_t, QString>& names)
{
    json j = json::object();
    for (const auto& [id, name] : names)
        j[std::to_string(id)] = qs(name);
    return j;
}

json runJson(const RunEntry& r, Writer& w)
{
    const std::string prefix = "runs/" + std::to_string(r.id) + "/";
    const RunOutcome& o = r.outcome;
    const json names = namesJson(r.clusterNames);
    json j = {{"id", r.id},
              {"method", r.request.method ? r.request.method->id : std::string()},
              {"params", paramsJson(r.request.params)},
              {"settings", paramsJson(toParamSet(r.request.settings))},
              {"status", statusName(r.status)},
              {"error", qs(r.error)},
              {"history", r.history},
              {"record", r.record},
              {"embedding_id", r.embeddingId},
              {"parent_run", r.parentRun},
              {"merged_from", r.mergedFrom},
              {"edited_from", r.editedFrom},
              {"embedding_name", qs(r.embeddingName)},
              {"cluster_names", names}};
    w.ints(j, "labels", prefix, r.labels);
    if (r.finished())
    {
        json out = {{"metrics", o.metrics},
                    {"device_used", o.deviceUsed},
                    {"notes", o.notes},
                    {"warnings", o.warnings},
                    {"clusters_found", o.clustersFound},
                    {"distinct_rows", o.distinctRows},
                    {"run_seconds", o.runSeconds},
                    {"metric_seconds", o.metricSeconds},
                    {"stats", o.result.stats},
                    {"result_history", o.result.history},
                    {"result_warnings", o.result.warnings}};
        const auto n = static_cast<int64_t>(o.result.labels.size());
        w.ints(out, "result_labels", prefix, o.result.labels);
        w.floats(out, "confidence", prefix, o.result.confidence, n);
        w.matrix(out, "soft", prefix, o.result.soft);
        w.matrix(out, "embedding", prefix, o.result.embedding);
        w.ints(out, "source_rows", prefix, r.sourceRows);
        w.floats(out, "view_xyz", prefix, r.viewXyz, n);
        w.floats(out, "learned_xyz", prefix, r.learnedXyz, n);
        j["outcome"] = std::move(out);
    }
    if (r.layout)
        j["layout"] = layoutJson(*r.layout, w, prefix + "layout/");
    if (r.explanation)
        j["explanation"] = explanationEntryJson(*r.explanation, w, prefix + "explanation/");
    return j;
}

json embeddingJson(const EmbeddingEntry& e, int64_t rows, Writer& w)
{
    const std::string prefix = "embeddings/" + std::to_string(e.id) + "/";
    json j = {{"id", e.id},
              {"name", qs(e.name)},
              {"input", qs(e.input)},
              {"input_run", e.inputRun},
              {"reducer", e.request.reducer ? e.request.reducer->id : std::string()},
              {"params", paramsJson(e.request.params)},
              {"settings", paramsJson(toParamSet(e.request.settings))},
              {"quality_sample", e.request.qualitySample},
              {"dims", e.dims},
              {"columns", e.columns},
              {"quality", e.quality},
              {"warnings", e.warnings},
              {"record", e.record}};
    w.floats(j, "coordinates", prefix, e.coordinates, rows);
    w.floats(j, "view_xyz", prefix, e.viewXyz, rows);
    return j;
}

// --- reading ---------------------------------------------------------------------------------

// JSON writes NaN as null (dumpJson): read back as NaN.
double number(const json& j)
{
    return numberFromJson(j);
}

std::map<std::string, double> numbers(const json& j)
{
    std::map<std::string, double> out;
    if (j.is_object())
        for (const auto& [k, v] : j.items())
            out[k] = number(v);
    return out;
}

std::map<std::string, std::vector<double>> curves(const json& j)
{
    std::map<std::string, std::vector<double>> out;
    if (j.is_object())
        for (const auto& [k, v] : j.items())
            for (const auto& x : v)
                out[k].push_back(number(x));
    return out;
}

template <typename T> T field(const json& j, const char* key, T fallback)
{
    const auto it = j.find(key);
    return it == j.end() || it->is_null() ? fallback : it->get<T>();
}

QString qfield(const json& j, const char* key)
{
    return QString::fromStdString(field<std::string>(j, key, ""));
}

// A parameter set over `schema` from paramsJson's object; a value this version does not know
// or refuses is left at its default, with a warning.
ParamSet paramsFrom(const json& j, const std::vector<ParamSpec>& schema, const std::string& what,
                    std::vector<std::string>& warnings)
{
    ParamSet out(schema);
    if (!j.is_object())
        return out;
    for (const auto& [name, value] : j.items())
    {
        const auto spec = std::find_if(schema.begin(), schema.end(),
                                       [&n = name](const ParamSpec& s) { return s.name == n; });
        try
        {
            if (spec == schema.end())
                throw ParameterError("this version has no such parameter");
            out.set(name, paramValueFromJson(*spec, value));
        }
        catch (const std::exception& e)
        {
            warnings.push_back(what + ": parameter " + name + " = " + value.dump() +
                               " was not restored (" + e.what() + "); its default is used");
        }
    }
    return out;
}

class Reader
{
public:
    Reader(std::string path, std::map<std::string, std::string> members)
        : path_(std::move(path)), members_(std::move(members))
    {
    }
    std::string where(const std::string& member) const { return path_ + " (" + member + ")"; }
    [[noreturn]] void fail(const std::string& what) const
    {
        throw DataError(path_ + ": " + what +
                        "; the session file is damaged or was not written by ClusterScope");
    }
    const std::string& member(const std::string& name) const
    {
        const auto it = members_.find(name);
        if (it == members_.end())
            fail("the member " + name + " is missing");
        return it->second;
    }
    std::vector<int64_t> ints(const json& j, const char* key) const
    {
        const std::string name = field<std::string>(j, key, "");
        return name.empty() ? std::vector<int64_t>{} : npyInt64Vector(member(name), where(name));
    }
    std::vector<uint8_t> flags(const json& j, const char* key) const
    {
        const std::string name = field<std::string>(j, key, "");
        return name.empty() ? std::vector<uint8_t>{} : npyUint8Vector(member(name), where(name));
    }
    at::Tensor matrix(const json& j, const char* key) const
    {
        const std::string name = field<std::string>(j, key, "");
        return name.empty() ? at::Tensor() : npyFloat32Matrix(member(name), where(name));
    }
    // A matrix's values, checked to have `rows` rows (and `cols` columns when given).
    std::vector<float> floats(const json& j, const char* key, int64_t rows, int64_t cols = 0) const
    {
        const auto m = matrix(j, key);
        if (!m.defined())
            return {};
        if (m.size(0) != rows || (cols > 0 && m.size(1) != cols))
            fail(std::string(key) + " holds " + std::to_string(m.size(0)) + " x " +
                 std::to_string(m.size(1)) + " values where " + std::to_string(rows) +
                 " rows were expected");
        return floatsOf(m);
    }
    void checkRows(const std::vector<int64_t>& rows, int64_t count, const std::string& what) const
    {
        for (const int64_t r : rows)
            if (r < 0 || r >= count)
                fail(what + " names row " + std::to_string(r) + " of a dataset of " +
                     std::to_string(count) + " rows");
    }

private:
    std::string path_;
    std::map<std::string, std::string> members_;
};

RunEntry::Status statusFrom(const std::string& name)
{
    if (name == "finished")
        return RunEntry::Status::Finished;
    if (name == "failed")
        return RunEntry::Status::Failed;
    return RunEntry::Status::Cancelled; // cancelled, or running when it was saved
}

std::shared_ptr<RunLayout> layoutFrom(const json& j, const Reader& in, int64_t rows,
                                      const std::string& what, std::vector<std::string>& warnings)
{
    const auto* info = builtinRegistry().findLayout(field<std::string>(j, "layout", ""));
    if (!info)
    {
        warnings.push_back(what + ": its layout (" + field<std::string>(j, "layout", "") +
                           ") is not in this version and was left out");
        return nullptr;
    }
    auto out = std::make_shared<RunLayout>();
    out->layout = info;
    out->params = paramsFrom(j.value("params", json::object()), info->params, what, warnings);
    out->seed = field<uint64_t>(j, "seed", 0);
    out->name = qfield(j, "name");
    out->rows = in.ints(j, "rows");
    in.checkRows(out->rows, rows, what + "'s layout");
    const auto n = static_cast<int64_t>(out->rows.size());
    LayoutResult& r = out->result;
    r.cycle = field<std::vector<int64_t>>(j, "cycle", {});
    r.length = number(j.value("length", json()));
    r.exact = field<bool>(j, "exact", false);
    for (const auto& a : j.value("anchor_angles", json::array()))
        r.anchorAngles.push_back(number(a));
    r.stats = numbers(j.value("stats", json::object()));
    r.warnings = field<std::vector<std::string>>(j, "warnings", {});
    r.coordinates = in.matrix(j, "coordinates");
    if (!r.coordinates.defined() || r.coordinates.size(0) != n || r.coordinates.size(1) != 2)
        in.fail(what + "'s layout coordinates do not match its " + std::to_string(n) + " rows");
    r.outlierScores = in.matrix(j, "outlier_scores");
    if (r.outlierScores.defined())
        r.outlierScores = r.outlierScores.reshape({-1});
    r.outliers = in.flags(j, "outliers");
    out->clusterSizes = field<std::vector<int64_t>>(j, "cluster_sizes", {});
    out->clusters = in.ints(j, "clusters");
    if ((r.outlierScores.defined() && r.outlierScores.numel() != n) ||
        (!r.outliers.empty() && static_cast<int64_t>(r.outliers.size()) != n) ||
        static_cast<int64_t>(out->clusters.size()) != n)
        in.fail(what + "'s layout arrays do not match its " + std::to_string(n) + " rows");
    // The views index the anchors by cluster id.
    const auto k = static_cast<int64_t>(r.anchorAngles.size());
    const auto outside = [k](int64_t c) { return c < 0 || c >= k; };
    if (static_cast<int64_t>(out->clusterSizes.size()) != k ||
        static_cast<int64_t>(r.cycle.size()) != k ||
        std::any_of(r.cycle.begin(), r.cycle.end(), outside) ||
        std::any_of(out->clusters.begin(), out->clusters.end(),
                    [&](int64_t c) { return c != -1 && outside(c); }))
        in.fail(what + "'s layout names clusters outside its " + std::to_string(k) + " anchors");
    return out;
}

std::shared_ptr<RunExplanation> explanationFrom(const json& j, const Reader& in, int64_t rows,
                                                int64_t features, const std::string& what,
                                                std::vector<std::string>& warnings)
{
    const auto* info = builtinRegistry().findExplainer(field<std::string>(j, "explainer", ""));
    if (!info)
    {
        warnings.push_back(what + ": its explanation (" + field<std::string>(j, "explainer", "") +
                           ") is not in this version and was left out");
        return nullptr;
    }
    auto out = std::make_shared<RunExplanation>();
    out->explainer = info;
    out->params = paramsFrom(j.value("params", json::object()), info->params, what, warnings);
    out->seed = field<uint64_t>(j, "seed", 0);
    out->name = qfield(j, "name");
    out->result = explanationFromJson(j.value("result", json::object()));
    out->rows = in.ints(j, "rows");
    in.checkRows(out->rows, rows, what + "'s explanation");
    out->covered = in.flags(j, "covered");
    if (out->covered.size() != out->rows.size() * out->result.clusters.size())
        in.fail(what + "'s explanation coverage does not match its rows and clusters");
    // The views index the features by the rules' terms and the rankings.
    const auto feature = [features](int64_t f) { return f < 0 || f >= features; };
    const Explanation& x = out->result;
    const auto sized = [features](const std::vector<double>& v)
    { return v.empty() || static_cast<int64_t>(v.size()) == features; };
    bool bad = !sized(x.mean) || !sized(x.std);
    for (const auto& c : x.clusters)
    {
        for (const auto& rule : c.rules)
            for (const auto& cond : rule.conditions)
                for (const auto& term : cond.terms)
                    bad = bad || feature(term.first);
        for (const auto* ranks : {&c.tTest, &c.wilcoxon})
            for (const auto& rank : *ranks)
                bad = bad || feature(rank.feature);
        for (const int64_t p : c.prototypes)
            bad = bad || p < 0 || p >= rows;
        bad = bad || !sized(c.mean) || !sized(c.std);
    }
    if (bad)
        in.fail(what + "'s explanation does not fit a dataset of " + std::to_string(features) +
                " features");
    return out;
}

RunEntry runFrom(const json& j, const Reader& in, int64_t rows, int64_t features,
                 std::vector<std::string>& warnings)
{
    RunEntry r;
    r.id = field<int>(j, "id", 0);
    const std::string what = "run #" + std::to_string(r.id);
    const std::string method = field<std::string>(j, "method", "");
    r.request.method = builtinRegistry().find(method);
    if (!r.request.method || r.id <= 0)
        throw ParameterError("its method (" + method + ") is not in this version");
    r.request.params =
        paramsFrom(j.value("params", json::object()), r.request.method->params, what, warnings);
    r.request.settings = runSettingsFrom(
        paramsFrom(j.value("settings", json::object()), runSettingsSchema(), what, warnings));
    r.status = statusFrom(field<std::string>(j, "status", ""));
    r.error = qfield(j, "error");
    if (field<std::string>(j, "status", "") == "running")
        r.error = "interrupted: the session was saved while the run was still running; run it "
                  "again to finish it";
    r.history = curves(j.value("history", json::object()));
    r.record = j.value("record", json());
    r.embeddingId = field<int>(j, "embedding_id", 0);
    r.parentRun = field<int>(j, "parent_run", 0);
    r.mergedFrom = field<int>(j, "merged_from", 0);
    r.editedFrom = field<int>(j, "edited_from", 0);
    r.embeddingName = qfield(j, "embedding_name");
    const json names = j.value("cluster_names", json::object()); // items() needs it alive
    for (const auto& [cluster, name] : names.items())
        r.clusterNames[std::stoll(cluster)] = QString::fromStdString(name.get<std::string>());
    r.labels = in.ints(j, "labels");
    if (!r.labels.empty() && static_cast<int64_t>(r.labels.size()) != rows)
        in.fail(what + " has " + std::to_string(r.labels.size()) + " labels for " +
                std::to_string(rows) + " rows");
    if (r.finished())
    {
        const json& o = j.at("outcome");
        RunOutcome& out = r.outcome;
        out.metrics = numbers(o.value("metrics", json::object()));
        out.deviceUsed = field<std::string>(o, "device_used", "");
        out.notes = field<std::vector<std::string>>(o, "notes", {});
        out.warnings = field<std::vector<std::string>>(o, "warnings", {});
        out.clustersFound = field<int64_t>(o, "clusters_found", 0);
        out.distinctRows = field<int64_t>(o, "distinct_rows", 0);
        out.runSeconds = number(o.value("run_seconds", json()));
        out.metricSeconds = number(o.value("metric_seconds", json()));
        out.result.stats = numbers(o.value("stats", json::object()));
        out.result.history = curves(o.value("result_history", json::object()));
        out.result.warnings = field<std::vector<std::string>>(o, "result_warnings", {});
        out.result.labels = in.ints(o, "result_labels");
        const auto n = static_cast<int64_t>(out.result.labels.size());
        out.result.confidence = in.floats(o, "confidence", n, 1);
        out.result.soft = in.matrix(o, "soft");
        out.result.embedding = in.matrix(o, "embedding");
        r.sourceRows = in.ints(o, "source_rows");
        in.checkRows(r.sourceRows, rows, what);
        r.viewXyz = in.floats(o, "view_xyz", n, 3);
        r.learnedXyz = in.floats(o, "learned_xyz", n, 3);
        if (static_cast<int64_t>(r.sourceRows.size()) != n ||
            (out.result.soft.defined() && out.result.soft.size(0) != n) ||
            (out.result.embedding.defined() && out.result.embedding.size(0) != n))
            in.fail(what + "'s result arrays do not match its " + std::to_string(n) + " rows");
        if (j.contains("layout"))
            r.layout = layoutFrom(j["layout"], in, rows, what, warnings);
        if (j.contains("explanation"))
            r.explanation = explanationFrom(j["explanation"], in, rows, features, what, warnings);
    }
    return r;
}

EmbeddingEntry embeddingFrom(const json& j, const Reader& in, int64_t rows,
                             std::vector<std::string>& warnings)
{
    EmbeddingEntry e;
    e.id = field<int>(j, "id", 0);
    const std::string what = "embedding #" + std::to_string(e.id);
    e.name = qfield(j, "name");
    e.input = qfield(j, "input");
    e.inputRun = field<int>(j, "input_run", 0);
    const std::string reducer = field<std::string>(j, "reducer", "");
    if (!reducer.empty())
    {
        e.request.reducer = builtinRegistry().findReducer(reducer);
        if (!e.request.reducer)
            warnings.push_back(what + " (" + qs(e.name) + "): its reducer (" + reducer +
                               ") is not in this version; its coordinates are kept");
        else
            e.request.params = paramsFrom(j.value("params", json::object()),
                                          e.request.reducer->params, what, warnings);
    }
    e.request.settings = runSettingsFrom(
        paramsFrom(j.value("settings", json::object()), runSettingsSchema(), what, warnings));
    e.request.qualitySample = field<int64_t>(j, "quality_sample", 1000);
    e.dims = field<int64_t>(j, "dims", 0);
    e.columns = field<std::vector<std::string>>(j, "columns", {});
    e.quality = numbers(j.value("quality", json::object()));
    e.warnings = field<std::vector<std::string>>(j, "warnings", {});
    e.record = j.value("record", json());
    if (e.id <= 0 || e.dims < 1)
        in.fail(what + " has no coordinates");
    e.coordinates = in.floats(j, "coordinates", rows, e.dims);
    e.viewXyz = in.floats(j, "view_xyz", rows, 3);
    if (e.coordinates.empty() || e.viewXyz.empty())
        in.fail(what + " has no coordinates");
    return e;
}

} // namespace

std::string sessionFileBytes(const Session& session)
{
    if (!session.dataset())
        throw std::logic_error("sessionFileBytes: the session has no dataset");
    const Dataset& data = *session.dataset();
    const RunSources& s = session.sources();
    Writer w;
    json runs = json::array();
    for (const int id : session.runIds())
        runs.push_back(runJson(*session.run(id), w));
    json embeddings = json::array();
    for (const int id : session.embeddingIds())
        embeddings.push_back(embeddingJson(*session.embedding(id), data.rows(), w));
    json document = {{"format", "clusterscope-session"},
                     {"version", kSessionFormatVersion},
                     {"written_by", clusterscopeVersion()},
                     {"saved_at", qs(QDateTime::currentDateTimeUtc().toString(Qt::ISODate))},
                     {"dataset",
                      {{"paths", s.paths},
                       {"format", s.format},
                       {"label_column", s.labelColumn},
                       {"missing", s.loadSettings.missing},
                       {"image_size", s.loadSettings.imageSize},
                       {"skip_lines", s.loadSettings.skipLines},
                       {"metadata_columns", s.loadSettings.metadataColumns},
                       {"ignore_columns", s.loadSettings.ignoreColumns},
                       {"id_column", s.idColumn},
                       {"array", s.array},
                       {"view_scaling", session.dataView().scaling},
                       {"content_hash", contentHash(data)},
                       {"rows", data.rows()},
                       {"features", data.features.defined() ? data.features.size(1) : 0}}},
                     {"runs", runs},
                     {"embeddings", embeddings},
                     {"current_run", session.currentRunId()},
                     {"current_embedding", session.currentEmbeddingId()},
                     {"view", session.viewState()},
                     {"label_names", namesJson(session.labelNames())}};
    w.ints(document, "selection", "", session.selection());
    return w.archive(document);
}

SessionContents readSessionFile(const std::string& path)
{
    Reader in(path, readNpzMembers(path));
    json document;
    try
    {
        document = json::parse(in.member("session.json"));
    }
    catch (const json::exception& e)
    {
        in.fail(std::string("session.json is not valid JSON (") + e.what() + ")");
    }
    const auto text = [&document](const char* key)
    {
        const auto it = document.find(key);
        return it != document.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (!document.is_object() || text("format") != "clusterscope-session")
        in.fail("session.json does not describe a ClusterScope session");
    SessionContents out;
    out.writtenBy = text("written_by");
    out.savedAt = text("saved_at");
    const auto found = document.find("version");
    if (found == document.end() || !found->is_number_integer())
        in.fail("session.json has no format version");
    const auto version = found->get<int64_t>();
    if (version > kSessionFormatVersion)
        throw DataError(
            path + ": written by ClusterScope " + out.writtenBy + " in session format " +
            std::to_string(version) + ", and this version reads formats up to " +
            std::to_string(kSessionFormatVersion) + ": open it with that version or a later one");
    try
    {
        const json& d = document.at("dataset");
        out.sources.paths = d.at("paths").get<std::vector<std::string>>();
        out.sources.format = d.value("format", "");
        out.sources.labelColumn = d.value("label_column", "");
        auto& load = out.sources.loadSettings;
        load.missing = d.value("missing", "error");
        load.imageSize = d.value("image_size", "");
        load.skipLines = d.value("skip_lines", int64_t{0});
        load.metadataColumns = d.value("metadata_columns", "");
        load.ignoreColumns = d.value("ignore_columns", "");
        out.sources.idColumn = d.value("id_column", "");
        out.sources.array = d.value("array", "");
        out.viewScaling = d.value("view_scaling", "none");
        if (const auto known = scalingNames();
            std::find(known.begin(), known.end(), out.viewScaling) == known.end())
        {
            out.warnings.push_back("the data view's scaling '" + out.viewScaling +
                                   "' is not one this version knows: the view shows the "
                                   "features unscaled");
            out.viewScaling = "none";
        }
        out.contentHash = d.at("content_hash").get<std::string>();
        out.rows = d.at("rows").get<int64_t>();
        out.features = d.value("features", int64_t{0});
        if (out.sources.paths.empty() || out.rows < 0)
            in.fail("session.json names no dataset");
        for (const json& r : document.value("runs", json::array()))
        {
            try
            {
                out.runs.push_back(runFrom(r, in, out.rows, out.features, out.warnings));
            }
            catch (const ParameterError& e)
            {
                out.warnings.push_back("run #" + std::to_string(r.value("id", 0)) +
                                       " was left out: " + e.what());
            }
        }
        for (const json& e : document.value("embeddings", json::array()))
            out.embeddings.push_back(embeddingFrom(e, in, out.rows, out.warnings));
        out.selection = in.ints(document, "selection");
        in.checkRows(out.selection, out.rows, "the selection");
        out.currentRun = document.value("current_run", 0);
        out.currentEmbedding = document.value("current_embedding", 0);
        out.view = document.value("view", json::object());
        const json labelNames = document.value("label_names", json::object());
        for (const auto& [label, name] : labelNames.items())
            out.labelNames[std::stoll(label)] = QString::fromStdString(name.get<std::string>());
    }
    catch (const json::exception& e)
    {
        in.fail(std::string("session.json has a field of the wrong kind (") + e.what() + ")");
    }
    catch (const std::invalid_argument& e) // std::stoll of a cluster name's key
    {
        in.fail(std::string("session.json has a malformed number (") + e.what() + ")");
    }
    catch (const std::out_of_range& e)
    {
        in.fail(std::string("session.json has a number out of range (") + e.what() + ")");
    }
    return out;
}

} // namespace clusterscope

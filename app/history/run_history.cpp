#include "run_history.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/pipeline/builtin.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>
#include <sqlite3.h>

namespace clusterscope
{

namespace
{

constexpr int kFormat = 1; // PRAGMA user_version of the schema below

constexpr const char* kSchema = R"(
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_utc TEXT NOT NULL,
  origin TEXT NOT NULL,
  method TEXT NOT NULL,
  dataset TEXT NOT NULL,
  input_hash TEXT NOT NULL,
  seed INTEGER NOT NULL,
  device TEXT NOT NULL,
  rows INTEGER NOT NULL,
  clusters INTEGER NOT NULL,
  run_seconds REAL NOT NULL,
  metrics TEXT NOT NULL,
  load TEXT NOT NULL,
  record TEXT NOT NULL,
  row_ids BLOB,
  labels BLOB NOT NULL,
  soft_hash TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS runs_method ON runs(method);
)";

// Every column but the labels, in the order rowFrom reads them.
constexpr const char* kColumns = "id, created_utc, origin, method, dataset, input_hash, seed, "
                                 "device, rows, clusters, run_seconds, metrics, load, record";

class Statement
{
public:
    Statement(sqlite3* db, const std::string& path, const std::string& sql) : path_(path)
    {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s_, nullptr) != SQLITE_OK)
            fail(sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(s_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void bind(int i, const std::string& text)
    {
        sqlite3_bind_text(s_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    }
    void bind(int i, int64_t value) { sqlite3_bind_int64(s_, i, value); }
    void bind(int i, double value) { sqlite3_bind_double(s_, i, value); }
    // Empty: SQL's null when `nullable`, else an empty blob.
    void bindBlob(int i, const void* bytes, size_t size, bool nullable)
    {
        if (size == 0 && nullable)
            sqlite3_bind_null(s_, i);
        else if (size == 0)
            sqlite3_bind_zeroblob(s_, i, 0);
        else
            sqlite3_bind_blob64(s_, i, bytes, size, SQLITE_TRANSIENT);
    }
    // True while there is a row; throws DataError naming the file on an error.
    bool step()
    {
        const int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW)
            return true;
        if (rc != SQLITE_DONE)
            fail(sqlite3_errmsg(sqlite3_db_handle(s_)));
        return false;
    }
    int64_t integer(int i) const { return sqlite3_column_int64(s_, i); }
    double real(int i) const { return sqlite3_column_double(s_, i); }
    std::string text(int i) const
    {
        const auto* p = sqlite3_column_text(s_, i);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<size_t>(sqlite3_column_bytes(s_, i)))
                 : std::string();
    }
    template <typename T> std::vector<T> blob(int i) const
    {
        const auto* p = sqlite3_column_blob(s_, i);
        std::vector<T> out(static_cast<size_t>(sqlite3_column_bytes(s_, i)) / sizeof(T));
        if (p && !out.empty())
            std::memcpy(out.data(), p, out.size() * sizeof(T));
        return out;
    }

private:
    [[noreturn]] void fail(const char* why) const
    {
        throw DataError(path_ + ": the run history could not be read or written (" + why +
                        "); set CLUSTERSCOPE_HISTORY to another file, or to off");
    }
    std::string path_;
    sqlite3_stmt* s_ = nullptr;
};

std::string nowUtc()
{
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

nlohmann::json parsed(const std::string& text)
{
    return nlohmann::json::parse(text, nullptr, false); // discarded (not thrown) when damaged
}

HistoryRun rowFrom(const Statement& s)
{
    HistoryRun r;
    r.id = s.integer(0);
    r.createdUtc = s.text(1);
    r.origin = s.text(2);
    r.method = s.text(3);
    r.dataset = s.text(4);
    r.inputHash = s.text(5);
    r.seed = static_cast<uint64_t>(s.integer(6)); // stored as its 64 bits
    r.device = s.text(7);
    r.rows = s.integer(8);
    r.clusters = s.integer(9);
    r.runSeconds = s.real(10);
    const auto metrics = parsed(s.text(11));
    if (metrics.is_object())
        for (const auto& [name, value] : metrics.items())
            if (value.is_number())
                r.metrics[name] = value.get<double>();
    r.load = parsed(s.text(12));
    r.record = parsed(s.text(13));
    return r;
}

std::string lower(std::string text)
{
    for (auto& c : text)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// "%text%" with LIKE's own wildcards in `text` taken literally (ESCAPE '\').
std::string likePattern(const std::string& text)
{
    std::string out = "%";
    for (const char c : text)
    {
        if (c == '%' || c == '_' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "%";
}

// A new history's tables, in one transaction (another process may be creating them too).
void createSchema(sqlite3* db, const std::string& path)
{
    Statement(db, path, "PRAGMA journal_mode=WAL").step();
    Statement(db, path, "PRAGMA auto_vacuum=INCREMENTAL").step(); // before the first table
    Statement(db, path, "BEGIN IMMEDIATE").step();
    char* message = nullptr;
    if (sqlite3_exec(db, kSchema, nullptr, nullptr, &message) != SQLITE_OK)
    {
        const std::string why = message ? message : "unknown error";
        sqlite3_free(message);
        Statement(db, path, "ROLLBACK").step();
        throw DataError(path + ": the run history could not be created (" + why +
                        "); set CLUSTERSCOPE_HISTORY to another file, or to off");
    }
    Statement(db, path, "PRAGMA user_version=" + std::to_string(kFormat)).step();
    Statement(db, path, "COMMIT").step();
}

} // namespace

std::string defaultHistoryPath()
{
    if (const char* set = std::getenv("CLUSTERSCOPE_HISTORY"))
        return std::strcmp(set, "off") == 0 ? std::string() : std::string(set);
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return std::string(xdg) + "/clusterscope/history.sqlite";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::string(home) + "/.local/share/clusterscope/history.sqlite";
    return {};
}

RunHistory::RunHistory(const std::string& path) : path_(path)
{
    const auto folder = std::filesystem::path(path).parent_path();
    std::error_code error;
    if (!folder.empty())
        std::filesystem::create_directories(folder, error);
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
    {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw DataError(path + ": the run history cannot be opened (" + why +
                        "); check that its folder can be written, or set "
                        "CLUSTERSCOPE_HISTORY to another file, or to off");
    }
    sqlite3_busy_timeout(db_, 5000);
    try
    {
        int64_t format = 0;
        {
            Statement version(db_, path_, "PRAGMA user_version");
            version.step(); // "file is not a database" surfaces here
            format = version.integer(0);
        } // finalized: a statement left open would hold a transaction
        if (format > kFormat)
            throw DataError(path +
                            ": this run history was written by a later ClusterScope "
                            "(format " +
                            std::to_string(format) + "; this version reads format " +
                            std::to_string(kFormat) +
                            "): open it with that version, or set CLUSTERSCOPE_HISTORY to "
                            "another file");
        if (format < kFormat)
            createSchema(db_, path_);
    }
    catch (...)
    {
        sqlite3_close(db_);
        throw;
    }
}

RunHistory::~RunHistory()
{
    sqlite3_close(db_);
}

int64_t RunHistory::add(const HistoryRun& run)
{
    std::vector<int32_t> labels(run.labels.size());
    for (size_t i = 0; i < labels.size(); ++i)
    {
        if (run.labels[i] < std::numeric_limits<int32_t>::min() ||
            run.labels[i] > std::numeric_limits<int32_t>::max())
            throw DataError(path_ + ": cluster id " + std::to_string(run.labels[i]) +
                            " does not fit the history's 32-bit labels");
        labels[i] = static_cast<int32_t>(run.labels[i]);
    }
    nlohmann::json metrics = run.metrics;
    Statement s(db_, path_,
                "INSERT INTO runs(created_utc, origin, method, dataset, input_hash, seed, "
                "device, rows, clusters, run_seconds, metrics, load, record, row_ids, labels, "
                "soft_hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                "?15, ?16)");
    s.bind(1, run.createdUtc.empty() ? nowUtc() : run.createdUtc);
    s.bind(2, run.origin);
    s.bind(3, run.method);
    s.bind(4, run.dataset);
    s.bind(5, run.inputHash);
    s.bind(6, static_cast<int64_t>(run.seed));
    s.bind(7, run.device);
    s.bind(8, run.rows);
    s.bind(9, run.clusters);
    s.bind(10, run.runSeconds);
    // NaN metrics (a silhouette of one cluster) are written as null, as dumpJson does.
    s.bind(11, metrics.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    s.bind(12, run.load.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    s.bind(13, run.record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    s.bindBlob(14, run.rowIds.data(), run.rowIds.size() * sizeof(int64_t), true);
    s.bindBlob(15, labels.data(), labels.size() * sizeof(int32_t), false);
    s.bind(16, run.softHash);
    s.step();
    return sqlite3_last_insert_rowid(db_);
}

std::vector<HistoryRun> RunHistory::list(const HistoryFilter& filter) const
{
    std::string sql = std::string("SELECT ") + kColumns + " FROM runs WHERE 1";
    // Methods are kept by id; lists show their names ("Gaussian mixture"), which match too.
    std::vector<std::string> named;
    for (const auto& m : builtinRegistry().all())
        if (!filter.text.empty() &&
            lower(m.displayName).find(lower(filter.text)) != std::string::npos)
            named.push_back(m.id);
    if (!filter.text.empty())
    {
        sql += " AND (method LIKE ?1 ESCAPE '\\' OR dataset LIKE ?1 ESCAPE '\\' OR device LIKE "
               "?1 ESCAPE '\\' OR origin LIKE ?1 ESCAPE '\\' OR record LIKE ?1 ESCAPE '\\'";
        for (size_t i = 0; i < named.size(); ++i)
            sql += " OR method = ?" + std::to_string(i + 3);
        sql += ")";
    }
    if (!filter.method.empty())
        sql += " AND method = ?2";
    sql += " ORDER BY id DESC";
    if (filter.limit > 0)
        sql += " LIMIT " + std::to_string(filter.limit);
    Statement s(db_, path_, sql);
    if (!filter.text.empty())
        s.bind(1, likePattern(filter.text));
    if (!filter.method.empty())
        s.bind(2, filter.method);
    for (size_t i = 0; i < named.size(); ++i)
        s.bind(static_cast<int>(i + 3), named[i]);
    std::vector<HistoryRun> out;
    while (s.step())
        out.push_back(rowFrom(s));
    return out;
}

std::optional<HistoryRun> RunHistory::find(int64_t id) const
{
    Statement s(db_, path_,
                std::string("SELECT ") + kColumns +
                    ", row_ids, labels, soft_hash FROM runs WHERE id = ?1");
    s.bind(1, id);
    if (!s.step())
        return std::nullopt;
    HistoryRun r = rowFrom(s);
    r.rowIds = s.blob<int64_t>(14);
    const auto labels = s.blob<int32_t>(15);
    r.labels.assign(labels.begin(), labels.end());
    r.softHash = s.text(16);
    return r;
}

bool RunHistory::remove(int64_t id)
{
    Statement s(db_, path_, "DELETE FROM runs WHERE id = ?1");
    s.bind(1, id);
    s.step();
    const bool removed = sqlite3_changes(db_) > 0;
    // Labels are most of the file: give their pages back to the disk.
    Statement vacuum(db_, path_, "PRAGMA incremental_vacuum");
    while (vacuum.step())
    {
    }
    return removed;
}

} // namespace clusterscope

#pragma once
// One run as the run history keeps it (run_history.h): the fields lists show and filter on,
// the run record (run_record.h) with everything else, how to read its data again, and its
// labels. Built the same way by the CLI and the GUI, so both write the same history.

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace clusterscope
{

struct HistoryRun
{
    int64_t id = 0;         // given by RunHistory::add, never reused
    std::string createdUtc; // "2026-12-06T22:40:01Z"; add() sets it when empty
    std::string origin;     // "cli" or "gui"
    std::string method;     // the registry's id ("kmeans")
    std::string dataset;    // the first input's file name, as lists show it
    std::string inputHash;  // contentHash of the loaded dataset (fingerprint.h)
    uint64_t seed = 0;
    std::string device;   // where it really ran ("cpu", "cuda:0")
    int64_t rows = 0;     // rows clustered
    int64_t clusters = 0; // clusters found, noise apart
    double runSeconds = 0;
    std::map<std::string, double> metrics;
    // How to read its data again: {"paths": [...], "label_column", "id_column", "array"}, as
    // the loaders' options (LoadOptions); the Load-stage settings are in the record's settings.
    nlohmann::json load = nlohmann::json::object();
    nlohmann::json record = nlohmann::json::object(); // the run record
    // Each label's row in the loaded dataset; empty when they are rows 0..rows-1 in order.
    std::vector<int64_t> rowIds;
    std::vector<int64_t> labels; // one per clustered row, -1 noise; empty in list()'s answers
    std::string softHash;        // tensorHash of the soft assignments ("" : the method has none)

    // The loaded row of label i.
    int64_t rowOf(size_t i) const { return rowIds.empty() ? static_cast<int64_t>(i) : rowIds[i]; }
};

// A history entry of a finished run: `record` as runRecord wrote it (its method, seed, device,
// input hash, metrics and timings are copied out of it), `load` as HistoryRun::load says,
// `rows` each label's loaded row (rows 0..N-1 in order are stored as empty), `labels` the run's
// and `soft` its soft assignments (undefined: none). Throws std::invalid_argument when rows and
// labels differ in length.
HistoryRun historyRunFrom(nlohmann::json record, nlohmann::json load, std::string origin,
                          const std::vector<int64_t>& rows, std::vector<int64_t> labels,
                          const at::Tensor& soft);

// How a run's labels compare with a history entry's, row by row on the rows both clustered.
struct LabelAgreement
{
    int64_t sharedRows = 0; // rows both clustered
    int64_t onlyOne = 0;    // rows one of them clustered and the other did not
    int64_t differing = 0;  // shared rows whose cluster ids differ
    double ari = 0;         // adjusted Rand index on the shared rows (1: same partition)
    bool sameSoft = false;  // the soft assignments' hashes match (both have some)
    bool identical() const { return onlyOne == 0 && differing == 0 && sharedRows > 0; }
};
LabelAgreement compareLabels(const HistoryRun& stored, const std::vector<int64_t>& rows,
                             const std::vector<int64_t>& labels, const std::string& softHash);

// "identical labels on all 150 rows (and identical soft assignments)", or "labels differ on
// 12 of 150 rows (ARI 0.973)", ...: what a re-run's comparison says to a person.
std::string describeAgreement(const LabelAgreement& agreement);

} // namespace clusterscope

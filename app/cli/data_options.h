#pragma once
// The options every command shares: which data, how to prepare it, where to compute.

#include "arguments.h"

#include <clusterscope/core/dataset.h>
#include <clusterscope/core/device.h>
#include <clusterscope/io/loaders.h>
#include <clusterscope/io/output.h>

#include <optional>
#include <string>
#include <vector>

namespace clusterscope::cli
{

struct DataOptions
{
    std::vector<std::string> paths;
    LoadOptions load;
    int64_t subset = 0; // keep a seeded random sample of this many rows (0: all)
    std::string scale = "none";
    int64_t pca = 0; // reduce to this many components (0: keep the features)
    std::string pcaSolver = "exact";

    static DataOptions take(Arguments& args);
    static const char* help();
    Json describe() const;
};

// Loads, subsets, scales and reduces the data as the options say.
Dataset prepareDataset(const DataOptions& options, uint64_t seed, bool verbose);

struct ComputeOptions
{
    std::string device = "auto";
    ThreadSettings threads;
    uint64_t seed = 0;

    static ComputeOptions take(Arguments& args);
    static const char* help();
    // Applies the thread settings and resolves the device.
    c10::Device apply() const;
};

// Writes a report to `out` (atomically) or, without a path, to standard output.
void emitReport(const Json& report, const std::optional<std::string>& out);

// Versions and build facts recorded with every run and benchmark.
Json environmentRecord(const c10::Device& device);

} // namespace clusterscope::cli

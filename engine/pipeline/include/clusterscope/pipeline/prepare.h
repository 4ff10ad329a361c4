#pragma once
// Data preparation, the first step of every run: the missing-value policy (for every format),
// a seeded subset, scaling and PCA, in that order. The CLI, the GUI and the tests prepare data
// here alone, so the same settings give the same features everywhere.

#include <clusterscope/core/dataset.h>
#include <clusterscope/pipeline/run_settings.h>

#include <cstdint>
#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

struct PreparedData
{
    Dataset data;                    // what the method sees: N' x D' float32 on the CPU
    std::vector<int64_t> sourceRows; // each row's index in the loaded dataset
                                     // (data.inputRow(i): its row in the input file)
    std::string inputHash;           // contentHash of the loaded dataset
    int64_t loadedRows = 0;          // input rows before the missing-value policy and the subset
    int64_t droppedRows = 0;         // rows the missing-value policy dropped (loader's included)
    int64_t imputedValues = 0;       // values the missing-value policy imputed (loader's too)
    double pcaVarianceKept = -1;     // fraction of variance the PCA kept (-1: no PCA)
    // centringNotes of the loaded dataset: columns float32 could not hold at their offset. The
    // offsets stay in data.featureOffsets while the columns are the loaded ones (no scaling, no
    // PCA), and are cleared otherwise.
    std::vector<std::string> centringNotes;
};

// Throws ParameterError for an unknown scaling or a PCA of more components than the data have,
// DataError when dropping rows leaves none. Runs on the CPU; polls `progress`.
PreparedData prepareData(const Dataset& loaded, const RunSettings& settings, Progress& progress);

} // namespace clusterscope

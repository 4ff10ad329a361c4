#pragma once
// Dataset loaders, chosen by content and extension: CSV/TSV, NPY, NPZ and IDX (plain or .gz).

#include <clusterscope/core/dataset.h>

#include <string>
#include <vector>

namespace clusterscope
{

class Progress;

enum class MissingPolicy
{
    Error,      // stop with a message naming the row and the column
    Drop,       // drop rows that have a missing feature
    ImputeMean, // replace a missing feature by its column mean
};

// "error", "drop", "impute-mean"; parsing throws ParameterError naming --missing.
std::vector<std::string> missingPolicyNames();
MissingPolicy parseMissingPolicy(const std::string& text);

struct LoadOptions
{
    // A column name, or a 0-based index ("0", "-1" for the last), or "last". Empty: a column
    // named label/class/target is used when there is one.
    std::string labelColumn;
    MissingPolicy missing = MissingPolicy::Error;
    // For IDX images: look for the labels file beside the images file.
    bool findCompanionLabels = true;
    // For .npz archives: the array that holds the features. Empty: the only array, else one
    // named X/data/features/embedding, else the only one with two or more dimensions. The labels
    // are `labelColumn` (an array name) or an array named y/labels/target.
    std::string array;
};

// Names of the formats the loaders understand, as `detectFormat` returns them.
std::string detectFormat(const std::string& path); // "csv", "tsv", "npy", "npz", "idx", "idx-dir"

// Loads one file, or a folder of IDX files (e.g. Fashion-MNIST: train and t10k concatenated).
Dataset loadDataset(const std::string& path, const LoadOptions& options = {},
                    Progress* progress = nullptr);

// Loads several files and concatenates their rows (e.g. train and test parts). An IDX labels
// file in the list is attached to the images file it belongs to.
Dataset loadDatasets(const std::vector<std::string>& paths, const LoadOptions& options = {},
                     Progress* progress = nullptr);

Dataset loadCsv(const std::string& path, const LoadOptions& options, Progress& progress);
Dataset loadNpy(const std::string& path);
Dataset loadNpz(const std::string& path, const LoadOptions& options);
Dataset loadIdx(const std::string& imagesPath, const std::string& labelsPath);

// For "train-images-idx3-ubyte.gz", the path of "train-labels-idx1-ubyte.gz" when it exists.
std::string findIdxLabels(const std::string& imagesPath);

} // namespace clusterscope

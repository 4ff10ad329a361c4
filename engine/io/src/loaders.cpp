// Chooses a loader by content (magic bytes) first and extension second, and joins several
// files (train + test parts, images + labels) into one dataset.

#include "file_bytes.h"

#include <clusterscope/core/enum_table.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/io/loaders.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace clusterscope
{

namespace
{

bool isIdxName(const std::string& name)
{
    return name.find("idx1") != std::string::npos || name.find("idx3") != std::string::npos ||
           name.find("-ubyte") != std::string::npos;
}

bool isIdxLabelsFile(const std::string& path)
{
    return fs::path(path).filename().string().find("idx1") != std::string::npos;
}

// IDX images files in a folder, training parts first (train, then t10k/test).
std::vector<std::string> idxImagesIn(const std::string& dir)
{
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(dir))
    {
        const auto name = entry.path().filename().string();
        if (entry.is_regular_file() && name.find("idx3") != std::string::npos)
        {
            found.push_back(entry.path().string());
        }
    }
    std::sort(found.begin(), found.end(),
              [](const std::string& a, const std::string& b)
              {
                  const bool ta = a.find("train") != std::string::npos;
                  const bool tb = b.find("train") != std::string::npos;
                  return ta != tb ? ta : a < b;
              });
    return found;
}

} // namespace

namespace
{

const EnumTable<MissingPolicy>& missingPolicies()
{
    static const EnumTable<MissingPolicy> table = {{MissingPolicy::Error, "error"},
                                                   {MissingPolicy::Drop, "drop"},
                                                   {MissingPolicy::ImputeMean, "impute-mean"}};
    return table;
}

} // namespace

std::vector<std::string> missingPolicyNames()
{
    return missingPolicies().names();
}

MissingPolicy parseMissingPolicy(const std::string& text)
{
    return missingPolicies().parse(text, "--missing");
}

std::string detectFormat(const std::string& path)
{
    std::error_code ec;
    if (fs::is_directory(path, ec))
    {
        if (!idxImagesIn(path).empty())
        {
            return "idx-dir";
        }
        throw DataError(path + ": this folder holds no IDX images files (*-images-idx3-ubyte); "
                               "image folders are not supported yet");
    }
    if (!fs::exists(path, ec))
    {
        throw DataError(path + ": no such file");
    }
    std::ifstream in(path, std::ios::binary);
    char magic[6] = {};
    in.read(magic, 6);
    const auto got = in.gcount();
    const auto name = fs::path(path).filename().string();
    if (got == 0)
    {
        throw DataError(path + ": the file is empty");
    }
    if (got >= 6 && std::string_view(magic, 6) == "\x93NUMPY")
    {
        return "npy";
    }
    if (got >= 4 && std::string_view(magic, 4) == "PK\x03\x04")
    {
        return "npz"; // a zip archive: NumPy's savez
    }
    const bool gz = got >= 2 && static_cast<unsigned char>(magic[0]) == 0x1f &&
                    static_cast<unsigned char>(magic[1]) == 0x8b;
    const bool idxMagic =
        got >= 4 && magic[0] == 0 && magic[1] == 0 && magic[2] >= 0x08 && magic[2] <= 0x0E;
    if (idxMagic || (gz && isIdxName(name)))
    {
        return "idx";
    }
    const bool tabs =
        name.find(".tsv") != std::string::npos || name.find(".tab") != std::string::npos;
    if (gz && !tabs && name.find(".csv") == std::string::npos)
    {
        throw DataError(path + ": a gzip file that is neither IDX nor .csv.gz/.tsv.gz");
    }
    return tabs ? "tsv" : "csv";
}

Dataset loadDataset(const std::string& path, const LoadOptions& options, Progress* progress)
{
    return loadDatasets({path}, options, progress);
}

Dataset loadDatasets(const std::vector<std::string>& paths, const LoadOptions& options,
                     Progress* progress)
{
    Progress& p = progress ? *progress : nullProgress();
    if (paths.empty())
    {
        throw DataError("no data file was given");
    }
    // Expand folders, and set IDX labels files aside to pair them with their images.
    std::vector<std::string> files;
    std::vector<std::string> labelFiles;
    for (const auto& path : paths)
    {
        const auto format = detectFormat(path);
        if (format == "idx-dir")
        {
            for (const auto& f : idxImagesIn(path))
            {
                files.push_back(f);
            }
        }
        else if (format == "idx" && isIdxLabelsFile(path))
        {
            labelFiles.push_back(path);
        }
        else
        {
            files.push_back(path);
        }
    }
    if (files.empty())
    {
        throw DataError(paths.front() + ": only IDX labels files were given; add the images file");
    }
    Dataset all;
    for (size_t i = 0; i < files.size(); ++i)
    {
        throwIfCancelled(p);
        const auto& file = files[i];
        const double span = 1.0 / static_cast<double>(files.size());
        ProgressRange stage(p, span * static_cast<double>(i), span * static_cast<double>(i + 1));
        const auto format = detectFormat(file);
        Dataset part;
        if (format == "npy")
        {
            part = loadNpy(file);
        }
        else if (format == "npz")
        {
            part = loadNpz(file, options);
        }
        else if (format == "idx")
        {
            std::string labels;
            const auto wanted = findIdxLabels(file);
            for (const auto& l : labelFiles)
            {
                if (!wanted.empty() && fs::equivalent(l, wanted))
                {
                    labels = l;
                }
            }
            if (labels.empty() && labelFiles.size() == 1 && files.size() == 1)
            {
                labels = labelFiles.front(); // one images file and one labels file: a pair
            }
            if (labels.empty() && options.findCompanionLabels)
            {
                labels = wanted;
            }
            part = loadIdx(file, labels);
        }
        else
        {
            part = loadCsv(file, options, stage);
        }
        stage.report(1.0, "loaded " + file);
        all = i == 0 ? std::move(part) : concatenateRows(all, part);
    }
    return all;
}

} // namespace clusterscope

// Chooses a loader by content (magic bytes) first and extension second, and joins several
// files (train + test parts, images + labels) into one dataset.

#include "file_access.h"
#include "images/image_folder.h"

#include <clusterscope/core/enum_table.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/io/loaders.h>

#include <c10/util/Exception.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <new>
#include <sys/stat.h>

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
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    for (; !ec && it != fs::directory_iterator(); it.increment(ec))
    {
        const auto name = it->path().filename().string();
        std::error_code typeError;
        if (it->is_regular_file(typeError) && name.find("idx3") != std::string::npos)
        {
            found.push_back(it->path().string());
        }
    }
    if (ec)
    {
        throw DataError(openFailure(dir, ec.value()));
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

// One file by its format; an IDX images file takes its labels file from `labelFiles` or from
// beside it.
Dataset loadByFormat(const std::string& file, const std::vector<std::string>& labelFiles,
                     size_t fileCount, const LoadOptions& options, Progress& stage)
{
    const auto format = detectFormat(file);
    // Only archives hold several arrays to choose from: elsewhere --array would be ignored.
    if (!options.array.empty() && format != "npz" && format != "h5ad" && format != "hdf5")
        throw ParameterError(file + ": --array (\"" + options.array +
                             "\") picks an array in an "
                             ".npz, .h5ad or HDF5 file; a " +
                             format + " file holds one table: leave --array out");
    if (format == "npy")
    {
        return loadNpy(file, options);
    }
    if (format == "npz")
    {
        return loadNpz(file, options);
    }
    if (format == "h5ad" || format == "hdf5")
    {
        return loadHdf5(file, options);
    }
    if (format == "images")
    {
        return loadImageFolder(file, options, stage);
    }
    if (format != "idx")
    {
        return loadCsv(file, options, stage);
    }
    std::string labels;
    const auto wanted = findIdxLabels(file);
    for (const auto& l : labelFiles)
    {
        if (!wanted.empty() && fs::equivalent(l, wanted))
        {
            labels = l;
        }
    }
    if (labels.empty() && labelFiles.size() == 1 && fileCount == 1)
    {
        labels = labelFiles.front(); // one images file and one labels file: a pair
    }
    if (labels.empty() && options.findCompanionLabels)
    {
        labels = wanted;
    }
    return loadIdx(file, wantsNoLabels(options.labelColumn) ? std::string() : labels, options);
}

// Every failure as a DataError naming the file, whatever raised it.
Dataset loadOne(const std::string& file, const std::vector<std::string>& labelFiles,
                size_t fileCount, const LoadOptions& options, Progress& stage)
{
    try
    {
        return loadByFormat(file, labelFiles, fileCount, options, stage);
    }
    catch (const c10::Error& e)
    {
        // A check inside LibTorch the loader's own checks missed: still the file's fault.
        const std::string what = e.what_without_backtrace();
        throw DataError(file + ": cannot be read (" + what.substr(0, what.find('\n')) + ")");
    }
    catch (const std::bad_alloc&)
    {
        throw DataError(file + ": not enough memory to load it");
    }
    catch (const fs::filesystem_error& e)
    {
        throw DataError(file + ": " + e.code().message());
    }
}

} // namespace

namespace
{

const EnumTable<MissingPolicy>& missingPolicies()
{
    static const EnumTable<MissingPolicy> table = {{MissingPolicy::Error, "error"},
                                                   {MissingPolicy::Drop, "drop"},
                                                   {MissingPolicy::ImputeMean, "impute-mean"},
                                                   {MissingPolicy::ImputeMedian, "impute-median"}};
    return table;
}

} // namespace

std::vector<std::string> missingPolicyNames()
{
    return missingPolicies().names();
}

bool wantsNoLabels(const std::string& labelColumn)
{
    return labelColumn == "none" || labelColumn == "-none-";
}

MissingPolicy parseMissingPolicy(const std::string& text)
{
    return missingPolicies().parse(text, "--missing");
}

std::string detectFormat(const std::string& path)
{
    // stat, not open: a FIFO must not block us, and a folder is fine here.
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) != 0)
    {
        throw DataError(openFailure(path, errno));
    }
    if (S_ISDIR(st.st_mode))
    {
        if (!idxImagesIn(path).empty())
        {
            return "idx-dir";
        }
        if (holdsImages(path))
        {
            return "images";
        }
        throw DataError(path + ": this folder holds no IDX images files (*-images-idx3-ubyte) "
                               "and no PNG or JPEG images, in it or in class subfolders");
    }
    const std::string head = readFileHead(path, 8); // refuses FIFOs, devices, unreadable files
    const char* magic = head.data();
    const auto got = head.size();
    const auto name = fs::path(path).filename().string();
    if (got == 0)
    {
        throw DataError(path + ": the file is empty");
    }
    if (got >= 6 && std::string_view(magic, 6) == "\x93NUMPY")
    {
        return "npy";
    }
    const auto extension = fs::path(path).extension().string();
    std::string lowerExtension = extension;
    std::transform(lowerExtension.begin(), lowerExtension.end(), lowerExtension.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const bool hdf5Magic = got >= 8 && std::string_view(magic, 8) == "\x89HDF\r\n\x1a\n";
    if (hdf5Magic || lowerExtension == ".h5ad" || lowerExtension == ".h5" ||
        lowerExtension == ".hdf5")
    {
        return lowerExtension == ".h5ad" ? "h5ad" : "hdf5"; // the loader checks the signature
    }
    if (got >= 4 && std::string_view(magic, 4) == "PK\x03\x04")
    {
        return "npz"; // a zip archive: NumPy's savez
    }
    const bool gz = got >= 2 && static_cast<unsigned char>(magic[0]) == 0x1f &&
                    static_cast<unsigned char>(magic[1]) == 0x8b;
    const bool idxMagic =
        got >= 4 && magic[0] == 0 && magic[1] == 0 && magic[2] >= 0x08 && magic[2] <= 0x0E;
    // A binary format's name sends the file to that format's reader, which names what is wrong
    // with it, never to the CSV reader.
    if (extension == ".npy" || extension == ".NPY")
    {
        return "npy";
    }
    if (extension == ".npz" || extension == ".NPZ")
    {
        return "npz";
    }
    const bool tabs =
        name.find(".tsv") != std::string::npos || name.find(".tab") != std::string::npos;
    const bool textName =
        tabs || name.find(".csv") != std::string::npos || name.find(".txt") != std::string::npos;
    if (idxMagic || (isIdxName(name) && (gz || !textName)))
    {
        return "idx";
    }
    if (gz && !tabs && name.find(".csv") == std::string::npos)
    {
        throw DataError(path + ": a gzip file that is neither IDX nor .csv.gz/.tsv.gz; name it "
                               "*.csv.gz or *-idx3-ubyte.gz as it is, or gunzip it");
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
    // The same file twice (by name, link or hard link) would double every row without a word.
    for (size_t i = 0; i < paths.size(); ++i)
        for (size_t j = 0; j < i; ++j)
        {
            std::error_code ec;
            if (fs::equivalent(paths[i], paths[j], ec) && !ec)
                throw DataError(paths[i] + ": given twice (as '" + paths[j] +
                                "'); give each file once");
        }
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
        Dataset part = loadOne(file, labelFiles, files.size(), options, stage);
        stage.report(1.0, "loaded " + file);
        all = i == 0 ? std::move(part) : concatenateRows(all, part);
    }
    return all;
}

} // namespace clusterscope

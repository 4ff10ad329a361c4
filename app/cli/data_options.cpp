#include "data_options.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/embed/preprocess.h>

#include <algorithm>
#include <iostream>
#include <numeric>
#include <random>

namespace clusterscope::cli
{

namespace
{

int takeThreadCount(Arguments& args, const std::string& flag, int fallback)
{
    const auto n = args.takeInt(flag, fallback);
    if (n < 0 || n > 4096)
        throw ParameterError(flag + " must be between 0 (all cores) and 4096, not " +
                             std::to_string(n));
    return static_cast<int>(n);
}

} // namespace

DataOptions DataOptions::take(Arguments& args)
{
    DataOptions o;
    o.paths = args.takeAll("--data");
    o.load.labelColumn = args.takeOr("--label-column", "");
    o.load.array = args.takeOr("--array", "");
    o.load.missing = parseMissingPolicy(args.takeOr("--missing", "error"));
    o.subset = args.takeInt("--subset", 0);
    o.scale = args.takeOr("--scaling", "none");
    o.pca = args.takeInt("--pca", 0);
    o.pcaSolver = args.takeOr("--pca-solver", "exact");
    if (o.pcaSolver != "exact" && o.pcaSolver != "randomized")
    {
        throw ParameterError("--pca-solver: '" + o.pcaSolver + "' is not one of exact|randomized");
    }
    if (o.subset < 0 || o.pca < 0)
    {
        throw ParameterError("--subset and --pca must be positive");
    }
    return o;
}

const char* DataOptions::help()
{
    return "Data:\n"
           "  --data PATH            CSV/TSV, .npy, .npz, IDX (.gz) file, or a folder of IDX\n"
           "                         files; repeat to concatenate rows (train + test)\n"
           "  --label-column NAME    ground-truth column: a name, a 0-based index, 'last', or\n"
           "                         'none' for no labels (default: a column named label,\n"
           "                         labels, class or target, in any case, if present);\n"
           "                         in an .npz, the labels array (default: y/labels/target)\n"
           "  --array NAME           in an .npz, the features array (default: the only one,\n"
           "                         or X/data/features/embedding)\n"
           "  --missing POLICY       error|drop|impute-mean for empty/NA/NaN cells (error)\n"
           "  --subset N             keep a seeded random sample of N rows\n"
           "  --scaling METHOD       none|standardize|minmax|scale01 (none)\n"
           "  --pca M                reduce to M principal components\n"
           "  --pca-solver S         exact|randomized (exact)\n";
}

Json DataOptions::describe() const
{
    Json::Array files;
    for (const auto& p : paths)
    {
        files.emplace_back(p);
    }
    return Json::Object{{"paths", files},   {"label_column", load.labelColumn},
                        {"subset", subset}, {"scale", scale},
                        {"pca", pca},       {"pca_solver", pcaSolver}};
}

Dataset prepareDataset(const DataOptions& o, uint64_t seed, bool verbose)
{
    if (o.paths.empty())
    {
        throw ParameterError("--data PATH is required");
    }
    Dataset data = loadDatasets(o.paths, o.load);
    if (o.subset > 0 && o.subset < data.rows())
    {
        std::vector<int64_t> rows(static_cast<size_t>(data.rows()));
        std::iota(rows.begin(), rows.end(), 0);
        std::mt19937_64 rng(seed);
        std::shuffle(rows.begin(), rows.end(), rng);
        rows.resize(static_cast<size_t>(o.subset));
        std::sort(rows.begin(), rows.end());
        data = selectRows(data, rows);
    }
    data.features = applyScaling(data.features, o.scale);
    if (o.pca > 0)
    {
        PcaOptions p;
        p.components = o.pca;
        p.solver = o.pcaSolver == "randomized" ? PcaSolver::Randomized : PcaSolver::Exact;
        p.seed = seed;
        auto pca = fitPca(data.features, p);
        data.features = pca.transform(data.features).contiguous();
        data.featureNames.clear();
        for (int64_t c = 0; c < o.pca; ++c)
        {
            data.featureNames.push_back("PC" + std::to_string(c + 1));
        }
        data.imageShape.reset();
        if (verbose)
        {
            const double kept = pca.explainedVarianceRatio.sum().item<double>();
            std::cerr << "PCA: " << o.pca << " components keep " << kept * 100
                      << "% of the variance\n";
        }
    }
    return data;
}

ComputeOptions ComputeOptions::take(Arguments& args)
{
    ComputeOptions o;
    o.device = args.takeOr("--device", "auto");
    o.seed = static_cast<uint64_t>(args.takeInt("--seed", 0));
    o.threads.torchThreads = takeThreadCount(args, "--torch-threads", 1);
    o.threads.blasThreads = takeThreadCount(args, "--blas-threads", 0);
    return o;
}

const char* ComputeOptions::help()
{
    return "Compute:\n"
           "  --device D             auto|cpu|cuda|cuda:N (auto: CUDA when available)\n"
           "  --seed S               random seed; the same seed gives the same labels (0)\n"
           "  --torch-threads N      LibTorch intra-op threads, 0: all cores (1; see\n"
           "                         docs/performance.md)\n"
           "  --blas-threads N       OpenBLAS threads (0: all cores)\n";
}

c10::Device ComputeOptions::apply() const
{
    applyThreadSettings(threads);
    return resolveDevice(device);
}

void emitReport(const Json& report, const std::optional<std::string>& out)
{
    if (out)
    {
        writeFileAtomically(*out, report.dump());
    }
    else
    {
        std::cout << report.dump();
    }
}

Json environmentRecord(const c10::Device& device)
{
    return Json::Object{{"clusterscope", CLUSTERSCOPE_VERSION},
                        {"libtorch", torchVersion()},
                        {"blas", blasName()},
                        {"device", device.str()},
                        {"torch_threads", currentTorchThreads()},
                        {"blas_threads", currentBlasThreads()}};
}

} // namespace clusterscope::cli

// The dissimilarity matrix for k-medoids and the entry point that ties it to FasterPAM.

#include <clusterscope/cluster/kmedoids.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/centring.h>
#include <clusterscope/kernels/distance_scan.h>
#include <clusterscope/kernels/distances.h>
#include <clusterscope/kernels/parallel.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace clusterscope
{
namespace
{

void manhattan(const float* x, int64_t n, int64_t d, DissimilarityMatrix& out, Progress& progress)
{
    std::atomic<bool> stop{false};
    // Row pairs (r, n - 1 - r) give every thread equal work from the triangle.
    parallelSlices((n + 1) / 2, computeThreads(),
                   [&](int thread, int64_t begin, int64_t end)
                   {
                       auto fill = [&](int64_t i)
                       {
                           for (int64_t j = i; j < n; ++j)
                           {
                               float s = 0;
                               for (int64_t c = 0; c < d; ++c)
                                   s += std::abs(x[i * d + c] - x[j * d + c]);
                               out.values[static_cast<size_t>(i * n + j)] = s;
                               out.values[static_cast<size_t>(j * n + i)] = s;
                           }
                       };
                       // A row pair is O(N D) work: poll after each one (the throttling of
                       // reports lives in Progress).
                       for (int64_t r = begin; r < end && !stop; ++r)
                       {
                           fill(r);
                           if (n - 1 - r != r)
                               fill(n - 1 - r);
                           if (progress.cancelRequested())
                               stop = true;
                           if (thread == 0)
                               progress.reportThrottled(static_cast<double>(r - begin) /
                                                            static_cast<double>(end - begin),
                                                        [] { return "dissimilarities"; });
                       }
                   });
}

} // namespace

DissimilarityMatrix dissimilarities(const at::Tensor& xIn, Dissimilarity metric,
                                    Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    // Euclidean distances are taken on centred rows (far from zero the scan's norms would swamp
    // them); cosine is not translation invariant and manhattan subtracts directly, so those
    // only need the finiteness check.
    at::Tensor x;
    if (metric == Dissimilarity::Euclidean)
    {
        x = centreFeatures(xIn, "k-medoids", at::kFloat, &progress).rows.to(at::kCPU);
    }
    else
    {
        requireFiniteFeatures(xIn, "k-medoids", &progress);
        x = xIn.to(at::kCPU, at::kFloat).contiguous();
    }
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    if (n > kKMedoidsMaxRows)
        throw ParameterError("k-medoids keeps an N x N dissimilarity matrix (4 N^2 bytes) and "
                             "takes at most " +
                             std::to_string(kKMedoidsMaxRows) + " rows; the data has " +
                             std::to_string(n) + ": subsample with --subset, or use k-means");
    DissimilarityMatrix out{n, {}};
    // Zeroing 4 N^2 bytes takes a noticeable while (0.4 GB at 10^4 rows): by 4 MB, with polls.
    const auto size = static_cast<size_t>(n * n);
    out.values.reserve(size);
    while (out.values.size() < size)
    {
        progress.poll(0.0, [] { return "allocating the dissimilarity matrix"; });
        out.values.resize(std::min(size, out.values.size() + (size_t{1} << 20)));
    }
    if (metric == Dissimilarity::Manhattan)
    {
        manhattan(x.data_ptr<float>(), n, d, out, progress);
        throwIfCancelled(progress);
        return out;
    }
    if (metric == Dissimilarity::Cosine)
    {
        // On unit rows, 1 - cos = |a - b|^2 / 2. All-zero rows stay zero (distance 1 to all).
        x = x / at::linalg_vector_norm(x, 2, {1}, true).clamp_min(1e-30);
    }
    const auto sq = rowSquaredNorms(x).contiguous();
    const ScanRows rows{x.data_ptr<float>(), sq.data_ptr<float>(), n};
    const bool cosine = metric == Dissimilarity::Cosine;
    scanSquaredDistances(rows, rows, d, progress,
                         [&](int64_t q, int64_t r0, const float* d2, int64_t count)
                         {
                             float* row = out.values.data() + q * n + r0;
                             for (int64_t j = 0; j < count; ++j)
                                 row[j] = cosine ? 0.5F * d2[j] : std::sqrt(d2[j]);
                             if (q >= r0 && q < r0 + count)
                                 row[q - r0] = 0; // exactly, whatever the round-off
                         });
    throwIfCancelled(progress);
    return out;
}

KMedoidsResult kmedoids(const at::Tensor& x, const KMedoidsOptions& o, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    const int64_t n = x.size(0);
    if (o.k < 1 || o.k > n)
        throw ParameterError("k must be between 1 and the number of rows (" + std::to_string(n) +
                             "); got " + std::to_string(o.k));
    KMedoidsResult result;
    {
        ProgressRange matrixStage(progress, 0.0, 0.3);
        const auto d = dissimilarities(x, o.metric, &matrixStage);
        ProgressRange initStage(progress, 0.3, 0.5);
        auto start = o.init == MedoidInit::Build ? buildMedoids(d, o.k, &initStage)
                                                 : kmeansPlusPlusMedoids(d, o.k, o.seed);
        ProgressRange swapStage(progress, 0.5, 1.0);
        result = fasterPam(d, std::move(start), o.maxIter, &swapStage);
    }
    // Releasing the matrix takes tens of milliseconds at 10^4 rows: a stage of its own.
    progress.poll(1.0, [] { return "done"; });
    return result;
}

} // namespace clusterscope

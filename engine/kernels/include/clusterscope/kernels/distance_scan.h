#pragma once
// All-pairs squared distances without the N x N matrix: query rows are split among threads and
// meet the reference rows tile by tile (blocks of up to 128 queries x 2048 references, at most
// 1 MB of distances, cache-resident), through the dispatched dot kernel. Exact kNN, k-medoids'
// matrix and HDBSCAN*'s exhaustive edge queries scan this way on the CPU, instead of writing and
// re-reading N^2 floats.

#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/cpu_kernels.h>
#include <clusterscope/kernels/parallel.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <vector>

namespace clusterscope
{

struct ScanRows
{
    const float* rows = nullptr; // n x d, row-major
    const float* squaredNorms = nullptr;
    int64_t n = 0;
};

// Calls visit(queryIndex, referenceBegin, d2, count) with d2[j] = |q - r_(referenceBegin + j)|^2
// (clamped at 0). Each query index is visited by one thread only, in increasing reference order.
// Every thread polls `progress` after each block and all stop early when cancelled (the caller
// then throws).
template <typename Visit>
void scanSquaredDistances(const ScanRows& queries, const ScanRows& references, int64_t d,
                          Progress& progress, Visit&& visit)
{
    constexpr int64_t kReferenceTile = 2048;
    // Queries per block: up to 128, but no more than ~2^25 multiply-adds (a few ms), so the
    // polls between blocks stay well inside the progress contract whatever D is. The dot kernel
    // tiles 4 rows at a time, so smaller blocks cost nothing.
    constexpr int64_t kBlockMultiplyAdds = int64_t{1} << 25;
    const int64_t queryBlock = std::clamp<int64_t>(
        kBlockMultiplyAdds / (kReferenceTile * std::max<int64_t>(d, 1)), 8, 128);
    const double total = static_cast<double>(queries.n) * static_cast<double>(references.n);
    std::atomic<bool> stop{false};
    std::atomic<int64_t> done{0};
    parallelSlices(queries.n, computeThreads(),
                   [&](int thread, int64_t begin, int64_t end)
                   {
                       std::vector<float> tile(static_cast<size_t>(queryBlock * kReferenceTile));
                       // Reference tiles outermost, so a tile is packed once per thread.
                       for (int64_t r0 = 0; r0 < references.n && !stop; r0 += kReferenceTile)
                       {
                           const int64_t rn = std::min(kReferenceTile, references.n - r0);
                           const float* ref = references.rows + r0 * d;
                           const auto packed = cpu::prefersPacked(d) ? cpu::packForDots(ref, rn, d)
                                                                     : std::vector<float>{};
                           for (int64_t q0 = begin; q0 < end && !stop; q0 += queryBlock)
                           {
                               const int64_t qn = std::min(queryBlock, end - q0);
                               if (packed.empty())
                                   cpu::dots(queries.rows + q0 * d, qn, d, ref, rn, tile.data());
                               else
                                   cpu::dotsPacked(queries.rows + q0 * d, qn, d, packed.data(), rn,
                                                   tile.data());
                               cpu::toSquaredDistances(queries.squaredNorms + q0, qn,
                                                       references.squaredNorms + r0, rn,
                                                       tile.data());
                               for (int64_t q = 0; q < qn; ++q)
                                   visit(q0 + q, r0, tile.data() + q * rn, rn);
                               done += rn * qn;
                               // Every thread polls: a slice that outlasts thread 0's still stops
                               // promptly.
                               if (progress.cancelRequested())
                                   stop = true;
                               if (thread == 0)
                                   progress.reportThrottled(static_cast<double>(done) / total,
                                                            [] { return "distances"; });
                           }
                       }
                   });
}

} // namespace clusterscope

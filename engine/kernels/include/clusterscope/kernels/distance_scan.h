#pragma once
// All-pairs squared distances without the N x N matrix: query rows are split among threads and
// meet the reference rows tile by tile (128 x 2048 floats, 1 MB, cache-resident), through the
// dispatched dot kernel. Exact kNN and HDBSCAN*'s exhaustive edge queries scan this way on the
// CPU; the whole scan reads X N / 128 times instead of writing and re-reading N^2 floats.

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
// Polls `progress` after every 128 x 2048 block and stops early when cancelled (the caller
// then throws).
template <typename Visit>
void scanSquaredDistances(const ScanRows& queries, const ScanRows& references, int64_t d,
                          Progress& progress, Visit&& visit)
{
    constexpr int64_t kQueryBlock = 128;
    constexpr int64_t kReferenceTile = 2048;
    std::atomic<bool> stop{false};
    std::atomic<int64_t> done{0};
    parallelSlices(queries.n, computeThreads(),
                   [&](int thread, int64_t begin, int64_t end)
                   {
                       std::vector<float> tile(static_cast<size_t>(kQueryBlock * kReferenceTile));
                       // Reference tiles outermost, so a tile is packed once per thread.
                       for (int64_t r0 = 0; r0 < references.n && !stop; r0 += kReferenceTile)
                       {
                           const int64_t rn = std::min(kReferenceTile, references.n - r0);
                           const float* ref = references.rows + r0 * d;
                           const auto packed = cpu::prefersPacked(d) ? cpu::packForDots(ref, rn, d)
                                                                     : std::vector<float>{};
                           for (int64_t q0 = begin; q0 < end && !stop; q0 += kQueryBlock)
                           {
                               const int64_t qn = std::min(kQueryBlock, end - q0);
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
                               // Per query block (~0.4 GFLOP at D = 784), not per tile: a tile
                               // of a thread's whole slice takes seconds on large inputs.
                               if (thread == 0)
                               {
                                   stop = stop || progress.cancelRequested();
                                   progress.reportThrottled(
                                       static_cast<double>(done) /
                                           (static_cast<double>(queries.n) * references.n),
                                       [] { return "distances"; });
                               }
                           }
                       }
                   });
}

} // namespace clusterscope

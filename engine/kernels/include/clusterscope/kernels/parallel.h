#pragma once
// The fork-join loop of our own CPU kernels, on one process-wide pool of worker threads.
// LibTorch's intra-op pool is kept at one thread (see docs/performance.md), so the kernels
// bring their own threads; creating them on every call cost a clone and a join per slice.

#include <algorithm>
#include <cstdint>

namespace clusterscope
{

int computeThreads(); // the BLAS thread count, else the hardware's

namespace detail
{
// Runs slice(context, s) once for each s in [0, slices): slice 0 on the calling thread, the
// others on the pool's workers or, when none is free, on the calling thread too. Returns when
// all have returned; rethrows the exception of the lowest slice that threw (slices not yet
// started when one throws are skipped). Safe to call from inside a slice and from several
// threads at once: a caller never waits for a slice nobody has started.
void runSlices(int slices, void (*slice)(void* context, int s), void* context);
} // namespace detail

// Calls body(slice, begin, end) on contiguous slices of [0, n), `threads` of them at most.
// Which rows a slice gets depends on n and threads alone, never on which thread runs it, so
// per-slice partial results (indexed by `slice`) and their reduction order are the same on
// every run. Slice 0 runs on the calling thread: bodies may report progress from it.
template <typename Body> void parallelSlices(int64_t n, int threads, Body&& body)
{
    threads = static_cast<int>(std::clamp<int64_t>(threads, 1, std::max<int64_t>(1, n / 256)));
    if (threads == 1)
    {
        body(0, int64_t{0}, n);
        return;
    }
    struct Context
    {
        Body& body;
        int64_t n;
        int64_t step;
    } context{body, n, (n + threads - 1) / threads};
    detail::runSlices(
        threads,
        [](void* p, int s)
        {
            auto& c = *static_cast<Context*>(p);
            const int64_t begin = std::min(c.n, c.step * s);
            c.body(s, begin, std::min(c.n, begin + c.step));
        },
        &context);
}

} // namespace clusterscope

#pragma once
// A plain fork-join loop over std::threads for our own CPU kernels. LibTorch's intra-op pool
// is kept at one thread (see docs/performance.md), so the kernels bring their own threads.

#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

namespace clusterscope
{

int computeThreads(); // the BLAS thread count, else the hardware's

// Calls body(thread, begin, end) on contiguous slices of [0, n), one per thread.
template <typename Body> void parallelSlices(int64_t n, int threads, Body&& body)
{
    threads = static_cast<int>(std::clamp<int64_t>(threads, 1, std::max<int64_t>(1, n / 256)));
    if (threads == 1)
    {
        body(0, int64_t{0}, n);
        return;
    }
    std::vector<std::thread> pool;
    const int64_t step = (n + threads - 1) / threads;
    for (int t = 1; t < threads; ++t)
    {
        const int64_t begin = std::min(n, step * t);
        const int64_t end = std::min(n, begin + step);
        pool.emplace_back([&body, t, begin, end] { body(t, begin, end); });
    }
    body(0, int64_t{0}, std::min(n, step));
    for (auto& th : pool)
    {
        th.join();
    }
}

} // namespace clusterscope

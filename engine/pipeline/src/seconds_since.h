#pragma once
// Wall time of a pipeline step, for the run record's timings.

#include <chrono>

namespace clusterscope
{

inline double secondsSince(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

} // namespace clusterscope

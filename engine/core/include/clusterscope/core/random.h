#pragma once
// Seeded randomness that is the same on every device: numbers are drawn on the host.

#include <cstdint>
#include <random>

namespace clusterscope
{

// Derives independent seeds for restarts and stages from one user seed (SplitMix64).
inline uint64_t deriveSeed(uint64_t seed, uint64_t stream)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (stream + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

using Rng = std::mt19937_64;

} // namespace clusterscope

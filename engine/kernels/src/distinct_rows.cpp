#include <clusterscope/kernels/distinct_rows.h>

#include <ATen/ATen.h>

#include <cstring>
#include <unordered_map>

namespace clusterscope
{

namespace
{

// FNV-1a over the rows' bit patterns, -0 read as 0 so that equal values hash alike.
uint64_t rowHash(const float* row, int64_t d)
{
    uint64_t h = 1469598103934665603ULL;
    for (int64_t c = 0; c < d; ++c)
    {
        const float v = row[c] == 0.0F ? 0.0F : row[c];
        uint32_t bits = 0;
        std::memcpy(&bits, &v, sizeof bits);
        h = (h ^ bits) * 1099511628211ULL;
    }
    return h;
}

bool sameRow(const float* a, const float* b, int64_t d)
{
    for (int64_t c = 0; c < d; ++c)
    {
        if (a[c] != b[c])
            return false;
    }
    return true;
}

} // namespace

DistinctRows distinctRows(const at::Tensor& xIn)
{
    const auto x = xIn.to(at::kCPU, at::kFloat).contiguous();
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    const float* data = x.data_ptr<float>();
    DistinctRows out;
    out.group.resize(static_cast<size_t>(n));
    // Each hash's first rows of each group; a collision of different rows only adds a
    // comparison.
    std::unordered_map<uint64_t, std::vector<int64_t>> firstRows;
    firstRows.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
    {
        const float* row = data + i * d;
        auto& candidates = firstRows[rowHash(row, d)];
        int64_t found = -1;
        for (const int64_t first : candidates)
        {
            if (sameRow(row, data + first * d, d))
            {
                found = out.group[static_cast<size_t>(first)];
                break;
            }
        }
        if (found < 0)
        {
            found = out.count++;
            candidates.push_back(i);
        }
        out.group[static_cast<size_t>(i)] = found;
    }
    return out;
}

} // namespace clusterscope

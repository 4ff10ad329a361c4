#pragma once
// Disjoint sets with path halving and union by size.

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

namespace clusterscope
{

class UnionFind
{
public:
    explicit UnionFind(int64_t n)
        : parent_(static_cast<size_t>(n)), size_(static_cast<size_t>(n), 1)
    {
        std::iota(parent_.begin(), parent_.end(), 0);
    }

    int64_t find(int64_t v)
    {
        while (parent_[static_cast<size_t>(v)] != v)
        {
            auto& p = parent_[static_cast<size_t>(v)];
            p = parent_[static_cast<size_t>(p)];
            v = p;
        }
        return v;
    }

    // False when a and b were already in one set.
    bool unite(int64_t a, int64_t b)
    {
        a = find(a);
        b = find(b);
        if (a == b)
            return false;
        if (size_[static_cast<size_t>(a)] < size_[static_cast<size_t>(b)])
            std::swap(a, b);
        parent_[static_cast<size_t>(b)] = a;
        size_[static_cast<size_t>(a)] += size_[static_cast<size_t>(b)];
        return true;
    }

private:
    std::vector<int64_t> parent_;
    std::vector<int64_t> size_;
};

} // namespace clusterscope

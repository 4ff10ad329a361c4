#pragma once
// Text values (a CSV column, an array of strings) as integer codes into their sorted names.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace clusterscope
{

// Collects a column's text cells as category codes, in sorted order of the category names.
struct CategoryBuilder
{
    std::vector<std::string> raw; // per kept row; empty = missing
    void finish(std::vector<int32_t>& codes, std::vector<std::string>& categories) const
    {
        std::set<std::string> unique;
        for (const auto& r : raw)
        {
            if (!r.empty())
            {
                unique.insert(r);
            }
        }
        categories.assign(unique.begin(), unique.end());
        std::map<std::string, int32_t> index;
        for (size_t i = 0; i < categories.size(); ++i)
        {
            index[categories[i]] = static_cast<int32_t>(i);
        }
        codes.clear();
        codes.reserve(raw.size());
        for (const auto& r : raw)
        {
            codes.push_back(r.empty() ? -1 : index[r]);
        }
    }
};

} // namespace clusterscope

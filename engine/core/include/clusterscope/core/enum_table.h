#pragma once
// One table per enumeration: it gives a Choice parameter its names and parses them back, so the
// choices a user sees and the ones the code accepts cannot drift apart.

#include <clusterscope/core/errors.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace clusterscope
{

template <class E> class EnumTable
{
public:
    EnumTable(std::initializer_list<std::pair<E, std::string>> entries) : entries_(entries) {}

    std::vector<std::string> names() const
    {
        std::vector<std::string> out;
        for (const auto& e : entries_)
            out.push_back(e.second);
        return out;
    }

    // Throws ParameterError naming `what` (a parameter or flag) and the accepted names.
    E parse(std::string_view text, std::string_view what) const
    {
        for (const auto& e : entries_)
            if (e.second == text)
                return e.first;
        std::string accepted;
        for (const auto& e : entries_)
            accepted += (accepted.empty() ? "" : "|") + e.second;
        throw ParameterError(std::string(what) + ": '" + std::string(text) + "' is not one of " +
                             accepted);
    }

    const std::string& name(E value) const
    {
        for (const auto& e : entries_)
            if (e.first == value)
                return e.second;
        throw ParameterError("an enumeration value has no name");
    }

private:
    std::vector<std::pair<E, std::string>> entries_;
};

} // namespace clusterscope

#include <clusterscope/core/errors.h>
#include <clusterscope/core/registry.h>

namespace clusterscope
{

void Registry::add(AlgorithmInfo info)
{
    if (find(info.id))
    {
        throw ParameterError("algorithm '" + info.id + "' is registered twice");
    }
    algorithms_.push_back(std::move(info));
}

const AlgorithmInfo* Registry::find(const std::string& id) const
{
    for (const auto& a : algorithms_)
    {
        if (a.id == id)
        {
            return &a;
        }
    }
    return nullptr;
}

const AlgorithmInfo& Registry::get(const std::string& id) const
{
    if (const auto* a = find(id))
    {
        return *a;
    }
    std::string known;
    for (const auto& a : algorithms_)
    {
        known += (known.empty() ? "" : ", ") + a.id;
    }
    throw ParameterError("unknown method '" + id + "': expected one of " + known);
}

} // namespace clusterscope

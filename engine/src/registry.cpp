#include "builtin_algorithms.h"

#include <clusterscope/errors.h>
#include <clusterscope/registry.h>

namespace clusterscope
{

const Registry& Registry::builtin()
{
    static const Registry registry = []
    {
        Registry r;
        r.add(kmeansAlgorithm());
        r.add(miniBatchKMeansAlgorithm());
        r.add(gmmAlgorithm());
        r.add(agglomerativeAlgorithm());
        r.add(hdbscanAlgorithm());
        r.add(kmedoidsAlgorithm());
        r.add(leidenAlgorithm());
        r.add(spectralAlgorithm());
        r.add(aeKMeansAlgorithm());
        r.add(decAlgorithm());
        r.add(idecAlgorithm());
        r.add(depictAlgorithm());
        return r;
    }();
    return registry;
}

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

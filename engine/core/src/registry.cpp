#include <clusterscope/core/errors.h>
#include <clusterscope/core/registry.h>

namespace clusterscope
{

std::string kindName(OperationKind kind)
{
    switch (kind)
    {
    case OperationKind::Clusterer:
        return "clusterer";
    case OperationKind::Reducer:
        return "reducer";
    case OperationKind::Layout:
        return "layout";
    case OperationKind::Explainer:
        return "explainer";
    }
    return "operation";
}

bool Registry::taken(const std::string& id) const
{
    return find(id) || findReducer(id) || findLayout(id) || findExplainer(id);
}

void Registry::add(AlgorithmInfo info)
{
    if (taken(info.id))
        throw ParameterError("operation '" + info.id + "' is registered twice");
    algorithms_.push_back(std::move(info));
}

void Registry::add(ReducerInfo info)
{
    if (taken(info.id))
        throw ParameterError("operation '" + info.id + "' is registered twice");
    reducers_.push_back(std::move(info));
}

void Registry::add(LayoutInfo info)
{
    if (taken(info.id))
        throw ParameterError("operation '" + info.id + "' is registered twice");
    layouts_.push_back(std::move(info));
}

void Registry::add(ExplainerInfo info)
{
    if (taken(info.id))
        throw ParameterError("operation '" + info.id + "' is registered twice");
    explainers_.push_back(std::move(info));
}

const ExplainerInfo* Registry::findExplainer(const std::string& id) const
{
    for (const auto& e : explainers_)
        if (e.id == id)
            return &e;
    return nullptr;
}

const ExplainerInfo& Registry::getExplainer(const std::string& id) const
{
    if (const auto* e = findExplainer(id))
        return *e;
    std::string known;
    for (const auto& e : explainers_)
        known += (known.empty() ? "" : ", ") + e.id;
    throw ParameterError("unknown explainer '" + id + "': expected one of " + known);
}

const LayoutInfo* Registry::findLayout(const std::string& id) const
{
    for (const auto& l : layouts_)
        if (l.id == id)
            return &l;
    return nullptr;
}

const LayoutInfo& Registry::getLayout(const std::string& id) const
{
    if (const auto* l = findLayout(id))
        return *l;
    std::string known;
    for (const auto& l : layouts_)
        known += (known.empty() ? "" : ", ") + l.id;
    throw ParameterError("unknown layout '" + id + "': expected one of " + known);
}

const ReducerInfo* Registry::findReducer(const std::string& id) const
{
    for (const auto& r : reducers_)
        if (r.id == id)
            return &r;
    return nullptr;
}

const ReducerInfo& Registry::getReducer(const std::string& id) const
{
    if (const auto* r = findReducer(id))
        return *r;
    std::string known;
    for (const auto& r : reducers_)
        known += (known.empty() ? "" : ", ") + r.id;
    throw ParameterError("unknown reducer '" + id + "': expected one of " + known);
}

std::vector<std::pair<OperationKind, const OperationInfo*>> Registry::operations() const
{
    std::vector<std::pair<OperationKind, const OperationInfo*>> out;
    for (const auto& a : algorithms_)
        out.emplace_back(OperationKind::Clusterer, &a);
    for (const auto& r : reducers_)
        out.emplace_back(OperationKind::Reducer, &r);
    for (const auto& l : layouts_)
        out.emplace_back(OperationKind::Layout, &l);
    for (const auto& e : explainers_)
        out.emplace_back(OperationKind::Explainer, &e);
    return out;
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

#include <clusterscope/cluster/algorithms.h>
#include <clusterscope/deep/algorithms.h>
#include <clusterscope/embed/reducers.h>
#include <clusterscope/explain/explainers.h>
#include <clusterscope/layout/layouts.h>
#include <clusterscope/pipeline/builtin.h>

namespace clusterscope
{

const Registry& builtinRegistry()
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
        r.add(n2dAlgorithm());
        r.add(gldcAlgorithm());
        r.add(pcaReducer());
        r.add(umapReducer());
        r.add(tsneReducer());
        r.add(hchcLayoutEntry());
        r.add(polyhedralExplainer());
        r.add(immExplainer());
        r.add(exkmcExplainer());
        r.add(profileExplainer());
        return r;
    }();
    return registry;
}

} // namespace clusterscope

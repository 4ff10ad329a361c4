#pragma once
// The registry entries of the classic clusterers, one per method folder (`<method>/register.cpp`
// maps the method's parameter schema onto its options). pipeline/ lists them in the built-in
// registry.

#include <clusterscope/core/registry.h>

namespace clusterscope
{

AlgorithmInfo kmeansAlgorithm();
AlgorithmInfo miniBatchKMeansAlgorithm();
AlgorithmInfo gmmAlgorithm();
AlgorithmInfo agglomerativeAlgorithm();
AlgorithmInfo hdbscanAlgorithm();
AlgorithmInfo kmedoidsAlgorithm();
AlgorithmInfo leidenAlgorithm();
AlgorithmInfo spectralAlgorithm();

} // namespace clusterscope

#pragma once
// Each built-in algorithm lives in its own file and is listed here once.

#include <clusterscope/registry.h>

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
AlgorithmInfo aeKMeansAlgorithm();
AlgorithmInfo decAlgorithm();
AlgorithmInfo idecAlgorithm();
AlgorithmInfo depictAlgorithm();

} // namespace clusterscope

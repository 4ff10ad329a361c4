#pragma once
// The registry entries of the deep clustering methods (deep/src/register.cpp).

#include <clusterscope/core/registry.h>

namespace clusterscope
{

AlgorithmInfo aeKMeansAlgorithm();
AlgorithmInfo decAlgorithm();
AlgorithmInfo idecAlgorithm();
AlgorithmInfo depictAlgorithm();
AlgorithmInfo n2dAlgorithm();
AlgorithmInfo gldcAlgorithm();

} // namespace clusterscope

#pragma once
// The registry entries of the layouts (layout/src/register.cpp).

#include <clusterscope/core/registry.h>

namespace clusterscope
{

LayoutInfo hchcLayoutEntry(); // "hchc": the Hamiltonian-cycle layout of HCHC (ICML 2023)

} // namespace clusterscope

#pragma once
// The registry entries of the explainers (explain/src/register.cpp).

#include <clusterscope/core/registry.h>

namespace clusterscope
{

ExplainerInfo polyhedralExplainer(); // "polyhedral": Lawless & Guenluek (ICML 2023)
ExplainerInfo immExplainer();        // "imm": IMM threshold tree (Dasgupta et al., ICML 2020)
ExplainerInfo exkmcExplainer();      // "exkmc": IMM grown to k' leaves (Frost et al., 2020)
ExplainerInfo profileExplainer();    // "profile": t-test / Wilcoxon rankings, prototypes

} // namespace clusterscope

#pragma once
// The registry entries of the reducers (embed/src/register.cpp).

#include <clusterscope/core/registry.h>

namespace clusterscope
{

ReducerInfo pcaReducer();
ReducerInfo umapReducer();
ReducerInfo tsneReducer();

} // namespace clusterscope

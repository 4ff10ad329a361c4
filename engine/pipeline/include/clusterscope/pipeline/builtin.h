#pragma once
// The registry of every built-in operation: the classic clusterers, the deep methods and the
// reducers.

#include <clusterscope/core/registry.h>

namespace clusterscope
{

const Registry& builtinRegistry();

} // namespace clusterscope

#pragma once
// The registry of every built-in operation: the classic clusterers and the deep methods.

#include <clusterscope/core/registry.h>

namespace clusterscope
{

const Registry& builtinRegistry();

} // namespace clusterscope

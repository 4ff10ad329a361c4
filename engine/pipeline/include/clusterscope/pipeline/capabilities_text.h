#pragma once
// Capabilities in words, for `clusterscope-cli methods`, docs/methods.md and the GUI's tooltips.

#include <clusterscope/core/registry.h>

#include <string>

namespace clusterscope
{

// "input: any table; devices: CPU, CUDA; outputs: labels, soft assignments; ..." in one line.
std::string describeCapabilities(const Capabilities& caps);

} // namespace clusterscope

#pragma once
// The one input validation of every run, after scikit-learn's check_array: the same fault gets
// the same clear error whatever the method, before the method starts.

#include <clusterscope/core/dataset.h>
#include <clusterscope/core/parameters.h>
#include <clusterscope/core/registry.h>

namespace clusterscope
{

// Checks `data` (as the method will see it) against the operation's capabilities and the
// number of clusters its parameters ask for.
// Throws DataError when the features are not an N x D float32 CPU tensor, hold a NaN or an
// infinite value (naming the first row and column, and the setting that fixes it), or exceed
// the magnitude the operation can train on (naming the scaling that fixes it).
// Throws ParameterError for zero or one row, fewer rows than clusters, a parameter that counts
// rows above what the data hold (ParamSpec::rowsExcluded), more rows than the
// operation accepts, or a table given to an operation that needs square images.
void validateInput(const Dataset& data, const OperationInfo& operation, const ParamSet& params);

// Why `operation` cannot run on `data`, or "" when it can: the same checks as validateInput
// that need no pass over the values (input kind, row limit, rows against the default number of
// clusters). The GUI offers only what can run.
std::string whyNotRunnable(const Dataset& data, const OperationInfo& operation);

} // namespace clusterscope

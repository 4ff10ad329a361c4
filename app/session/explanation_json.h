#pragma once
// An Explanation (core/explanation.h) as JSON and back, losslessly (NaN as null), for session
// files. Not the export format users read (explain/explain_export.h writes that, in the file's
// units); this one keeps every field as the engine made it.

#include <clusterscope/core/explanation.h>

#include <nlohmann/json.hpp>

namespace clusterscope
{

nlohmann::json explanationToJson(const Explanation& explanation);

// Throws nlohmann::json::exception when a field has the wrong kind.
Explanation explanationFromJson(const nlohmann::json& j);

} // namespace clusterscope

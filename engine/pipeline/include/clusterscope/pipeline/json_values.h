#pragma once
// Reading back what the records write (run_record.h's paramsJson, dumpJson): the files that
// keep parameters and numbers as JSON (saved reducer models, session files) share these.

#include <clusterscope/core/parameters.h>

#include <nlohmann/json.hpp>

namespace clusterscope
{

// A JSON number, or NaN for null (dumpJson writes NaN as null). Any device, any thread.
double numberFromJson(const nlohmann::json& value);

// `value` as a value of `spec`'s type (an Int, a Real (null: NaN), a Bool, a Choice or Text
// string). Throws nlohmann::json::exception when the JSON kind does not fit the type; the range
// is ParamSet::set's to check.
ParamValue paramValueFromJson(const ParamSpec& spec, const nlohmann::json& value);

} // namespace clusterscope

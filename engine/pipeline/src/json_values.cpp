#include <clusterscope/pipeline/json_values.h>

#include <limits>

namespace clusterscope
{

double numberFromJson(const nlohmann::json& value)
{
    return value.is_number() ? value.get<double>() : std::numeric_limits<double>::quiet_NaN();
}

ParamValue paramValueFromJson(const ParamSpec& spec, const nlohmann::json& value)
{
    switch (spec.type)
    {
    case ParamType::Int:
        return value.get<int64_t>();
    case ParamType::Real:
        return value.is_null() ? numberFromJson(value) : value.get<double>();
    case ParamType::Bool:
        return value.get<bool>();
    case ParamType::Choice:
    case ParamType::Text:
        break;
    }
    return value.get<std::string>();
}

} // namespace clusterscope

#pragma once
// Typed errors with messages a user can act on. Every message names what was wrong, where
// (file, row, column, parameter) and what was expected.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

namespace clusterscope
{

class Error : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// The input data is unreadable or malformed: the message names the file and the place.
class DataError : public Error
{
public:
    using Error::Error;
};

// Values so far from their column's mean that float32 cannot square their distances (a spread
// above ~1e19): every value is finite, but |a - b|^2 would overflow. The kernels name the value
// farthest from its mean by row and column index; the pipeline, which knows the columns' names
// and the rows' place in the file, rewords it with message().
class FeatureScaleError : public DataError
{
public:
    FeatureScaleError(std::string_view method_, int64_t row_, int64_t column_, double value_,
                      double mean_, double limit_)
        : DataError(compose(method_,
                            "row " + std::to_string(row_) + ", column " + std::to_string(column_),
                            value_, mean_, limit_)),
          method(method_), row(row_), column(column_), value(value_), mean(mean_), limit(limit_)
    {
    }
    // The message with `where` (e.g. "row 12, column 0 ('a')") for the place.
    std::string message(const std::string& where) const
    {
        return compose(method, where, value, mean, limit);
    }

    std::string method;
    int64_t row;
    int64_t column;
    double value;
    double mean;
    double limit; // the largest distance from the mean whose squares stay finite

private:
    static std::string compose(std::string_view method, const std::string& where, double value,
                               double mean, double limit)
    {
        const auto g = [](double v)
        {
            char text[32];
            std::snprintf(text, sizeof text, "%.3g", v);
            return std::string(text);
        };
        return std::string(method) + ": " + where + " is " + g(value) + ", " +
               g(std::abs(value - mean)) + " from its column's mean of " + g(mean) +
               ": every value is finite, but squared distances between rows this far apart "
               "overflow float32 (from " +
               g(limit) +
               " off the mean with this many columns). Rescale the data: --scaling standardize "
               "(or minmax) brings every column to a spread of about 1 before the method runs; "
               "or divide the column by a power of ten in the file";
    }
};

// A parameter is unknown, of the wrong type or out of range.
class ParameterError : public Error
{
public:
    using Error::Error;
};

// The requested device (e.g. CUDA) is not available in this build or on this machine.
class DeviceError : public Error
{
public:
    using Error::Error;
};

// Long work stopped because the user asked for it. Not a failure: callers report it as such.
class CancelledError : public Error
{
public:
    CancelledError() : Error("cancelled by the user") {}
};

} // namespace clusterscope

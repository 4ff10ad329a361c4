#pragma once
// Typed errors with messages a user can act on. Every message names what was wrong, where
// (file, row, column, parameter) and what was expected.

#include <stdexcept>
#include <string>

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

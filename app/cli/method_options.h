#pragma once
// Method flags generated from the registry's parameter schemas, and console progress.

#include "schema_flags.h"

#include <clusterscope/core/progress.h>
#include <clusterscope/core/registry.h>

#include <atomic>
#include <chrono>
#include <string>

namespace clusterscope::cli
{

// The flags of every registered method (--k, --n-init, ...), generated from their schemas, on
// one command. All of them are declared so that CLI11 binds each value to its flag wherever
// the method is named (bench's METHOD may follow them); params() then accepts the chosen
// method's flags only.
class MethodFlags
{
public:
    explicit MethodFlags(CLI::App& command);
    MethodFlags(const MethodFlags&) = delete;
    MethodFlags& operator=(const MethodFlags&) = delete;

    // `method`'s parameters as given. Throws ParameterError naming a flag given that is not
    // one of `method`'s, or a value outside its schema.
    ParamSet params(const AlgorithmInfo& method) const;

private:
    SchemaFlags flags_;
};

// The method named by --method (or the positional METHOD). Throws ParameterError listing the
// methods when `name` is empty or unknown.
const AlgorithmInfo& methodNamed(const std::string& name);
// The --help text of any operation: its name, summary and flags with defaults and ranges.
std::string methodHelp(const OperationInfo& method);
std::string methodList();

// Progress on stderr, at most a few lines a second; Ctrl-C asks the running work to stop.
class ConsoleProgress final : public Progress
{
public:
    explicit ConsoleProgress(bool quiet);
    ~ConsoleProgress() override;
    void report(double fraction, std::string_view message) override;
    bool cancelRequested() const override;

private:
    bool quiet_;
    std::chrono::steady_clock::time_point last_;
};

} // namespace clusterscope::cli

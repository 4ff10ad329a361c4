#pragma once
// Method flags generated from the registry's parameter schemas, and console progress.

#include "arguments.h"

#include <clusterscope/core/progress.h>
#include <clusterscope/core/registry.h>

#include <atomic>
#include <chrono>
#include <string>

namespace clusterscope::cli
{

// Takes "--method NAME" and that method's flags (e.g. --k, --n-init) from the arguments.
const AlgorithmInfo& takeMethod(Arguments& args, const std::string& fallback = "");
ParamSet takeMethodParams(Arguments& args, const AlgorithmInfo& method);
std::string methodHelp(const AlgorithmInfo& method);
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

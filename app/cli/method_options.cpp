#include "method_options.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/pipeline/builtin.h>

#include <algorithm>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace clusterscope::cli
{

const AlgorithmInfo& methodNamed(const std::string& name)
{
    if (name.empty())
        throw ParameterError("--method NAME is required; methods: " + methodList());
    return builtinRegistry().get(name);
}

MethodFlags::MethodFlags(CLI::App& command)
{
    for (const auto& method : builtinRegistry().all())
        flags_.add(command, method.params);
}

ParamSet MethodFlags::params(const AlgorithmInfo& method) const
{
    std::string foreign;
    for (const auto& flag : flags_.givenOutside(method.params))
        foreign += (foreign.empty() ? "" : ", ") + flag;
    if (!foreign.empty())
        throw ParameterError("unknown option(s) for " + method.id + ": " + foreign +
                             " (see run --help --method " + method.id + ")");
    return flags_.values(method.params);
}

std::string methodHelp(const OperationInfo& method)
{
    std::ostringstream out;
    out << method.displayName << " (" << method.id << "): " << method.summary << "\n";
    // One column for "--flag type", as wide as this method's longest, plus a space.
    size_t width = 0;
    for (const auto& p : method.params)
        width = std::max(width, p.flag().size() + 1 + p.typeName().size() + 1);
    const auto column = static_cast<int>(width);
    for (const auto& p : method.params)
    {
        out << "  " << std::left << std::setw(column) << (p.flag() + " " + p.typeName()) << p.help
            << "\n"
            << "  " << std::setw(column) << ""
            << "default " << formatValue(p.defaultValue) << ", range " << p.describeRange() << "\n";
    }
    return out.str();
}

std::string methodList()
{
    std::string out;
    for (const auto& a : builtinRegistry().all())
    {
        out += (out.empty() ? "" : ", ") + a.id;
    }
    return out;
}

namespace
{

std::atomic<bool> interrupted{false};

extern "C" void onInterrupt(int)
{
    interrupted.store(true);
}

} // namespace

ConsoleProgress::ConsoleProgress(bool quiet) : quiet_(quiet)
{
    interrupted.store(false);
    std::signal(SIGINT, onInterrupt);
}

ConsoleProgress::~ConsoleProgress()
{
    std::signal(SIGINT, SIG_DFL);
}

void ConsoleProgress::report(double fraction, std::string_view message)
{
    const auto now = std::chrono::steady_clock::now();
    if (quiet_ || now - last_ < std::chrono::milliseconds(500))
    {
        return;
    }
    last_ = now;
    std::cerr << "[" << std::setw(3) << static_cast<int>(fraction * 100) << "%] " << message
              << "\n";
}

bool ConsoleProgress::cancelRequested() const
{
    return interrupted.load();
}

} // namespace clusterscope::cli

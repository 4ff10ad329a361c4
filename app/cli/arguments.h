#pragma once
// Command-line arguments: "--name value", "--name=value", switches, and positionals.
// Each command takes the flags it knows; whatever is left over is reported as unknown.

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clusterscope::cli
{

class Arguments
{
public:
    // `switches` are flags that take no value (e.g. "--help").
    Arguments(std::vector<std::string> tokens, const std::set<std::string>& switches);

    std::optional<std::string> take(const std::string& flag);
    std::vector<std::string> takeAll(const std::string& flag);
    bool takeSwitch(const std::string& flag);
    std::string takeOr(const std::string& flag, const std::string& fallback);
    int64_t takeInt(const std::string& flag, int64_t fallback);
    double takeReal(const std::string& flag, double fallback);
    std::vector<std::string> takePositionals();

    // Throws ParameterError listing the flags no command took.
    void expectAllTaken() const;

private:
    struct Flag
    {
        std::string name;
        std::string value;
        bool taken = false;
    };
    std::vector<Flag> flags_;
    std::vector<std::string> positionals_;
};

} // namespace clusterscope::cli

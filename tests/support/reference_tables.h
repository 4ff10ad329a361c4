#pragma once
// What the tests that compare against Python references share: reading the numeric CSV tables
// tests/reference/*.py write, turning them into tensors, and holding OpenBLAS at a thread count
// for a scope (determinism checks).

#include <clusterscope/core/device.h>
#include <clusterscope/core/errors.h>

#include <ATen/ATen.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace reference
{

// Every line of `path` as numbers split at `separator`. Throws naming the script that writes it.
inline std::vector<std::vector<double>> readRows(const std::string& path, const std::string& script,
                                                 char separator = ',')
{
    std::ifstream in(path);
    if (!in)
        throw clusterscope::Error("missing fixture " + path + ": run " + script);
    std::vector<std::vector<double>> rows;
    for (std::string line; std::getline(in, line);)
    {
        std::vector<double> row;
        std::stringstream fields(line);
        for (std::string field; std::getline(fields, field, separator);)
            row.push_back(std::stod(field));
        rows.push_back(row);
    }
    return rows;
}

// Rows of equal length as an N x D float32 tensor.
inline at::Tensor matrix(const std::vector<std::vector<double>>& rows)
{
    auto m = at::empty({static_cast<int64_t>(rows.size()), static_cast<int64_t>(rows[0].size())},
                       at::kFloat);
    for (size_t i = 0; i < rows.size(); ++i)
        for (size_t j = 0; j < rows[i].size(); ++j)
            m[static_cast<int64_t>(i)][static_cast<int64_t>(j)] = rows[i][j];
    return m;
}

// OpenBLAS at `n` threads until the end of the scope.
class ScopedBlasThreads
{
public:
    explicit ScopedBlasThreads(int n) : old_(clusterscope::currentBlasThreads())
    {
        clusterscope::ThreadSettings s;
        s.blasThreads = n;
        clusterscope::applyBlasThreads(s);
    }
    ~ScopedBlasThreads()
    {
        clusterscope::ThreadSettings s;
        s.blasThreads = old_;
        clusterscope::applyBlasThreads(s);
    }
    ScopedBlasThreads(const ScopedBlasThreads&) = delete;
    ScopedBlasThreads& operator=(const ScopedBlasThreads&) = delete;

private:
    int old_;
};

} // namespace reference

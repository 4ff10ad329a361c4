#include "explain_input.h"

#include <clusterscope/core/errors.h>

#include <torch/torch.h>

#include <cmath>
#include <vector>

namespace clusterscope
{

CheckedInput checkExplainInput(const ExplainInput& input, int64_t minClusters)
{
    if (!input.features.defined() || input.features.dim() != 2)
        throw ParameterError("explain: the features must be an N x D matrix");
    CheckedInput in;
    in.x = input.features.to(torch::kCPU, torch::kFloat32).contiguous();
    in.data = in.x.data_ptr<float>();
    in.n = in.x.size(0);
    in.d = in.x.size(1);
    if (static_cast<int64_t>(input.labels.size()) != in.n)
        throw ParameterError("explain: " + std::to_string(input.labels.size()) + " labels for " +
                             std::to_string(in.n) + " rows; give one cluster id per row");
    if (in.d == 0)
        throw ParameterError("explain: the data have no feature columns");
    for (int64_t i = 0; i < in.n * in.d; ++i)
        if (!std::isfinite(in.data[i]))
            throw DataError("explain: row " + std::to_string(i / in.d) + ", column " +
                            std::to_string(i % in.d) +
                            " is not a finite number; drop or impute missing values first");
    for (auto c : input.labels)
        if (c < -1)
            throw ParameterError("explain: cluster id " + std::to_string(c) +
                                 " is not valid: ids are 0, 1, ... and -1 for noise");
        else
            in.k = std::max(in.k, c + 1);
    std::vector<char> present(static_cast<size_t>(in.k), 0);
    for (auto c : input.labels)
        if (c >= 0)
            present[static_cast<size_t>(c)] = 1;
    for (auto p : present)
        in.clusters += p;
    if (in.clusters < minClusters)
        throw ParameterError("explain: the labels hold " + std::to_string(in.clusters) +
                             " cluster(s) with rows; at least " + std::to_string(minClusters) +
                             " are needed to tell clusters apart");
    return in;
}

} // namespace clusterscope

#include <clusterscope/core/errors.h>
#include <clusterscope/core/tensor_io.h>

#include <ATen/ATen.h>

namespace clusterscope
{

at::Tensor matrixFromValues(const std::vector<float>& values, int64_t rows, int64_t cols)
{
    if (static_cast<int64_t>(values.size()) != rows * cols)
    {
        throw ParameterError("matrixFromValues: " + std::to_string(values.size()) +
                             " values do not fill " + std::to_string(rows) + " x " +
                             std::to_string(cols));
    }
    return at::tensor(values, at::kFloat).view({rows, cols});
}

std::vector<float> floatValues(const at::Tensor& t)
{
    auto c = t.detach().to(at::kCPU, at::kFloat).contiguous();
    return {c.data_ptr<float>(), c.data_ptr<float>() + c.numel()};
}

std::vector<int64_t> intValues(const at::Tensor& t)
{
    auto c = t.detach().to(at::kCPU, at::kLong).contiguous();
    return {c.data_ptr<int64_t>(), c.data_ptr<int64_t>() + c.numel()};
}

} // namespace clusterscope

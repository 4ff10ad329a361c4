#include <clusterscope/core/device.h>
#include <clusterscope/kernels/centring.h>
#include <clusterscope/kernels/cpu_kernels.h>
#include <clusterscope/kernels/distances.h>
#include <clusterscope/kernels/parallel.h>

#include <ATen/ATen.h>

namespace clusterscope
{

int computeThreads()
{
    const int blas = currentBlasThreads();
    const auto hw = static_cast<int>(std::thread::hardware_concurrency());
    return blas > 0 ? blas : std::max(1, hw);
}

at::Tensor softAssignments(const at::Tensor& xIn, const at::Tensor& centers, double inertia,
                           double temperature)
{
    // In the data's centred frame, or the norms of data far from zero swamp the distances.
    const auto x = centreFeatures(xIn.to(centers.device()), "soft assignments");
    return softAssignmentsCentred(x.rows, rowSquaredNorms(x.rows), x.centre(centers), inertia,
                                  temperature);
}

at::Tensor softAssignmentsCentred(const at::Tensor& rows, const at::Tensor& rowsSq,
                                  const at::Tensor& centers, double inertia, double temperature)
{
    const auto d2 = squaredDistances(rows, rowsSq, centers);
    const double scale = std::max(inertia / static_cast<double>(rows.size(0)), 1e-30);
    return at::softmax(d2.mul_(-1.0 / (temperature * scale)), 1).to(at::kCPU);
}

bool usesCpuKernels(const at::Tensor& x)
{
    return x.device().is_cpu() && x.scalar_type() == at::kFloat && x.is_contiguous() &&
           x.dim() == 2;
}

at::Tensor rowSquaredNorms(const at::Tensor& x)
{
    return at::linalg_vector_norm(x, 2, {1}).square();
}

at::Tensor squaredDistances(const at::Tensor& x, const at::Tensor& xSq, const at::Tensor& c)
{
    auto cSq = rowSquaredNorms(c).contiguous();
    if (usesCpuKernels(x) && usesCpuKernels(xSq.unsqueeze(1)) && c.size(0) <= 256)
    {
        auto cc = c.contiguous();
        const int64_t n = x.size(0);
        const int64_t m = cc.size(0);
        const int64_t d = x.size(1);
        auto out = at::empty({n, m}, x.options());
        parallelSlices(n, computeThreads(),
                       [&](int, int64_t begin, int64_t end)
                       {
                           cpu::squaredDistances(x.data_ptr<float>() + begin * d,
                                                 xSq.data_ptr<float>() + begin, end - begin, d,
                                                 cc.data_ptr<float>(), cSq.data_ptr<float>(), m,
                                                 out.data_ptr<float>() + begin * m);
                       });
        return out;
    }
    auto d = at::addmm(cSq.unsqueeze(0), x, c.t(), 1, -2);
    return d.add_(xSq.unsqueeze(1)).clamp_min_(0);
}

} // namespace clusterscope

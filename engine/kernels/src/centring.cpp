#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/centring.h>
#include <clusterscope/kernels/parallel.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace clusterscope
{
namespace
{

// Rows per block: about 2^20 values (8 MB in float64), some milliseconds of work, so a cancel
// polled between blocks is seen promptly whatever N and D are.
int64_t blockRows(int64_t d)
{
    return std::max<int64_t>(1, (int64_t{1} << 20) / std::max<int64_t>(d, 1));
}

void pollCancel(const Progress* progress)
{
    if (progress)
        throwIfCancelled(*progress);
}

// Calls body(begin, end) on consecutive blocks of [0, n) rows, polling between them.
template <typename Body>
void forEachBlock(int64_t n, int64_t d, const Progress* progress, Body&& body)
{
    const int64_t step = blockRows(d);
    for (int64_t s = 0; s < n; s += step)
    {
        pollCancel(progress);
        body(s, std::min(n, s + step));
    }
}

[[noreturn]] void throwNonFinite(const at::Tensor& x, std::string_view method)
{
    std::string where;
    const auto bad = at::logical_not(at::isfinite(x)).nonzero();
    if (bad.size(0) > 0)
    {
        const auto first = bad[0].to(at::kCPU);
        where = " (first at row " + std::to_string(first[0].item<int64_t>()) + ", column " +
                std::to_string(first[1].item<int64_t>()) + ")";
    }
    throw DataError(std::string(method) + ": the features contain NaN or infinite values" + where +
                    "; choose a missing-value policy when loading");
}

void checkShape(const at::Tensor& x, std::string_view method)
{
    if (x.dim() != 2)
        throw ParameterError(std::string(method) + " expects an N x D matrix; got " +
                             std::to_string(x.dim()) + " dimensions");
}

// The CPU float32 paths below read x in place, once, with no transient tensors: on
// Fashion-MNIST's 60000 x 784 the block-wise LibTorch path spent most of its time faulting in
// fresh float64 blocks.
bool isPlainCpuFloat(const at::Tensor& x)
{
    return x.device().is_cpu() && x.scalar_type() == at::kFloat && x.is_contiguous();
}

// One pass over CPU float32 rows: per-column sums, and the total sum of squares and the
// largest |value| that tell whether the rows need centring at all.
struct ColumnMoments
{
    at::Tensor sum;     // D float64
    double sumSq = 0;   // sum over all values of value^2
    double largest = 0; // max |value|
};

ColumnMoments cpuColumnMoments(const at::Tensor& x, const Progress* progress)
{
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    const float* data = x.data_ptr<float>();
    const int threads = computeThreads();
    std::vector<std::vector<double>> partial(static_cast<size_t>(threads),
                                             std::vector<double>(static_cast<size_t>(d), 0.0));
    std::vector<double> squares(static_cast<size_t>(threads), 0.0);
    std::vector<float> largest(static_cast<size_t>(threads), 0.0f);
    forEachBlock(n, d, progress,
                 [&](int64_t first, int64_t last)
                 {
                     parallelSlices(last - first, threads,
                                    [&](int t, int64_t begin, int64_t end)
                                    {
                                        const auto ti = static_cast<size_t>(t);
                                        double* sum = partial[ti].data();
                                        double sq = 0;
                                        float top = largest[ti];
                                        for (int64_t i = first + begin; i < first + end; ++i)
                                            for (int64_t j = 0; j < d; ++j)
                                            {
                                                const double v = data[i * d + j];
                                                sum[j] += v;
                                                sq += v * v;
                                                top = std::max(top, std::abs(data[i * d + j]));
                                            }
                                        squares[ti] += sq;
                                        largest[ti] = top;
                                    });
                 });
    ColumnMoments out;
    out.sum = at::zeros({d}, x.options().dtype(at::kDouble));
    double* total = out.sum.data_ptr<double>();
    for (size_t t = 0; t < partial.size(); ++t)
    {
        for (size_t j = 0; j < partial[t].size(); ++j)
            total[j] += partial[t][j];
        out.sumSq += squares[t];
        out.largest = std::max(out.largest, double{largest[t]});
    }
    return out;
}

// True when float32 loses nothing that matters to the rows' offset: |mean|^2 at most 16 times
// their total variance. The round-off of |x|^2 - 2 x.c + |c|^2 grows with |x|^2 ~ (1 + r) times
// the variance, so such rows lose at most a factor 17 over centred ones, about 1e-6 of a
// distance: below what any clustering can notice, and a centred copy would buy nothing
// (Fashion-MNIST's pixels have r = 1.37).
bool offsetIsNegligible(const ColumnMoments& m, int64_t n)
{
    if (n == 0)
        return true;
    const auto rows = static_cast<double>(n);
    const double meanSq = (m.sum / rows).square().sum().item<double>();
    const double totalVariance = m.sumSq / rows - meanSq;
    return meanSq <= 16.0 * totalVariance;
}

// Writes x - mean into rows (both N x D float32) and returns the largest |x - mean|.
double cpuCentre(const at::Tensor& x, const at::Tensor& mean, at::Tensor& rows,
                 const Progress* progress)
{
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    const float* in = x.data_ptr<float>();
    const double* m = mean.data_ptr<double>();
    float* out = rows.data_ptr<float>();
    const int threads = computeThreads();
    std::vector<double> largest(static_cast<size_t>(threads), 0.0);
    forEachBlock(n, d, progress,
                 [&](int64_t first, int64_t last)
                 {
                     parallelSlices(last - first, threads,
                                    [&](int t, int64_t begin, int64_t end)
                                    {
                                        double top = largest[static_cast<size_t>(t)];
                                        for (int64_t i = first + begin; i < first + end; ++i)
                                            for (int64_t j = 0; j < d; ++j)
                                            {
                                                const auto v =
                                                    static_cast<float>(in[i * d + j] - m[j]);
                                                out[i * d + j] = v;
                                                top = std::max(top, double{std::abs(v)});
                                            }
                                        largest[static_cast<size_t>(t)] = top;
                                    });
                 });
    return *std::max_element(largest.begin(), largest.end());
}

} // namespace

void requireFiniteFeatures(const at::Tensor& x, std::string_view method, const Progress* progress)
{
    checkShape(x, method);
    forEachBlock(x.size(0), x.size(1), progress,
                 [&](int64_t first, int64_t last)
                 {
                     if (!at::isfinite(x.narrow(0, first, last - first)).all().item<bool>())
                         throwNonFinite(x, method);
                 });
}

at::Tensor finiteColumnMeans(const at::Tensor& x, std::string_view method, const Progress* progress)
{
    checkShape(x, method);
    const int64_t n = x.size(0);
    at::Tensor sum;
    if (isPlainCpuFloat(x))
        sum = cpuColumnMoments(x, progress).sum;
    else
    {
        sum = at::zeros({x.size(1)}, x.options().dtype(at::kDouble));
        forEachBlock(n, x.size(1), progress,
                     [&](int64_t first, int64_t last)
                     { sum += x.narrow(0, first, last - first).to(at::kDouble).sum(0); });
    }
    // float32 values are below 3.5e38, so a float64 sum is finite exactly when every value is.
    if (!at::isfinite(sum).all().item<bool>())
        throwNonFinite(x, method);
    return n > 0 ? sum / static_cast<double>(n) : sum;
}

at::Tensor CentredFeatures::restore(const at::Tensor& centred) const
{
    return (centred.to(at::kDouble) + mean.to(centred.device())).to(centred.scalar_type());
}

at::Tensor CentredFeatures::centre(const at::Tensor& points) const
{
    return (points.to(at::kDouble) - mean.to(points.device())).to(points.scalar_type());
}

CentredFeatures centreFeatures(const at::Tensor& x, std::string_view method, at::ScalarType dtype,
                               const Progress* progress)
{
    CentredFeatures c;
    const int64_t n = x.size(0);
    double largest = -1; // not known yet
    if (dtype == at::kFloat && isPlainCpuFloat(x))
    {
        checkShape(x, method);
        const auto moments = cpuColumnMoments(x, progress);
        if (!at::isfinite(moments.sum).all().item<bool>())
            throwNonFinite(x, method);
        if (offsetIsNegligible(moments, n))
        {
            // The rows themselves, uncopied: no second N x D matrix in memory.
            c.rows = x;
            c.mean = at::zeros_like(moments.sum);
            largest = moments.largest;
        }
        else
        {
            c.mean = n > 0 ? moments.sum / static_cast<double>(n) : moments.sum;
            c.rows = at::empty(x.sizes(), x.options());
            largest = cpuCentre(x, c.mean, c.rows, progress);
        }
    }
    else
    {
        c.mean = finiteColumnMeans(x, method, progress);
        c.rows = at::empty(x.sizes(), x.options().dtype(dtype));
        forEachBlock(n, x.size(1), progress,
                     [&](int64_t first, int64_t last)
                     {
                         c.rows.narrow(0, first, last - first)
                             .copy_(x.narrow(0, first, last - first).to(at::kDouble) - c.mean);
                     });
    }
    if (dtype == at::kFloat && n > 0)
    {
        // Squared distances must stay finite in float32: |a - b|^2 <= D (2 max|x|)^2.
        if (largest < 0)
        {
            const auto [low, high] = at::aminmax(c.rows);
            largest = std::max(-low.item<double>(), high.item<double>());
        }
        const double limit =
            std::sqrt(std::numeric_limits<float>::max() / (4.0 * static_cast<double>(x.size(1))));
        if (largest >= limit)
        {
            const auto flat = c.rows.abs().reshape({-1}).argmax().item<int64_t>();
            const int64_t row = flat / x.size(1);
            const int64_t col = flat % x.size(1);
            // The column's own mean: `c.mean` is zero where the rows were left uncentred.
            const double mean = x.select(1, col).to(at::kDouble).mean().item<double>();
            throw FeatureScaleError(method, row, col, x[row][col].item<double>(), mean, limit);
        }
    }
    return c;
}

} // namespace clusterscope

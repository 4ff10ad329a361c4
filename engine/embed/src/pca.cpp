// PCA, exact or randomized. The exact solver accumulates the covariance in float64 by blocks
// and finds its leading eigenpairs (symmetric_eigen.h: polled Lanczos for few components,
// LAPACK for many); the randomized one (Halko, Martinsson & Tropp 2011) never forms the centred
// matrix: (X - 1 mu^T) W = X W - 1 (mu^T W). Every pass over the rows goes by blocks with a
// cancel poll between them.

#include "symmetric_eigen.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/embed/preprocess.h>
#include <clusterscope/kernels/centring.h>

#include <ATen/ATen.h>

#include <algorithm>

namespace clusterscope
{

namespace
{

constexpr int64_t kBlock = 16384;
constexpr int64_t kMaxExactDims = 8192;

// Sign convention (scikit-learn's svd_flip on the components): the largest-magnitude loading of
// each component is positive, so that repeated fits and both eigensolvers agree.
at::Tensor fixSigns(const at::Tensor& components)
{
    auto idx = components.abs().argmax(1, true);
    auto signs = components.gather(1, idx).sign();
    signs = at::where(signs == 0, at::ones_like(signs), signs);
    return components * signs;
}

// Rows per covariance block: a block costs 2 * rows * D^2 flops, about 2.7e8 (tens of
// milliseconds), so polling between blocks keeps a cancel prompt whatever N and D are.
int64_t covarianceBlockRows(int64_t d)
{
    return std::clamp<int64_t>((int64_t{1} << 27) / std::max<int64_t>(1, d * d), 16, kBlock);
}

// Rows per block of a pass that converts to float64 and multiplies by a D x width matrix: about
// 2^21 elements and 2^26 flops, a few milliseconds, so a poll between blocks stays prompt.
int64_t passBlockRows(int64_t d, int64_t width)
{
    const int64_t byElements = (int64_t{1} << 21) / std::max<int64_t>(1, d);
    const int64_t byFlops = (int64_t{1} << 26) / std::max<int64_t>(1, d * width);
    return std::clamp<int64_t>(std::min(byElements, byFlops), 16, kBlock);
}

at::Tensor totalVariance(const at::Tensor& x, const at::Tensor& mean, Progress& progress)
{
    auto total = at::zeros({}, x.options().dtype(at::kDouble));
    const int64_t step = passBlockRows(x.size(1), 1);
    for (int64_t s = 0; s < x.size(0); s += step)
    {
        throwIfCancelled(progress);
        auto b = x.narrow(0, s, std::min(step, x.size(0) - s)).to(at::kDouble) - mean;
        total += b.square().sum();
    }
    return total / static_cast<double>(x.size(0) - 1);
}

PcaResult exactPca(const at::Tensor& x, const at::Tensor& mean, int64_t m, Progress& progress)
{
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    if (d > kMaxExactDims)
    {
        throw ParameterError("exact PCA forms a " + std::to_string(d) + " x " + std::to_string(d) +
                             " covariance; above " + std::to_string(kMaxExactDims) +
                             " features use the randomized solver");
    }
    auto cov = at::zeros({d, d}, x.options().dtype(at::kDouble));
    const int64_t step = covarianceBlockRows(d);
    for (int64_t s = 0; s < n; s += step)
    {
        progress.poll(0.9 * static_cast<double>(s) / static_cast<double>(n),
                      [] { return "PCA covariance"; });
        auto b = x.narrow(0, s, std::min(step, n - s)).to(at::kDouble) - mean;
        cov.addmm_(b.t(), b);
    }
    cov /= static_cast<double>(n - 1);
    progress.poll(0.9, [] { return "PCA eigenvectors"; });
    const auto total = cov.diagonal().sum().clamp_min(0); // the sum of all eigenvalues
    auto [values, vectors] = leadingEigenpairs(cov, m, progress);
    progress.poll(0.95, [] { return "PCA components"; });
    PcaResult r;
    r.mean = mean.to(x.device());
    r.components = fixSigns(vectors).to(x.device(), at::kFloat);
    r.explainedVariance = values.clamp_min(0).cpu();
    r.explainedVarianceRatio = r.explainedVariance / total.cpu();
    return r;
}

PcaResult randomizedPca(const at::Tensor& x, const at::Tensor& mean, const PcaOptions& o,
                        Progress& progress)
{
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    const int64_t m = o.components;
    const int64_t l = std::min(m + o.oversamples, std::min(n, d));
    const int64_t power = o.powerIterations >= 0 ? o.powerIterations
                          : (m < static_cast<int64_t>(0.1 * static_cast<double>(std::min(n, d))))
                              ? 7
                              : 4;
    // Gaussian test matrix from a host generator: the same on every device.
    Rng rng(deriveSeed(o.seed, 7));
    std::normal_distribution<double> gauss;
    std::vector<double> omegaHost(static_cast<size_t>(d * l));
    for (auto& v : omegaHost)
    {
        v = gauss(rng);
    }
    // Products with the centred matrix by row blocks, converted to float64 one block at a time.
    auto muRow = mean.unsqueeze(0);
    const int64_t step = passBlockRows(d, l);
    auto apply = [&](const at::Tensor& w) // Xc W, N x l
    {
        auto out = at::empty({n, l}, w.options());
        for (int64_t s = 0; s < n; s += step)
        {
            throwIfCancelled(progress);
            const int64_t len = std::min(step, n - s);
            out.narrow(0, s, len).copy_(at::mm(x.narrow(0, s, len).to(at::kDouble), w));
        }
        return out - at::mm(muRow, w);
    };
    auto applyT = [&](const at::Tensor& y) // Xc^T Y, D x l
    {
        auto out = at::zeros({d, y.size(1)}, y.options());
        for (int64_t s = 0; s < n; s += step)
        {
            throwIfCancelled(progress);
            const int64_t len = std::min(step, n - s);
            out.addmm_(x.narrow(0, s, len).to(at::kDouble).t(), y.narrow(0, s, len));
        }
        return out - muRow.t() * y.sum(0, true);
    };
    auto omega = at::tensor(omegaHost, at::kDouble).view({d, l}).to(x.device());
    auto q = std::get<0>(at::linalg_qr(apply(omega)));
    for (int64_t i = 0; i < power; ++i)
    {
        throwIfCancelled(progress);
        auto z = std::get<0>(at::linalg_qr(applyT(q)));
        q = std::get<0>(at::linalg_qr(apply(z)));
        progress.report(0.9 * static_cast<double>(i + 1) / static_cast<double>(power + 1),
                        "randomized PCA");
    }
    auto b = applyT(q).t(); // l x D: B = Q^T Xc
    // Right singular vectors of B from the small l x l problem B B^T.
    auto [values, vectors] = symmetricEigen(at::mm(b, b.t()));
    auto u = vectors.narrow(0, 0, m).to(x.device()); // m x l
    auto s = values.narrow(0, 0, m).clamp_min(1e-300).sqrt().to(x.device());
    auto components = at::mm(u, b) / s.unsqueeze(1);
    PcaResult r;
    r.mean = mean;
    r.components = fixSigns(components).to(at::kFloat);
    r.explainedVariance = values.narrow(0, 0, m).clamp_min(0) / static_cast<double>(n - 1);
    r.explainedVarianceRatio = r.explainedVariance / totalVariance(x, mean, progress).cpu();
    return r;
}

} // namespace

at::Tensor PcaResult::transform(const at::Tensor& x, Progress* progress) const
{
    // Centred in float64 by blocks: a float32 mean of data far from zero is off by up to half
    // its ulp, which would shift every projection.
    const Progress& p = progress ? *progress : nullProgress();
    auto out = at::empty({x.size(0), components.size(0)}, x.options().dtype(components.dtype()));
    const auto basis = components.t().to(x.device());
    const auto mu = mean.to(x.device(), at::kDouble);
    const int64_t step = passBlockRows(x.size(1), components.size(0));
    for (int64_t s = 0; s < x.size(0); s += step)
    {
        throwIfCancelled(p);
        const int64_t len = std::min(step, x.size(0) - s);
        const auto centred = (x.narrow(0, s, len).to(at::kDouble) - mu).to(basis.scalar_type());
        out.narrow(0, s, len).copy_(at::mm(centred, basis));
    }
    return out;
}

PcaResult fitPca(const at::Tensor& x, const PcaOptions& options, Progress* progress)
{
    Progress& p = progress ? *progress : nullProgress();
    if (x.dim() != 2 || x.size(0) < 2)
    {
        throw ParameterError("PCA needs an N x D matrix with at least 2 rows");
    }
    const int64_t limit = std::min(x.size(0), x.size(1));
    if (options.components < 1 || options.components > limit)
    {
        throw ParameterError("PCA: " + std::to_string(options.components) +
                             " components requested; expected 1 to " + std::to_string(limit));
    }
    auto mean = finiteColumnMeans(x, "PCA", &p);
    auto r = options.solver == PcaSolver::Exact ? exactPca(x, mean, options.components, p)
                                                : randomizedPca(x, mean, options, p);
    r.explainedVariance = r.explainedVariance.cpu();
    r.explainedVarianceRatio = r.explainedVarianceRatio.cpu();
    p.report(1.0, "PCA done");
    return r;
}

} // namespace clusterscope

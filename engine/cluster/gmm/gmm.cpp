// EM for Gaussian mixtures, following scikit-learn's GaussianMixture: log-densities through the
// Cholesky factors of the precisions, the E-step's mean log-likelihood as the lower bound, and
// convergence when it changes by less than tol.

#include <clusterscope/cluster/gmm.h>
#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/kernels/centring.h>
#include <clusterscope/kernels/cpu_kernels.h>
#include <clusterscope/kernels/parallel.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

namespace clusterscope
{

namespace
{

// scikit-learn adds 10 * machine epsilon to each component's weight, so none is ever zero.
constexpr double kCountFloor = 10 * std::numeric_limits<double>::epsilon();

// The data as the EM steps use it. For diagonal and spherical covariances the log-density is
// linear in [x, x^2] (or [x, |x|^2]), so both steps are one GEMM each against `lifted`.
struct Data
{
    at::Tensor x;      // N x D float64
    at::Tensor lifted; // N x 2D for diag, N x (D + 1) for spherical; undefined otherwise
};

Data prepare(const at::Tensor& x, CovarianceType type)
{
    Data d{x, {}};
    if (type == CovarianceType::Diagonal)
        d.lifted = at::cat({x, x * x}, 1);
    else if (type == CovarianceType::Spherical)
        d.lifted = at::cat({x, (x * x).sum(1, true)}, 1);
    return d;
}

struct Params
{
    at::Tensor weights;
    at::Tensor means;
    at::Tensor covariances;
    at::Tensor precisionCholesky; // inverse Cholesky factor (transposed), or 1 / sqrt(variance)
};

at::Tensor addToDiagonal(at::Tensor m, double value)
{
    m.diagonal(0, -2, -1).add_(value);
    return m;
}

// Every covariance type refuses a collapsed component the same way, as scikit-learn does, and
// so does a fit whose likelihood stops being finite: a result with NaN is never returned.
[[noreturn]] void throwCollapsed(double reg)
{
    throw Error("Gaussian mixture: a component's covariance is not positive definite (a "
                "collapsed or duplicated cluster) at reg_covar = " +
                std::to_string(reg) + "; increase reg_covar (e.g. 1e-6) or lower k");
}

// Full and tied variances come from deviations x - m, whose round-off is near eps |m|: a
// collapsed component leaves variances of (eps m)^2, not 0, which Cholesky would accept as a
// tiny spread (in one dimension, or on every axis) and turn into a made-up likelihood.
void refuseCollapsed(const at::Tensor& variances, const at::Tensor& meanSquares, double reg)
{
    const double roundOff = 16 * std::numeric_limits<double>::epsilon();
    if (reg == 0 && (variances <= roundOff * roundOff * meanSquares).any().item<bool>())
        throwCollapsed(reg);
}

// The upper-triangular U with U^T U = inverse(cov): scikit-learn's precisions_cholesky_.
at::Tensor precisionCholeskyOf(const at::Tensor& cov, double reg)
{
    auto [chol, info] = at::linalg_cholesky_ex(cov);
    if (info.ne(0).any().item<bool>())
        throwCollapsed(reg);
    auto eye = at::eye(cov.size(-1), cov.options()).expand_as(cov);
    return at::linalg_solve_triangular(chol, eye, /*upper=*/false).transpose(-2, -1);
}

// K x D x D covariances one component at a time: each factorisation of Fashion-MNIST's
// 784 x 784 takes tens of milliseconds, so a cancel is polled between them.
at::Tensor precisionCholeskyOf(const at::Tensor& cov, double reg, Progress& progress)
{
    auto out = at::empty_like(cov);
    for (int64_t c = 0; c < cov.size(0); ++c)
    {
        progress.poll(0.0, [] { return "M-step"; });
        out[c].copy_(precisionCholeskyOf(cov[c], reg));
    }
    return out;
}

// M-step of the lifted form from the raw sums: counts sum r (K) and moments sum r z (K x L).
// The variance is E[x^2] - mean^2 + reg, as scikit-learn computes it.
Params fromMoments(const at::Tensor& counts, const at::Tensor& moments, int64_t d, int64_t n,
                   CovarianceType type, double reg)
{
    Params p;
    auto nk = counts + kCountFloor;
    auto m = moments / nk.unsqueeze(1);
    p.means = m.narrow(1, 0, d).clone();
    auto meanSq = p.means.square();
    // E[x^2] - mean^2 keeps the round-off of E[x^2]: a variance within a few ulps of it is a
    // collapsed component's zero, not a tiny spread that would make up a huge likelihood.
    auto secondMoment = type == CovarianceType::Diagonal ? m.narrow(1, d, d) : m.select(1, d);
    auto variance =
        type == CovarianceType::Diagonal ? secondMoment - meanSq : secondMoment - meanSq.sum(1);
    const double ulps = 64 * std::numeric_limits<double>::epsilon();
    variance = at::where(variance <= ulps * secondMoment, at::zeros_like(variance), variance);
    if (type == CovarianceType::Spherical)
        variance = variance / static_cast<double>(d);
    p.covariances = variance + reg;
    if (!(p.covariances > 0).all().item<bool>())
        throwCollapsed(reg);
    p.precisionCholesky = p.covariances.rsqrt();
    p.weights = nk / static_cast<double>(n);
    return p;
}

// Rows per block of the full and tied steps: a block costs about 2 * rows * D^2 flops (some
// 10^8), so polling once per block keeps a cancel prompt whatever N and D are.
int64_t blockRows(int64_t d)
{
    return std::max<int64_t>(16, (int64_t{1} << 26) / std::max<int64_t>(1, d * d));
}

// sum over rows of (w x)^T x, one row block at a time, polling between blocks.
at::Tensor weightedGram(const at::Tensor& x, const at::Tensor& w, Progress& progress)
{
    const int64_t n = x.size(0);
    const int64_t rows = blockRows(x.size(1));
    auto gram = at::zeros({x.size(1), x.size(1)}, x.options());
    for (int64_t b = 0; b < n; b += rows)
    {
        progress.poll(0.0, [] { return "M-step"; });
        const auto xb = x.narrow(0, b, std::min(rows, n - b));
        const auto wx = w.defined() ? w.narrow(0, b, xb.size(0)).unsqueeze(1) * xb : xb;
        gram.addmm_(wx.t(), xb);
    }
    return gram;
}

Params maximize(const Data& data, const at::Tensor& resp, CovarianceType type, double reg,
                Progress& progress)
{
    const auto& x = data.x;
    Params p;
    auto nk = resp.sum(0) + kCountFloor;
    if (data.lifted.defined())
    {
        // One GEMM gives sum r x and sum r x^2 (or sum r |x|^2).
        return fromMoments(resp.sum(0), resp.t().mm(data.lifted), x.size(1), x.size(0), type, reg);
    }
    p.means = resp.t().mm(x) / nk.unsqueeze(1);
    switch (type)
    {
    case CovarianceType::Full:
    {
        const int64_t k = resp.size(1);
        p.covariances = at::empty({k, x.size(1), x.size(1)}, x.options());
        for (int64_t c = 0; c < k; ++c)
        {
            auto diff = x - p.means[c];
            p.covariances[c].copy_(weightedGram(diff, resp.select(1, c), progress) / nk[c]);
        }
        refuseCollapsed(p.covariances.diagonal(0, -2, -1), p.means.square(), reg);
        addToDiagonal(p.covariances, reg);
        p.precisionCholesky = precisionCholeskyOf(p.covariances, reg, progress);
        break;
    }
    case CovarianceType::Tied:
    {
        // From the deviations, as the full type: scikit-learn's E[xx^T] - E[m m^T] leaves
        // round-off where a constant feature should give an exact zero that reg_covar = 0
        // must refuse.
        p.covariances = at::zeros({x.size(1), x.size(1)}, x.options());
        for (int64_t c = 0; c < resp.size(1); ++c)
            p.covariances += weightedGram(x - p.means[c], resp.select(1, c), progress);
        p.covariances /= nk.sum();
        refuseCollapsed(p.covariances.diagonal(), std::get<0>(p.means.square().max(0)), reg);
        p.covariances = addToDiagonal(p.covariances, reg);
        p.precisionCholesky = precisionCholeskyOf(p.covariances, reg);
        break;
    }
    default:
        break;
    }
    p.weights = nk / static_cast<double>(x.size(0));
    return p;
}

// The log-density plus log weight as bias_k - z.w_k / 2 over the lifted rows z:
// |x - m|^2 / v summed = x^2.(1/v) - 2 x.(m/v) + m^2.(1/v).
std::pair<at::Tensor, at::Tensor> liftedForm(const Params& p, CovarianceType type, int64_t dims)
{
    const auto d = static_cast<double>(dims);
    auto precisions = p.precisionCholesky.square(); // K x D, or K
    at::Tensor w;
    at::Tensor meanTerm;
    at::Tensor logDet;
    if (type == CovarianceType::Diagonal)
    {
        w = at::cat({-2 * p.means * precisions, precisions}, 1);
        meanTerm = (p.means.square() * precisions).sum(1);
        logDet = p.precisionCholesky.log().sum(1);
    }
    else
    {
        w = at::cat({-2 * p.means * precisions.unsqueeze(1), precisions.unsqueeze(1)}, 1);
        meanTerm = p.means.square().sum(1) * precisions;
        logDet = d * p.precisionCholesky.log();
    }
    auto bias = -0.5 * (d * std::log(2 * std::numbers::pi) + meanTerm) + logDet + p.weights.log();
    return {w.contiguous(), bias.contiguous()};
}

// One E-step and M-step fused in a single pass over the rows, on the CPU threads: returns the
// mean log-likelihood under `p` (the lower bound) and replaces `p` by the new parameters.
double fusedStep(const Data& data, Params& p, CovarianceType type, double reg)
{
    const auto [w, bias] = liftedForm(p, type, data.x.size(1));
    const int64_t n = data.lifted.size(0);
    const int64_t l = data.lifted.size(1);
    const int64_t k = w.size(0);
    const int threads = computeThreads();
    std::vector<std::vector<double>> counts(static_cast<size_t>(threads),
                                            std::vector<double>(static_cast<size_t>(k), 0.0));
    std::vector<std::vector<double>> moments(static_cast<size_t>(threads),
                                             std::vector<double>(static_cast<size_t>(k * l), 0.0));
    std::vector<double> logLikelihood(static_cast<size_t>(threads), 0.0);
    const double* z = data.lifted.data_ptr<double>();
    parallelSlices(n, threads,
                   [&](int t, int64_t begin, int64_t end)
                   {
                       const auto ti = static_cast<size_t>(t);
                       logLikelihood[ti] =
                           cpu::emPass(z + begin * l, end - begin, l, w.data_ptr<double>(),
                                       bias.data_ptr<double>(), k, nullptr, counts[ti].data(),
                                       moments[ti].data());
                   });
    auto totalCounts = at::zeros({k}, data.x.options());
    auto totalMoments = at::zeros({k, l}, data.x.options());
    double total = 0;
    for (size_t t = 0; t < static_cast<size_t>(threads); ++t)
    {
        totalCounts += at::tensor(counts[t], at::kDouble);
        totalMoments += at::tensor(moments[t], at::kDouble).view({k, l});
        total += logLikelihood[t];
    }
    p = fromMoments(totalCounts, totalMoments, data.x.size(1), n, type, reg);
    return total / static_cast<double>(n);
}

// log N(x | mean_k, cov_k) + log weight_k for every row and component: N x K.
at::Tensor weightedLogDensity(const Data& data, const Params& p, CovarianceType type,
                              Progress& progress)
{
    const auto& x = data.x;
    const auto d = static_cast<double>(x.size(1));
    const double logTwoPi = d * std::log(2 * std::numbers::pi);
    if (data.lifted.defined())
    {
        const auto [w, bias] = liftedForm(p, type, x.size(1));
        return at::addmm(bias.unsqueeze(0), data.lifted, w.t(), 1, -0.5);
    }
    const int64_t k = p.means.size(0);
    auto logProb = at::empty({x.size(0), k}, x.options());
    for (int64_t c = 0; c < k; ++c)
    {
        const auto& u = type == CovarianceType::Full ? p.precisionCholesky[c] : p.precisionCholesky;
        const auto shift = p.means[c].unsqueeze(0).mm(u);
        const int64_t rows = blockRows(x.size(1));
        for (int64_t b = 0; b < x.size(0); b += rows)
        {
            progress.poll(0.0, [] { return "E-step"; });
            const int64_t len = std::min(rows, x.size(0) - b);
            logProb.select(1, c).narrow(0, b, len).copy_(
                (x.narrow(0, b, len).mm(u) - shift).square().sum(1));
        }
    }
    auto logDet = p.precisionCholesky.diagonal(0, -2, -1).log().sum(-1);
    return -0.5 * (logTwoPi + logProb) + logDet + p.weights.log().unsqueeze(0);
}

struct Expectation
{
    double meanLogLikelihood;
    at::Tensor logResp; // N x K
};

Expectation expect(const Data& data, const Params& p, CovarianceType type, Progress& progress)
{
    auto weighted = weightedLogDensity(data, p, type, progress);
    auto norm = at::logsumexp(weighted, {1});
    return {norm.mean().item<double>(), weighted - norm.unsqueeze(1)};
}

at::Tensor initialResponsibilities(const at::Tensor& x, const GmmOptions& o, uint64_t seed,
                                   Progress& progress)
{
    at::Tensor labels;
    if (!o.initLabels.empty())
    {
        if (static_cast<int64_t>(o.initLabels.size()) != x.size(0))
        {
            throw ParameterError("Gaussian mixture: initLabels needs one label per row");
        }
        labels = at::tensor(at::IntArrayRef(o.initLabels), at::kLong).to(x.device());
    }
    else
    {
        KMeansOptions km;
        km.k = o.k;
        km.seed = seed;
        km.name = o.name;
        labels = kmeans(x.to(at::kFloat).contiguous(), km, &progress).labels;
    }
    return at::one_hot(labels, o.k).to(x.scalar_type());
}

} // namespace

CovarianceType parseCovarianceType(const std::string& name)
{
    if (name == "full")
        return CovarianceType::Full;
    if (name == "diag")
        return CovarianceType::Diagonal;
    if (name == "tied")
        return CovarianceType::Tied;
    if (name == "spherical")
        return CovarianceType::Spherical;
    throw ParameterError("covariance type '" + name + "' is not one of full|diag|tied|spherical");
}

int64_t gmmParameterCount(CovarianceType type, int64_t k, int64_t d)
{
    int64_t covariance = 0;
    switch (type)
    {
    case CovarianceType::Full:
        covariance = k * d * (d + 1) / 2;
        break;
    case CovarianceType::Diagonal:
        covariance = k * d;
        break;
    case CovarianceType::Tied:
        covariance = d * (d + 1) / 2;
        break;
    case CovarianceType::Spherical:
        covariance = k;
        break;
    }
    return covariance + k * d + k - 1;
}

GmmResult gaussianMixture(const at::Tensor& input, const GmmOptions& o, Progress* progress)
{
    Progress& prog = progress ? *progress : nullProgress();
    if (input.dim() != 2 || o.k < 1 || o.k > input.size(0))
    {
        throw ParameterError("Gaussian mixture: k = " + std::to_string(o.k) +
                             " must be between 1 and the number of rows");
    }
    if (o.nInit < 1 || o.maxIter < 1 || o.tol < 0 || o.regCovar < 0)
    {
        throw ParameterError("Gaussian mixture: n_init and max_iter must be >= 1, tol and "
                             "reg_covar >= 0");
    }
    // Centred in float64: the lifted form's E[x^2] - mean^2 cancels badly far from zero.
    const auto centred = centreFeatures(input, o.name, at::kDouble, &prog);
    const auto& x = centred.rows;
    const Data data = prepare(x, o.covariance);
    // Diagonal and spherical mixtures on the CPU take the fused one-pass step.
    const bool fused = data.lifted.defined() && x.device().is_cpu();
    Params best;
    double bestBound = -std::numeric_limits<double>::infinity();
    int64_t bestIterations = 0;
    bool bestConverged = false;
    for (int64_t run = 0; run < o.nInit; ++run)
    {
        const double span = 1.0 / static_cast<double>(o.nInit);
        ProgressRange stage(prog, span * static_cast<double>(run),
                            span * static_cast<double>(run + 1));
        // The k-means start takes the first tenth of the restart. The steps poll at the start
        // of their range (zero-width ranges here), so the fraction never falls.
        ProgressRange start(stage, 0.0, 0.1);
        ProgressRange firstStep(stage, 0.1, 0.1);
        Params p = maximize(
            data,
            initialResponsibilities(x, o, deriveSeed(o.seed, static_cast<uint64_t>(run)), start),
            o.covariance, o.regCovar, firstStep);
        double bound = -std::numeric_limits<double>::infinity();
        bool converged = false;
        int64_t iteration = 0;
        while (iteration < o.maxIter)
        {
            throwIfCancelled(prog);
            ProgressRange step(
                stage, 0.1 + 0.9 * static_cast<double>(iteration) / static_cast<double>(o.maxIter),
                0.1 + 0.9 * static_cast<double>(iteration + 1) / static_cast<double>(o.maxIter));
            ++iteration;
            const double previous = bound;
            if (fused)
            {
                bound = fusedStep(data, p, o.covariance, o.regCovar);
            }
            else
            {
                auto e = expect(data, p, o.covariance, step);
                p = maximize(data, e.logResp.exp(), o.covariance, o.regCovar, step);
                bound = e.meanLogLikelihood;
            }
            if (!std::isfinite(bound))
                throwCollapsed(o.regCovar);
            step.report(1.0, "EM iteration " + std::to_string(iteration));
            if (std::abs(bound - previous) < o.tol)
            {
                converged = true;
                break;
            }
        }
        if (bound > bestBound || run == 0)
        {
            best = p;
            bestBound = bound;
            bestIterations = iteration;
            bestConverged = converged;
        }
    }
    ProgressRange last(prog, 1.0, 1.0);
    const auto e = expect(data, best, o.covariance, last);
    if (!std::isfinite(e.meanLogLikelihood) || !at::isfinite(e.logResp).all().item<bool>())
        throwCollapsed(o.regCovar);
    GmmResult r;
    r.weights = best.weights;
    r.means = centred.restore(best.means);
    r.covariances = best.covariances;
    r.responsibilities = e.logResp.exp();
    r.labels = e.logResp.argmax(1);
    r.logLikelihood = e.meanLogLikelihood;
    r.lowerBound = bestBound;
    r.iterations = bestIterations;
    r.converged = bestConverged;
    const auto n = static_cast<double>(x.size(0));
    const auto params = static_cast<double>(gmmParameterCount(o.covariance, o.k, x.size(1)));
    r.bic = -2 * r.logLikelihood * n + params * std::log(n);
    r.aic = -2 * r.logLikelihood * n + 2 * params;
    prog.report(1.0, "Gaussian mixture done");
    return r;
}

} // namespace clusterscope

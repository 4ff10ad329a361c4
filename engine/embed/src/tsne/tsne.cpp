// t-SNE end to end: affinities, initialisation, the two phases of gradient descent
// (tsne_steps.h), as scikit-learn 1.2's TSNE._fit and _tsne.

#include "tsne_steps.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/embed/knn.h>
#include <clusterscope/embed/preprocess.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <tuple>

namespace clusterscope
{
namespace
{

constexpr int64_t kExplorationIterations = 250; // scikit-learn's _EXPLORATION_N_ITER
constexpr int64_t kCheckEvery = 50;             // _N_ITER_CHECK
constexpr int64_t kExactMaxRows = 5000;         // exact keeps three N x N arrays

std::string num(double v)
{
    std::ostringstream s;
    s << v;
    return s.str();
}

void checkOptions(const TsneOptions& o, int64_t rows)
{
    if (!(o.perplexity > 0))
        throw ParameterError("perplexity must be positive; got " + num(o.perplexity));
    if (o.perplexity >= static_cast<double>(rows))
        throw ParameterError("perplexity (" + num(o.perplexity) +
                             ") must be less than the number of rows (" + std::to_string(rows) +
                             "): lower --perplexity below " + std::to_string(rows) +
                             " (5 to 50 is usual; a third of the rows or less keeps it local)");
    if (!(o.earlyExaggeration >= 1))
        throw ParameterError("early_exaggeration must be at least 1; got " +
                             num(o.earlyExaggeration));
    if (!(o.learningRate >= 0))
        throw ParameterError("learning_rate must be positive, or 0 for auto; got " +
                             num(o.learningRate));
    if (o.nIter < kExplorationIterations)
        throw ParameterError("n_iter must be at least 250 (the early exaggeration phase); got " +
                             std::to_string(o.nIter));
    if (o.nIterWithoutProgress < 1)
        throw ParameterError("n_iter_without_progress must be positive");
    if (!(o.minGradNorm >= 0))
        throw ParameterError("min_grad_norm must be at least 0; got " + num(o.minGradNorm));
    if (o.nInterpolationPoints < 1 || o.nInterpolationPoints > 10)
        throw ParameterError("n_interpolation_points must be between 1 and 10; got " +
                             std::to_string(o.nInterpolationPoints));
    if (o.minNumIntervals < 1 || o.minNumIntervals > 1000)
        throw ParameterError("min_num_intervals must be between 1 and 1000; got " +
                             std::to_string(o.minNumIntervals));
    if (!(o.intsInInterval > 0))
        throw ParameterError("ints_in_interval must be positive; got " + num(o.intsInInterval));
    if (!(o.angle >= 0 && o.angle <= 1))
        throw ParameterError("angle must be between 0 and 1; got " + num(o.angle));
    if (o.method == TsneMethod::BarnesHut && (o.nComponents < 2 || o.nComponents > 3))
        throw ParameterError("n_components must be 2 or 3 for algorithm barnes_hut (a quadtree or "
                             "an octree); got " +
                             std::to_string(o.nComponents) + ": use --algorithm exact");
    if (o.method == TsneMethod::Fft && (o.nComponents < 1 || o.nComponents > 2))
        throw ParameterError("n_components must be 1 or 2 for algorithm fft (FIt-SNE's "
                             "interpolation grid); got " +
                             std::to_string(o.nComponents) + ": use --algorithm barnes_hut");
    if (o.method == TsneMethod::Exact && (o.nComponents < 1 || o.nComponents > 64))
        throw ParameterError("n_components must be between 1 and 64; got " +
                             std::to_string(o.nComponents));
    if (o.method == TsneMethod::Exact && rows > kExactMaxRows)
        throw ParameterError("algorithm exact holds N x N arrays and allows at most " +
                             std::to_string(kExactMaxRows) + " rows; got " + std::to_string(rows) +
                             ": use --algorithm barnes_hut");
}

TsneAffinities affinities(const at::Tensor& x, const TsneOptions& o, TsneResult& r,
                          Progress& progress)
{
    const int64_t n = x.size(0);
    TsneAffinities a;
    a.rows = n;
    std::vector<float> squared;
    if (o.method != TsneMethod::Exact)
    {
        KnnOptions knn;
        // van der Maaten's 3 perplexity neighbours (scikit-learn's int(3 perplexity + 1)).
        knn.k = std::min<int64_t>(n - 1, static_cast<int64_t>(3.0 * o.perplexity + 1));
        knn.method = o.knn;
        knn.seed = o.seed;
        knn.name = "t-SNE";
        KnnGraph g;
        {
            ProgressRange stage(progress, 0.0, 0.2);
            g = nearestNeighbors(x, knn, &stage);
        }
        r.knnRecall = g.estimatedRecall;
        r.warnings = std::move(g.warnings);
        a.k = g.k;
        a.neighbors = std::move(g.indices);
        squared = std::move(g.distances);
        for (auto& d : squared)
            d *= d;
    }
    else
    {
        progress.poll(0.0, [] { return std::string("pairwise distances"); });
        auto xd = x.to(at::kDouble);
        xd = xd - xd.mean(0, true);
        const auto norms = (xd * xd).sum(1);
        const auto d2 = (norms.unsqueeze(1) + norms.unsqueeze(0) - 2.0 * xd.matmul(xd.t()))
                            .clamp_min(0.0)
                            .to(at::kFloat)
                            .contiguous();
        const float* d = d2.data_ptr<float>();
        a.k = n - 1;
        a.neighbors.reserve(static_cast<size_t>(n * a.k));
        squared.reserve(static_cast<size_t>(n * a.k));
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = 0; j < n; ++j)
                if (j != i)
                {
                    a.neighbors.push_back(j);
                    squared.push_back(d[i * n + j]);
                }
    }
    progress.poll(0.2, [] { return std::string("affinities"); });
    conditionalProbabilities(squared, o.perplexity, a, progress);
    throwIfCancelled(progress);
    symmetrise(a, o.method == TsneMethod::Exact);
    return a;
}

std::vector<double> initialise(const at::Tensor& x, const TsneOptions& o, Progress& progress)
{
    const int64_t n = x.size(0), dim = o.nComponents;
    std::vector<double> y(static_cast<size_t>(n * dim));
    Rng rng(deriveSeed(o.seed, 41));
    std::normal_distribution<double> normal(0.0, 1e-4);
    if (o.init == TsneInit::Pca)
    {
        PcaOptions p;
        p.components = std::min<int64_t>(dim, std::min(n, x.size(1)));
        p.solver = PcaSolver::Randomized;
        p.seed = o.seed;
        ProgressRange stage(progress, 0.22, 0.25);
        const auto pcs = fitPca(x, p, &stage).transform(x, &stage).to(at::kDouble).contiguous();
        const auto sd = pcs.select(1, 0).std(/*unbiased=*/false).item<double>();
        if (sd > 0)
        {
            // The first column to standard deviation 1e-4, so the initial map is tiny and the
            // optimisation is not stuck by large distances (scikit-learn 1.2, openTSNE).
            const double* v = pcs.data_ptr<double>();
            for (int64_t i = 0; i < n; ++i)
                for (int64_t c = 0; c < dim; ++c)
                    y[static_cast<size_t>(i * dim + c)] =
                        c < pcs.size(1) ? v[i * pcs.size(1) + c] / sd * 1e-4 : normal(rng);
            return y;
        }
    }
    for (auto& v : y)
        v = normal(rng);
    return y;
}

struct Phase
{
    int64_t begin = 0, end = 0;
    double momentum = 0.5;
    double exaggeration = 1;
    int64_t withoutProgress = 300;
};

// scikit-learn's _gradient_descent: momentum with delta-bar-delta gains, a convergence check
// every 50 iterations. Returns the last iteration run and its error.
std::pair<int64_t, double> descend(std::vector<double>& y, const TsneAffinities& a,
                                   const TsneOptions& o, double learningRate, const Phase& ph,
                                   Progress& progress)
{
    const auto size = y.size();
    std::vector<double> update(size, 0.0), gains(size, 1.0), grad;
    FftInterpolation grid;
    grid.points = static_cast<int>(o.nInterpolationPoints);
    grid.minIntervals = o.minNumIntervals;
    grid.intervalWidth = o.intsInInterval;
    double error = std::numeric_limits<double>::max();
    double best = std::numeric_limits<double>::max();
    int64_t bestIter = ph.begin, i = ph.begin;
    for (; i < ph.end; ++i)
    {
        progress.poll(
            static_cast<double>(i) / static_cast<double>(o.nIter), [&]
            { return "iteration " + std::to_string(i + 1) + " of " + std::to_string(o.nIter); });
        const bool check = (i + 1) % kCheckEvery == 0;
        const bool withError = check || i == ph.end - 1;
        switch (o.method)
        {
        case TsneMethod::BarnesHut:
            error = barnesHutGradient(y, o.nComponents, a, ph.exaggeration, o.angle, withError,
                                      grad, progress);
            break;
        case TsneMethod::Fft:
            error =
                fftGradient(y, o.nComponents, a, ph.exaggeration, withError, grad, progress, grid);
            break;
        case TsneMethod::Exact:
            error = exactGradient(y, o.nComponents, a, ph.exaggeration, withError, grad, progress);
            break;
        }
        throwIfCancelled(progress);
        double norm2 = 0;
        for (size_t p = 0; p < size; ++p)
        {
            if (update[p] * grad[p] < 0.0)
                gains[p] += 0.2;
            else
                gains[p] *= 0.8;
            gains[p] = std::max(gains[p], 0.01);
            grad[p] *= gains[p];
            norm2 += grad[p] * grad[p];
            update[p] = ph.momentum * update[p] - learningRate * grad[p];
            y[p] += update[p];
        }
        if (check)
        {
            if (error < best)
            {
                best = error;
                bestIter = i;
            }
            else if (i - bestIter > ph.withoutProgress)
                break;
            if (std::sqrt(norm2) <= o.minGradNorm)
                break;
        }
    }
    return {std::min(i, ph.end - 1), error};
}

} // namespace

TsneMethod parseTsneMethod(const std::string& name)
{
    if (name == "barnes_hut")
        return TsneMethod::BarnesHut;
    if (name == "exact")
        return TsneMethod::Exact;
    if (name == "fft")
        return TsneMethod::Fft;
    throw ParameterError("algorithm '" + name + "' is not one of barnes_hut|fft|exact");
}

TsneInit parseTsneInit(const std::string& name)
{
    if (name == "pca")
        return TsneInit::Pca;
    if (name == "random")
        return TsneInit::Random;
    throw ParameterError("init '" + name + "' is not one of pca|random");
}

TsneResult tsne(const at::Tensor& xIn, const TsneOptions& o, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    if (xIn.dim() != 2)
        throw ParameterError("t-SNE needs an N x D table");
    checkOptions(o, xIn.size(0));
    const auto x = xIn.to(at::kCPU).to(at::kFloat).contiguous();
    if (!at::isfinite(x).all().item<bool>())
    {
        const auto bad = (~at::isfinite(x)).nonzero()[0];
        throw DataError("row " + std::to_string(bad[0].item<int64_t>() + 1) + ", column " +
                        std::to_string(bad[1].item<int64_t>() + 1) +
                        " is NaN or infinite: t-SNE needs finite values; drop or impute them");
    }

    TsneResult r;
    r.affinities = affinities(x, o, r, progress);
    const auto n = static_cast<double>(x.size(0));
    r.learningRate =
        o.learningRate > 0 ? o.learningRate : std::max(n / o.earlyExaggeration / 4.0, 50.0);
    auto y = initialise(x, o, progress);

    ProgressRange stage(progress, 0.25, 1.0);
    Phase early;
    early.begin = 0;
    early.end = kExplorationIterations;
    early.momentum = 0.5;
    early.exaggeration = o.earlyExaggeration;
    early.withoutProgress = kExplorationIterations;
    auto [last, error] = descend(y, r.affinities, o, r.learningRate, early, stage);
    if (last < kExplorationIterations - 1 || o.nIter > kExplorationIterations)
    {
        Phase late;
        late.begin = last + 1;
        late.end = o.nIter;
        late.momentum = 0.8;
        late.withoutProgress = o.nIterWithoutProgress;
        std::tie(last, error) = descend(y, r.affinities, o, r.learningRate, late, stage);
    }
    stage.poll(1.0, [] { return std::string("iterations done"); });
    r.iterations = last + 1;
    r.klDivergence = error;
    r.embedding = at::empty({x.size(0), o.nComponents}, at::kFloat);
    float* out = r.embedding.data_ptr<float>();
    for (size_t p = 0; p < y.size(); ++p)
        out[p] = static_cast<float>(y[p]);
    return r;
}

} // namespace clusterscope

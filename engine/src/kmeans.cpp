#include "distances.h"
#include "random.h"

#include <clusterscope/errors.h>
#include <clusterscope/kmeans.h>
#include <clusterscope/progress.h>

#include <ATen/ATen.h>

#include <cmath>
#include <numeric>

namespace clusterscope
{

namespace
{

void checkInput(const at::Tensor& x, const KMeansOptions& o)
{
    if (x.dim() != 2 || x.scalar_type() != at::kFloat)
    {
        throw ParameterError("k-means expects an N x D float32 matrix");
    }
    if (o.k < 1 || o.k > x.size(0))
    {
        throw ParameterError("k-means: k = " + std::to_string(o.k) + " must be between 1 and " +
                             "the number of rows (" + std::to_string(x.size(0)) + ")");
    }
    if (o.nInit < 1 || o.maxIter < 1 || o.tol < 0)
    {
        throw ParameterError("k-means: n_init and max_iter must be >= 1 and tol >= 0");
    }
    if (!at::isfinite(x).all().item<bool>())
    {
        throw DataError("k-means: the features contain NaN or infinite values; choose a "
                        "missing-value policy when loading");
    }
}

at::Tensor randomRows(const at::Tensor& x, int64_t k, Rng& rng)
{
    std::vector<int64_t> ids(static_cast<size_t>(x.size(0)));
    std::iota(ids.begin(), ids.end(), 0);
    for (int64_t i = 0; i < k; ++i) // partial Fisher-Yates: k distinct rows
    {
        std::uniform_int_distribution<int64_t> pick(i, x.size(0) - 1);
        std::swap(ids[static_cast<size_t>(i)], ids[static_cast<size_t>(pick(rng))]);
    }
    ids.resize(static_cast<size_t>(k));
    auto index = at::tensor(at::IntArrayRef(ids), at::kLong).to(x.device());
    return x.index_select(0, index).clone();
}

// Greedy k-means++ as scikit-learn does it: each new center is the best of 2 + log(k)
// candidates drawn with probability proportional to the squared distance.
at::Tensor greedyPlusPlus(const at::Tensor& x, const at::Tensor& xSq, int64_t k, Rng& rng,
                          Progress& progress)
{
    const int64_t n = x.size(0);
    const int64_t trials = 2 + static_cast<int64_t>(std::log(static_cast<double>(k)));
    auto centers = at::empty({k, x.size(1)}, x.options());
    std::uniform_int_distribution<int64_t> first(0, n - 1);
    centers[0].copy_(x[first(rng)]);
    auto closest = squaredDistances(x, xSq, centers.narrow(0, 0, 1)).squeeze(1);
    double potential = closest.sum(at::kDouble).item<double>();
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    for (int64_t c = 1; c < k; ++c)
    {
        throwIfCancelled(progress);
        std::vector<double> draws(static_cast<size_t>(trials));
        for (auto& d : draws)
        {
            d = uniform(rng) * potential;
        }
        auto cumulative = closest.to(at::kDouble).cumsum(0);
        auto targets = at::tensor(draws, at::kDouble).to(x.device());
        auto ids = at::searchsorted(cumulative, targets).clamp_max_(n - 1);
        auto candidates = x.index_select(0, ids);
        auto dist = at::minimum(squaredDistances(x, xSq, candidates), closest.unsqueeze(1));
        auto potentials = dist.sum(0, false, at::kDouble);
        const int64_t best = potentials.argmin().item<int64_t>();
        potential = potentials[best].item<double>();
        closest = dist.select(1, best).contiguous();
        centers[c].copy_(candidates[best]);
        progress.report(static_cast<double>(c) / static_cast<double>(k), "k-means++ seeding");
    }
    return centers;
}

struct Assignment
{
    at::Tensor labels;  // N int64
    at::Tensor minDist; // N float32 squared distances
};

// E-step in row blocks, so memory stays bounded and a cancel is seen between blocks.
Assignment assign(const at::Tensor& x, const at::Tensor& xSq, const at::Tensor& centers,
                  Progress& progress)
{
    const int64_t n = x.size(0);
    const int64_t block = blockRows(centers.size(0));
    auto cSq = rowSquaredNorms(centers).unsqueeze(0);
    auto ct = centers.t();
    Assignment out{at::empty({n}, x.options().dtype(at::kLong)), at::empty({n}, x.options())};
    for (int64_t start = 0; start < n; start += block)
    {
        throwIfCancelled(progress);
        const int64_t len = std::min(block, n - start);
        // argmin over |c|^2 - 2 x.c; |x|^2 is added only to the minimum.
        auto partial = at::addmm(cSq, x.narrow(0, start, len), ct, 1, -2);
        auto [values, indices] = partial.min(1);
        out.labels.narrow(0, start, len).copy_(indices);
        out.minDist.narrow(0, start, len).copy_(values.add_(xSq.narrow(0, start, len)));
    }
    out.minDist.clamp_min_(0);
    return out;
}

// M-step. Empty clusters take the points farthest from their centers, as scikit-learn does.
at::Tensor updateCenters(const at::Tensor& x, const Assignment& a, int64_t k)
{
    auto sums = at::zeros({k, x.size(1)}, x.options());
    sums.index_add_(0, a.labels, x);
    auto counts = at::bincount(a.labels, {}, k).to(x.scalar_type());
    auto empty = (counts == 0).nonzero().flatten();
    const int64_t nEmpty = empty.numel();
    if (nEmpty > 0)
    {
        auto far = std::get<1>(a.minDist.topk(nEmpty)).cpu();
        auto emptyCpu = empty.cpu();
        for (int64_t i = 0; i < nEmpty; ++i)
        {
            const int64_t point = far[i].item<int64_t>();
            const int64_t oldCluster = a.labels[point].item<int64_t>();
            const int64_t newCluster = emptyCpu[i].item<int64_t>();
            sums[oldCluster] -= x[point];
            counts[oldCluster] -= 1;
            sums[newCluster].copy_(x[point]);
            counts[newCluster].fill_(1);
        }
    }
    return sums / counts.unsqueeze(1);
}

double exactInertia(const at::Tensor& x, const at::Tensor& centers, const at::Tensor& labels)
{
    double total = 0;
    const int64_t block = 65536;
    for (int64_t start = 0; start < x.size(0); start += block)
    {
        const int64_t len = std::min(block, x.size(0) - start);
        auto diff = x.narrow(0, start, len) - centers.index_select(0, labels.narrow(0, start, len));
        total += diff.square().sum(at::kDouble).item<double>();
    }
    return total;
}

KMeansResult singleRun(const at::Tensor& x, const at::Tensor& xSq, const KMeansOptions& o,
                       double absoluteTol, Rng& rng, Progress& progress)
{
    ProgressRange seeding(progress, 0.0, 0.1);
    at::Tensor centers = o.init == KMeansInit::KMeansPlusPlus
                             ? greedyPlusPlus(x, xSq, o.k, rng, seeding)
                             : randomRows(x, o.k, rng);
    at::Tensor previousLabels;
    Assignment a;
    bool strictConvergence = false;
    int64_t iteration = 0;
    while (iteration < o.maxIter)
    {
        a = assign(x, xSq, centers, progress);
        auto newCenters = updateCenters(x, a, o.k);
        const double shift = (newCenters - centers).square().sum().item<double>();
        centers = newCenters;
        ++iteration;
        progress.report(0.1 + 0.9 * static_cast<double>(iteration) / static_cast<double>(o.maxIter),
                        "Lloyd iteration " + std::to_string(iteration));
        if (previousLabels.defined() && at::equal(a.labels, previousLabels))
        {
            strictConvergence = true;
            break;
        }
        if (shift <= absoluteTol)
        {
            break;
        }
        previousLabels = a.labels;
    }
    if (!strictConvergence)
    {
        a = assign(x, xSq, centers, progress); // labels that match the final centers
    }
    KMeansResult r;
    r.centers = centers;
    r.labels = a.labels;
    r.inertia = exactInertia(x, centers, a.labels);
    r.iterations = iteration;
    return r;
}

} // namespace

at::Tensor kmeansPlusPlus(const at::Tensor& x, int64_t k, uint64_t seed)
{
    KMeansOptions o;
    o.k = k;
    checkInput(x, o);
    Rng rng(seed);
    return greedyPlusPlus(x, rowSquaredNorms(x), k, rng, nullProgress());
}

KMeansResult kmeans(const at::Tensor& x, const KMeansOptions& options, Progress* progress)
{
    Progress& p = progress ? *progress : nullProgress();
    checkInput(x, options);
    auto data = x.contiguous();
    auto xSq = rowSquaredNorms(data);
    // scikit-learn's tol is relative to the mean per-feature variance.
    const double absoluteTol = options.tol * data.var(0, false).mean().item<double>();
    KMeansResult best;
    for (int64_t run = 0; run < options.nInit; ++run)
    {
        Rng rng(deriveSeed(options.seed, static_cast<uint64_t>(run)));
        const double span = 1.0 / static_cast<double>(options.nInit);
        ProgressRange stage(p, span * static_cast<double>(run), span * static_cast<double>(run + 1));
        auto r = singleRun(data, xSq, options, absoluteTol, rng, stage);
        if (run == 0 || r.inertia < best.inertia)
        {
            best = r;
            best.bestInit = run;
        }
    }
    p.report(1.0, "k-means done");
    return best;
}

} // namespace clusterscope

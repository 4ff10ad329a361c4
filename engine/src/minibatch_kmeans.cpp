// Mini-batch k-means, step by step as scikit-learn's MiniBatchKMeans (1.2): batches drawn with
// replacement, center c moved to (c n_c + sum of its batch rows) / (n_c + m_c), starved centers
// moved to random batch rows every 10 + min(count) steps, and an exponentially weighted batch
// inertia whose lack of progress for max_no_improvement steps ends the run.

#include "distances.h"
#include "random.h"

#include <clusterscope/errors.h>
#include <clusterscope/kmeans.h>
#include <clusterscope/minibatch_kmeans.h>
#include <clusterscope/progress.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace clusterscope
{
namespace
{

at::Tensor rowsAt(const at::Tensor& x, const std::vector<int64_t>& ids)
{
    return x.index_select(0, at::tensor(at::ArrayRef<int64_t>(ids), at::kLong).to(x.device()));
}

std::vector<int64_t> draw(int64_t count, int64_t n, Rng& rng)
{
    std::uniform_int_distribution<int64_t> pick(0, n - 1);
    std::vector<int64_t> ids(static_cast<size_t>(count));
    for (auto& id : ids)
        id = pick(rng);
    return ids;
}

// Labels and squared distances of rows to centers.
std::pair<at::Tensor, at::Tensor> assign(const at::Tensor& x, const at::Tensor& centers)
{
    const auto d2 = squaredDistances(x, rowSquaredNorms(x), centers);
    auto [dist, labels] = d2.min(1);
    return {labels, dist};
}

} // namespace

MiniBatchKMeansResult miniBatchKMeans(const at::Tensor& xIn, const MiniBatchKMeansOptions& o,
                                      Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    const auto x = xIn.to(at::kFloat).contiguous();
    const int64_t n = x.size(0);
    if (o.k < 1 || o.k > n)
        throw ParameterError("mini-batch k-means: k = " + std::to_string(o.k) +
                             " must be between 1 and the number of rows (" + std::to_string(n) +
                             ")");
    if (o.batchSize < 1 || o.maxIter < 1 || o.nInit < 1)
        throw ParameterError("mini-batch k-means: batch_size, max_iter and n_init must be >= 1");
    const int64_t batch = std::min(o.batchSize, n);
    Rng rng(deriveSeed(o.seed, 31));

    // Seeding: the best of n_init k-means++ runs on one init sample, judged on that sample.
    int64_t initSize = o.initSize > 0 ? o.initSize : 3 * batch;
    initSize = std::min(n, std::max(initSize, 3 * o.k));
    const auto initRows = rowsAt(x, draw(initSize, n, rng));
    at::Tensor centers;
    double bestInertia = std::numeric_limits<double>::infinity();
    for (int64_t r = 0; r < o.nInit; ++r)
    {
        throwIfCancelled(progress);
        auto c = kmeansPlusPlus(initRows, o.k, deriveSeed(o.seed, 100 + static_cast<uint64_t>(r)));
        const double inertia = assign(initRows, c).second.sum().item<double>();
        if (inertia < bestInertia)
        {
            bestInertia = inertia;
            centers = c;
        }
    }
    centers = centers.to(at::kFloat).contiguous();

    const double meanVariance = x.var(0, false).mean().item<double>();
    auto counts = at::zeros({o.k}, x.options().dtype(at::kDouble));
    const int64_t steps = (o.maxIter * n + batch - 1) / batch;
    const double alpha =
        std::min(1.0, 2.0 * static_cast<double>(batch) / static_cast<double>(n + 1));
    double ewa = -1;
    double ewaMin = std::numeric_limits<double>::infinity();
    int64_t noImprovement = 0;
    int64_t sinceReassign = 0;
    MiniBatchKMeansResult result;
    for (int64_t step = 0; step < steps; ++step)
    {
        if (step % 16 == 0)
        {
            throwIfCancelled(progress);
            progress.report(0.9 * static_cast<double>(step) / static_cast<double>(steps),
                            "mini-batches");
        }
        const auto rows = rowsAt(x, draw(batch, n, rng));
        auto [labels, dist] = assign(rows, centers);
        const double batchInertia = dist.sum().item<double>() / static_cast<double>(batch);

        // c <- (c n_c + sum of its rows) / (n_c + m_c), in float64.
        auto sums = at::zeros({o.k, x.size(1)}, x.options().dtype(at::kDouble));
        sums.index_add_(0, labels, rows.to(at::kDouble));
        const auto batchCounts = at::bincount(labels, {}, o.k).to(at::kDouble);
        const auto old = centers.to(at::kDouble);
        const auto total = counts + batchCounts;
        auto updated = (old * counts.unsqueeze(1) + sums) / total.clamp_min(1).unsqueeze(1);
        updated = at::where((batchCounts > 0).unsqueeze(1), updated, old);
        const double shift = (updated - old).square().sum().item<double>();
        centers = updated.to(at::kFloat).contiguous();
        counts = total;
        ++result.steps;

        // Starved centers jump to random rows of the batch (scikit-learn's reassignment).
        if (o.reassignmentRatio > 0 && ++sinceReassign > 10 + counts.min().item<double>())
        {
            sinceReassign = 0;
            const double threshold = o.reassignmentRatio * counts.max().item<double>();
            auto starved = (counts < threshold).nonzero().flatten().to(at::kCPU);
            const int64_t cap = std::max<int64_t>(1, batch / 2);
            if (starved.numel() > cap)
                starved = starved.slice(0, 0, cap);
            if (starved.numel() > 0 && starved.numel() < o.k)
            {
                std::vector<int64_t> pick(static_cast<size_t>(starved.numel()));
                std::vector<int64_t> pool(static_cast<size_t>(batch));
                std::iota(pool.begin(), pool.end(), 0);
                std::shuffle(pool.begin(), pool.end(), rng);
                std::copy_n(pool.begin(), pick.size(), pick.begin());
                const auto ids = starved.to(x.device());
                centers.index_copy_(0, ids, rowsAt(rows, pick));
                const auto kept =
                    counts.index_fill(0, ids, std::numeric_limits<double>::infinity());
                counts.index_fill_(0, ids, kept.min().item<double>());
                result.reassigned += starved.numel();
            }
        }

        if (o.tol > 0 && shift / static_cast<double>(o.k) <= o.tol * meanVariance)
            break;
        ewa = ewa < 0 ? batchInertia : ewa * (1 - alpha) + batchInertia * alpha;
        if (ewa < ewaMin)
        {
            ewaMin = ewa;
            noImprovement = 0;
        }
        else if (o.maxNoImprovement > 0 && ++noImprovement >= o.maxNoImprovement)
        {
            break;
        }
    }
    progress.report(0.9, "assigning all rows");
    auto [labels, dist] = assign(x, centers);
    result.centers = centers;
    result.labels = labels;
    result.inertia = dist.sum().item<double>();
    progress.report(1.0, "done");
    return result;
}

} // namespace clusterscope

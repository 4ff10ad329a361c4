// Mini-batch k-means, step by step as scikit-learn's MiniBatchKMeans (1.2): batches drawn with
// replacement, center c moved to (c n_c + sum of its batch rows) / (n_c + m_c), starved centers
// moved to random batch rows every 10 + min(count) steps, and an exponentially weighted batch
// inertia whose lack of progress for max_no_improvement steps ends the run.

#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/cluster/minibatch_kmeans.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/kernels/centring.h>
#include <clusterscope/kernels/cpu_kernels.h>
#include <clusterscope/kernels/distances.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <optional>

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

// Labels and squared distances of rows to their centers; the distances are taken directly, so
// a row on its center is at exactly 0 (the norms' form leaves round-off).
std::pair<at::Tensor, at::Tensor> assign(const at::Tensor& x, const at::Tensor& centers)
{
    const auto labels = squaredDistances(x, rowSquaredNorms(x), centers).argmin(1);
    auto dist = (x - centers.index_select(0, labels)).square().sum(1);
    return {labels, dist};
}

// The same over all rows, in blocks with a cancel check between them: a pass over every row
// took 160 ms on Fashion-MNIST 10k on a 2-core AMD EPYC, and grows with N.
std::pair<at::Tensor, at::Tensor> assignAll(const at::Tensor& x, const at::Tensor& centers,
                                            Progress& progress)
{
    constexpr int64_t kBlock = 2048;
    std::vector<at::Tensor> labels;
    std::vector<at::Tensor> dist;
    for (int64_t start = 0; start < x.size(0); start += kBlock)
    {
        throwIfCancelled(progress);
        auto [l, d] = assign(x.slice(0, start, std::min(x.size(0), start + kBlock)), centers);
        labels.push_back(l);
        dist.push_back(d);
    }
    return {at::cat(labels), at::cat(dist)};
}

// One step on the CPU through the fused assignment kernel: gathers the batch, assigns it while
// summing rows per center, then moves the centers. Returns the batch's mean squared distance.
struct CpuStep
{
    int64_t k;
    int64_t d;
    std::vector<float> batch;
    std::vector<int64_t> labels;
    std::vector<float> dist;
    std::vector<double> sums;
    std::vector<double> batchCounts;
    std::vector<float> cSq;

    CpuStep(int64_t k_, int64_t d_, int64_t rows)
        : k(k_), d(d_), batch(static_cast<size_t>(rows * d_)), labels(static_cast<size_t>(rows)),
          dist(static_cast<size_t>(rows)), sums(static_cast<size_t>(k_ * d_)),
          batchCounts(static_cast<size_t>(k_)), cSq(static_cast<size_t>(k_))
    {
    }

    double run(const float* x, const std::vector<int64_t>& ids, float* centers, double* counts,
               double& shift)
    {
        const auto rows = static_cast<int64_t>(ids.size());
        for (int64_t r = 0; r < rows; ++r)
            std::copy_n(x + ids[static_cast<size_t>(r)] * d, d, batch.data() + r * d);
        for (int64_t j = 0; j < k; ++j)
        {
            double s = 0;
            for (int64_t c = 0; c < d; ++c)
                s += static_cast<double>(centers[j * d + c]) * centers[j * d + c];
            cSq[static_cast<size_t>(j)] = static_cast<float>(s);
        }
        std::fill(sums.begin(), sums.end(), 0.0);
        std::fill(batchCounts.begin(), batchCounts.end(), 0.0);
        cpu::assignRows(batch.data(), rows, d, centers, cSq.data(), k, labels.data(), dist.data(),
                        sums.data(), batchCounts.data());
        shift = 0;
        for (int64_t j = 0; j < k; ++j)
        {
            const double m = batchCounts[static_cast<size_t>(j)];
            if (m == 0)
                continue;
            const double total = counts[j] + m;
            for (int64_t c = 0; c < d; ++c)
            {
                float& v = centers[j * d + c];
                const double moved = (v * counts[j] + sums[static_cast<size_t>(j * d + c)]) / total;
                shift += (moved - v) * (moved - v);
                v = static_cast<float>(moved);
            }
            counts[j] = total;
        }
        double inertia = 0;
        for (float v : dist)
            inertia += v;
        return inertia / static_cast<double>(rows);
    }
};

// Centers that own no row after the final assignment (starved, or duplicates of another) move
// to the rows farthest from their centers, as scikit-learn's k-means relocates empty clusters.
// Each move lowers the inertia, so the loop ends; it stops early when every row sits on a
// center (fewer distinct rows than k). Returns the final labels and squared distances.
std::pair<at::Tensor, at::Tensor> reseedEmptyCenters(const at::Tensor& x, at::Tensor& centers,
                                                     MiniBatchKMeansResult& result,
                                                     Progress& progress)
{
    const int64_t k = centers.size(0);
    auto [labels, dist] = assignAll(x, centers, progress);
    for (int64_t round = 0; round < k; ++round)
    {
        const auto counts = at::bincount(labels, {}, k);
        const auto empty = (counts == 0).nonzero().flatten();
        const int64_t away = (dist > 0).sum().item<int64_t>();
        const int64_t moves = std::min(empty.numel(), away);
        if (moves == 0)
            break;
        const auto far = std::get<1>(dist.topk(moves));
        centers.index_copy_(0, empty.slice(0, 0, moves), x.index_select(0, far));
        result.reseeded += moves;
        std::tie(labels, dist) = assignAll(x, centers, progress);
    }
    result.clusters = at::bincount(labels, {}, k).gt(0).sum().item<int64_t>();
    return {labels, dist};
}

} // namespace

MiniBatchKMeansResult miniBatchKMeans(const at::Tensor& xIn, const MiniBatchKMeansOptions& o,
                                      Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    // Centred in float64 first: on data far from zero the norms would swamp the distances.
    const auto centred = centreFeatures(xIn, "mini-batch k-means", at::kFloat, &progress);
    const auto& x = centred.rows;
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
    // As scikit-learn: a sample as large as the data is the data itself. Drawn with replacement
    // it would repeat rows and miss others, and k-means++ would seed duplicate centers.
    const auto initRows = initSize < n ? rowsAt(x, draw(initSize, n, rng)) : x;
    at::Tensor centers;
    double bestInertia = std::numeric_limits<double>::infinity();
    for (int64_t r = 0; r < o.nInit; ++r)
    {
        throwIfCancelled(progress);
        progress.report(0.05 * static_cast<double>(r) / static_cast<double>(o.nInit),
                        "seeding (k-means++)");
        auto c = kmeansPlusPlus(initRows, o.k, deriveSeed(o.seed, 100 + static_cast<uint64_t>(r)),
                                "mini-batch k-means");
        const double inertia = assign(initRows, c).second.sum().item<double>();
        if (inertia < bestInertia)
        {
            bestInertia = inertia;
            centers = c;
        }
    }
    centers = centers.to(at::kFloat).contiguous();

    // The tol test's scale; computing it costs a pass over the data, so only when asked for.
    const double meanVariance = o.tol > 0 ? x.var(0, false).mean().item<double>() : 0.0;
    auto counts = at::zeros({o.k}, x.options().dtype(at::kDouble));
    // Our fused kernel on the CPU; tensor operations elsewhere.
    std::optional<CpuStep> cpuStep;
    if (usesCpuKernels(x))
        cpuStep.emplace(o.k, x.size(1), batch);
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
        // Every step: a step's cost grows with k and the features, and the progress object
        // throttles what it passes on (16 steps with the defaults on Fashion-MNIST's 784
        // features took 260 ms on a 2-core AMD EPYC).
        throwIfCancelled(progress);
        progress.report(0.05 + 0.85 * static_cast<double>(step) / static_cast<double>(steps),
                        "mini-batches");
        const auto ids = draw(batch, n, rng);
        double batchInertia = 0;
        double shift = 0;
        if (cpuStep)
        {
            counts = counts.contiguous();
            batchInertia = cpuStep->run(x.data_ptr<float>(), ids, centers.data_ptr<float>(),
                                        counts.data_ptr<double>(), shift);
        }
        else
        {
            // c <- (c n_c + sum of its rows) / (n_c + m_c), in float64.
            const auto rows = rowsAt(x, ids);
            auto [labels, dist] = assign(rows, centers);
            batchInertia = dist.sum().item<double>() / static_cast<double>(batch);
            auto sums = at::zeros({o.k, x.size(1)}, x.options().dtype(at::kDouble));
            sums.index_add_(0, labels, rows.to(at::kDouble));
            const auto batchCounts = at::bincount(labels, {}, o.k).to(at::kDouble);
            const auto old = centers.to(at::kDouble);
            const auto total = counts + batchCounts;
            auto updated = (old * counts.unsqueeze(1) + sums) / total.clamp_min(1).unsqueeze(1);
            updated = at::where((batchCounts > 0).unsqueeze(1), updated, old);
            shift = (updated - old).square().sum().item<double>();
            centers = updated.to(at::kFloat).contiguous();
            counts = total;
        }
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
                for (size_t i = 0; i < pick.size(); ++i)
                    pick[i] = ids[static_cast<size_t>(pool[i])]; // distinct rows of the batch
                const auto which = starved.to(x.device());
                centers.index_copy_(0, which, rowsAt(x, pick));
                const auto kept =
                    counts.index_fill(0, which, std::numeric_limits<double>::infinity());
                counts.index_fill_(0, which, kept.min().item<double>());
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
    auto [labels, dist] = reseedEmptyCenters(x, centers, result, progress);
    result.centers = centred.restore(centers);
    result.labels = labels;
    result.inertia = dist.sum().item<double>();
    progress.report(1.0, "done");
    return result;
}

} // namespace clusterscope

#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/kernels/centring.h>
#include <clusterscope/kernels/cpu_kernels.h>
#include <clusterscope/kernels/distances.h>
#include <clusterscope/kernels/parallel.h>

#include <ATen/ATen.h>

#include <algorithm>
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
        throw ParameterError(o.name + " expects an N x D float32 matrix");
    }
    if (o.k < 1 || o.k > x.size(0))
    {
        throw ParameterError(o.name + ": k = " + std::to_string(o.k) + " must be between 1 and " +
                             "the number of rows (" + std::to_string(x.size(0)) + ")");
    }
    if (o.nInit < 1 || o.maxIter < 1 || o.tol < 0)
    {
        throw ParameterError(o.name + ": n_init and max_iter must be >= 1 and tol >= 0");
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

std::vector<double> drawTargets(int64_t trials, double potential, Rng& rng)
{
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<double> draws(static_cast<size_t>(trials));
    for (auto& d : draws)
    {
        d = uniform(rng) * potential;
    }
    return draws;
}

// The CPU seeding state: the squared distance of every row to its closest center, and
// the sums of those distances per block of rows, which make sampling O(N / B + B).
struct CpuSeeding
{
    static constexpr int64_t kBlock = 4096;
    at::Tensor closest;            // N float32
    std::vector<double> blockSums; // one per block of kBlock rows

    double potential() const { return std::accumulate(blockSums.begin(), blockSums.end(), 0.0); }

    // The first row whose running sum reaches `target`.
    int64_t sample(double target) const
    {
        const float* near = closest.data_ptr<float>();
        const int64_t n = closest.size(0);
        size_t b = 0;
        while (b + 1 < blockSums.size() && target > blockSums[b])
        {
            target -= blockSums[b++];
        }
        int64_t i = static_cast<int64_t>(b) * kBlock;
        const int64_t end = std::min(n, i + kBlock);
        double running = 0;
        for (; i < end; ++i)
        {
            running += near[i];
            if (running >= target)
            {
                return i;
            }
        }
        return end - 1;
    }

    void refreshBlockSums(int threads)
    {
        const float* near = closest.data_ptr<float>();
        const int64_t n = closest.size(0);
        const int64_t blocks = (n + kBlock - 1) / kBlock;
        blockSums.assign(static_cast<size_t>(blocks), 0.0);
        parallelSlices(blocks, threads,
                       [&](int, int64_t begin, int64_t end)
                       {
                           for (int64_t b = begin; b < end; ++b)
                           {
                               double sum = 0;
                               for (int64_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i)
                               {
                                   sum += near[i];
                               }
                               blockSums[static_cast<size_t>(b)] = sum;
                           }
                       });
    }
};

// One seeding round on the CPU: two parallel passes, one to score the candidates, one to
// update the closest distances. LibTorch's single-threaded elementwise ops would cost more.
at::Tensor cpuSeedingRound(const at::Tensor& x, const at::Tensor& xSq, CpuSeeding& state,
                           const std::vector<double>& draws)
{
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    const int threads = computeThreads();
    std::vector<int64_t> ids;
    for (double target : draws)
    {
        ids.push_back(state.sample(target));
    }
    auto candidates = x.index_select(0, at::tensor(at::IntArrayRef(ids), at::kLong)).contiguous();
    auto cSq = rowSquaredNorms(candidates).contiguous();
    const auto t = static_cast<int64_t>(ids.size());
    auto dist = at::empty({n, t}, x.options());
    float* near = state.closest.data_ptr<float>();
    std::vector<std::vector<double>> partial(static_cast<size_t>(threads),
                                             std::vector<double>(static_cast<size_t>(t), 0.0));
    parallelSlices(
        n, threads,
        [&](int thread, int64_t begin, int64_t end)
        {
            float* out = dist.data_ptr<float>() + begin * t;
            cpu::squaredDistances(x.data_ptr<float>() + begin * d, xSq.data_ptr<float>() + begin,
                                  end - begin, d, candidates.data_ptr<float>(),
                                  cSq.data_ptr<float>(), t, out);
            auto& pot = partial[static_cast<size_t>(thread)];
            for (int64_t i = begin; i < end; ++i)
            {
                for (int64_t q = 0; q < t; ++q)
                {
                    pot[static_cast<size_t>(q)] += std::min(near[i], out[(i - begin) * t + q]);
                }
            }
        });
    std::vector<double> potentials(static_cast<size_t>(t), 0.0);
    for (const auto& p : partial)
    {
        for (int64_t q = 0; q < t; ++q)
        {
            potentials[static_cast<size_t>(q)] += p[static_cast<size_t>(q)];
        }
    }
    const auto best = static_cast<int64_t>(std::min_element(potentials.begin(), potentials.end()) -
                                           potentials.begin());
    const float* dd = dist.data_ptr<float>();
    parallelSlices(n, threads,
                   [&](int, int64_t begin, int64_t end)
                   {
                       for (int64_t i = begin; i < end; ++i)
                       {
                           near[i] = std::min(near[i], dd[i * t + best]);
                       }
                   });
    state.refreshBlockSums(threads);
    return candidates[best];
}

// The same round with tensor ops, for CUDA.
void tensorSeedingRound(const at::Tensor& x, const at::Tensor& xSq, at::Tensor& closest,
                        const std::vector<double>& draws, at::Tensor& chosen)
{
    auto cumulative = closest.to(at::kDouble).cumsum(0);
    auto targets = at::tensor(draws, at::kDouble).to(x.device());
    auto ids = at::searchsorted(cumulative, targets).clamp_max_(x.size(0) - 1);
    auto candidates = x.index_select(0, ids);
    auto dist = at::minimum(squaredDistances(x, xSq, candidates), closest.unsqueeze(1));
    const int64_t best = dist.sum(0, false, at::kDouble).argmin().item<int64_t>();
    closest = dist.select(1, best).contiguous();
    chosen = candidates[best];
}

// Greedy k-means++ as scikit-learn does it: each new center is the best of 2 + log(k)
// candidates drawn with probability proportional to the squared distance.
at::Tensor greedyPlusPlus(const at::Tensor& x, const at::Tensor& xSq, int64_t k, bool kernels,
                          Rng& rng, Progress& progress)
{
    const int64_t n = x.size(0);
    const int64_t trials = 2 + static_cast<int64_t>(std::log(static_cast<double>(k)));
    auto centers = at::empty({k, x.size(1)}, x.options());
    std::uniform_int_distribution<int64_t> first(0, n - 1);
    centers[0].copy_(x[first(rng)]);
    auto closest = squaredDistances(x, xSq, centers.narrow(0, 0, 1)).view({n}).contiguous();
    const bool cpu = kernels;
    CpuSeeding state;
    if (cpu)
    {
        state.closest = closest;
        state.refreshBlockSums(computeThreads());
    }
    for (int64_t c = 1; c < k; ++c)
    {
        throwIfCancelled(progress);
        const double potential = cpu ? state.potential() : closest.sum(at::kDouble).item<double>();
        const auto draws = drawTargets(trials, potential, rng);
        at::Tensor chosen;
        if (cpu)
        {
            chosen = cpuSeedingRound(x, xSq, state, draws);
        }
        else
        {
            tensorSeedingRound(x, xSq, closest, draws, chosen);
        }
        centers[c].copy_(chosen);
        progress.report(static_cast<double>(c) / static_cast<double>(k), "k-means++ seeding");
    }
    return centers;
}

// One Lloyd pass: the closest center of every row and, when asked, the per-cluster sums.
struct Step
{
    at::Tensor labels;  // N int64
    at::Tensor minDist; // N float32 squared distances
    at::Tensor sums;    // k x D float64 (when accumulated)
    at::Tensor counts;  // k float64 (when accumulated)
};

constexpr int64_t kSuperBlock = 131072; // rows between two looks at the cancel flag

// Hamerly's bounds between CPU steps (cpu::RowBounds): the last step's labels, each row's
// lower bound on its distance to the other centers, and how far each cluster's rivals moved.
struct Bounds
{
    at::Tensor previous; // undefined before the first step
    std::vector<double> lower;
    std::vector<double> drop;
    int64_t scanned = 0;

    // After the centers moved from `before` to `after`: drop[a] = max over j != a of the
    // distance center j moved, rounded up.
    void moved(const at::Tensor& before, const at::Tensor& after, const at::Tensor& labels)
    {
        auto b = before.contiguous();
        auto a = after.contiguous();
        const int64_t k = b.size(0);
        const int64_t d = b.size(1);
        std::vector<double> shift(static_cast<size_t>(k));
        for (int64_t j = 0; j < k; ++j)
        {
            double sq = 0;
            for (int64_t l = 0; l < d; ++l)
            {
                const double diff = static_cast<double>(a.data_ptr<float>()[j * d + l]) -
                                    static_cast<double>(b.data_ptr<float>()[j * d + l]);
                sq += diff * diff;
            }
            shift[static_cast<size_t>(j)] = std::sqrt(sq) * (1.0 + 1e-12);
        }
        drop.assign(static_cast<size_t>(k), 0.0);
        for (int64_t c = 0; c < k; ++c)
            for (int64_t j = 0; j < k; ++j)
                if (j != c)
                    drop[static_cast<size_t>(c)] =
                        std::max(drop[static_cast<size_t>(c)], shift[static_cast<size_t>(j)]);
        previous = labels;
    }
};

Step cpuStep(const at::Tensor& x, const at::Tensor& centers, bool accumulate, Progress& progress,
             Bounds* bounds)
{
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    const int64_t k = centers.size(0);
    auto c = centers.contiguous();
    auto cSq = rowSquaredNorms(c).contiguous();
    Step s{at::empty({n}, x.options().dtype(at::kLong)), at::empty({n}, x.options()), {}, {}};
    const int threads = computeThreads();
    // The bounds' view of the centers: their largest norm and how far the float32 norms the
    // step compares are from the exact ones (both rounded up).
    double maxNorm = 0;
    double normError = 0;
    if (bounds)
    {
        bounds->lower.resize(static_cast<size_t>(n));
        for (int64_t j = 0; j < k; ++j)
        {
            double sq = 0;
            for (int64_t l = 0; l < d; ++l)
            {
                const double v = c.data_ptr<float>()[j * d + l];
                sq += v * v;
            }
            maxNorm = std::max(maxNorm, std::sqrt(sq) * (1.0 + 1e-12));
            normError =
                std::max(normError,
                         std::abs(static_cast<double>(cSq.data_ptr<float>()[j]) - sq) + 1e-12 * sq);
        }
    }
    std::vector<int64_t> scanned(static_cast<size_t>(threads), 0);
    // Per-thread float64 partial sums, reduced at the end.
    std::vector<at::Tensor> sums;
    std::vector<at::Tensor> counts;
    if (accumulate)
    {
        for (int t = 0; t < threads; ++t)
        {
            sums.push_back(at::zeros({k, d}, x.options().dtype(at::kDouble)));
            counts.push_back(at::zeros({k}, x.options().dtype(at::kDouble)));
        }
    }
    for (int64_t start = 0; start < n; start += kSuperBlock)
    {
        throwIfCancelled(progress);
        const int64_t len = std::min(kSuperBlock, n - start);
        parallelSlices(
            len, threads,
            [&](int t, int64_t begin, int64_t end)
            {
                const int64_t row = start + begin;
                cpu::RowBounds rowBounds;
                if (bounds)
                {
                    rowBounds.previous = bounds->previous.defined()
                                             ? bounds->previous.data_ptr<int64_t>() + row
                                             : nullptr;
                    rowBounds.drop = bounds->drop.data();
                    rowBounds.lower = bounds->lower.data() + row;
                    rowBounds.maxNorm = maxNorm;
                    rowBounds.normError = normError;
                }
                cpu::assignRows(x.data_ptr<float>() + row * d, end - begin, d, c.data_ptr<float>(),
                                cSq.data_ptr<float>(), k, s.labels.data_ptr<int64_t>() + row,
                                s.minDist.data_ptr<float>() + row,
                                accumulate ? sums[t].data_ptr<double>() : nullptr,
                                accumulate ? counts[t].data_ptr<double>() : nullptr,
                                bounds ? &rowBounds : nullptr);
                scanned[static_cast<size_t>(t)] += bounds ? rowBounds.scanned : end - begin;
            });
    }
    if (accumulate)
    {
        s.sums = sums[0];
        s.counts = counts[0];
        for (int t = 1; t < threads; ++t)
        {
            s.sums += sums[t];
            s.counts += counts[t];
        }
    }
    if (bounds)
        for (auto rows : scanned)
            bounds->scanned += rows;
    return s;
}

// Rows one thread sums in order in clusterSums: short enough that the GPU has many threads.
constexpr int64_t kSumChunk = 256;

// The k x D float64 sums of each cluster's rows, in an order of operations fixed by the labels
// alone, so every run gives the same bits: index_add_ adds with atomics on CUDA, in an order
// that changes from run to run. In row blocks (bounded memory), each block's rows are sorted by
// cluster (a stable sort), cut into chunks of at most kSumChunk rows of one cluster, each chunk
// summed by segment_reduce (one thread per chunk and column, in row order), then each cluster's
// chunks summed the same way; the blocks are added in order.
at::Tensor clusterSums(const at::Tensor& x, const at::Tensor& labels, int64_t k)
{
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    const int64_t block =
        std::max<int64_t>(kSumChunk, (int64_t{1} << 22) / std::max<int64_t>(d, 1));
    auto sums = at::zeros({k, d}, x.options().dtype(at::kDouble));
    for (int64_t start = 0; start < n; start += block)
    {
        const int64_t len = std::min(block, n - start);
        auto [sorted, order] = labels.narrow(0, start, len).sort(/*stable=*/true, 0, false);
        auto rows = x.narrow(0, start, len).index_select(0, order).to(at::kDouble);
        auto counts = at::bincount(sorted, {}, k);
        auto chunks = at::div(counts + (kSumChunk - 1), kSumChunk, "trunc");
        auto firstRow = counts.cumsum(0) - counts;
        auto firstChunk = chunks.cumsum(0) - chunks;
        auto rank = at::arange(len, sorted.options()) - firstRow.index_select(0, sorted);
        auto chunkOf = firstChunk.index_select(0, sorted) + at::div(rank, kSumChunk, "trunc");
        // At least as many chunks as used; the unused ones are empty and sum to 0.
        const int64_t slots = (len + kSumChunk - 1) / kSumChunk + k;
        auto partial = at::segment_reduce(rows, "sum", at::bincount(chunkOf, {}, slots), {}, {}, 0,
                                          /*unsafe=*/true, 0);
        // Each cluster's chunks, then one more segment for the unused ones.
        auto perCluster = at::cat({chunks, (slots - chunks.sum()).view({1})});
        sums += at::segment_reduce(partial, "sum", perCluster, {}, {}, 0, /*unsafe=*/true, 0)
                    .narrow(0, 0, k);
    }
    return sums;
}

// The same step by tensor ops (what CUDA runs): distances by GEMM in float32, in row blocks so
// memory stays bounded; the sums by clusterSums, in float64.
Step tensorStep(const at::Tensor& x, const at::Tensor& xSq, const at::Tensor& centers,
                bool accumulate, Progress& progress)
{
    const int64_t n = x.size(0);
    const int64_t k = centers.size(0);
    const int64_t block = std::max<int64_t>(4096, (int64_t{1} << 24) / k);
    auto cSq = rowSquaredNorms(centers).unsqueeze(0);
    auto ct = centers.t();
    Step s{at::empty({n}, x.options().dtype(at::kLong)), at::empty({n}, x.options()), {}, {}};
    for (int64_t start = 0; start < n; start += block)
    {
        throwIfCancelled(progress);
        const int64_t len = std::min(block, n - start);
        // argmin over |c|^2 - 2 x.c; |x|^2 is added only to the minimum.
        auto partial = at::addmm(cSq, x.narrow(0, start, len), ct, 1, -2);
        auto [values, indices] = partial.min(1);
        s.labels.narrow(0, start, len).copy_(indices);
        s.minDist.narrow(0, start, len).copy_(values.add_(xSq.narrow(0, start, len)));
    }
    s.minDist.clamp_min_(0);
    if (accumulate)
    {
        s.sums = clusterSums(x, s.labels, k);
        s.counts = at::bincount(s.labels, {}, k).to(at::kDouble);
    }
    return s;
}

Step lloydStep(const at::Tensor& x, const at::Tensor& xSq, const at::Tensor& centers,
               bool accumulate, bool kernels, Progress& progress, Bounds* bounds)
{
    return kernels ? cpuStep(x, centers, accumulate, progress, bounds)
                   : tensorStep(x, xSq, centers, accumulate, progress);
}

// M-step. Empty clusters take the points farthest from their centers, as scikit-learn does.
at::Tensor updateCenters(const at::Tensor& x, Step& s)
{
    auto empty = (s.counts == 0).nonzero().flatten();
    const int64_t nEmpty = empty.numel();
    if (nEmpty > 0)
    {
        auto far = std::get<1>(s.minDist.topk(nEmpty)).cpu();
        auto emptyCpu = empty.cpu();
        for (int64_t i = 0; i < nEmpty; ++i)
        {
            const int64_t point = far[i].item<int64_t>();
            const int64_t oldCluster = s.labels[point].item<int64_t>();
            const int64_t newCluster = emptyCpu[i].item<int64_t>();
            auto row = x[point].to(at::kDouble);
            s.sums[oldCluster] -= row;
            s.counts[oldCluster] -= 1;
            s.sums[newCluster].copy_(row);
            s.counts[newCluster].fill_(1);
        }
    }
    return (s.sums / s.counts.unsqueeze(1)).to(x.scalar_type());
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
    const bool kernels = o.cpuKernels && usesCpuKernels(x);
    at::Tensor centers = o.init == KMeansInit::KMeansPlusPlus
                             ? greedyPlusPlus(x, xSq, o.k, kernels, rng, seeding)
                             : randomRows(x, o.k, rng);
    at::Tensor previousLabels;
    Step a;
    bool strictConvergence = false;
    int64_t iteration = 0;
    Bounds state;
    int64_t steps = 0;
    Bounds* bounds = kernels && o.bounds ? &state : nullptr;
    while (iteration < o.maxIter)
    {
        a = lloydStep(x, xSq, centers, true, kernels, progress, bounds);
        ++steps;
        auto newCenters = updateCenters(x, a);
        if (bounds)
            bounds->moved(centers, newCenters, a.labels);
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
        a = lloydStep(x, xSq, centers, false, kernels, progress, bounds); // the final labels
        ++steps;
    }
    KMeansResult r;
    r.centers = centers;
    r.labels = a.labels;
    r.inertia =
        kernels ? a.minDist.sum(at::kDouble).item<double>() : exactInertia(x, centers, a.labels);
    r.iterations = iteration;
    r.scannedRows = bounds ? state.scanned : steps * x.size(0);
    return r;
}

} // namespace

at::Tensor kmeansPlusPlus(const at::Tensor& x, int64_t k, uint64_t seed, const std::string& name)
{
    KMeansOptions o;
    o.k = k;
    o.name = name;
    checkInput(x, o);
    Rng rng(seed);
    const auto data = centreFeatures(x, name);
    auto xSq = rowSquaredNorms(data.rows);
    return data.restore(
        greedyPlusPlus(data.rows, xSq, k, usesCpuKernels(data.rows), rng, nullProgress()));
}

KMeansResult kmeans(const at::Tensor& x, const KMeansOptions& options, Progress* progress)
{
    Progress& p = progress ? *progress : nullProgress();
    checkInput(x, options);
    // Centred in float64 first, as scikit-learn does: on data far from zero the norms would
    // swamp the distances (see kernels/centring.h).
    const auto centred = centreFeatures(x, options.name, at::kFloat, &p);
    const auto& data = centred.rows;
    auto xSq = rowSquaredNorms(data);
    // scikit-learn's tol is relative to the mean per-feature variance:
    // mean_j var_j = (sum |x|^2 / N - |mean|^2) / D, from passes we make anyway.
    const auto n = static_cast<double>(data.size(0));
    auto mean = at::mv(data.t(), at::ones({data.size(0)}, data.options())) / n;
    const double meanVariance =
        (xSq.sum(at::kDouble).item<double>() / n - mean.square().sum(at::kDouble).item<double>()) /
        static_cast<double>(data.size(1));
    const double absoluteTol = options.tol * std::max(0.0, meanVariance);
    KMeansResult best;
    for (int64_t run = 0; run < options.nInit; ++run)
    {
        Rng rng(deriveSeed(options.seed, static_cast<uint64_t>(run)));
        const double span = 1.0 / static_cast<double>(options.nInit);
        ProgressRange stage(p, span * static_cast<double>(run),
                            span * static_cast<double>(run + 1));
        auto r = singleRun(data, xSq, options, absoluteTol, rng, stage);
        if (run == 0 || r.inertia < best.inertia)
        {
            best = r;
            best.bestInit = run;
        }
    }
    if (options.softTemperature > 0)
        best.soft =
            softAssignmentsCentred(data, xSq, best.centers, best.inertia, options.softTemperature);
    best.centers = centred.restore(best.centers);
    p.report(1.0, "k-means done");
    return best;
}

} // namespace clusterscope

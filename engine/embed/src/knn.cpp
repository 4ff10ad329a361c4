#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/embed/knn.h>
#include <clusterscope/kernels/centring.h>
#include <clusterscope/kernels/cpu_kernels.h>
#include <clusterscope/kernels/distance_scan.h>
#include <clusterscope/kernels/distances.h>
#include <clusterscope/kernels/parallel.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <hnswlib/hnswlib.h>
#include <numeric>
#include <sstream>

namespace clusterscope
{
namespace
{

// Rows per GEMM block: a block's distance matrix stays near 64 MB whatever N is.
int64_t blockRows(int64_t n)
{
    return std::clamp<int64_t>((int64_t{16} << 20) / std::max<int64_t>(n, 1), 16, 4096);
}

// On the device, by blocks of GEMM and top-k.
KnnGraph exactNeighborsByGemm(const at::Tensor& x, int64_t k, Progress& progress)
{
    const int64_t n = x.size(0);
    KnnGraph g{n, k, std::vector<int64_t>(static_cast<size_t>(n * k)),
               std::vector<float>(static_cast<size_t>(n * k))};
    const auto xSq = rowSquaredNorms(x);
    const int64_t step = blockRows(n);
    for (int64_t begin = 0; begin < n; begin += step)
    {
        throwIfCancelled(progress);
        progress.report(static_cast<double>(begin) / static_cast<double>(n), "nearest neighbours");
        const int64_t end = std::min(n, begin + step);
        auto block = x.slice(0, begin, end);
        auto d2 = at::addmm(xSq.unsqueeze(0), block, x.t(), 1, -2);
        d2.add_(xSq.slice(0, begin, end).unsqueeze(1)).clamp_min_(0);
        // A row is never its own neighbour.
        auto self = at::arange(begin, end, x.options().dtype(at::kLong));
        d2.scatter_(1, self.unsqueeze(1), std::numeric_limits<float>::infinity());
        auto [values, idx] = d2.topk(k, 1, /*largest=*/false, /*sorted=*/true);
        auto dist = values.sqrt_().to(at::kCPU).contiguous();
        auto ids = idx.to(at::kCPU).contiguous();
        std::copy_n(dist.data_ptr<float>(), (end - begin) * k, g.distances.data() + begin * k);
        std::copy_n(ids.data_ptr<int64_t>(), (end - begin) * k, g.indices.data() + begin * k);
    }
    return g;
}

// On the CPU, by the tiled scan: each row keeps a max-heap of its k best (distance, index)
// pairs, so most candidates cost one comparison. The kept neighbours' distances are then
// recomputed directly, free of the norms trick's cancellation. With `queries`, only those rows'
// neighbours (among all rows), row i of the graph being queries[i].
KnnGraph exactNeighborsOnCpu(const at::Tensor& x, int64_t k, Progress& progress,
                             const std::vector<int64_t>* queries = nullptr)
{
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    const auto sq = rowSquaredNorms(x).contiguous();
    const ScanRows rows{x.data_ptr<float>(), sq.data_ptr<float>(), n};
    at::Tensor queryRows;
    at::Tensor querySq;
    ScanRows asked = rows;
    if (queries)
    {
        const auto ids = at::tensor(at::ArrayRef<int64_t>(*queries), at::kLong).to(x.device());
        queryRows = x.index_select(0, ids).contiguous();
        querySq = sq.index_select(0, ids).contiguous();
        asked = {queryRows.data_ptr<float>(), querySq.data_ptr<float>(), queryRows.size(0)};
    }
    const int64_t m = asked.n;
    auto rowOf = [&](int64_t q) { return queries ? (*queries)[static_cast<size_t>(q)] : q; };
    using Candidate = std::pair<float, int64_t>;
    std::vector<Candidate> heaps(static_cast<size_t>(m * k),
                                 {std::numeric_limits<float>::infinity(), -1});
    scanSquaredDistances(asked, rows, d, progress,
                         [&](int64_t q, int64_t r0, const float* d2, int64_t count)
                         {
                             Candidate* heap = heaps.data() + q * k;
                             const int64_t self = rowOf(q);
                             // References come in increasing index order, so a strict test on
                             // the distance alone keeps the smaller index among ties.
                             float worst = heap[0].first;
                             for (int64_t j = 0; j < count; ++j)
                             {
                                 if (d2[j] < worst && r0 + j != self)
                                 {
                                     std::pop_heap(heap, heap + k);
                                     heap[k - 1] = {d2[j], r0 + j};
                                     std::push_heap(heap, heap + k);
                                     worst = heap[0].first;
                                 }
                             }
                         });
    throwIfCancelled(progress);
    KnnGraph g{m, k, std::vector<int64_t>(static_cast<size_t>(m * k)),
               std::vector<float>(static_cast<size_t>(m * k))};
    const float* data = x.data_ptr<float>();
    parallelSlices(m, computeThreads(),
                   [&](int, int64_t begin, int64_t end)
                   {
                       for (int64_t i = begin; i < end; ++i)
                       {
                           Candidate* heap = heaps.data() + i * k;
                           const int64_t self = rowOf(i);
                           for (int64_t j = 0; j < k; ++j)
                           {
                               double s = 0;
                               for (int64_t c = 0; c < d; ++c)
                               {
                                   const double diff = static_cast<double>(data[self * d + c]) -
                                                       data[heap[j].second * d + c];
                                   s += diff * diff;
                               }
                               heap[j].first = static_cast<float>(std::sqrt(s));
                           }
                           std::sort(heap, heap + k);
                           for (int64_t j = 0; j < k; ++j)
                           {
                               g.distances[static_cast<size_t>(i * k + j)] = heap[j].first;
                               g.indices[static_cast<size_t>(i * k + j)] = heap[j].second;
                           }
                       }
                   });
    return g;
}

double rowDistance(const float* data, int64_t d, int64_t a, int64_t b)
{
    double s = 0;
    for (int64_t c = 0; c < d; ++c)
    {
        const double diff = static_cast<double>(data[a * d + c]) - data[b * d + c];
        s += diff * diff;
    }
    return std::sqrt(s);
}

// The share of the exact k nearest neighbours that `approximate` holds, on `recallQueries`
// rows drawn without replacement from the seed. A neighbour counts as found when it is no
// farther than the exact k-th: among identical rows any of them is a right answer.
double estimateRecall(const at::Tensor& x, const KnnGraph& approximate, const KnnOptions& o,
                      Progress& progress)
{
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    const int64_t count = std::min(n, std::max<int64_t>(o.recallQueries, 1));
    std::vector<int64_t> ids(static_cast<size_t>(n));
    std::iota(ids.begin(), ids.end(), 0);
    Rng rng(deriveSeed(o.seed, 61));
    for (int64_t i = 0; i < count; ++i)
    {
        std::uniform_int_distribution<int64_t> pick(i, n - 1);
        std::swap(ids[static_cast<size_t>(i)], ids[static_cast<size_t>(pick(rng))]);
    }
    ids.resize(static_cast<size_t>(count));
    const auto exact = exactNeighborsOnCpu(x, approximate.k, progress, &ids);
    const float* data = x.data_ptr<float>();
    int64_t found = 0;
    for (int64_t q = 0; q < count; ++q)
    {
        const int64_t row = ids[static_cast<size_t>(q)];
        const double kth = exact.distance(q, approximate.k - 1);
        // The exact distances were rounded to float32: a relative allowance of a few ulps.
        const double allowed = kth * (1 + 1e-5) + 1e-30;
        for (int64_t j = 0; j < approximate.k; ++j)
        {
            if (rowDistance(data, d, row, approximate.neighbor(row, j)) <= allowed)
                ++found;
        }
    }
    return static_cast<double>(found) / static_cast<double>(count * approximate.k);
}

// Squared euclidean distance for hnswlib through the kernels' AVX-512/AVX2 code chosen at run
// time: hnswlib's own L2Space picks its AVX paths at compile time, so a portable build (no
// -mavx) measures 4 floats at a time; on 784-D rows this space builds the index about twice
// as fast.
class DispatchedL2Space final : public hnswlib::SpaceInterface<float>
{
public:
    explicit DispatchedL2Space(size_t dim) : dim_(dim) {}
    size_t get_data_size() override { return dim_ * sizeof(float); }
    hnswlib::DISTFUNC<float> get_dist_func() override { return &distance; }
    void* get_dist_func_param() override { return &dim_; }

private:
    static float distance(const void* a, const void* b, const void* dim)
    {
        return cpu::squaredDistance(static_cast<const float*>(a), static_cast<const float*>(b),
                                    static_cast<int64_t>(*static_cast<const size_t*>(dim)));
    }
    size_t dim_;
};

KnnGraph hnswNeighbors(const at::Tensor& xIn, const KnnOptions& o, Progress& progress)
{
    const auto x = xIn.to(at::kCPU, at::kFloat).contiguous();
    const int64_t n = x.size(0);
    const int64_t d = x.size(1);
    const float* data = x.data_ptr<float>();
    DispatchedL2Space space(static_cast<size_t>(d));
    hnswlib::HierarchicalNSW<float> index(&space, static_cast<size_t>(n),
                                          static_cast<size_t>(o.hnswM),
                                          static_cast<size_t>(o.hnswEfConstruction), o.seed);
    // Inserting from one thread keeps the graph, and so the labels, the same for a seed.
    for (int64_t i = 0; i < n; ++i)
    {
        // A 784-D insertion takes about 0.2 ms: checking every 64 keeps a cancel prompt on a
        // loaded machine too.
        if (i % 64 == 0)
            progress.poll(0.8 * static_cast<double>(i) / static_cast<double>(n),
                          [] { return std::string("building the HNSW index"); });
        index.addPoint(data + i * d, static_cast<hnswlib::labeltype>(i));
    }
    index.setEf(
        static_cast<size_t>(o.hnswEfSearch > 0 ? o.hnswEfSearch : std::max<int64_t>(2 * o.k, 64)));
    const int64_t k = o.k;
    KnnGraph g{n, k, std::vector<int64_t>(static_cast<size_t>(n * k)),
               std::vector<float>(static_cast<size_t>(n * k))};
    std::atomic<bool> cancelled{false};
    std::atomic<bool> shortRows{false};
    // Searches only read the index, so they run in parallel and stay deterministic.
    parallelSlices(n, computeThreads(),
                   [&](int thread, int64_t begin, int64_t end)
                   {
                       std::vector<std::pair<float, int64_t>> found;
                       for (int64_t i = begin; i < end && !cancelled; ++i)
                       {
                           if (thread == 0 && (i - begin) % 128 == 0)
                               cancelled = progress.cancelRequested();
                           if (thread == 0 && (i - begin) % 1024 == 0)
                           {
                               progress.report(0.8 + 0.2 * static_cast<double>(i - begin) /
                                                         static_cast<double>(end - begin),
                                               "searching the HNSW index");
                           }
                           auto heap = index.searchKnn(data + i * d, static_cast<size_t>(k + 1));
                           found.clear();
                           while (!heap.empty())
                           {
                               const auto [dist, id] = heap.top();
                               heap.pop();
                               if (static_cast<int64_t>(id) != i)
                                   found.emplace_back(dist, static_cast<int64_t>(id));
                           }
                           std::sort(found.begin(), found.end());
                           if (static_cast<int64_t>(found.size()) < k)
                           {
                               shortRows = true; // threads must not throw
                               continue;
                           }
                           for (int64_t j = 0; j < k; ++j)
                           {
                               g.indices[static_cast<size_t>(i * k + j)] =
                                   found[static_cast<size_t>(j)].second;
                               g.distances[static_cast<size_t>(i * k + j)] =
                                   std::sqrt(found[static_cast<size_t>(j)].first);
                           }
                       }
                   });
    throwIfCancelled(progress);
    if (shortRows)
        g.estimatedRecall = 0; // some rows lack neighbours: no graph to measure
    return g;
}

} // namespace

KnnMethod parseKnnMethod(const std::string& name)
{
    if (name == "exact")
        return KnnMethod::Exact;
    if (name == "hnsw")
        return KnnMethod::Hnsw;
    throw ParameterError("neighbour search '" + name + "' is not one of exact|hnsw");
}

KnnGraph nearestNeighbors(const at::Tensor& x, const KnnOptions& options, Progress* progress)
{
    Progress& p = progress ? *progress : nullProgress();
    const int64_t n = x.size(0);
    if (options.k < 1 || options.k >= n)
        throw ParameterError(options.name + ": the number of neighbours must be between 1 and " +
                             std::to_string(n - 1) + " for " + std::to_string(n) + " rows; got " +
                             std::to_string(options.k));
    // Centred: the scan's norms would swamp the distances of data far from zero.
    const auto xf = centreFeatures(x, options.name, at::kFloat, &p).rows;
    auto exact = [&](Progress& stage)
    {
        return xf.is_cpu() ? exactNeighborsOnCpu(xf, options.k, stage)
                           : exactNeighborsByGemm(xf, options.k, stage);
    };
    if (options.method != KnnMethod::Hnsw)
        return exact(p);
    ProgressRange build(p, 0.0, 0.8);
    auto g = hnswNeighbors(xf, options, build);
    ProgressRange check(p, 0.8, 0.9);
    const auto xc = xf.to(at::kCPU).contiguous();
    const double recall = g.estimatedRecall == 0 ? 0.0 : estimateRecall(xc, g, options, check);
    if (recall >= options.minRecall)
    {
        g.estimatedRecall = recall;
        return g;
    }
    ProgressRange fallback(p, 0.9, 1.0);
    auto out = exact(fallback);
    out.estimatedRecall = recall;
    out.fellBackToExact = true;
    std::ostringstream text;
    text.precision(3);
    text << options.name << ": the approximate (HNSW) neighbour graph held only " << recall * 100
         << "% of the exact " << options.k << " nearest neighbours on "
         << std::min<int64_t>(n, options.recallQueries)
         << " sampled rows (hnswlib degrades on many identical rows), below the "
         << options.minRecall * 100
         << "% it must reach, so the exact search was used instead; choose the exact search "
            "to skip the index, or remove the duplicated rows";
    out.warnings.push_back(text.str());
    return out;
}

KnnGraph nearestNeighborsAmong(const at::Tensor& queries, const at::Tensor& reference, int64_t k,
                               const std::string& name, Progress* progress)
{
    Progress& p = progress ? *progress : nullProgress();
    if (queries.dim() != 2 || reference.dim() != 2 || queries.size(1) != reference.size(1))
        throw ParameterError(name + ": the new rows and the reference rows need the same number "
                                    "of columns");
    const int64_t n = reference.size(0);
    const int64_t m = queries.size(0);
    const int64_t d = reference.size(1);
    if (k < 1 || k > n)
        throw ParameterError(name + ": the number of neighbours must be between 1 and " +
                             std::to_string(n) + " for " + std::to_string(n) +
                             " reference rows; got " + std::to_string(k));
    // Both centred on the reference's float64 column means: the scan's norms would otherwise
    // swamp the distances of data far from zero.
    const auto ref64 = reference.to(at::kCPU).to(at::kDouble);
    const auto mean = ref64.mean(0, true);
    const auto ref = (ref64 - mean).to(at::kFloat).contiguous();
    const auto ask = (queries.to(at::kCPU).to(at::kDouble) - mean).to(at::kFloat).contiguous();
    if (!at::isfinite(ask).all().item<bool>())
        throw DataError(name + ": the new rows hold NaN or infinite values");
    const auto refSq = rowSquaredNorms(ref).contiguous();
    const auto askSq = rowSquaredNorms(ask).contiguous();
    const ScanRows refRows{ref.data_ptr<float>(), refSq.data_ptr<float>(), n};
    const ScanRows askRows{ask.data_ptr<float>(), askSq.data_ptr<float>(), m};
    using Candidate = std::pair<float, int64_t>;
    std::vector<Candidate> heaps(static_cast<size_t>(m * k),
                                 {std::numeric_limits<float>::infinity(), -1});
    scanSquaredDistances(askRows, refRows, d, p,
                         [&](int64_t q, int64_t r0, const float* d2, int64_t count)
                         {
                             Candidate* heap = heaps.data() + q * k;
                             // Increasing reference order: ties keep the smaller index.
                             float worst = heap[0].first;
                             for (int64_t j = 0; j < count; ++j)
                                 if (d2[j] < worst || heap[0].second < 0)
                                 {
                                     std::pop_heap(heap, heap + k);
                                     heap[k - 1] = {d2[j], r0 + j};
                                     std::push_heap(heap, heap + k);
                                     worst = heap[0].first;
                                 }
                         });
    throwIfCancelled(p);
    KnnGraph g{m, k, std::vector<int64_t>(static_cast<size_t>(m * k)),
               std::vector<float>(static_cast<size_t>(m * k))};
    const float* a = ask.data_ptr<float>();
    const float* r = ref.data_ptr<float>();
    parallelSlices(m, computeThreads(),
                   [&](int, int64_t begin, int64_t end)
                   {
                       for (int64_t i = begin; i < end; ++i)
                       {
                           Candidate* heap = heaps.data() + i * k;
                           for (int64_t j = 0; j < k; ++j)
                           {
                               double s = 0;
                               for (int64_t c = 0; c < d; ++c)
                               {
                                   const double diff = static_cast<double>(a[i * d + c]) -
                                                       r[heap[j].second * d + c];
                                   s += diff * diff;
                               }
                               heap[j].first = static_cast<float>(std::sqrt(s));
                           }
                           std::sort(heap, heap + k);
                           for (int64_t j = 0; j < k; ++j)
                           {
                               g.distances[static_cast<size_t>(i * k + j)] = heap[j].first;
                               g.indices[static_cast<size_t>(i * k + j)] = heap[j].second;
                           }
                       }
                   });
    return g;
}

} // namespace clusterscope

// Metrics computed from the features: silhouette, Calinski-Harabasz, Davies-Bouldin.
// Float64 throughout, as scikit-learn does, so that the numbers agree to many digits.

#include <clusterscope/core/errors.h>
#include <clusterscope/core/random.h>
#include <clusterscope/kernels/parallel.h>
#include <clusterscope/metrics/metrics.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace clusterscope
{

namespace
{

// The non-noise rows, their features in float64 and contiguous codes 0..K-1.
struct Clustered
{
    at::Tensor x;     // n x D float64
    at::Tensor codes; // n int64
    int64_t k = 0;
};

Clustered withoutNoise(const at::Tensor& x, const Labels& labels, const char* metric)
{
    if (x.dim() != 2 || x.size(0) != static_cast<int64_t>(labels.size()))
    {
        throw ParameterError(std::string(metric) + ": the labels must have one entry per row");
    }
    std::vector<int64_t> keep;
    std::map<int64_t, int64_t> codes;
    for (size_t i = 0; i < labels.size(); ++i)
    {
        if (labels[i] >= 0)
        {
            keep.push_back(static_cast<int64_t>(i));
            codes.emplace(labels[i], 0);
        }
    }
    int64_t next = 0;
    for (auto& [label, code] : codes)
    {
        code = next++;
    }
    std::vector<int64_t> c;
    c.reserve(keep.size());
    for (int64_t i : keep)
    {
        c.push_back(codes[labels[static_cast<size_t>(i)]]);
    }
    Clustered out;
    auto index = at::tensor(at::IntArrayRef(keep), at::kLong).to(x.device());
    out.x = x.index_select(0, index).to(at::kDouble);
    out.codes = at::tensor(at::IntArrayRef(c), at::kLong).to(x.device());
    out.k = next;
    if (out.k < 2 || out.k > out.x.size(0) - 1)
    {
        throw ParameterError(std::string(metric) + " needs 2 <= clusters <= samples - 1; got " +
                             std::to_string(out.k) + " clusters for " +
                             std::to_string(out.x.size(0)) + " samples");
    }
    return out;
}

// What Calinski-Harabasz and Davies-Bouldin are made of, noise left out: per-cluster sizes and
// means, and each row's distance to its own cluster's mean, all in float64. Two passes over the
// rows and never a float64 copy of the whole matrix (Fashion-MNIST's 60000 x 784 would take
// 376 MB per copy).
struct Dispersion
{
    at::Tensor centers;      // K x D float64
    at::Tensor counts;       // K float64
    at::Tensor distanceSums; // K float64: sum over the cluster's rows of |x - mean|
    double withinSq = 0;     // sum over all clustered rows of |x - own mean|^2
    int64_t n = 0;
    int64_t k = 0;
};

// Contiguous codes 0..K-1 for the labels, -1 for noise; checks 2 <= K <= n - 1.
std::vector<int64_t> clusterCodes(const at::Tensor& x, const Labels& labels, const char* metric,
                                  int64_t& k, int64_t& n)
{
    if (x.dim() != 2 || x.size(0) != static_cast<int64_t>(labels.size()))
        throw ParameterError(std::string(metric) + ": the labels must have one entry per row");
    std::map<int64_t, int64_t> codes;
    for (auto l : labels)
        if (l >= 0)
            codes.emplace(l, 0);
    k = 0;
    for (auto& [label, code] : codes)
        code = k++;
    std::vector<int64_t> out;
    out.reserve(labels.size());
    n = 0;
    for (auto l : labels)
    {
        out.push_back(l >= 0 ? codes[l] : -1);
        n += l >= 0;
    }
    if (k < 2 || k > n - 1)
        throw ParameterError(std::string(metric) + " needs 2 <= clusters <= samples - 1; got " +
                             std::to_string(k) + " clusters for " + std::to_string(n) + " samples");
    return out;
}

// CPU float32 rows, read in place by plain loops on the kernels' threads.
void cpuDispersion(const at::Tensor& x, const std::vector<int64_t>& codes, Dispersion& out)
{
    const int64_t rows = x.size(0);
    const int64_t d = x.size(1);
    const int64_t k = out.k;
    const float* data = x.data_ptr<float>();
    const int threads = computeThreads();
    const auto kd = static_cast<size_t>(k * d);
    std::vector<std::vector<double>> sums(static_cast<size_t>(threads));
    std::vector<std::vector<double>> counts(static_cast<size_t>(threads));
    parallelSlices(rows, threads,
                   [&](int t, int64_t begin, int64_t end)
                   {
                       auto& sum = sums[static_cast<size_t>(t)];
                       auto& count = counts[static_cast<size_t>(t)];
                       sum.assign(kd, 0.0);
                       count.assign(static_cast<size_t>(k), 0.0);
                       for (int64_t i = begin; i < end; ++i)
                       {
                           const int64_t c = codes[static_cast<size_t>(i)];
                           if (c < 0)
                               continue;
                           double* s = sum.data() + c * d;
                           for (int64_t j = 0; j < d; ++j)
                               s[j] += data[i * d + j];
                           count[static_cast<size_t>(c)] += 1;
                       }
                   });
    out.centers = at::zeros({k, d}, at::kDouble);
    out.counts = at::zeros({k}, at::kDouble);
    double* centers = out.centers.data_ptr<double>();
    double* total = out.counts.data_ptr<double>();
    for (int t = 0; t < threads; ++t)
    {
        if (sums[static_cast<size_t>(t)].empty())
            continue; // a thread left without rows
        for (size_t e = 0; e < kd; ++e)
            centers[e] += sums[static_cast<size_t>(t)][e];
        for (int64_t c = 0; c < k; ++c)
            total[c] += counts[static_cast<size_t>(t)][static_cast<size_t>(c)];
    }
    for (int64_t c = 0; c < k; ++c)
        for (int64_t j = 0; j < d; ++j)
            centers[c * d + j] /= total[c];

    std::vector<double> within(static_cast<size_t>(threads), 0.0);
    std::vector<std::vector<double>> distances(static_cast<size_t>(threads));
    parallelSlices(rows, threads,
                   [&](int t, int64_t begin, int64_t end)
                   {
                       auto& dist = distances[static_cast<size_t>(t)];
                       dist.assign(static_cast<size_t>(k), 0.0);
                       double w = 0;
                       for (int64_t i = begin; i < end; ++i)
                       {
                           const int64_t c = codes[static_cast<size_t>(i)];
                           if (c < 0)
                               continue;
                           const double* m = centers + c * d;
                           double sq = 0;
                           for (int64_t j = 0; j < d; ++j)
                           {
                               const double diff = data[i * d + j] - m[j];
                               sq += diff * diff;
                           }
                           w += sq;
                           dist[static_cast<size_t>(c)] += std::sqrt(sq);
                       }
                       within[static_cast<size_t>(t)] = w;
                   });
    out.distanceSums = at::zeros({k}, at::kDouble);
    double* distanceSums = out.distanceSums.data_ptr<double>();
    for (int t = 0; t < threads; ++t)
    {
        out.withinSq += within[static_cast<size_t>(t)];
        for (size_t c = 0; c < distances[static_cast<size_t>(t)].size(); ++c)
            distanceSums[c] += distances[static_cast<size_t>(t)][c];
    }
}

// Any device and dtype: float64 blocks of rows through tensor ops.
void tensorDispersion(const at::Tensor& x, const std::vector<int64_t>& codes, Dispersion& out)
{
    constexpr int64_t kBlock = 4096;
    const int64_t rows = x.size(0);
    const auto forEach = [&](const auto& f)
    {
        for (int64_t start = 0; start < rows; start += kBlock)
        {
            const int64_t len = std::min(kBlock, rows - start);
            std::vector<int64_t> keep;
            std::vector<int64_t> kept;
            for (int64_t i = start; i < start + len; ++i)
                if (codes[static_cast<size_t>(i)] >= 0)
                {
                    keep.push_back(i - start);
                    kept.push_back(codes[static_cast<size_t>(i)]);
                }
            if (keep.empty())
                continue;
            auto block = x.narrow(0, start, len);
            if (static_cast<int64_t>(keep.size()) < len)
                block = block.index_select(
                    0, at::tensor(at::IntArrayRef(keep), at::kLong).to(x.device()));
            f(block.to(at::kDouble), at::tensor(at::IntArrayRef(kept), at::kLong).to(x.device()));
        }
    };
    auto sums = at::zeros({out.k, x.size(1)}, x.options().dtype(at::kDouble));
    out.counts = at::zeros({out.k}, sums.options());
    forEach(
        [&](const at::Tensor& block, const at::Tensor& kept)
        {
            sums.index_add_(0, kept, block);
            out.counts.index_add_(0, kept, at::ones({kept.size(0)}, sums.options()));
        });
    out.centers = sums / out.counts.unsqueeze(1);
    out.distanceSums = at::zeros({out.k}, sums.options());
    forEach(
        [&](const at::Tensor& block, const at::Tensor& kept)
        {
            const auto sq = (block - out.centers.index_select(0, kept)).square().sum(1);
            out.withinSq += sq.sum().item<double>();
            out.distanceSums.index_add_(0, kept, sq.sqrt());
        });
    out.centers = out.centers.cpu();
    out.counts = out.counts.cpu();
    out.distanceSums = out.distanceSums.cpu();
}

Dispersion dispersion(const at::Tensor& x, const Labels& labels, const char* metric)
{
    Dispersion out;
    const auto codes = clusterCodes(x, labels, metric, out.k, out.n);
    if (x.device().is_cpu() && x.scalar_type() == at::kFloat && x.is_contiguous())
        cpuDispersion(x, codes, out);
    else
        tensorDispersion(x, codes, out);
    return out;
}

double calinskiHarabasz(const Dispersion& c)
{
    const auto mean = (c.centers * c.counts.unsqueeze(1)).sum(0) / c.counts.sum();
    const double between = ((c.centers - mean).square().sum(1) * c.counts).sum().item<double>();
    const auto n = static_cast<double>(c.n);
    const auto k = static_cast<double>(c.k);
    return c.withinSq == 0 ? 1.0 : between * (n - k) / (c.withinSq * (k - 1));
}

double daviesBouldin(const Dispersion& c)
{
    const auto intra = c.distanceSums / c.counts;
    auto between = at::cdist(c.centers, c.centers);
    if (intra.abs().max().item<double>() < 1e-8 || between.abs().max().item<double>() < 1e-8)
        return 0.0;
    between.masked_fill_(between == 0, std::numeric_limits<double>::infinity());
    auto ratio = (intra.unsqueeze(0) + intra.unsqueeze(1)) / between;
    return std::get<0>(ratio.max(1)).mean().item<double>();
}

} // namespace

double silhouetteScore(const at::Tensor& x, const Labels& labels, int64_t sampleSize, uint64_t seed)
{
    const Labels* used = &labels;
    at::Tensor rows = x;
    Labels sampledLabels;
    if (sampleSize > 0 && sampleSize < x.size(0))
    {
        // A seeded sample without replacement, as scikit-learn's sample_size does.
        std::vector<int64_t> ids(labels.size());
        std::iota(ids.begin(), ids.end(), 0);
        Rng rng(seed);
        std::shuffle(ids.begin(), ids.end(), rng);
        ids.resize(static_cast<size_t>(sampleSize));
        std::sort(ids.begin(), ids.end());
        for (int64_t i : ids)
        {
            sampledLabels.push_back(labels[static_cast<size_t>(i)]);
        }
        rows = x.index_select(0, at::tensor(at::IntArrayRef(ids), at::kLong).to(x.device()));
        used = &sampledLabels;
    }
    const auto c = withoutNoise(rows, *used, "silhouette");
    const int64_t n = c.x.size(0);
    auto onehot = at::one_hot(c.codes, c.k).to(at::kDouble); // n x K
    auto counts = onehot.sum(0);                             // K
    auto sq = c.x.square().sum(1);
    double total = 0;
    const int64_t block = std::max<int64_t>(1, (int64_t{1} << 24) / std::max<int64_t>(n, 1));
    for (int64_t start = 0; start < n; start += block)
    {
        const int64_t len = std::min(block, n - start);
        auto xb = c.x.narrow(0, start, len);
        auto d2 = at::addmm(sq.unsqueeze(0), xb, c.x.t(), 1, -2)
                      .add_(sq.narrow(0, start, len).unsqueeze(1));
        auto d = d2.clamp_min_(0).sqrt_();
        auto sums = at::mm(d, onehot); // len x K: summed distance to each cluster
        auto own = c.codes.narrow(0, start, len);
        auto ownCount = counts.index_select(0, own);
        auto a = sums.gather(1, own.unsqueeze(1)).squeeze(1) / (ownCount - 1).clamp_min(1);
        auto means = sums / counts.unsqueeze(0);
        means.scatter_(1, own.unsqueeze(1), std::numeric_limits<double>::infinity());
        auto b = std::get<0>(means.min(1));
        auto s = (b - a) / at::maximum(a, b);
        s = at::where(ownCount > 1, s, at::zeros_like(s)).nan_to_num_(0);
        total += s.sum().item<double>();
    }
    return total / static_cast<double>(n);
}

double calinskiHarabasz(const at::Tensor& x, const Labels& labels)
{
    return calinskiHarabasz(dispersion(x, labels, "Calinski-Harabasz"));
}

double daviesBouldin(const at::Tensor& x, const Labels& labels)
{
    return daviesBouldin(dispersion(x, labels, "Davies-Bouldin"));
}

std::map<std::string, double> allMetrics(const at::Tensor& x, const Labels& truth,
                                         const Labels& predicted, const MetricOptions& options)
{
    std::map<std::string, double> out;
    if (!truth.empty())
    {
        out["acc"] = accuracy(truth, predicted);
        out["nmi"] = normalizedMutualInfo(truth, predicted);
        out["ari"] = adjustedRandIndex(truth, predicted);
        out["ami"] = adjustedMutualInfo(truth, predicted);
    }
    const auto noise = std::count(predicted.begin(), predicted.end(), int64_t{-1});
    std::vector<int64_t> clusters(predicted.begin(), predicted.end());
    std::sort(clusters.begin(), clusters.end());
    clusters.erase(std::unique(clusters.begin(), clusters.end()), clusters.end());
    out["n_clusters"] = static_cast<double>(clusters.size() - (noise > 0 ? 1 : 0));
    out["noise_fraction"] = static_cast<double>(noise) / static_cast<double>(predicted.size());
    try
    {
        out["silhouette"] = silhouetteScore(x, predicted, options.silhouetteSample, options.seed);
        const auto c = dispersion(x, predicted, "Calinski-Harabasz and Davies-Bouldin");
        out["calinski_harabasz"] = calinskiHarabasz(c);
        out["davies_bouldin"] = daviesBouldin(c);
    }
    catch (const ParameterError&)
    {
        // One cluster (or one per sample): internal metrics are undefined, so they are left out.
    }
    return out;
}

} // namespace clusterscope

// Metrics computed from the features: silhouette, Calinski-Harabasz, Davies-Bouldin.
// Float64 throughout, as scikit-learn does, so that the numbers agree to many digits.

#include <clusterscope/core/errors.h>
#include <clusterscope/core/random.h>
#include <clusterscope/metrics/metrics.h>

#include <ATen/ATen.h>

#include <algorithm>
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

// The features seen in float64 blocks of rows, noise left out, so that the metrics over all
// rows never hold a float64 copy of the whole matrix (Fashion-MNIST's 60000 x 784 would take
// 376 MB per copy).
class ClusteredBlocks
{
public:
    ClusteredBlocks(const at::Tensor& x, const Labels& labels, const char* metric) : x_(x)
    {
        if (x.dim() != 2 || x.size(0) != static_cast<int64_t>(labels.size()))
            throw ParameterError(std::string(metric) + ": the labels must have one entry per row");
        std::map<int64_t, int64_t> codes;
        for (auto l : labels)
            if (l >= 0)
                codes.emplace(l, 0);
        for (auto& [label, code] : codes)
            code = k_++;
        codes_.reserve(labels.size());
        for (auto l : labels)
        {
            codes_.push_back(l >= 0 ? codes[l] : -1);
            n_ += l >= 0;
        }
        if (k_ < 2 || k_ > n_ - 1)
            throw ParameterError(std::string(metric) + " needs 2 <= clusters <= samples - 1; got " +
                                 std::to_string(k_) + " clusters for " + std::to_string(n_) +
                                 " samples");
    }

    int64_t k() const { return k_; }
    int64_t n() const { return n_; }

    // Calls f(rows: m x D float64, codes: m int64) for each block of clustered rows.
    template <class F>
    void forEach(F&& f) const
    {
        constexpr int64_t kBlock = 4096;
        const int64_t rows = x_.size(0);
        for (int64_t start = 0; start < rows; start += kBlock)
        {
            const int64_t len = std::min(kBlock, rows - start);
            std::vector<int64_t> keep;
            std::vector<int64_t> codes;
            for (int64_t i = start; i < start + len; ++i)
                if (codes_[static_cast<size_t>(i)] >= 0)
                {
                    keep.push_back(i - start);
                    codes.push_back(codes_[static_cast<size_t>(i)]);
                }
            if (keep.empty())
                continue;
            auto block = x_.narrow(0, start, len);
            if (static_cast<int64_t>(keep.size()) < len)
                block = block.index_select(
                    0, at::tensor(at::IntArrayRef(keep), at::kLong).to(x_.device()));
            f(block.to(at::kDouble),
              at::tensor(at::IntArrayRef(codes), at::kLong).to(x_.device()));
        }
    }

    // Per-cluster means (K x D float64) and sizes (K float64).
    at::Tensor centroids(at::Tensor& counts) const
    {
        auto sums = at::zeros({k_, x_.size(1)}, x_.options().dtype(at::kDouble));
        counts = at::zeros({k_}, sums.options());
        forEach(
            [&](const at::Tensor& rows, const at::Tensor& codes)
            {
                sums.index_add_(0, codes, rows);
                counts.index_add_(0, codes, at::ones({codes.size(0)}, sums.options()));
            });
        return sums / counts.unsqueeze(1);
    }

private:
    at::Tensor x_;
    std::vector<int64_t> codes_; // -1 for noise
    int64_t k_ = 0;
    int64_t n_ = 0;
};

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
    const ClusteredBlocks c(x, labels, "Calinski-Harabasz");
    at::Tensor counts;
    const auto centers = c.centroids(counts);
    const auto mean = (centers * counts.unsqueeze(1)).sum(0) / counts.sum();
    const double between = ((centers - mean).square().sum(1) * counts).sum().item<double>();
    double within = 0;
    c.forEach([&](const at::Tensor& rows, const at::Tensor& codes)
              { within += (rows - centers.index_select(0, codes)).square().sum().item<double>(); });
    const auto n = static_cast<double>(c.n());
    const auto k = static_cast<double>(c.k());
    return within == 0 ? 1.0 : between * (n - k) / (within * (k - 1));
}

double daviesBouldin(const at::Tensor& x, const Labels& labels)
{
    const ClusteredBlocks c(x, labels, "Davies-Bouldin");
    at::Tensor counts;
    const auto centers = c.centroids(counts);
    auto intra = at::zeros({c.k()}, centers.options());
    c.forEach(
        [&](const at::Tensor& rows, const at::Tensor& codes)
        {
            intra.index_add_(0, codes,
                             (rows - centers.index_select(0, codes)).square().sum(1).sqrt());
        });
    intra /= counts;
    auto between = at::cdist(centers, centers);
    if (intra.abs().max().item<double>() < 1e-8 || between.abs().max().item<double>() < 1e-8)
    {
        return 0.0;
    }
    between.masked_fill_(between == 0, std::numeric_limits<double>::infinity());
    auto ratio = (intra.unsqueeze(0) + intra.unsqueeze(1)) / between;
    return std::get<0>(ratio.max(1)).mean().item<double>();
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
        out["calinski_harabasz"] = calinskiHarabasz(x, predicted);
        out["davies_bouldin"] = daviesBouldin(x, predicted);
    }
    catch (const ParameterError&)
    {
        // One cluster (or one per sample): internal metrics are undefined, so they are left out.
    }
    return out;
}

} // namespace clusterscope

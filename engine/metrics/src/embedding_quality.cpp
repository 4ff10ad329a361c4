// Trustworthiness and k-NN preservation on a sample of query rows (embedding_quality.h).

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/kernels/centring.h>
#include <clusterscope/kernels/parallel.h>
#include <clusterscope/metrics/embedding_quality.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <limits>
#include <numeric>
#include <vector>

namespace clusterscope
{
namespace
{

std::vector<int64_t> queryRows(int64_t n, int64_t sample, uint64_t seed)
{
    std::vector<int64_t> rows(static_cast<size_t>(n));
    std::iota(rows.begin(), rows.end(), 0);
    if (sample >= n)
        return rows;
    Rng rng(deriveSeed(seed, 41));
    for (int64_t i = 0; i < sample; ++i) // a partial Fisher-Yates shuffle
    {
        std::uniform_int_distribution<int64_t> pick(i, n - 1);
        std::swap(rows[static_cast<size_t>(i)], rows[static_cast<size_t>(pick(rng))]);
    }
    rows.resize(static_cast<size_t>(sample));
    std::sort(rows.begin(), rows.end());
    return rows;
}

// The k smallest of d (self already at +inf), by index.
std::vector<int64_t> nearest(const float* d, int64_t n, int64_t k)
{
    std::vector<int64_t> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [d](int64_t a, int64_t b) { return d[a] < d[b] || (d[a] == d[b] && a < b); });
    order.resize(static_cast<size_t>(k));
    return order;
}

// Squared euclidean distances of `queries` (q x D) to `all` (N x D), float32, q x N.
at::Tensor squaredDistances(const at::Tensor& queries, const at::Tensor& all,
                            const at::Tensor& allSq)
{
    auto d2 = at::addmm(allSq.unsqueeze(0), queries, all.t(), 1, -2);
    d2.add_(queries.pow(2).sum(1, true));
    return d2.clamp_min_(0).to(at::kFloat).contiguous();
}

} // namespace

EmbeddingQuality embeddingQuality(const at::Tensor& xIn, const at::Tensor& yIn,
                                  const EmbeddingQualityOptions& o, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    if (xIn.dim() != 2 || yIn.dim() != 2 || xIn.size(0) != yIn.size(0))
        throw ParameterError("embedding quality needs an N x D input and an N x d embedding of "
                             "the same rows");
    const int64_t n = xIn.size(0);
    const int64_t k = o.k;
    if (k < 1 || k >= n / 2)
        throw ParameterError("the embedding quality's k (" + std::to_string(k) +
                             ") must be at least 1 and below half the rows (" + std::to_string(n) +
                             ")");
    const auto x = centreFeatures(xIn.to(at::kCPU), "embedding quality", at::kFloat, &progress)
                       .rows.contiguous();
    const auto y = centreFeatures(yIn.to(at::kCPU), "embedding quality", at::kDouble, &progress)
                       .rows.contiguous();
    const auto xSq = x.pow(2).sum(1);
    const auto ySq = y.pow(2).sum(1);
    const auto rows = queryRows(n, o.sample, o.seed);
    const auto q = static_cast<int64_t>(rows.size());

    double penalty = 0, preserved = 0;
    constexpr int64_t kBlock = 256;
    for (int64_t begin = 0; begin < q; begin += kBlock)
    {
        progress.poll(static_cast<double>(begin) / static_cast<double>(q),
                      [] { return std::string("embedding quality"); });
        const int64_t end = std::min(q, begin + kBlock);
        const auto ids = at::tensor(std::vector<int64_t>(rows.begin() + begin, rows.begin() + end));
        auto dIn = squaredDistances(x.index_select(0, ids), x, xSq);
        auto dOut = squaredDistances(y.index_select(0, ids), y, ySq);
        float* in = dIn.data_ptr<float>();
        float* out = dOut.data_ptr<float>();
        std::vector<double> blockPenalty(static_cast<size_t>(end - begin)),
            blockKept(blockPenalty.size());
        parallelSlices(
            end - begin, computeThreads(),
            [&](int, int64_t b, int64_t e)
            {
                for (int64_t r = b; r < e; ++r)
                {
                    float* di = in + r * n;
                    float* dq = out + r * n;
                    const int64_t self = rows[static_cast<size_t>(begin + r)];
                    di[self] = dq[self] = std::numeric_limits<float>::infinity();
                    auto inputNeighbours = nearest(di, n, k);
                    std::sort(inputNeighbours.begin(), inputNeighbours.end());
                    double sum = 0, kept = 0;
                    for (int64_t j : nearest(dq, n, k))
                    {
                        if (std::binary_search(inputNeighbours.begin(), inputNeighbours.end(), j))
                        {
                            ++kept;
                            continue;
                        }
                        // j's rank among the row's input neighbours, 1-based.
                        const float dj = di[j];
                        int64_t closer = 0;
                        for (int64_t l = 0; l < n; ++l)
                            closer += di[l] < dj;
                        sum += std::max<int64_t>(0, closer + 1 - k);
                    }
                    blockPenalty[static_cast<size_t>(r)] = sum;
                    blockKept[static_cast<size_t>(r)] = kept / static_cast<double>(k);
                }
            });
        for (size_t r = 0; r < blockPenalty.size(); ++r)
        {
            penalty += blockPenalty[r];
            preserved += blockKept[r];
        }
    }
    EmbeddingQuality quality;
    quality.queries = q;
    const auto nk = static_cast<double>(n), kk = static_cast<double>(k);
    quality.trustworthiness =
        1.0 - penalty * 2.0 / (static_cast<double>(q) * kk * (2.0 * nk - 3.0 * kk - 1.0));
    quality.knnPreserved = preserved / static_cast<double>(q);
    return quality;
}

} // namespace clusterscope

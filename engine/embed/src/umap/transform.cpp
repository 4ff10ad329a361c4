// UMAP's transform: new rows placed into a fitted map (umap-learn 0.5.3's UMAP.transform).

#include "umap_steps.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace clusterscope
{
namespace
{

constexpr double kTransformTolerance = 1e-5; // umap-learn's SMOOTH_K_TOLERANCE
constexpr double kTransformMinScale = 1e-3;  // umap-learn's MIN_K_DIST_SCALE
constexpr float kCosineDisconnection = 2.0f; // umap-learn's DISCONNECTION_DISTANCES["cosine"]

void checkModel(const UmapModel& model, const at::Tensor& x)
{
    const auto& t = model.trainingData;
    const auto& e = model.embedding;
    if (!t.defined() || !e.defined() || t.dim() != 2 || e.dim() != 2)
        throw ParameterError("the UMAP model needs its training data and its embedding, both "
                             "tables");
    if (t.size(0) != e.size(0))
        throw ParameterError("the UMAP model is inconsistent: " + std::to_string(t.size(0)) +
                             " training rows but " + std::to_string(e.size(0)) + " embedded rows");
    if (e.size(1) < 1 || e.size(1) > 64)
        throw ParameterError("the UMAP model's embedding has " + std::to_string(e.size(1)) +
                             " columns; UMAP maps to 1 to 64 dimensions");
    if (model.options.nNeighbors < 2 || model.options.nNeighbors > t.size(0))
        throw ParameterError("the UMAP model's n_neighbors (" +
                             std::to_string(model.options.nNeighbors) +
                             ") must be between 2 and "
                             "its " +
                             std::to_string(t.size(0)) + " training rows");
    if (x.dim() != 2)
        throw ParameterError("UMAP's transform needs an M x D table of new rows");
    if (x.size(1) != t.size(1))
        throw ParameterError("the new rows have " + std::to_string(x.size(1)) +
                             " features but the UMAP model was trained on " +
                             std::to_string(t.size(1)));
    if (x.size(0) < 1)
        throw ParameterError("UMAP's transform needs at least one new row");
}

} // namespace

UmapTransformResult umapTransform(const UmapModel& model, const at::Tensor& xIn,
                                  const UmapTransformOptions& options, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    checkModel(model, xIn);
    if (options.nEpochs < 0)
        throw ParameterError("n_epochs must be 0 (automatic) or positive; got " +
                             std::to_string(options.nEpochs));
    const auto& o = model.options;
    auto x = xIn.to(at::kCPU).to(at::kFloat).contiguous();
    if (!at::isfinite(x).all().item<bool>())
        throw DataError("the new rows hold NaN or infinite values");
    auto train = model.trainingData.to(at::kCPU).to(at::kFloat).contiguous();
    if (o.metric == UmapMetric::Cosine)
    {
        x = umapUnitRows(x);
        train = umapUnitRows(train);
    }
    const auto fixed = model.embedding.to(at::kCPU).to(at::kFloat).contiguous();
    const int64_t m = x.size(0);
    const int64_t k = o.nNeighbors; // the new rows are not training rows: all k are others
    const int64_t dim = fixed.size(1);

    KnnGraph g;
    {
        ProgressRange stage(progress, 0.0, 0.4);
        g = nearestNeighborsAmong(x, train, k, "UMAP transform", &stage);
    }
    if (o.metric == UmapMetric::Cosine)
        for (size_t e = 0; e < g.distances.size(); ++e)
        {
            g.distances[e] = g.distances[e] * g.distances[e] / 2;
            if (g.distances[e] >= kCosineDisconnection)
                g.indices[e] = -1;
        }

    // smooth_knn_dist with local connectivity max(0, 1 - 1) = 0: rho is 0, and the bandwidth
    // search sums the neighbours after the first (umap-learn's loop starts at 1, as for the
    // training graph, where the first is the point itself). The floor uses the batch's mean.
    progress.poll(0.4, [] { return std::string("memberships"); });
    double total = 0;
    for (float d : g.distances)
        total += d;
    const double meanAll = total / static_cast<double>(g.distances.size());
    const double target = std::log2(static_cast<double>(k));
    FuzzyGraph graph;
    graph.rows = m;
    graph.rowStart.assign(static_cast<size_t>(m) + 1, 0);
    for (int64_t i = 0; i < m; ++i)
    {
        if ((i & 63) == 0) // 64 rows: at most 64 x 64 x 1000 exponentials, a few ms
            throwIfCancelled(progress);
        double lo = 0, hi = std::numeric_limits<double>::infinity(), mid = 1;
        for (int iteration = 0; iteration < 64; ++iteration)
        {
            double sum = 0;
            for (int64_t j = 1; j < k; ++j)
            {
                const double d = g.distance(i, j);
                sum += d > 0 ? std::exp(-d / mid) : 1.0;
            }
            if (std::fabs(sum - target) < kTransformTolerance)
                break;
            if (sum > target)
            {
                hi = mid;
                mid = (lo + hi) / 2;
            }
            else
            {
                lo = mid;
                mid = std::isinf(hi) ? mid * 2 : (lo + hi) / 2;
            }
        }
        // umap-learn keeps sigma in float32.
        const auto sigma =
            static_cast<double>(static_cast<float>(std::max(mid, kTransformMinScale * meanAll)));
        for (int64_t j = 0; j < k; ++j)
        {
            const int64_t other = g.neighbor(i, j);
            if (other < 0)
                continue;
            const double d = g.distance(i, j);
            const auto w = static_cast<float>(d <= 0 || sigma == 0 ? 1.0 : std::exp(-d / sigma));
            if (w <= 0) // eliminate_zeros
                continue;
            graph.columns.push_back(other);
            graph.weights.push_back(w);
        }
        graph.rowStart[static_cast<size_t>(i) + 1] = static_cast<int64_t>(graph.columns.size());
    }

    // init_graph_transform: the membership-weighted mean of the neighbours' coordinates, or the
    // coordinates of the first neighbour (by index) with membership 1, a training row equal to
    // the new one; NaN for a row without neighbours.
    UmapTransformResult r;
    auto y = at::empty({m, dim}, at::kFloat);
    float* out = y.data_ptr<float>();
    const float* map = fixed.data_ptr<float>();
    for (int64_t i = 0; i < m; ++i)
    {
        const auto begin = graph.rowStart[static_cast<size_t>(i)];
        const auto end = graph.rowStart[static_cast<size_t>(i) + 1];
        float* row = out + i * dim;
        if (begin == end)
        {
            std::fill_n(row, dim, std::numeric_limits<float>::quiet_NaN());
            ++r.unplaced;
            continue;
        }
        int64_t exact = -1;
        double sum = 0;
        for (auto e = begin; e < end; ++e)
        {
            sum += graph.weights[static_cast<size_t>(e)];
            const auto column = graph.columns[static_cast<size_t>(e)];
            if (graph.weights[static_cast<size_t>(e)] == 1.0f && (exact < 0 || column < exact))
                exact = column;
        }
        if (exact >= 0)
        {
            std::copy_n(map + exact * dim, dim, row);
            continue;
        }
        std::vector<double> mean(static_cast<size_t>(dim), 0.0);
        for (auto e = begin; e < end; ++e)
        {
            const double w = graph.weights[static_cast<size_t>(e)] / sum;
            const float* other = map + graph.columns[static_cast<size_t>(e)] * dim;
            for (int64_t c = 0; c < dim; ++c)
                mean[static_cast<size_t>(c)] += w * other[c];
        }
        for (int64_t c = 0; c < dim; ++c)
            row[c] = static_cast<float>(mean[static_cast<size_t>(c)]);
    }
    if (r.unplaced > 0)
        r.warnings.push_back(std::to_string(r.unplaced) +
                             " new row(s) point away from all of their nearest training rows "
                             "(cosine distance 2) and were not placed: their coordinates are NaN");

    if (options.nEpochs > 0)
        r.epochs = options.nEpochs;
    else if (o.nEpochs > 0)
        r.epochs = std::max<int64_t>(1, o.nEpochs / 3);
    else
        r.epochs = m <= 10000 ? 100 : 30;

    LayoutOptions layout;
    layout.curve = fitUmapCurve(o.spread, o.minDist);
    layout.epochs = r.epochs;
    layout.learningRate = o.learningRate / 4.0;
    layout.negativeSampleRate = o.negativeSampleRate;
    layout.repulsionStrength = o.repulsionStrength;
    layout.seed = deriveSeed(options.seed, 34);
    {
        ProgressRange stage(progress, 0.45, 1.0);
        optimizeTransformLayout(y, fixed, graph, layout, stage);
    }
    r.embedding = y;
    r.graph = std::move(graph);
    return r;
}

} // namespace clusterscope

// UMAP's SGD with negative sampling (umap-learn's optimize_layout_euclidean). Sequential, as
// umap-learn's seeded mode: edge by edge, in place, both ends of a sampled edge moving. Parallel:
// within an epoch every point moves by its own edges against a snapshot of the others taken at
// the start of the epoch, each direction of an edge moving its own head only. Either way the
// negative samples come from a hash of (seed, epoch, edge, sample), so the same seed gives the
// same map whichever thread draws them.

#include "umap_steps.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/parallel.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace clusterscope
{
namespace
{

constexpr double kClip = 4.0; // umap-learn's gradient clip

double clip(double v)
{
    return std::clamp(v, -kClip, kClip);
}

float clipf(float v)
{
    return std::clamp(v, -float(kClip), float(kClip));
}

// SplitMix64 of the sample's coordinates: the same draw whichever thread makes it.
uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int64_t negativeSample(uint64_t seed, int64_t epoch, int64_t edge, int64_t draw, int64_t n)
{
    uint64_t h = mix(seed + 0x9E3779B97F4A7C15ULL * static_cast<uint64_t>(epoch + 1));
    h = mix(h ^ static_cast<uint64_t>(edge));
    h = mix(h + static_cast<uint64_t>(draw));
    // Lemire's multiply-shift: uniform in [0, n) without a division.
    __extension__ using Wide = unsigned __int128;
    return static_cast<int64_t>((static_cast<Wide>(h) * static_cast<uint64_t>(n)) >> 64);
}

// One epoch as umap-learn runs it: edge by edge, in place, both ends of a sampled edge moving.
// Sequential, so the same at any thread count.
void sequentialEpoch(float* y, int64_t dim, int64_t n, const FuzzyGraph& graph,
                     const LayoutOptions& o, double a, double b, double alpha, int64_t epoch,
                     const std::vector<double>& perSample, std::vector<double>& nextSample,
                     const std::vector<double>& perNegative, std::vector<double>& nextNegative,
                     const Progress& progress)
{
    // umap-learn's SGD works on float32 coordinates; its arithmetic in float keeps the inner
    // loop free of conversions.
    const auto af = static_cast<float>(a), bf = static_cast<float>(b);
    const auto alphaf = static_cast<float>(alpha);
    const auto repulsion = static_cast<float>(2.0 * o.repulsionStrength);
    for (int64_t i = 0; i < n; ++i)
    {
        if ((i & 1023) == 0 && progress.cancelRequested())
            return;
        float* current = y + i * dim;
        for (int64_t e = graph.rowStart[static_cast<size_t>(i)];
             e < graph.rowStart[static_cast<size_t>(i) + 1]; ++e)
        {
            const double every = perSample[static_cast<size_t>(e)];
            auto& next = nextSample[static_cast<size_t>(e)];
            if (every <= 0 || next > static_cast<double>(epoch))
                continue;
            float* other = y + graph.columns[static_cast<size_t>(e)] * dim;
            float d2 = 0;
            for (int64_t c = 0; c < dim; ++c)
                d2 += (current[c] - other[c]) * (current[c] - other[c]);
            // d^(2(b-1)) as d^(2b) / d^2: one powf (float's, several times cheaper than
            // pow's) where umap-learn's gradient takes two.
            const float powB = d2 > 0 ? std::pow(d2, bf) : 0.0f;
            const float coeff = d2 > 0 ? -2.0f * af * bf * (powB / d2) / (af * powB + 1.0f) : 0.0f;
            for (int64_t c = 0; c < dim; ++c)
            {
                const float g = clipf(coeff * (current[c] - other[c])) * alphaf;
                current[c] += g;
                other[c] -= g;
            }
            next += every;

            auto& nextNeg = nextNegative[static_cast<size_t>(e)];
            const double negEvery = perNegative[static_cast<size_t>(e)];
            const auto draws =
                static_cast<int64_t>((static_cast<double>(epoch) - nextNeg) / negEvery);
            for (int64_t p = 0; p < draws; ++p)
            {
                const int64_t k = negativeSample(o.seed, epoch, e, p, n);
                if (k == i)
                    continue;
                const float* far = y + k * dim;
                float f2 = 0;
                for (int64_t c = 0; c < dim; ++c)
                    f2 += (current[c] - far[c]) * (current[c] - far[c]);
                const float coeff2 =
                    f2 > 0 ? repulsion * bf / ((0.001f + f2) * (af * std::pow(f2, bf) + 1.0f))
                           : 0.0f;
                for (int64_t c = 0; c < dim; ++c)
                {
                    const float g =
                        coeff2 > 0 ? clipf(coeff2 * (current[c] - far[c])) : float(kClip);
                    current[c] += g * alphaf;
                }
            }
            nextNeg += static_cast<double>(draws) * negEvery;
        }
    }
}

} // namespace

void optimizeLayout(at::Tensor& embedding, const FuzzyGraph& graph, const LayoutOptions& o,
                    Progress& progress)
{
    const int64_t n = embedding.size(0);
    const int64_t dim = embedding.size(1);
    const auto edges = static_cast<int64_t>(graph.columns.size());
    const double a = o.curve.a, b = o.curve.b;
    const double epochs = static_cast<double>(o.epochs);

    // An edge is sampled once every max_w / w epochs, so the strongest every epoch.
    const float maxWeight = graph.weights.empty()
                                ? 1.0f
                                : *std::max_element(graph.weights.begin(), graph.weights.end());
    std::vector<double> perSample(static_cast<size_t>(edges)), nextSample(perSample.size());
    std::vector<double> perNegative(perSample.size()), nextNegative(perSample.size());
    for (int64_t e = 0; e < edges; ++e)
    {
        const double w = graph.weights[static_cast<size_t>(e)];
        // Edges weaker than max_w / n_epochs are never sampled (umap-learn drops them).
        const double every = w * epochs >= maxWeight ? maxWeight / w : -1.0;
        perSample[static_cast<size_t>(e)] = every;
        nextSample[static_cast<size_t>(e)] = every;
        perNegative[static_cast<size_t>(e)] = every / o.negativeSampleRate;
        nextNegative[static_cast<size_t>(e)] = every / o.negativeSampleRate;
    }

    float* y = embedding.data_ptr<float>();
    std::vector<float> snapshot(static_cast<size_t>(n * dim));
    for (int64_t epoch = 0; epoch < o.epochs; ++epoch)
    {
        progress.poll(
            static_cast<double>(epoch) / epochs, [&]
            { return "epoch " + std::to_string(epoch + 1) + " of " + std::to_string(o.epochs); });
        const double alpha = o.learningRate * (1.0 - static_cast<double>(epoch) / epochs);
        if (!o.parallel)
        {
            sequentialEpoch(y, dim, n, graph, o, a, b, alpha, epoch, perSample, nextSample,
                            perNegative, nextNegative, progress);
            throwIfCancelled(progress);
            continue;
        }
        std::copy_n(y, n * dim, snapshot.data());
        parallelSlices(
            n, computeThreads(),
            [&](int, int64_t begin, int64_t end)
            {
                std::vector<double> current(static_cast<size_t>(dim));
                for (int64_t i = begin; i < end; ++i)
                {
                    if ((i & 1023) == 0 && progress.cancelRequested())
                        return;
                    std::copy_n(y + i * dim, dim, current.begin());
                    for (int64_t e = graph.rowStart[static_cast<size_t>(i)];
                         e < graph.rowStart[static_cast<size_t>(i) + 1]; ++e)
                    {
                        auto& next = nextSample[static_cast<size_t>(e)];
                        const double every = perSample[static_cast<size_t>(e)];
                        if (every <= 0 || next > static_cast<double>(epoch))
                            continue;
                        const float* other =
                            snapshot.data() + graph.columns[static_cast<size_t>(e)] * dim;
                        double d2 = 0;
                        for (int64_t c = 0; c < dim; ++c)
                        {
                            const double diff = current[static_cast<size_t>(c)] - other[c];
                            d2 += diff * diff;
                        }
                        if (d2 > 0)
                        {
                            const double coeff =
                                -2.0 * a * b * std::pow(d2, b - 1.0) / (a * std::pow(d2, b) + 1.0);
                            for (int64_t c = 0; c < dim; ++c)
                                current[static_cast<size_t>(c)] +=
                                    clip(coeff * (current[static_cast<size_t>(c)] - other[c])) *
                                    alpha;
                        }
                        next += every;

                        auto& nextNeg = nextNegative[static_cast<size_t>(e)];
                        const double negEvery = perNegative[static_cast<size_t>(e)];
                        const auto draws =
                            static_cast<int64_t>((static_cast<double>(epoch) - nextNeg) / negEvery);
                        for (int64_t p = 0; p < draws; ++p)
                        {
                            const int64_t k = negativeSample(o.seed, epoch, e, p, n);
                            if (k == i)
                                continue;
                            const float* far = snapshot.data() + k * dim;
                            double f2 = 0;
                            for (int64_t c = 0; c < dim; ++c)
                            {
                                const double diff = current[static_cast<size_t>(c)] - far[c];
                                f2 += diff * diff;
                            }
                            const double coeff =
                                f2 > 0 ? 2.0 * o.repulsionStrength * b /
                                             ((0.001 + f2) * (a * std::pow(f2, b) + 1.0))
                                       : 0.0;
                            for (int64_t c = 0; c < dim; ++c)
                            {
                                // Coincident points are pushed apart a fixed step (umap-learn).
                                const double g =
                                    coeff > 0
                                        ? clip(coeff * (current[static_cast<size_t>(c)] - far[c]))
                                        : kClip;
                                current[static_cast<size_t>(c)] += g * alpha;
                            }
                        }
                        nextNeg += static_cast<double>(draws) * negEvery;
                    }
                    for (int64_t c = 0; c < dim; ++c)
                        y[i * dim + c] = static_cast<float>(current[static_cast<size_t>(c)]);
                }
            });
        throwIfCancelled(progress);
    }
    progress.poll(1.0, [] { return std::string("epochs done"); });
}

void optimizeTransformLayout(at::Tensor& moving, const at::Tensor& fixed, const FuzzyGraph& graph,
                             const LayoutOptions& o, Progress& progress)
{
    const int64_t m = moving.size(0);
    const int64_t n = fixed.size(0);
    const int64_t dim = moving.size(1);
    const auto edges = static_cast<int64_t>(graph.columns.size());
    const double a = o.curve.a, b = o.curve.b;
    const double epochs = static_cast<double>(o.epochs);
    const float maxWeight = graph.weights.empty()
                                ? 1.0f
                                : *std::max_element(graph.weights.begin(), graph.weights.end());
    std::vector<double> perSample(static_cast<size_t>(edges)), nextSample(perSample.size());
    std::vector<double> perNegative(perSample.size()), nextNegative(perSample.size());
    for (int64_t e = 0; e < edges; ++e)
    {
        const double w = graph.weights[static_cast<size_t>(e)];
        // umap-learn's transform zeroes the edges below max_w / n_epochs: never sampled.
        const double every = w * epochs >= maxWeight ? maxWeight / w : -1.0;
        perSample[static_cast<size_t>(e)] = every;
        nextSample[static_cast<size_t>(e)] = every;
        perNegative[static_cast<size_t>(e)] = every / o.negativeSampleRate;
        nextNegative[static_cast<size_t>(e)] = every / o.negativeSampleRate;
    }
    float* y = moving.data_ptr<float>();
    const float* tail = fixed.data_ptr<float>();
    for (int64_t epoch = 0; epoch < o.epochs; ++epoch)
    {
        progress.poll(
            static_cast<double>(epoch) / epochs, [&]
            { return "epoch " + std::to_string(epoch + 1) + " of " + std::to_string(o.epochs); });
        const double alpha = o.learningRate * (1.0 - static_cast<double>(epoch) / epochs);
        // Only the new rows move, each by its own edges against the fixed map: the rows are
        // independent, so slicing them among threads changes nothing.
        parallelSlices(
            m, computeThreads(),
            [&](int, int64_t begin, int64_t end)
            {
                for (int64_t i = begin; i < end; ++i)
                {
                    if ((i & 1023) == 0 && progress.cancelRequested())
                        return;
                    float* current = y + i * dim;
                    for (int64_t e = graph.rowStart[static_cast<size_t>(i)];
                         e < graph.rowStart[static_cast<size_t>(i) + 1]; ++e)
                    {
                        const double every = perSample[static_cast<size_t>(e)];
                        auto& next = nextSample[static_cast<size_t>(e)];
                        if (every <= 0 || next > static_cast<double>(epoch))
                            continue;
                        const float* other = tail + graph.columns[static_cast<size_t>(e)] * dim;
                        double d2 = 0;
                        for (int64_t c = 0; c < dim; ++c)
                            d2 += static_cast<double>(current[c] - other[c]) *
                                  (current[c] - other[c]);
                        const double coeff = d2 > 0 ? -2.0 * a * b * std::pow(d2, b - 1.0) /
                                                          (a * std::pow(d2, b) + 1.0)
                                                    : 0.0;
                        for (int64_t c = 0; c < dim; ++c)
                            current[c] = static_cast<float>(
                                current[c] + clip(coeff * (current[c] - other[c])) * alpha);
                        next += every;

                        auto& nextNeg = nextNegative[static_cast<size_t>(e)];
                        const double negEvery = perNegative[static_cast<size_t>(e)];
                        const auto draws =
                            static_cast<int64_t>((static_cast<double>(epoch) - nextNeg) / negEvery);
                        for (int64_t p = 0; p < draws; ++p)
                        {
                            const float* far = tail + negativeSample(o.seed, epoch, e, p, n) * dim;
                            double f2 = 0;
                            for (int64_t c = 0; c < dim; ++c)
                                f2 += static_cast<double>(current[c] - far[c]) *
                                      (current[c] - far[c]);
                            const double coeff2 =
                                f2 > 0 ? 2.0 * o.repulsionStrength * b /
                                             ((0.001 + f2) * (a * std::pow(f2, b) + 1.0))
                                       : 0.0;
                            for (int64_t c = 0; c < dim; ++c)
                            {
                                // A new row on a training row is pushed a fixed step (umap-learn).
                                const double g =
                                    coeff2 > 0 ? clip(coeff2 * (current[c] - far[c])) : kClip;
                                current[c] = static_cast<float>(current[c] + g * alpha);
                            }
                        }
                        nextNeg += static_cast<double>(draws) * negEvery;
                    }
                }
            });
        throwIfCancelled(progress);
    }
    progress.poll(1.0, [] { return std::string("epochs done"); });
}

} // namespace clusterscope

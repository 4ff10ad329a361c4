#pragma once
// Device parity after faiss's GPU tests (compareIndices): one method's results on the same data
// with the same seed, a reference (the CPU) and a candidate (CUDA, or another CPU path),
// compared with explicit tolerances. Every difference beyond its tolerance is reported with the
// measured value, so a failing lane says what drifted and by how much.

#include <clusterscope/core/registry.h>
#include <clusterscope/metrics/metrics.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace parity
{

struct Tolerances
{
    double minAri = 0.99;             // labels: adjusted Rand index of the two labelings
    double objectiveRelative = 1e-4;  // |a - b| / max(|a|, |b|, 1) of the objective stat
    double softAbsolute = 1e-3;       // largest |a - b| of the soft assignments
    double confidenceAbsolute = 1e-3; // largest |a - b| of the per-row confidences
};

// float32 on both devices: the same arithmetic up to summation order.
inline Tolerances float32Tolerances()
{
    return {};
}

// Deep methods with mixed_precision: float16 forward passes on CUDA against float32 on the CPU.
// Chosen, not yet measured on a GPU: docs/testing.md says how to recalibrate them.
inline Tolerances mixedPrecisionTolerances()
{
    return {0.90, 1e-2, 5e-2, 5e-2};
}

// The stats that measure what a method optimises (a result holds at most one of them): k-means'
// inertia, a mixture's log-likelihood, k-medoids' loss, Leiden's quality.
inline const std::vector<std::string>& objectiveStats()
{
    static const std::vector<std::string> names = {"inertia", "log_likelihood", "loss", "quality"};
    return names;
}

struct Comparison
{
    std::vector<std::string> failures; // each: what differs, the measured value, the tolerance
    std::vector<std::string> measured; // every measured value, for the log

    bool ok() const { return failures.empty(); }
    std::string report() const
    {
        std::string text;
        for (const auto& f : failures)
            text += (text.empty() ? "" : "; ") + f;
        return text;
    }
};

inline std::string number(double value)
{
    std::ostringstream out;
    out.precision(4);
    out << value;
    return out.str();
}

// The largest |a - b| of two float tensors of one shape (any device); -1 when the shapes differ.
inline double largestDifference(const at::Tensor& a, const at::Tensor& b)
{
    if (a.sizes() != b.sizes())
        return -1;
    if (a.numel() == 0)
        return 0;
    return (a.cpu().to(at::kDouble) - b.cpu().to(at::kDouble)).abs().max().item<double>();
}

inline void compareMatrices(const std::string& what, const at::Tensor& a, const at::Tensor& b,
                            double tolerance, Comparison& c)
{
    if (a.defined() != b.defined())
    {
        c.failures.push_back(what + ": present on one side only");
        return;
    }
    if (!a.defined())
        return;
    const double diff = largestDifference(a, b);
    c.measured.push_back(what + " max |diff| " + number(diff));
    if (diff < 0)
        c.failures.push_back(what + ": shapes differ");
    else if (!(diff <= tolerance)) // NaN fails too
        c.failures.push_back(what + ": max |diff| " + number(diff) + " > " + number(tolerance) +
                             " (cluster ids may be permuted, or the values drifted)");
}

inline Comparison compareResults(const clusterscope::ClusteringResult& reference,
                                 const clusterscope::ClusteringResult& candidate,
                                 const Tolerances& t)
{
    Comparison c;
    if (reference.labels.size() != candidate.labels.size())
    {
        c.failures.push_back("labels: " + std::to_string(reference.labels.size()) + " rows vs " +
                             std::to_string(candidate.labels.size()));
        return c;
    }
    const double ari = clusterscope::adjustedRandIndex(reference.labels, candidate.labels);
    c.measured.push_back("ARI " + number(ari));
    if (!(ari >= t.minAri))
        c.failures.push_back("labels: ARI " + number(ari) + " < " + number(t.minAri));

    for (const auto& name : objectiveStats())
    {
        const auto a = reference.stats.find(name);
        const auto b = candidate.stats.find(name);
        if (a == reference.stats.end() && b == candidate.stats.end())
            continue;
        if (a == reference.stats.end() || b == candidate.stats.end())
        {
            c.failures.push_back(name + ": reported on one side only");
            continue;
        }
        const double scale = std::max({std::abs(a->second), std::abs(b->second), 1.0});
        const double relative = std::abs(a->second - b->second) / scale;
        c.measured.push_back(name + " " + number(a->second) + " vs " + number(b->second));
        if (!(relative <= t.objectiveRelative))
            c.failures.push_back(name + ": " + number(a->second) + " vs " + number(b->second) +
                                 ", relative difference " + number(relative) + " > " +
                                 number(t.objectiveRelative));
    }

    compareMatrices("soft assignments", reference.soft, candidate.soft, t.softAbsolute, c);
    if (reference.confidence.size() != candidate.confidence.size())
        c.failures.push_back("confidence: present on one side only");
    else if (!reference.confidence.empty())
    {
        const auto rows = static_cast<int64_t>(reference.confidence.size());
        compareMatrices(
            "confidence",
            at::from_blob(const_cast<float*>(reference.confidence.data()), {rows}, at::kFloat),
            at::from_blob(const_cast<float*>(candidate.confidence.data()), {rows}, at::kFloat),
            t.confidenceAbsolute, c);
    }
    return c;
}

} // namespace parity

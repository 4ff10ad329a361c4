#include <clusterscope/core/errors.h>
#include <clusterscope/core/parameters.h>
#include <clusterscope/explain/rules.h>

#include <torch/torch.h>

#include <cmath>
#include <set>

namespace clusterscope
{

bool satisfies(const Condition& c, const float* row)
{
    double v = 0;
    for (const auto& [j, w] : c.terms)
        v += w * static_cast<double>(row[j]);
    switch (c.op)
    {
    case Condition::Op::LessEqual:
        return v <= c.threshold;
    case Condition::Op::GreaterEqual:
        return v >= c.threshold;
    case Condition::Op::Greater:
        return v > c.threshold;
    }
    return false;
}

bool satisfies(const Rule& rule, const float* row)
{
    for (const auto& c : rule.conditions)
        if (!satisfies(c, row))
            return false;
    return true;
}

namespace
{

bool coveredByCluster(const ClusterExplanation& c, const float* row)
{
    for (const auto& r : c.rules)
        if (satisfies(r, row))
            return true;
    return false;
}

} // namespace

void scoreDescriptions(const at::Tensor& features, const std::vector<int64_t>& labels,
                       std::vector<ClusterExplanation>& clusters)
{
    const auto x = features.to(torch::kCPU, torch::kFloat32).contiguous();
    const int64_t n = x.size(0), d = x.size(1);
    if (static_cast<int64_t>(labels.size()) != n)
        throw ParameterError("scoreDescriptions: the labels and the rows differ in number");
    const float* data = x.data_ptr<float>();
    for (auto& c : clusters)
    {
        int64_t covered = 0, correct = 0;
        for (auto& r : c.rules)
            r.covered = r.correct = 0;
        for (int64_t i = 0; i < n; ++i)
        {
            const float* row = data + i * d;
            bool any = false;
            for (auto& r : c.rules)
                if (satisfies(r, row))
                {
                    any = true;
                    ++r.covered;
                    r.correct += labels[static_cast<size_t>(i)] == c.cluster;
                }
            covered += any;
            correct += any && labels[static_cast<size_t>(i)] == c.cluster;
        }
        c.covered = covered;
        c.coverage = c.size > 0 ? static_cast<double>(correct) / static_cast<double>(c.size) : 0;
        c.precision = covered > 0 ? static_cast<double>(correct) / static_cast<double>(covered) : 1;
        std::set<int64_t> used;
        for (const auto& r : c.rules)
            for (const auto& cond : r.conditions)
                for (const auto& term : cond.terms)
                    used.insert(term.first);
        c.featuresUsed = static_cast<int64_t>(used.size());
    }
}

std::vector<uint8_t> coveredBy(const at::Tensor& features,
                               const std::vector<ClusterExplanation>& clusters)
{
    const auto x = features.to(torch::kCPU, torch::kFloat32).contiguous();
    const int64_t n = x.size(0), d = x.size(1);
    const auto k = clusters.size();
    std::vector<uint8_t> out(static_cast<size_t>(n) * k, 0);
    const float* data = x.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i)
        for (size_t c = 0; c < k; ++c)
            out[static_cast<size_t>(i) * k + c] = coveredByCluster(clusters[c], data + i * d);
    return out;
}

FeatureFrame fileFrameOf(const at::Tensor& raw, const at::Tensor& explained,
                         const std::vector<double>& offsets)
{
    const auto x = raw.to(torch::kCPU, torch::kFloat32).contiguous();
    const auto z = explained.to(torch::kCPU, torch::kFloat32).contiguous();
    if (x.sizes() != z.sizes() || x.dim() != 2)
        throw ParameterError("fileFrameOf: the raw and explained features differ in shape");
    const int64_t n = x.size(0), d = x.size(1);
    const float* xv = x.data_ptr<float>();
    const float* zv = z.data_ptr<float>();
    FeatureFrame frame;
    for (int64_t j = 0; j < d; ++j)
    {
        const double offset =
            static_cast<size_t>(j) < offsets.size() ? offsets[static_cast<size_t>(j)] : 0.0;
        int64_t lo = 0, hi = 0;
        for (int64_t i = 1; i < n; ++i)
        {
            if (xv[i * d + j] < xv[lo * d + j])
                lo = i;
            if (xv[i * d + j] > xv[hi * d + j])
                hi = i;
        }
        const double xLo = xv[lo * d + j], xHi = xv[hi * d + j];
        const double zLo = zv[lo * d + j], zHi = zv[hi * d + j];
        const double scale = xHi > xLo && zHi > zLo ? (xHi - xLo) / (zHi - zLo) : 1.0;
        frame.scale.push_back(scale);
        frame.shift.push_back(offset + xLo - scale * zLo);
        frame.minimum.push_back(offset + xLo);
    }
    return frame;
}

void toFileFrame(Explanation& e, const FeatureFrame& frame)
{
    const auto at = [](const std::vector<double>& v, int64_t j, double fallback)
    { return j < static_cast<int64_t>(v.size()) ? v[static_cast<size_t>(j)] : fallback; };
    const auto shift = [&](int64_t j) { return at(frame.shift, j, 0.0); };
    const auto scale = [&](int64_t j) { return at(frame.scale, j, 1.0); };
    // sum w_j z_j <= t with z_j = (x_j - shift_j) / scale_j
    //   <=> sum (w_j / scale_j) x_j <= t + sum w_j shift_j / scale_j
    for (auto& c : e.clusters)
    {
        for (auto& r : c.rules)
            for (auto& cond : r.conditions)
            {
                double largest = 0;
                for (auto& [j, w] : cond.terms)
                {
                    cond.threshold += w * shift(j) / scale(j);
                    w /= scale(j);
                    largest = std::max(largest, std::abs(w));
                }
                if (largest > 0)
                {
                    for (auto& term : cond.terms)
                        term.second /= largest;
                    cond.threshold /= largest;
                }
            }
        for (size_t j = 0; j < c.mean.size(); ++j)
        {
            c.mean[j] = shift(static_cast<int64_t>(j)) + scale(static_cast<int64_t>(j)) * c.mean[j];
            c.std[j] *= scale(static_cast<int64_t>(j));
        }
        for (auto* ranks : {&c.tTest, &c.wilcoxon})
            for (auto& r : *ranks)
            {
                r.meanIn = shift(r.feature) + scale(r.feature) * r.meanIn;
                r.meanOut = shift(r.feature) + scale(r.feature) * r.meanOut;
                r.logFoldChange = at(frame.minimum, r.feature, -1.0) >= 0
                                      ? std::log2((r.meanIn + 1e-9) / (r.meanOut + 1e-9))
                                      : NAN;
            }
    }
    for (size_t j = 0; j < e.mean.size(); ++j)
    {
        e.mean[j] = shift(static_cast<int64_t>(j)) + scale(static_cast<int64_t>(j)) * e.mean[j];
        e.std[j] *= scale(static_cast<int64_t>(j));
    }
}

std::string conditionText(const Condition& c, const std::vector<std::string>& names, int digits)
{
    const auto name = [&](int64_t j)
    {
        return j >= 0 && j < static_cast<int64_t>(names.size()) &&
                       !names[static_cast<size_t>(j)].empty()
                   ? names[static_cast<size_t>(j)]
                   : "x" + std::to_string(j);
    };
    std::string lhs;
    for (const auto& [j, w] : c.terms)
    {
        const double a = std::abs(w);
        const std::string sign = w < 0 ? (lhs.empty() ? "-" : " - ") : (lhs.empty() ? "" : " + ");
        lhs += sign + (a == 1 ? "" : formatNumber(a, digits) + " ") + name(j);
    }
    const char* op = c.op == Condition::Op::LessEqual      ? " <= "
                     : c.op == Condition::Op::GreaterEqual ? " >= "
                                                           : " > ";
    return lhs + op + formatNumber(c.threshold, digits);
}

std::string ruleText(const Rule& rule, const std::vector<std::string>& names, int digits)
{
    if (rule.conditions.empty())
        return "(all rows)";
    std::string out;
    for (const auto& c : rule.conditions)
        out += (out.empty() ? "" : " AND ") + conditionText(c, names, digits);
    return out;
}

} // namespace clusterscope

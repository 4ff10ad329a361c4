// The choose-k sweep. The gap statistic (Tibshirani, Walther & Hastie 2001) compares log W_k,
// the log within-cluster sum of squares, with its mean over B data sets drawn uniformly from the
// data's bounding box (their method (a)); sd is the reference spread times sqrt(1 + 1 / B).

#include <clusterscope/cluster/choose_k.h>
#include <clusterscope/cluster/gmm.h>
#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/core/dataset.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/parameters.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/core/tensor_io.h>
#include <clusterscope/kernels/distinct_rows.h>
#include <clusterscope/metrics/metrics.h>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace clusterscope
{
namespace
{

at::Tensor sampleRows(const at::Tensor& x, int64_t count, uint64_t seed)
{
    const int64_t n = x.size(0);
    if (count <= 0 || count >= n)
        return x;
    std::vector<int64_t> ids(static_cast<size_t>(n));
    std::iota(ids.begin(), ids.end(), 0);
    Rng rng(deriveSeed(seed, 41));
    for (int64_t i = 0; i < count; ++i)
    {
        std::uniform_int_distribution<int64_t> pick(i, n - 1);
        std::swap(ids[static_cast<size_t>(i)], ids[static_cast<size_t>(pick(rng))]);
    }
    ids.resize(static_cast<size_t>(count));
    std::sort(ids.begin(), ids.end());
    return x.index_select(0, at::tensor(at::ArrayRef<int64_t>(ids), at::kLong).to(x.device()));
}

double kmeansInertia(const at::Tensor& x, int64_t k, int64_t nInit, uint64_t seed,
                     Progress& progress)
{
    KMeansOptions o;
    o.k = k;
    o.nInit = nInit;
    o.seed = seed;
    o.name = "choose-k";
    return kmeans(x, o, &progress).inertia;
}

// The within-cluster sum of squares of one cluster: the spread around the mean, in float64
// (centred first, so data far from zero lose nothing).
double spreadAroundMean(const at::Tensor& x)
{
    const auto centred = x.to(at::kDouble) - x.to(at::kDouble).mean(0, true);
    return centred.square().sum().item<double>();
}

// A criterion's value, or NaN where it is undefined (one cluster found, zero spread).
template <class F> double orUndefined(F&& criterion)
{
    try
    {
        const double v = criterion();
        return std::isfinite(v) ? v : std::numeric_limits<double>::quiet_NaN();
    }
    catch (const ParameterError&)
    {
        return std::numeric_limits<double>::quiet_NaN();
    }
}

bool anyFinite(const std::vector<double>& values)
{
    return std::any_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

int64_t bestIndex(const std::vector<double>& values, bool larger)
{
    int64_t best = 0;
    for (size_t i = 1; i < values.size(); ++i)
    {
        const double v = values[i];
        const double b = values[static_cast<size_t>(best)];
        if (std::isfinite(v) && (!std::isfinite(b) || (larger ? v > b : v < b)))
            best = static_cast<int64_t>(i);
    }
    return best;
}

} // namespace

bool largerIsBetter(const std::string& criterion)
{
    return criterion == "silhouette" || criterion == "calinski_harabasz" || criterion == "gap";
}

int64_t gapChoice(const std::vector<double>& gap, const std::vector<double>& sd)
{
    for (size_t i = 0; i + 1 < gap.size(); ++i)
    {
        if (gap[i] >= gap[i + 1] - sd[i + 1])
            return static_cast<int64_t>(i);
    }
    return static_cast<int64_t>(gap.size()) - 1;
}

ChooseKResult chooseK(const at::Tensor& xIn, const ChooseKOptions& o, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    const auto x = xIn.to(at::kFloat).contiguous();
    const int64_t n = x.size(0);
    const int64_t kMax = std::min(o.kMax, n - 1);
    if (o.kMin < 2 || kMax < o.kMin)
        throw ParameterError("choose-k needs 2 <= k-min <= k-max < the number of rows (" +
                             std::to_string(n) + "); got " + std::to_string(o.kMin) + ".." +
                             std::to_string(o.kMax));
    ChooseKResult r;
    for (int64_t k = o.kMin; k <= kMax; ++k)
        r.ks.push_back(k);
    const auto count = static_cast<double>(r.ks.size());
    const auto sample = sampleRows(x, o.sampleSize, o.seed);
    // Reference sets for the gap statistic, uniform in the sample's bounding box.
    std::vector<at::Tensor> references;
    if (o.gap)
    {
        const auto low = std::get<0>(sample.min(0));
        const auto span = std::get<0>(sample.max(0)) - low;
        at::Generator gen = at::detail::createCPUGenerator(deriveSeed(o.seed, 42));
        for (int64_t b = 0; b < o.gapReferences; ++b)
            references.push_back(
                (at::rand(sample.sizes(), gen, at::kFloat) * span.cpu() + low.cpu())
                    .to(x.device()));
    }
    const auto units = count * (o.gap ? 2.0 : 1.0) + (o.mixtureCriteria ? count : 0.0);
    std::vector<int64_t> mixtureFailures; // ks whose diagonal mixture collapsed
    double done = 0;
    // Each fit is one unit of the sweep and polls through its own range of it.
    auto step = [&](const std::string& what, int64_t k)
    {
        throwIfCancelled(progress);
        progress.report(done / units, what + " at k = " + std::to_string(k));
        done += 1;
        return ProgressRange(progress, (done - 1) / units, done / units);
    };
    for (int64_t k : r.ks)
    {
        auto fit = step("k-means", k);
        KMeansOptions km;
        km.k = k;
        km.nInit = o.nInit;
        km.seed = o.seed;
        km.name = "choose-k"; // its errors name the command the user ran
        const auto clusters = kmeans(x, km, &fit);
        const auto labels = intValues(clusters.labels);
        r.curves["inertia"].push_back(clusters.inertia);
        r.curves["silhouette"].push_back(
            orUndefined([&] { return silhouetteScore(x, labels, o.sampleSize, o.seed); }));
        r.curves["calinski_harabasz"].push_back(
            orUndefined([&] { return calinskiHarabasz(x, labels); }));
        r.curves["davies_bouldin"].push_back(orUndefined([&] { return daviesBouldin(x, labels); }));
        if (o.gap)
        {
            auto gap = step("gap statistic", k);
            const double parts = static_cast<double>(references.size() + 1);
            ProgressRange onSample(gap, 0.0, 1.0 / parts);
            const double logW = std::log(kmeansInertia(sample, k, o.nInit, o.seed, onSample));
            std::vector<double> logRef;
            for (size_t b = 0; b < references.size(); ++b)
            {
                ProgressRange onReference(gap, static_cast<double>(b + 1) / parts,
                                          static_cast<double>(b + 2) / parts);
                logRef.push_back(std::log(
                    kmeansInertia(references[b], k, 1, deriveSeed(o.seed, 500 + b), onReference)));
            }
            const double mean = std::accumulate(logRef.begin(), logRef.end(), 0.0) /
                                static_cast<double>(logRef.size());
            double var = 0;
            for (double v : logRef)
                var += (v - mean) * (v - mean);
            var /= static_cast<double>(logRef.size());
            r.curves["gap"].push_back(orUndefined([&] { return mean - logW; }));
            r.curves["gap_sd"].push_back(orUndefined(
                [&] {
                    return std::sqrt(var) *
                           std::sqrt(1.0 + 1.0 / static_cast<double>(logRef.size()));
                }));
        }
        if (o.mixtureCriteria)
        {
            auto mixtureFit = step("Gaussian mixture", k);
            GmmOptions g;
            g.k = k;
            g.covariance = CovarianceType::Diagonal;
            g.seed = o.seed;
            g.name = "choose-k";
            try
            {
                const auto mixture = gaussianMixture(x, g, &mixtureFit);
                r.curves["bic"].push_back(mixture.bic);
                r.curves["aic"].push_back(mixture.aic);
            }
            catch (const CancelledError&)
            {
                throw;
            }
            catch (const DataError&)
            {
                throw; // the input itself: the k-means fit above reports it first
            }
            catch (const Error&)
            {
                // A component collapsed (duplicated rows): the criteria are undefined at this
                // k, not the sweep. choose-k has no reg_covar to raise, so say what it can do.
                r.curves["bic"].push_back(std::numeric_limits<double>::quiet_NaN());
                r.curves["aic"].push_back(std::numeric_limits<double>::quiet_NaN());
                mixtureFailures.push_back(k);
            }
        }
    }
    std::map<int64_t, int> votes;
    std::vector<std::string> undefined;
    for (const auto& [name, values] : r.curves)
    {
        if (name == "inertia" || name == "gap_sd")
            continue; // inertia always falls with k; gap_sd is the gap's error bar
        if (!anyFinite(values))
        {
            undefined.push_back(name);
            continue;
        }
        const int64_t i = name == "gap" ? gapChoice(values, r.curves.at("gap_sd"))
                                        : bestIndex(values, largerIsBetter(name));
        r.preferred[name] = r.ks[static_cast<size_t>(i)];
        ++votes[r.ks[static_cast<size_t>(i)]];
    }
    if (votes.empty())
        throw DataError("choose-k: no criterion is defined at any k on these data: every "
                        "clustering has zero spread (are all rows identical?)");
    int best = -1;
    for (const auto& [k, v] : votes) // ascending k: ties go to the smaller
    {
        if (v > best)
        {
            best = v;
            r.suggested = k;
        }
    }
    // Identical rows hold one group: any k >= 2 splits ties, whatever a criterion says.
    if (allRowsIdentical(x))
        r.warnings.push_back("all " + std::to_string(n) +
                             " rows are identical: the data hold a single group, so no k of "
                             "2 or more is meaningful and the suggestion is arbitrary");
    // More clusters than distinct rows can only split identical rows (scikit-learn's KMeans
    // warns so): the criteria above that k compare splits of nothing.
    if (const int64_t distinct = distinctRows(x.to(at::kCPU).contiguous()).count;
        distinct > 1 && distinct < kMax)
        r.warnings.push_back("the data have only " + std::to_string(distinct) +
                             " distinct rows: a k above " + std::to_string(distinct) +
                             " only splits identical rows, so the curves there mean nothing; "
                             "set k_max to at most " +
                             std::to_string(distinct));
    const bool capped = o.kMax > kMax;
    if (capped)
        r.warnings.push_back("k_max = " + std::to_string(o.kMax) + " was capped at " +
                             std::to_string(kMax) + ": k must be less than the " +
                             std::to_string(n) + " rows");
    for (const auto& name : undefined)
        r.warnings.push_back(name + " is undefined at every k on these data, so it has no vote");
    if (!mixtureFailures.empty())
    {
        std::string ks;
        for (const int64_t k : mixtureFailures)
            ks += (ks.empty() ? "" : ", ") + std::to_string(k);
        r.warnings.push_back("bic and aic are undefined at k = " + ks +
                             ": a component of the diagonal Gaussian mixture collapsed onto "
                             "identical rows (its covariance is not positive definite); "
                             "--no-mixture skips these criteria");
    }
    if (r.ks.size() > 1 && r.suggested == r.ks.back() && capped)
        r.warnings.push_back("the suggestion k = " + std::to_string(r.suggested) +
                             " is the largest k these " + std::to_string(n) +
                             " rows allow, so a larger one cannot be tried; more rows would "
                             "be needed to judge it");
    else if (r.ks.size() > 1 && r.suggested == r.ks.back())
        r.warnings.push_back("the suggestion k = " + std::to_string(r.suggested) +
                             " is the largest k swept: the criteria may prefer a larger one; "
                             "widen the range (raise k_max) before trusting it");
    else if (r.ks.size() > 1 && r.suggested == r.ks.front() && r.ks.front() > 2)
        r.warnings.push_back("the suggestion k = " + std::to_string(r.suggested) +
                             " is the smallest k swept: lower k_min before trusting it");
    else if (r.suggested == 2 && r.ks.front() == 2)
    {
        // Only the gap statistic can weigh one group against two (Tibshirani et al. 2001): gap(1)
        // compares the spread around the mean with the references'. Without the gap curve
        // (--no-gap) gap(2) is computed here alone: B + 1 two-means fits on the sample.
        if (references.empty())
        {
            const auto low = std::get<0>(sample.min(0));
            const auto span = std::get<0>(sample.max(0)) - low;
            at::Generator gen = at::detail::createCPUGenerator(deriveSeed(o.seed, 42));
            for (int64_t b = 0; b < std::max<int64_t>(o.gapReferences, 2); ++b)
                references.push_back(
                    (at::rand(sample.sizes(), gen, at::kFloat) * span.cpu() + low.cpu())
                        .to(x.device()));
        }
        double gap2 = 0;
        double sd2 = 0;
        if (o.gap && anyFinite(r.curves["gap"]))
        {
            gap2 = r.curves["gap"][0];
            sd2 = r.curves["gap_sd"][0];
        }
        else
        {
            std::vector<double> logRef2;
            for (size_t b = 0; b < references.size(); ++b)
                logRef2.push_back(std::log(
                    kmeansInertia(references[b], 2, 1, deriveSeed(o.seed, 500 + b), progress)));
            const double mean2 = std::accumulate(logRef2.begin(), logRef2.end(), 0.0) /
                                 static_cast<double>(logRef2.size());
            double var = 0;
            for (double v : logRef2)
                var += (v - mean2) * (v - mean2);
            var /= static_cast<double>(logRef2.size());
            gap2 = mean2 - std::log(kmeansInertia(sample, 2, o.nInit, o.seed, progress));
            sd2 = std::sqrt(var) * std::sqrt(1.0 + 1.0 / static_cast<double>(logRef2.size()));
        }
        std::vector<double> logRef;
        for (const auto& reference : references)
            logRef.push_back(std::log(spreadAroundMean(reference)));
        const double mean =
            std::accumulate(logRef.begin(), logRef.end(), 0.0) / static_cast<double>(logRef.size());
        const double gap1 = mean - std::log(spreadAroundMean(sample));
        if (std::isfinite(gap2) && gap1 >= gap2 - sd2)
            r.warnings.push_back(
                "the gap statistic prefers one group to two (gap(1) = " + formatNumber(gap1) +
                " >= gap(2) - sd(2) = " + formatNumber(gap2 - sd2) +
                "): the data may have no cluster structure, and k = 2 is only the smallest "
                "split the other criteria can compare; look at the data's view before trusting "
                "it");
    }
    progress.report(1.0, "done");
    return r;
}

} // namespace clusterscope

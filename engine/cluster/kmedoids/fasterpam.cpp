// FasterPAM, following kno10/rust-kmedoids' fasterpam.rs: per object the nearest and second
// nearest medoid, a cached removal loss per medoid, and for each non-medoid j one O(N + k) pass
// that finds the best medoid to swap for it; an improving swap is applied at once.

#include <clusterscope/cluster/kmedoids.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/kernels/parallel.h>

#include <algorithm>
#include <atomic>
#include <limits>

namespace clusterscope
{
namespace
{

constexpr float kFar = std::numeric_limits<float>::infinity();
constexpr int64_t kNone = -1;

struct Nearest
{
    int64_t i = kNone; // index into the medoid list
    float d = kFar;
};

struct Record
{
    Nearest near;
    Nearest second;
};

size_t at(int64_t i)
{
    return static_cast<size_t>(i);
}

double assignAll(const DissimilarityMatrix& d, const std::vector<int64_t>& med,
                 std::vector<Record>& rec)
{
    double loss = 0;
    for (int64_t o = 0; o < d.n; ++o)
    {
        Record r;
        for (size_t m = 0; m < med.size(); ++m)
        {
            const float v = d(o, med[m]);
            const auto mi = static_cast<int64_t>(m);
            if (v < r.near.d || o == med[m])
            {
                r.second = r.near;
                r.near = {mi, v};
            }
            else if (v < r.second.d || r.second.i == kNone)
            {
                r.second = {mi, v};
            }
        }
        rec[at(o)] = r;
        loss += r.near.d;
    }
    return loss;
}

void updateRemovalLoss(const std::vector<Record>& rec, std::vector<double>& removal)
{
    std::fill(removal.begin(), removal.end(), 0.0);
    for (const auto& r : rec)
        removal[at(r.near.i)] += static_cast<double>(r.second.d) - r.near.d;
}

// The best medoid to swap out for j and the change in loss: negative is an improvement.
std::pair<double, int64_t> bestSwap(const DissimilarityMatrix& d,
                                    const std::vector<double>& removal,
                                    const std::vector<Record>& rec, int64_t j,
                                    std::vector<double>& ploss)
{
    ploss = removal;
    double acc = 0;
    const float* dj = d.row(j);
    for (int64_t o = 0; o < d.n; ++o)
    {
        const float v = dj[o];
        const Record& r = rec[at(o)];
        if (v < r.near.d)
        {
            acc += static_cast<double>(v) - r.near.d;
            ploss[at(r.near.i)] += static_cast<double>(r.near.d) - r.second.d;
        }
        else if (v < r.second.d)
        {
            ploss[at(r.near.i)] += static_cast<double>(v) - r.second.d;
        }
    }
    const auto b = std::min_element(ploss.begin(), ploss.end()) - ploss.begin();
    return {ploss[at(b)] + acc, b};
}

Nearest secondNearest(const DissimilarityMatrix& d, const std::vector<int64_t>& med, int64_t near,
                      int64_t b, int64_t o, float dOfB)
{
    Nearest s{b, dOfB};
    for (size_t i = 0; i < med.size(); ++i)
    {
        const auto mi = static_cast<int64_t>(i);
        if (mi == near || mi == b)
            continue;
        const float v = d(o, med[i]);
        if (v < s.d)
            s = {mi, v};
    }
    return s;
}

// Medoid b becomes j; returns the new loss.
double applySwap(const DissimilarityMatrix& d, std::vector<int64_t>& med, std::vector<Record>& rec,
                 int64_t b, int64_t j)
{
    med[at(b)] = j;
    double loss = 0;
    for (int64_t o = 0; o < d.n; ++o)
    {
        Record& r = rec[at(o)];
        if (o == j)
        {
            if (r.near.i != b)
                r.second = r.near;
            r.near = {b, 0.0F};
            continue;
        }
        const float v = d(j, o);
        if (r.near.i == b)
        {
            if (v < r.second.d)
            {
                r.near = {b, v};
            }
            else
            {
                r.near = r.second;
                r.second = secondNearest(d, med, r.near.i, b, o, v);
            }
        }
        else if (v < r.near.d)
        {
            r.second = r.near;
            r.near = {b, v};
        }
        else if (r.second.i == b)
        {
            r.second = secondNearest(d, med, r.near.i, b, o, v);
        }
        else if (v < r.second.d)
        {
            r.second = {b, v};
        }
        loss += r.near.d;
    }
    return loss;
}

// k = 1: the row with the smallest total dissimilarity.
KMedoidsResult singleMedoid(const DissimilarityMatrix& d, int64_t start, Progress& progress)
{
    KMedoidsResult r;
    double best = std::numeric_limits<double>::infinity();
    int64_t which = start;
    for (int64_t j = 0; j < d.n; ++j)
    {
        if (j % 256 == 0) // a row is O(N): N^2 in all
            progress.poll(static_cast<double>(j) / static_cast<double>(d.n),
                          [] { return "the single medoid"; });
        double total = 0;
        for (int64_t o = 0; o < d.n; ++o)
            total += d(j, o);
        if (total < best)
        {
            best = total;
            which = j;
        }
    }
    r.medoids = {which};
    r.labels.assign(at(d.n), 0);
    r.loss = best;
    r.iterations = 1;
    r.swaps = which != start ? 1 : 0;
    return r;
}

} // namespace

Dissimilarity parseDissimilarity(const std::string& name)
{
    if (name == "euclidean")
        return Dissimilarity::Euclidean;
    if (name == "cosine")
        return Dissimilarity::Cosine;
    if (name == "manhattan")
        return Dissimilarity::Manhattan;
    throw ParameterError("metric '" + name + "' is not one of euclidean|cosine|manhattan");
}

MedoidInit parseMedoidInit(const std::string& name)
{
    if (name == "build")
        return MedoidInit::Build;
    if (name == "k-means++")
        return MedoidInit::KMeansPlusPlus;
    throw ParameterError("medoid initialisation '" + name + "' is not one of build|k-means++");
}

KMedoidsResult fasterPam(const DissimilarityMatrix& d, std::vector<int64_t> med, int64_t maxIter,
                         Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    const int64_t n = d.n;
    const auto k = static_cast<int64_t>(med.size());
    if (k < 1 || k > n)
        throw ParameterError("k must be between 1 and " + std::to_string(n) + "; got " +
                             std::to_string(k));
    if (k == 1)
        return singleMedoid(d, med[0], progress);
    std::vector<Record> rec(at(n));
    double loss = assignAll(d, med, rec);
    std::vector<double> removal(at(k));
    updateRemovalLoss(rec, removal);
    std::vector<double> ploss;
    KMedoidsResult result;
    int64_t lastSwap = n;
    while (result.iterations < maxIter)
    {
        ++result.iterations;
        const int64_t swapsBefore = result.swaps;
        const double lossBefore = loss;
        for (int64_t j = 0; j < n; ++j)
        {
            if (j == lastSwap)
                break;
            if (j % 256 == 0)
            {
                throwIfCancelled(progress);
                progress.report(std::min(1.0, static_cast<double>(result.iterations - 1) / 4.0 +
                                                  static_cast<double>(j) / (4.0 * n)),
                                "swaps");
            }
            if (j == med[at(rec[at(j)].near.i)])
                continue; // already a medoid
            const auto [change, b] = bestSwap(d, removal, rec, j, ploss);
            if (change >= 0)
                continue;
            ++result.swaps;
            lastSwap = j;
            loss = applySwap(d, med, rec, b, j);
            updateRemovalLoss(rec, removal);
        }
        if (result.swaps == swapsBefore || loss >= lossBefore)
            break;
    }
    result.medoids = med;
    result.loss = loss;
    result.labels.resize(at(n));
    for (int64_t o = 0; o < n; ++o)
        result.labels[at(o)] = rec[at(o)].near.i;
    return result;
}

std::vector<int64_t> buildMedoids(const DissimilarityMatrix& d, int64_t k, Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    const int64_t n = d.n;
    std::vector<int64_t> med;
    std::vector<float> nearest(at(n), kFar);
    std::vector<char> isMedoid(at(n), 0);
    for (int64_t m = 0; m < k; ++m)
    {
        throwIfCancelled(progress);
        progress.report(static_cast<double>(m) / static_cast<double>(k), "BUILD");
        // Each thread scores a slice of candidates; the lowest loss (then index) wins. A
        // candidate is O(N) work and a step O(N^2), so the threads poll every kPollEvery
        // candidates and stop on a cancel (the caller throws).
        constexpr int64_t kPollEvery = 256;
        const int threads = computeThreads();
        std::atomic<bool> stop{false};
        std::vector<std::pair<double, int64_t>> found(
            static_cast<size_t>(threads), {std::numeric_limits<double>::infinity(), -1});
        parallelSlices(
            n, threads,
            [&](int t, int64_t begin, int64_t end)
            {
                auto& best = found[static_cast<size_t>(t)];
                for (int64_t j = begin; j < end && !stop; ++j)
                {
                    if ((j - begin) % kPollEvery == 0)
                    {
                        if (progress.cancelRequested())
                            stop = true;
                        if (t == 0)
                            progress.reportThrottled(
                                (static_cast<double>(m) + static_cast<double>(j - begin) /
                                                              static_cast<double>(end - begin)) /
                                    static_cast<double>(k),
                                [] { return "BUILD"; });
                    }
                    if (isMedoid[at(j)])
                        continue;
                    const float* dj = d.row(j);
                    double total = 0;
                    for (int64_t o = 0; o < n; ++o)
                        total += std::min(nearest[at(o)], dj[o]);
                    if (total < best.first)
                        best = {total, j};
                }
            });
        if (stop)
            throw CancelledError();
        const int64_t best = std::min_element(found.begin(), found.end())->second;
        med.push_back(best);
        isMedoid[at(best)] = 1;
        const float* db = d.row(best);
        for (int64_t o = 0; o < n; ++o)
            nearest[at(o)] = std::min(nearest[at(o)], db[o]);
    }
    return med;
}

std::vector<int64_t> kmeansPlusPlusMedoids(const DissimilarityMatrix& d, int64_t k, uint64_t seed)
{
    Rng rng(deriveSeed(seed, 11));
    const int64_t n = d.n;
    std::vector<int64_t> med{std::uniform_int_distribution<int64_t>(0, n - 1)(rng)};
    std::vector<double> weight(at(n));
    for (int64_t o = 0; o < n; ++o)
        weight[at(o)] = static_cast<double>(d(o, med[0])) * d(o, med[0]);
    while (static_cast<int64_t>(med.size()) < k)
    {
        double total = 0;
        for (double w : weight)
            total += w;
        int64_t next = 0;
        if (total > 0)
        {
            double u = std::uniform_real_distribution<double>(0, total)(rng);
            while (next < n - 1 && (u -= weight[at(next)]) > 0)
                ++next;
            while (weight[at(next)] == 0) // never a current medoid
                next = (next + 1) % n;
        }
        else
        {
            while (std::find(med.begin(), med.end(), next) != med.end())
                ++next;
        }
        med.push_back(next);
        for (int64_t o = 0; o < n; ++o)
            weight[at(o)] = std::min(weight[at(o)], static_cast<double>(d(o, next)) * d(o, next));
    }
    return med;
}

} // namespace clusterscope

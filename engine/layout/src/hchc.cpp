// HCHC's layout (Huang et al., ICML 2023): cluster dissimilarity, the shortest Hamiltonian
// cycle (Held-Karp, or multi-start 2-opt + Or-opt with double-bridge kicks), anchors and
// barycentres. See hchc.h.

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/kernels/parallel.h>
#include <clusterscope/layout/hchc.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <exception>
#include <limits>
#include <numbers>
#include <numeric>

namespace clusterscope
{
namespace
{

constexpr int64_t kHeldKarpLimit = 20;
constexpr int64_t kNeighbours = 16;   // candidate list per cluster in the heuristic
constexpr double kMinGain = 1e-12;    // improvements below this are round-off, not moves
constexpr double kRowSumSlack = 1e-3; // float32 soft rows may sum to 1 + rounding

std::string shapeText(const at::Tensor& t)
{
    std::string out = "[";
    for (int64_t i = 0; i < t.dim(); ++i)
        out += (i ? " x " : "") + std::to_string(t.size(i));
    return out + "]";
}

// `soft` as an N x K contiguous float32 CPU tensor, after the checks hchc.h promises.
at::Tensor hchcCheckedSoft(const at::Tensor& soft)
{
    if (!soft.defined())
        throw DataError("soft assignment: no matrix given (expected N x K)");
    if (soft.dim() != 2)
        throw DataError("soft assignment: expected a 2-D N x K matrix, got " +
                        std::to_string(soft.dim()) + "-D " + shapeText(soft));
    if (!at::isFloatingType(soft.scalar_type()))
        throw DataError("soft assignment: expected floating-point values (float32), got " +
                        std::string(c10::toString(soft.scalar_type())));
    if (soft.size(0) < 1)
        throw DataError("soft assignment: no rows (shape " + shapeText(soft) + ")");
    if (soft.size(1) < 2)
        throw DataError("soft assignment: a cycle of clusters needs K >= 2 columns, got shape " +
                        shapeText(soft));
    auto q = soft.to(at::kCPU).to(at::kFloat).contiguous();
    const auto n = q.size(0);
    const auto k = q.size(1);
    const float* p = q.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i)
    {
        double sum = 0;
        for (int64_t c = 0; c < k; ++c)
        {
            const float v = p[i * k + c];
            if (!std::isfinite(v))
                throw DataError("soft assignment: row " + std::to_string(i) + ", column " +
                                std::to_string(c) + " is " + formatNumber(v) +
                                " (expected finite probabilities)");
            if (v < 0)
                throw DataError("soft assignment: row " + std::to_string(i) + ", column " +
                                std::to_string(c) + " is negative (" + formatNumber(v) +
                                "); expected probabilities in [0, 1]");
            sum += v;
        }
        if (sum > 1 + kRowSumSlack)
            throw DataError("soft assignment: row " + std::to_string(i) + " sums to " +
                            formatNumber(sum) +
                            " (expected at most 1: probabilities of belonging to each cluster)");
    }
    return q;
}

// Four accumulators in a fixed order: the same bits on every run and thread count.
double hchcDot(const double* a, const double* b, int64_t n)
{
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
    {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; ++i)
        s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

std::vector<double> dissimilarityOfChecked(const at::Tensor& q, Progress& progress,
                                           std::vector<std::string>* warnings)
{
    const int64_t n = q.size(0);
    const int64_t k = q.size(1);
    const float* p = q.data_ptr<float>();
    // Centred columns, one contiguous float64 row per cluster.
    std::vector<double> cols(static_cast<size_t>(n * k));
    for (int64_t c = 0; c < k; ++c)
    {
        progress.poll(0.5 * static_cast<double>(c) / static_cast<double>(k),
                      [] { return "cluster correlations"; });
        double* col = cols.data() + c * n;
        double sum = 0;
        for (int64_t i = 0; i < n; ++i)
        {
            col[i] = p[i * k + c];
            sum += col[i];
        }
        const double mean = sum / static_cast<double>(n);
        for (int64_t i = 0; i < n; ++i)
            col[i] -= mean;
    }
    std::vector<double> norm(static_cast<size_t>(k));
    std::vector<int64_t> constant;
    for (int64_t c = 0; c < k; ++c)
    {
        norm[c] = std::sqrt(hchcDot(cols.data() + c * n, cols.data() + c * n, n));
        if (!(norm[c] > 0))
            constant.push_back(c);
    }
    std::vector<double> d(static_cast<size_t>(k * k), 0.0);
    for (int64_t a = 0; a < k; ++a)
    {
        progress.poll(0.5 + 0.5 * static_cast<double>(a) / static_cast<double>(k),
                      [] { return "cluster correlations"; });
        for (int64_t b = a + 1; b < k; ++b)
        {
            double r = 0; // a constant column correlates with nothing
            if (norm[a] > 0 && norm[b] > 0)
                r = std::clamp(hchcDot(cols.data() + a * n, cols.data() + b * n, n) /
                                   (norm[a] * norm[b]),
                               -1.0, 1.0);
            d[a * k + b] = d[b * k + a] = (1 - r) / 2;
        }
    }
    if (warnings && !constant.empty())
    {
        std::string list;
        for (auto c : constant)
            list += (list.empty() ? "" : ", ") + std::to_string(c);
        warnings->push_back(
            "cluster(s) " + list +
            " have the same membership in every sample (e.g. an empty cluster): their "
            "correlation with the other clusters is undefined and taken as 0 (dissimilarity "
            "0.5); drop them or recluster with fewer clusters");
    }
    return d;
}

void checkDissimilarity(const std::vector<double>& d, int64_t k)
{
    if (k < 2)
        throw ParameterError("a Hamiltonian cycle needs at least 2 clusters, got " +
                             std::to_string(k));
    if (static_cast<int64_t>(d.size()) != k * k)
        throw ParameterError("dissimilarity: expected " + std::to_string(k) + " x " +
                             std::to_string(k) + " values, got " + std::to_string(d.size()));
}

// `order` rotated to start at cluster 0 and turned so that order[1] < order[K-1].
std::vector<int64_t> canonicalCycle(std::vector<int64_t> order)
{
    const auto zero = std::find(order.begin(), order.end(), int64_t{0});
    std::rotate(order.begin(), zero, order.end());
    if (order.size() > 2 && order[1] > order.back())
        std::reverse(order.begin() + 1, order.end());
    return order;
}

// --- The heuristic: a tour as an array with each cluster's position. ---

class HchcTour
{
public:
    HchcTour(const std::vector<double>& d, int64_t k,
             const std::vector<std::vector<int64_t>>& neighbours)
        : d_(d), k_(k), neighbours_(neighbours), tour_(static_cast<size_t>(k)),
          pos_(static_cast<size_t>(k)), queued_(static_cast<size_t>(k), 0)
    {
    }

    void assign(const std::vector<int64_t>& order)
    {
        tour_ = order;
        for (int64_t i = 0; i < k_; ++i)
            pos_[tour_[i]] = i;
    }
    const std::vector<int64_t>& order() const { return tour_; }

    double length() const { return cycleLength(d_, k_, tour_); }

    // 2-opt and Or-opt until neither finds an improvement: a queue of clusters to look at
    // (every cluster at first), each move queueing the ends of the edges it changed, as
    // don't-look bits do.
    // Passes over every cluster until one finds nothing: a local optimum of both
    // neighbourhoods (over the candidate lists), which the queue alone does not promise.
    void descend()
    {
        int64_t before = 0;
        do
        {
            before = moves_;
            for (int64_t c = 0; c < k_; ++c)
                touch(c);
            drain();
        } while (moves_ != before);
    }

    // The clusters next to the edges the last kick changed, then the descent from them.
    void descendFromTouched() { drain(); }

    // Double bridge: A B C D -> A C B D on three random cut points.
    void doubleBridge(Rng& rng)
    {
        if (k_ < 8)
        {
            // Too small for three distinct cuts: a random segment reversal instead.
            std::uniform_int_distribution<int64_t> pick(0, k_ - 1);
            const auto i = pick(rng);
            const auto j = pick(rng);
            reverse(std::min(i, j), std::max(i, j));
            for (int64_t c = 0; c < k_; ++c)
                touch(c);
            return;
        }
        std::uniform_int_distribution<int64_t> pick(1, k_ - 1);
        int64_t cut[3];
        do
        {
            cut[0] = pick(rng);
            cut[1] = pick(rng);
            cut[2] = pick(rng);
            std::sort(cut, cut + 3);
        } while (cut[0] == cut[1] || cut[1] == cut[2]);
        std::vector<int64_t> next;
        next.reserve(static_cast<size_t>(k_));
        next.insert(next.end(), tour_.begin(), tour_.begin() + cut[0]);
        next.insert(next.end(), tour_.begin() + cut[1], tour_.begin() + cut[2]);
        next.insert(next.end(), tour_.begin() + cut[0], tour_.begin() + cut[1]);
        next.insert(next.end(), tour_.begin() + cut[2], tour_.end());
        for (int i = 0; i < 3; ++i)
        {
            touch(tour_[cut[i] - 1]);
            touch(tour_[cut[i]]);
        }
        assign(next);
    }

private:
    void touch(int64_t c)
    {
        if (!queued_[c])
        {
            queued_[c] = 1;
            queue_.push_back(c);
        }
    }

    void drain()
    {
        while (!queue_.empty())
        {
            const int64_t a = queue_.front();
            queue_.pop_front();
            queued_[a] = 0;
            bool improved = twoOpt(a);
            for (int64_t len = 1; !improved && len <= 3 && len <= k_ - 3; ++len)
                improved = orOpt(a, len) || orOpt(at(pos_[a] - len + 1), len);
            if (improved)
            {
                ++moves_;
                touch(a);
            }
        }
    }

    double dist(int64_t a, int64_t b) const { return d_[a * k_ + b]; }
    int64_t at(int64_t i) const { return tour_[((i % k_) + k_) % k_]; }
    int64_t succ(int64_t c) const { return at(pos_[c] + 1); }
    int64_t pred(int64_t c) const { return at(pos_[c] - 1); }

    // Reverses the tour between positions i and j (i <= j, inclusive), or its complement when
    // that is shorter: the same cycle either way.
    void reverse(int64_t i, int64_t j)
    {
        int64_t len = j - i + 1;
        if (2 * len > k_)
        {
            const int64_t ni = j + 1;
            const int64_t nj = i - 1 + k_;
            i = ni;
            j = nj;
            len = k_ - len;
        }
        for (int64_t s = 0; s < len / 2; ++s)
        {
            const int64_t pi = (i + s) % k_;
            const int64_t pj = (j - s) % k_;
            std::swap(tour_[pi], tour_[pj]);
            pos_[tour_[pi]] = pi;
            pos_[tour_[pj]] = pj;
        }
    }

    // 2-opt moves that make `a` adjacent to one of its neighbours c.
    bool twoOpt(int64_t a)
    {
        for (const auto c : neighbours_[a])
        {
            // Successor variant: (a, sa), (c, sc) -> (a, c), (sa, sc).
            {
                const int64_t sa = succ(a);
                const int64_t sc = succ(c);
                if (c != sa && sc != a)
                {
                    const double gain = dist(a, sa) + dist(c, sc) - dist(a, c) - dist(sa, sc);
                    if (gain > kMinGain)
                    {
                        for (const auto t : {a, sa, c, sc})
                            touch(t);
                        // Reverse sa..c along the tour.
                        int64_t i = pos_[sa];
                        int64_t j = pos_[c];
                        if (j < i)
                            j += k_;
                        reverse(i, j);
                        return true;
                    }
                }
            }
            // Predecessor variant: (pa, a), (pc, c) -> (a, c), (pa, pc).
            {
                const int64_t pa = pred(a);
                const int64_t pc = pred(c);
                if (c != pa && pc != a)
                {
                    const double gain = dist(pa, a) + dist(pc, c) - dist(a, c) - dist(pa, pc);
                    if (gain > kMinGain)
                    {
                        for (const auto t : {a, pa, c, pc})
                            touch(t);
                        // Reverse c..pa along the tour (from c forward to pa).
                        int64_t i = pos_[c];
                        int64_t j = pos_[pa];
                        if (j < i)
                            j += k_;
                        reverse(i, j);
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // Moves the segment of `len` clusters starting at `a` (forward) next to one of the
    // neighbours of its ends, in whichever orientation is shorter.
    bool orOpt(int64_t a, int64_t len)
    {
        const int64_t first = pos_[a];
        const int64_t e = at(first + len - 1);
        const int64_t p = at(first - 1);
        const int64_t nx = at(first + len);
        // No early exit on removeGain <= 0: d need not be a metric (Pearson's is not), so an
        // insertion can gain more than the removal loses.
        const double removeGain = dist(p, a) + dist(e, nx) - dist(p, nx);
        auto inSegment = [&](int64_t c)
        {
            const int64_t off = ((pos_[c] - first) % k_ + k_) % k_;
            return off < len;
        };
        for (int end = 0; end < 2; ++end)
        {
            const int64_t x = end == 0 ? a : e;
            for (const auto c : neighbours_[x])
            {
                if (inSegment(c))
                    continue;
                // Insert between (c, succ c) and between (pred c, c); x next to c.
                for (int side = 0; side < 2; ++side)
                {
                    const int64_t u = side == 0 ? c : pred(c);
                    const int64_t v = side == 0 ? succ(c) : c;
                    if (inSegment(u) || inSegment(v))
                        continue; // the edge (p, nx) does not exist yet
                    if (u == p && v == nx)
                        continue;
                    // The segment between u and v: the end next to c is x.
                    const int64_t nearU = side == 0 ? x : (x == a ? e : a);
                    const int64_t nearV = nearU == a ? e : a;
                    const double add = dist(u, nearU) + dist(nearV, v) - dist(u, v);
                    if (removeGain - add > kMinGain)
                    {
                        for (const auto t : {p, nx, a, e, u, v})
                            touch(t);
                        moveSegment(first, len, u, nearU == a);
                        return true;
                    }
                }
            }
        }
        return false;
    }

    // Rebuilds the tour with the segment [first, first + len) taken out and put back right
    // after cluster u, forward when `forward` (a first), else reversed.
    void moveSegment(int64_t first, int64_t len, int64_t u, bool forward)
    {
        std::vector<int64_t> segment;
        for (int64_t s = 0; s < len; ++s)
            segment.push_back(at(first + s));
        if (!forward)
            std::reverse(segment.begin(), segment.end());
        std::vector<int64_t> rest;
        rest.reserve(static_cast<size_t>(k_));
        for (int64_t s = len; s < k_; ++s)
            rest.push_back(at(first + s));
        std::vector<int64_t> next;
        next.reserve(static_cast<size_t>(k_));
        for (const auto c : rest)
        {
            next.push_back(c);
            if (c == u)
                next.insert(next.end(), segment.begin(), segment.end());
        }
        assign(next);
    }

    const std::vector<double>& d_;
    int64_t k_;
    const std::vector<std::vector<int64_t>>& neighbours_;
    std::vector<int64_t> tour_;
    std::vector<int64_t> pos_;
    std::deque<int64_t> queue_; // clusters to look at, each once (queued_)
    std::vector<uint8_t> queued_;
    int64_t moves_ = 0; // moves made so far
};

struct HchcStartResult
{
    std::vector<int64_t> order;
    double length = std::numeric_limits<double>::infinity();
};

} // namespace

double cycleLength(const std::vector<double>& d, int64_t k, const std::vector<int64_t>& order)
{
    double sum = 0;
    for (int64_t i = 0; i < k; ++i)
        sum += d[order[i] * k + order[(i + 1) % k]];
    return sum;
}

std::vector<double> clusterDissimilarity(const at::Tensor& soft, Progress& progress,
                                         std::vector<std::string>* warnings)
{
    return dissimilarityOfChecked(hchcCheckedSoft(soft), progress, warnings);
}

HamiltonianCycle heldKarpCycle(const std::vector<double>& d, int64_t k, Progress& progress)
{
    checkDissimilarity(d, k);
    if (k > kHeldKarpLimit)
        throw ParameterError("Held-Karp: at most " + std::to_string(kHeldKarpLimit) +
                             " clusters (memory 2^K K), got " + std::to_string(k));
    HamiltonianCycle out;
    if (k <= 3)
    {
        for (int64_t c = 0; c < k; ++c)
            out.order.push_back(c);
        out.length = cycleLength(d, k, out.order);
        return out;
    }
    // Cluster 0 starts every path; clusters 1..K-1 are bits 0..K-2 of a subset.
    const int64_t m = k - 1;
    const int64_t subsets = int64_t{1} << m;
    constexpr double inf = std::numeric_limits<double>::infinity();
    std::vector<double> dp(static_cast<size_t>(subsets * m), inf);
    std::vector<int8_t> parent(static_cast<size_t>(subsets * m), -1);
    for (int64_t j = 0; j < m; ++j)
        dp[(int64_t{1} << j) * m + j] = d[0 * k + (j + 1)];
    for (int64_t mask = 1; mask < subsets; ++mask)
    {
        if ((mask & 63) == 0)
            progress.poll(static_cast<double>(mask) / static_cast<double>(subsets),
                          [] { return "Held-Karp"; });
        for (int64_t j = 0; j < m; ++j)
        {
            if (!(mask >> j & 1))
                continue;
            const double base = dp[mask * m + j];
            if (base == inf)
                continue;
            const double* dj = d.data() + (j + 1) * k + 1;
            for (int64_t t = 0; t < m; ++t)
            {
                if (mask >> t & 1)
                    continue;
                const int64_t next = mask | (int64_t{1} << t);
                const double cand = base + dj[t];
                if (cand < dp[next * m + t])
                {
                    dp[next * m + t] = cand;
                    parent[next * m + t] = static_cast<int8_t>(j);
                }
            }
        }
    }
    const int64_t full = subsets - 1;
    double best = inf;
    int64_t last = 0;
    for (int64_t j = 0; j < m; ++j)
    {
        const double cand = dp[full * m + j] + d[(j + 1) * k + 0];
        if (cand < best)
        {
            best = cand;
            last = j;
        }
    }
    std::vector<int64_t> reversed;
    int64_t mask = full;
    int64_t j = last;
    while (j >= 0)
    {
        reversed.push_back(j + 1);
        const int64_t pj = parent[mask * m + j];
        mask &= ~(int64_t{1} << j);
        j = pj;
    }
    out.order.push_back(0);
    out.order.insert(out.order.end(), reversed.rbegin(), reversed.rend());
    out.order = canonicalCycle(out.order);
    out.length = cycleLength(d, k, out.order);
    progress.poll(1.0, [] { return "Held-Karp"; });
    return out;
}

HamiltonianCycle heuristicCycle(const std::vector<double>& d, int64_t k, int64_t starts,
                                int64_t kicks, uint64_t seed, Progress& progress)
{
    checkDissimilarity(d, k);
    if (starts < 1)
        throw ParameterError("n_init: at least 1 start, got " + std::to_string(starts));
    if (kicks < 0)
        throw ParameterError("n_kicks: at least 0, got " + std::to_string(kicks));
    HamiltonianCycle out;
    if (k <= 3)
    {
        for (int64_t c = 0; c < k; ++c)
            out.order.push_back(c);
        out.length = cycleLength(d, k, out.order);
        return out;
    }
    // Each cluster's nearest clusters, ties by id.
    std::vector<std::vector<int64_t>> neighbours(static_cast<size_t>(k));
    const int64_t count = std::min(kNeighbours, k - 1);
    for (int64_t a = 0; a < k; ++a)
    {
        auto& list = neighbours[a];
        for (int64_t b = 0; b < k; ++b)
            if (b != a)
                list.push_back(b);
        std::stable_sort(list.begin(), list.end(),
                         [&](int64_t x, int64_t y) { return d[a * k + x] < d[a * k + y]; });
        list.resize(static_cast<size_t>(count));
    }

    std::vector<HchcStartResult> results(static_cast<size_t>(starts));
    std::vector<int64_t> done(static_cast<size_t>(starts), 0);
    const int threads =
        static_cast<int>(std::clamp<int64_t>(computeThreads(), 1, std::max<int64_t>(1, starts)));
    struct Context
    {
        const std::vector<double>& d;
        int64_t k;
        int64_t starts;
        int64_t kicks;
        uint64_t seed;
        int threads;
        const std::vector<std::vector<int64_t>>& neighbours;
        std::vector<HchcStartResult>& results;
        Progress& progress;
    } context{d, k, starts, kicks, seed, threads, neighbours, results, progress};
    detail::runSlices(
        threads,
        [](void* p, int slice)
        {
            auto& c = *static_cast<Context*>(p);
            for (int64_t s = slice; s < c.starts; s += c.threads)
            {
                if (c.progress.cancelRequested())
                    return;
                Rng rng(deriveSeed(c.seed, static_cast<uint64_t>(s)));
                std::vector<int64_t> order(static_cast<size_t>(c.k));
                std::iota(order.begin(), order.end(), int64_t{0});
                std::shuffle(order.begin(), order.end(), rng);
                HchcTour tour(c.d, c.k, c.neighbours);
                tour.assign(order);
                tour.descend();
                std::vector<int64_t> best = tour.order();
                double bestLength = tour.length();
                for (int64_t kick = 0; kick < c.kicks; ++kick)
                {
                    if (c.progress.cancelRequested())
                        return;
                    if (slice == 0)
                        c.progress.reportThrottled(
                            (static_cast<double>(s) +
                             static_cast<double>(kick) / static_cast<double>(c.kicks)) /
                                static_cast<double>(c.starts),
                            [] { return "Hamiltonian cycle (2-opt, Or-opt)"; });
                    tour.doubleBridge(rng);
                    tour.descendFromTouched();
                    const double length = tour.length();
                    if (length < bestLength - kMinGain)
                    {
                        best = tour.order();
                        bestLength = length;
                    }
                    else
                        tour.assign(best);
                }
                // The kicks' descents start from the changed edges only: a last full descent
                // makes the result a local optimum.
                tour.assign(best);
                tour.descend();
                if (tour.length() < bestLength - kMinGain)
                    best = tour.order();
                auto canonical = canonicalCycle(best);
                c.results[s].length = cycleLength(c.d, c.k, canonical);
                c.results[s].order = std::move(canonical);
            }
        },
        &context);
    throwIfCancelled(progress);
    size_t winner = 0;
    for (size_t s = 1; s < results.size(); ++s)
        if (results[s].length < results[winner].length)
            winner = s;
    out.order = results[winner].order;
    out.length = results[winner].length;
    return out;
}

LayoutResult hchcLayout(const at::Tensor& soft, const HchcOptions& options, Progress& progress)
{
    if (options.exactMaxClusters < 0 || options.exactMaxClusters > kHeldKarpLimit)
        throw ParameterError("exact_max_clusters: expected 0 to " + std::to_string(kHeldKarpLimit) +
                             ", got " + std::to_string(options.exactMaxClusters));
    if (!(options.outlierThreshold >= 0))
        throw ParameterError("outlier_threshold: expected a value >= 0");
    const auto q = hchcCheckedSoft(soft);
    const int64_t n = q.size(0);
    const int64_t k = q.size(1);
    LayoutResult result;
    ProgressRange correlations(progress, 0.0, 0.3);
    const auto d = dissimilarityOfChecked(q, correlations, &result.warnings);
    ProgressRange search(progress, 0.3, 0.9);
    HamiltonianCycle cycle;
    const auto searchStart = std::chrono::steady_clock::now();
    result.exact = k <= options.exactMaxClusters;
    if (result.exact)
        cycle = heldKarpCycle(d, k, search);
    else
        cycle = heuristicCycle(d, k, options.starts, options.kicks, options.seed, search);
    result.stats["cycle_seconds"] =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - searchStart).count();
    result.cycle = cycle.order;
    result.length = cycle.length;

    // Anchors: cluster order[0] at -90 degrees, gaps proportional to d along the cycle.
    result.anchorAngles.assign(static_cast<size_t>(k), 0.0);
    std::vector<double> ax(static_cast<size_t>(k));
    std::vector<double> ay(static_cast<size_t>(k));
    double angle = -90.0;
    for (int64_t i = 0; i < k; ++i)
    {
        const int64_t c = cycle.order[i];
        result.anchorAngles[c] = angle;
        ax[c] = std::cos(angle * std::numbers::pi / 180.0);
        ay[c] = std::sin(angle * std::numbers::pi / 180.0);
        const double gap = d[c * k + cycle.order[(i + 1) % k]];
        angle += cycle.length > 0 ? 360.0 * gap / cycle.length : 360.0 / static_cast<double>(k);
    }
    if (!(cycle.length > 0))
        result.warnings.push_back("every cluster correlates perfectly with its neighbours on "
                                  "the cycle (length 0): the anchors are spaced evenly");

    // Samples: barycentres of the anchors, and their outlier scores.
    result.coordinates = at::zeros({n, 2}, at::kFloat);
    result.outlierScores = at::zeros({n}, at::kFloat);
    result.outliers.assign(static_cast<size_t>(n), 0);
    const float* p = q.data_ptr<float>();
    float* xy = result.coordinates.data_ptr<float>();
    float* score = result.outlierScores.data_ptr<float>();
    const double logK = std::log(static_cast<double>(k));
    int64_t outliers = 0;
    for (int64_t i = 0; i < n; ++i)
    {
        if ((i & 4095) == 0)
            progress.poll(0.9 + 0.1 * static_cast<double>(i) / static_cast<double>(n),
                          [] { return "placing samples"; });
        const float* row = p + i * k;
        double sum = 0, x = 0, y = 0;
        for (int64_t c = 0; c < k; ++c)
        {
            sum += row[c];
            x += row[c] * ax[c];
            y += row[c] * ay[c];
        }
        double s = 1;
        if (sum > 0)
        {
            x /= sum;
            y /= sum;
            if (options.score == OutlierScore::Distance)
            {
                double nearest = std::numeric_limits<double>::infinity();
                for (int64_t c = 0; c < k; ++c)
                    nearest = std::min(nearest, std::hypot(x - ax[c], y - ay[c]));
                s = nearest;
            }
            else
            {
                double h = 0;
                for (int64_t c = 0; c < k; ++c)
                    if (row[c] > 0)
                    {
                        const double pc = row[c] / sum;
                        h -= pc * std::log(pc);
                    }
                s = h / logK;
            }
        }
        xy[2 * i] = static_cast<float>(x);
        xy[2 * i + 1] = static_cast<float>(y);
        score[i] = static_cast<float>(s);
        if (s > options.outlierThreshold)
        {
            result.outliers[i] = 1;
            ++outliers;
        }
    }
    result.stats["outliers"] = static_cast<double>(outliers);
    result.stats["clusters"] = static_cast<double>(k);
    progress.poll(1.0, [] { return "HCHC layout"; });
    return result;
}

} // namespace clusterscope

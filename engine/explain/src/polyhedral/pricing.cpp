#include "pricing.h"

#include <clusterscope/core/progress.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace clusterscope
{
namespace
{

// The largest (insider) or smallest (outsider) value of w.z over unit u's box.
double unitKey(const Units& units, int64_t u, const std::vector<std::pair<int64_t, int>>& w,
               bool insider)
{
    const auto base = static_cast<size_t>(u * units.d);
    double v = 0;
    for (const auto& [f, a] : w)
    {
        const bool useUpper = (a > 0) == insider;
        v += a * (useUpper ? units.upper[base + static_cast<size_t>(f)]
                           : units.lower[base + static_cast<size_t>(f)]);
    }
    return v;
}

struct Cut
{
    double value = -INFINITY; // the summed unit values of the units cut
    double threshold = 0;
};

// `keyed`: (key, value) in descending key order. The threshold between two distinct keys whose
// cut (every unit with a larger key) is worth the most; never one that cuts every unit.
Cut bestCut(const std::vector<std::pair<double, double>>& keyed)
{
    Cut best;
    double acc = 0;
    for (size_t i = 0; i + 1 < keyed.size(); ++i)
    {
        acc += keyed[i].second;
        if (keyed[i + 1].first < keyed[i].first && acc > best.value)
            best = {acc, 0.5 * (keyed[i].first + keyed[i + 1].first)};
    }
    return best;
}

// The univariate direction sign * e_f, swept through the presorted corners.
Cut univariateCut(int64_t k, int64_t f, int sign, const Units& units, const FeatureOrder& order,
                  const std::vector<double>& value, std::vector<std::pair<double, double>>& keyed)
{
    keyed.clear();
    const auto& events = order.events(f);
    const auto visit = [&](const std::pair<int32_t, bool>& e)
    {
        const auto u = e.first;
        const bool insider = units.cluster[static_cast<size_t>(u)] == k;
        // The corner that decides whether sign * z_f cuts the unit (see unitKey).
        if (e.second != ((sign > 0) == insider))
            return;
        const double z = e.second ? units.upper[static_cast<size_t>(u * units.d + f)]
                                  : units.lower[static_cast<size_t>(u * units.d + f)];
        keyed.emplace_back(sign * z, value[static_cast<size_t>(u)]);
    };
    if (sign > 0)
        std::for_each(events.rbegin(), events.rend(), visit);
    else
        std::for_each(events.begin(), events.end(), visit);
    return bestCut(keyed);
}

Cut directionCut(int64_t k, const std::vector<std::pair<int64_t, int>>& w, const Units& units,
                 const std::vector<double>& value, std::vector<std::pair<double, double>>& keyed)
{
    keyed.resize(static_cast<size_t>(units.count()));
    for (int64_t u = 0; u < units.count(); ++u)
        keyed[static_cast<size_t>(u)] = {
            unitKey(units, u, w, units.cluster[static_cast<size_t>(u)] == k),
            value[static_cast<size_t>(u)]};
    std::sort(keyed.begin(), keyed.end(),
              [](const auto& a, const auto& b) { return a.first > b.first; });
    return bestCut(keyed);
}

// Integer weight vectors with `size` entries in [-m, -1] U [1, m] whose gcd is 1.
std::vector<std::vector<int>> weightPatterns(int64_t size, int64_t m)
{
    std::vector<std::vector<int>> out;
    std::vector<int> w(static_cast<size_t>(size), 0);
    const auto recurse = [&](auto&& self, size_t at) -> void
    {
        if (at == w.size())
        {
            int g = 0;
            for (auto a : w)
                g = std::gcd(g, std::abs(a));
            if (g == 1)
                out.push_back(w);
            return;
        }
        for (int a = -static_cast<int>(m); a <= m; ++a)
            if (a != 0)
            {
                w[at] = a;
                self(self, at + 1);
            }
    };
    recurse(recurse, 0);
    return out;
}

int64_t choose(int64_t n, int64_t r)
{
    if (r > n)
        return 0;
    int64_t c = 1;
    for (int64_t i = 1; i <= r; ++i)
        c = c * (n - r + i) / i;
    return c;
}

// Every subset of `size` elements of `from`, passed to `visit`.
template <typename Visit>
void subsets(const std::vector<int64_t>& from, int64_t size, Visit&& visit)
{
    std::vector<size_t> idx(static_cast<size_t>(size));
    std::iota(idx.begin(), idx.end(), 0);
    while (true)
    {
        std::vector<int64_t> pick;
        for (auto i : idx)
            pick.push_back(from[i]);
        visit(pick);
        int64_t i = size - 1;
        while (i >= 0 && idx[static_cast<size_t>(i)] == from.size() - static_cast<size_t>(size - i))
            --i;
        if (i < 0)
            return;
        ++idx[static_cast<size_t>(i)];
        for (auto j = static_cast<size_t>(i) + 1; j < idx.size(); ++j)
            idx[j] = idx[j - 1] + 1;
    }
}

} // namespace

std::vector<int32_t> cutsOf(const Units& units, const HalfSpace& h)
{
    std::vector<int32_t> cuts;
    for (int64_t u = 0; u < units.count(); ++u)
        if (unitKey(units, u, h.w, units.cluster[static_cast<size_t>(u)] == h.cluster) >
            h.threshold)
            cuts.push_back(static_cast<int32_t>(u));
    return cuts;
}

FeatureOrder::FeatureOrder(const Units& units, Progress& progress)
    : events_(static_cast<size_t>(units.d))
{
    for (int64_t f = 0; f < units.d; ++f)
    {
        progress.poll(0.0, [] { return "sorting the features"; });
        auto& e = events_[static_cast<size_t>(f)];
        e.reserve(static_cast<size_t>(2 * units.count()));
        for (int64_t u = 0; u < units.count(); ++u)
        {
            e.emplace_back(static_cast<int32_t>(u), false);
            e.emplace_back(static_cast<int32_t>(u), true);
        }
        const auto corner = [&](const std::pair<int32_t, bool>& a)
        {
            const auto i = static_cast<size_t>(a.first * units.d + f);
            return a.second ? units.upper[i] : units.lower[i];
        };
        std::stable_sort(e.begin(), e.end(),
                         [&](const auto& a, const auto& b) { return corner(a) < corner(b); });
    }
}

PricingResult priceCluster(int64_t k, const Units& units, const FeatureOrder& order,
                           const PricingDuals& duals, const PricingOptions& options,
                           Progress& progress)
{
    const auto& value = duals.unitValue[static_cast<size_t>(k)];
    const auto cost = [&](size_t nonzeros)
    { return options.complexityCost ? static_cast<double>(nonzeros + 1) : options.unitCost; };
    const auto featureDual = [&](int64_t f)
    { return duals.feature.empty() ? 0.0 : duals.feature[static_cast<size_t>(f)]; };
    const double capDual = duals.cap.empty() ? 0.0 : duals.cap[static_cast<size_t>(k)];

    struct Priced
    {
        double reducedCost;
        HalfSpace h;
    };
    std::vector<Priced> found;
    const auto consider = [&](const std::vector<std::pair<int64_t, int>>& w, const Cut& cut)
    {
        if (!std::isfinite(cut.value))
            return;
        double rc = cost(w.size()) - cut.value - capDual;
        for (const auto& term : w)
            rc -= featureDual(term.first);
        if (rc < -1e-7)
            found.push_back({rc, HalfSpace{k, w, cut.threshold, {}}});
    };

    std::vector<std::pair<double, double>> keyed;
    std::vector<double> univariate(static_cast<size_t>(units.d), -INFINITY);
    for (int64_t f = 0; f < units.d; ++f)
    {
        for (int sign : {1, -1})
        {
            const auto cut = univariateCut(k, f, sign, units, order, value, keyed);
            univariate[static_cast<size_t>(f)] =
                std::max(univariate[static_cast<size_t>(f)], cut.value);
            consider({{f, sign}}, cut);
        }
        if (f % 16 == 0)
            progress.poll(0.0, [] { return "pricing half-spaces"; });
    }

    PricingResult result;
    if (options.beta >= 2 && units.d >= 2)
    {
        // Screen the features by what a threshold on each alone is worth, and enumerate every
        // oblique direction over as many of the best as the budget allows.
        std::vector<std::vector<std::vector<int>>> patterns(static_cast<size_t>(options.beta + 1));
        for (int64_t s = 2; s <= options.beta; ++s)
            patterns[static_cast<size_t>(s)] = weightPatterns(s, options.maxWeight);
        int64_t p = 2;
        const auto directions = [&](int64_t q)
        {
            int64_t total = 0;
            for (int64_t s = 2; s <= options.beta; ++s)
                total +=
                    choose(q, s) * static_cast<int64_t>(patterns[static_cast<size_t>(s)].size());
            return total;
        };
        while (p < units.d && directions(p + 1) <= options.directionBudget)
            ++p;
        result.exact = p >= units.d;
        std::vector<int64_t> byValue(static_cast<size_t>(units.d));
        std::iota(byValue.begin(), byValue.end(), 0);
        std::stable_sort(
            byValue.begin(), byValue.end(),
            [&](int64_t a, int64_t b)
            { return univariate[static_cast<size_t>(a)] > univariate[static_cast<size_t>(b)]; });
        byValue.resize(static_cast<size_t>(p));
        std::sort(byValue.begin(), byValue.end());
        for (int64_t s = 2; s <= options.beta; ++s)
            subsets(byValue, s,
                    [&](const std::vector<int64_t>& features)
                    {
                        for (const auto& pattern : patterns[static_cast<size_t>(s)])
                        {
                            std::vector<std::pair<int64_t, int>> w;
                            for (size_t i = 0; i < features.size(); ++i)
                                w.emplace_back(features[i], pattern[i]);
                            consider(w, directionCut(k, w, units, value, keyed));
                        }
                        progress.poll(0.0, [] { return "pricing oblique half-spaces"; });
                    });
    }

    std::stable_sort(found.begin(), found.end(),
                     [](const Priced& a, const Priced& b)
                     { return a.reducedCost < b.reducedCost; });
    for (auto& f : found)
    {
        if (static_cast<int64_t>(result.columns.size()) >= options.perCluster)
            break;
        f.h.cuts = cutsOf(units, f.h);
        const bool duplicate = std::any_of(result.columns.begin(), result.columns.end(),
                                           [&](const HalfSpace& h) { return h.cuts == f.h.cuts; });
        if (!duplicate)
            result.columns.push_back(std::move(f.h));
    }
    return result;
}

std::vector<HalfSpace> boundingColumns(int64_t k, const Units& units, const FeatureOrder& order,
                                       Progress& progress)
{
    std::vector<HalfSpace> out;
    // Every unit of k gets value -1 and every other +1: the best cut that loses none of k's
    // units is the threshold just outside them; bestCut finds the most outsiders cut, which
    // may cut insiders, so sweep by hand instead.
    std::vector<std::pair<double, double>> keyed;
    std::vector<double> value(static_cast<size_t>(units.count()));
    for (int64_t u = 0; u < units.count(); ++u)
        value[static_cast<size_t>(u)] = units.cluster[static_cast<size_t>(u)] == k ? -1.0 : 1.0;
    for (int64_t f = 0; f < units.d; ++f)
        for (int sign : {1, -1})
        {
            progress.poll(0.0, [] { return "bounding the clusters"; });
            univariateCut(k, f, sign, units, order, value, keyed);
            // keyed is descending by key; cut just above the largest insider key.
            size_t i = 0;
            while (i < keyed.size() && keyed[i].second > 0)
                ++i;
            if (i == 0 || i == keyed.size())
                continue;
            // keyed[i] is the first insider; the cut lies between it and the last outsider
            // with a larger key (those tied with it stay uncut).
            auto j = static_cast<int64_t>(i) - 1;
            while (j >= 0 && keyed[static_cast<size_t>(j)].first == keyed[i].first)
                --j;
            if (j < 0)
                continue;
            HalfSpace h{
                k, {{f, sign}}, 0.5 * (keyed[static_cast<size_t>(j)].first + keyed[i].first), {}};
            h.cuts = cutsOf(units, h);
            if (!h.cuts.empty())
                out.push_back(std::move(h));
        }
    return out;
}

} // namespace clusterscope

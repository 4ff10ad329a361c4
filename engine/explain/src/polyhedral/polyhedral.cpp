#include "master.h"
#include "pricing.h"
#include "units.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/explain/polyhedral.h>
#include <clusterscope/explain/rules.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace clusterscope
{
namespace
{

void checkOptions(const PolyhedralOptions& o)
{
    const auto bad = [](const std::string& what) { throw ParameterError("polyhedral: " + what); };
    if (!(o.alpha >= 0 && o.alpha <= 1))
        bad("alpha must lie in [0, 1] (the fraction of rows that may be mis-described)");
    if (o.beta < 1 || o.beta > 3)
        bad("beta must be 1, 2 or 3 (features per half-space)");
    if (o.maxWeight < 1 || o.maxWeight > 3)
        bad("max_weight must be 1, 2 or 3");
    if (!(o.timeLimit > 0))
        bad("time_limit must be positive (seconds)");
    if (o.maxPoints < 0 || o.maxHalfspaces < 0 || o.refineRounds < 0)
        bad("max_points, max_halfspaces and refine_rounds cannot be negative");
}

// The half-space in the original units (see polyhedral.h).
Condition originalUnits(const HalfSpace& h, const Standardiser& s)
{
    Condition c;
    if (h.w.size() == 1)
    {
        const auto f = static_cast<size_t>(h.w[0].first);
        const double a = h.w[0].second; // +-1: the pricing keeps gcd 1
        c.terms = {{s.features[f], 1.0}};
        c.op = a > 0 ? Condition::Op::LessEqual : Condition::Op::GreaterEqual;
        c.threshold = s.mean[f] + s.scale[f] * h.threshold / a;
        return c;
    }
    double threshold = h.threshold, largest = 0;
    for (const auto& [f, a] : h.w)
    {
        const double w = a / s.scale[static_cast<size_t>(f)];
        c.terms.emplace_back(s.features[static_cast<size_t>(f)], w);
        threshold += a * s.mean[static_cast<size_t>(f)] / s.scale[static_cast<size_t>(f)];
        largest = std::max(largest, std::abs(w));
    }
    for (auto& t : c.terms)
        t.second /= largest;
    c.threshold = threshold / largest;
    return c;
}

// Units mis-described by the chosen half-spaces.
std::vector<int64_t> misdescribed(const Units& units, int64_t k,
                                  const std::vector<HalfSpace>& columns,
                                  const std::vector<char>& chosen)
{
    const int64_t n = units.count();
    // cutBy[c * n + u]: a chosen half-space of cluster c cuts u.
    std::vector<char> cutBy(static_cast<size_t>(k * n), 0), present(static_cast<size_t>(k), 0);
    for (auto c : units.cluster)
        if (c >= 0)
            present[static_cast<size_t>(c)] = 1;
    for (size_t h = 0; h < columns.size(); ++h)
        if (chosen[h])
            for (auto u : columns[h].cuts)
                cutBy[static_cast<size_t>(columns[h].cluster * n + u)] = 1;
    std::vector<int64_t> out;
    for (int64_t u = 0; u < n; ++u)
    {
        const auto own = units.cluster[static_cast<size_t>(u)];
        bool error = own >= 0 && cutBy[static_cast<size_t>(own * n + u)];
        for (int64_t c = 0; c < k && !error; ++c)
            error = c != own && present[static_cast<size_t>(c)] &&
                    !cutBy[static_cast<size_t>(c * n + u)];
        if (error)
            out.push_back(u);
    }
    return out;
}

double weightOf(const Units& units, const std::vector<int64_t>& which)
{
    double w = 0;
    for (auto u : which)
        w += units.weight[static_cast<size_t>(u)];
    return w;
}

// Drops chosen half-spaces whose removal mis-describes no more rows (the fewest-errors
// objective gives them no cost, and a search stopped by the time limit may keep some).
void dropRedundant(const Units& units, int64_t k, const std::vector<HalfSpace>& columns,
                   std::vector<char>& chosen)
{
    double errors = weightOf(units, misdescribed(units, k, columns, chosen));
    for (size_t h = columns.size(); h-- > 0;)
    {
        if (!chosen[h])
            continue;
        chosen[h] = 0;
        const double without = weightOf(units, misdescribed(units, k, columns, chosen));
        if (without <= errors)
            errors = without;
        else
            chosen[h] = 1;
    }
}

} // namespace

Explanation polyhedralDescriptions(const ExplainInput& input, const PolyhedralOptions& options,
                                   Progress& progress)
{
    checkOptions(options);
    const auto in = checkExplainInput(input, 2);
    const auto started = std::chrono::steady_clock::now();
    const auto elapsed = [&]
    { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    const auto fraction = [&] { return std::min(0.99, elapsed() / options.timeLimit); };
    // A stage of its own that reports at the fraction reached so far (nested calls report 0..1).
    const auto hold = [&]
    {
        const double f = fraction();
        return ProgressRange(progress, f, f);
    };

    const auto s = standardise(in);
    if (s.d() == 0)
        throw DataError("polyhedral: every feature is constant, so no half-space can tell the "
                        "clusters apart");
    const bool group = options.maxPoints > 0 && in.n > options.maxPoints;
    Units units = [&]
    {
        ProgressRange range(progress, 0, 0);
        return group ? groupedRows(s, input.labels, options.maxPoints, options.seed, range)
                     : singleRows(s, input.labels);
    }();
    // Whole rows, so that the objective (with the excess over the budget) stays integral.
    const double budget = std::floor(options.alpha * static_cast<double>(in.n));

    PricingOptions pricing;
    pricing.beta = options.beta;
    pricing.maxWeight = options.maxWeight;
    pricing.complexityCost = options.objective == DescriptionObjective::Complexity;
    pricing.unitCost = options.objective == DescriptionObjective::Halfspaces ? 1.0 : 0.0;
    pricing.perCluster = 10;

    std::vector<HalfSpace> pool;
    Master::Ip ip;
    double lpBound = 0;
    bool converged = false, exactPricing = true, timedOut = false;
    int64_t iterations = 0, rounds = 0;
    std::vector<HalfSpace> columns;
    for (int64_t round = 0;; ++round)
    {
        ++rounds;
        auto sorting = hold();
        const FeatureOrder order(units, sorting);
        Master master(units, in.k, options, budget, progress);
        for (auto& h : pool)
            h.cuts = cutsOf(units, h);
        std::vector<char> present(static_cast<size_t>(in.k), 0);
        for (auto c : units.cluster)
            if (c >= 0)
                present[static_cast<size_t>(c)] = 1;
        for (int64_t c = 0; c < in.k; ++c)
            if (present[static_cast<size_t>(c)])
                for (auto& h : boundingColumns(c, units, order, sorting))
                    pool.push_back(std::move(h));
        if (round == 0)
        {
            // Stumps: per cluster, the single-feature cuts that cut off the most outsiders
            // less K times the rows of the cluster they cut (priced with those as duals), so
            // that a search stopped early still has good half-spaces to choose from.
            PricingDuals stump;
            stump.unitValue.assign(static_cast<size_t>(in.k),
                                   std::vector<double>(static_cast<size_t>(units.count())));
            for (int64_t c = 0; c < in.k; ++c)
                for (int64_t u = 0; u < units.count(); ++u)
                    stump.unitValue[static_cast<size_t>(c)][static_cast<size_t>(u)] =
                        units.weight[static_cast<size_t>(u)] *
                        (units.cluster[static_cast<size_t>(u)] == c ? -static_cast<double>(in.k)
                                                                    : 1.0);
            PricingOptions stumps = pricing;
            stumps.beta = 1;
            stumps.perCluster = 50;
            for (int64_t c = 0; c < in.k; ++c)
                if (present[static_cast<size_t>(c)])
                {
                    auto range = hold();
                    for (auto& h : priceCluster(c, units, order, stump, stumps, range).columns)
                        pool.push_back(std::move(h));
                }
        }
        master.add(pool);

        const bool lastRound = !units.grouped() || round >= options.refineRounds;
        const double roundStart = elapsed();
        const double roundEnd =
            lastRound ? options.timeLimit
                      : roundStart + (options.timeLimit - roundStart) /
                                         static_cast<double>(options.refineRounds - round + 1);
        const double cgEnd = roundStart + 0.6 * (roundEnd - roundStart);
        converged = false;
        while (true)
        {
            const auto solved =
                elapsed() < cgEnd ? master.solveLp(cgEnd - elapsed()) : std::nullopt;
            if (!solved || elapsed() > cgEnd)
            {
                timedOut = true;
                break;
            }
            const auto& lp = *solved;
            lpBound = lp.objective;
            ++iterations;
            int64_t added = 0;
            bool exact = true;
            for (int64_t c = 0; c < in.k; ++c)
                if (present[static_cast<size_t>(c)])
                {
                    auto range = hold();
                    auto priced = priceCluster(c, units, order, lp.duals, pricing, range);
                    exact = exact && priced.exact;
                    added += master.add(std::move(priced.columns));
                }
            exactPricing = exact;
            progress.poll(fraction(),
                          [&]
                          {
                              return "column generation: " +
                                     std::to_string(master.columns().size()) +
                                     " half-spaces, LP bound " + formatNumber(lpBound, 4);
                          });
            if (added == 0)
            {
                converged = true;
                break;
            }
        }
        ip = master.solveIp(std::max(0.05, roundEnd - elapsed()));
        progress.poll(fraction(), [] { return "choosing the half-spaces"; });
        columns = master.columns();
        dropRedundant(units, in.k, columns, ip.chosen);
        pool = columns;
        const auto wrong = misdescribed(units, in.k, columns, ip.chosen);
        progress.poll(fraction(), [] { return "checking the descriptions"; });
        // Split the largest mis-described groups, keeping the program at most twice the
        // size grouping chose.
        std::vector<int64_t> split;
        for (auto u : wrong)
            if (units.rows[static_cast<size_t>(u)].size() > 1)
                split.push_back(u);
        std::stable_sort(split.begin(), split.end(),
                         [&](int64_t a, int64_t b) {
                             return units.weight[static_cast<size_t>(a)] >
                                    units.weight[static_cast<size_t>(b)];
                         });
        int64_t room = 2 * options.maxPoints - units.count(), keep = 0;
        for (auto u : split)
        {
            const auto size = static_cast<int64_t>(units.rows[static_cast<size_t>(u)].size());
            const int64_t more = (size <= 20 ? size : 4) - 1;
            if (more > room)
                break;
            room -= more;
            ++keep;
        }
        split.resize(static_cast<size_t>(keep));
        // A round on more units costs more than the last: start one only with time to spare.
        if (lastRound || split.empty() || elapsed() > 0.5 * options.timeLimit)
            break;
        auto range = hold();
        units = splitUnits(units, s, split, options.seed, range);
    }

    Explanation e;
    e.method = "polyhedral";
    std::vector<int64_t> sizes(static_cast<size_t>(in.k), 0);
    for (auto c : input.labels)
        if (c >= 0)
            ++sizes[static_cast<size_t>(c)];
    for (int64_t c = 0; c < in.k; ++c)
    {
        if (sizes[static_cast<size_t>(c)] == 0)
            continue;
        ClusterExplanation ce;
        ce.cluster = c;
        ce.size = sizes[static_cast<size_t>(c)];
        Rule rule;
        for (size_t h = 0; h < columns.size(); ++h)
            if (ip.chosen[h] && columns[h].cluster == c)
                rule.conditions.push_back(originalUnits(columns[h], s));
        ce.rules.push_back(std::move(rule));
        e.clusters.push_back(std::move(ce));
    }
    // The last steps pass over every row: a poll between them keeps a cancel prompt.
    progress.poll(fraction(), [] { return "scoring the descriptions"; });
    scoreDescriptions(in.x, input.labels, e.clusters);
    progress.poll(fraction(), [] { return "counting the errors"; });

    // Errors as the paper counts them: a row outside its own polyhedron or inside another's.
    const auto covered = coveredBy(in.x, e.clusters);
    const auto kc = e.clusters.size();
    int64_t errors = 0;
    for (int64_t i = 0; i < in.n; ++i)
    {
        const auto own = input.labels[static_cast<size_t>(i)];
        for (size_t c = 0; c < kc; ++c)
            if ((e.clusters[c].cluster == own) !=
                static_cast<bool>(covered[static_cast<size_t>(i) * kc + c]))
            {
                ++errors;
                break;
            }
    }
    e.optimal = !units.grouped() && converged && exactPricing && ip.proven &&
                ip.objective <= std::ceil(lpBound - 1e-6) + 1e-9;
    e.stats = {{"errors", static_cast<double>(errors)},
               {"error_rate", static_cast<double>(errors) / static_cast<double>(in.n)},
               {"objective", ip.objective},
               {"lp_bound", lpBound},
               {"ip_bound", ip.bound},
               {"restricted_optimal", ip.proven ? 1.0 : 0.0},
               {"columns", static_cast<double>(columns.size())},
               {"cg_iterations", static_cast<double>(iterations)},
               {"units", static_cast<double>(units.count())},
               {"rounds", static_cast<double>(rounds)},
               {"seconds", elapsed()}};
    if (units.grouped())
        e.warnings.push_back(
            std::to_string(in.n) + " rows were described through " + std::to_string(units.count()) +
            " groups of rows (the grouping scheme), so the description is not proven optimal; "
            "raise max_points to at least the row count to describe row by row");
    if (ip.excess > 0.5)
        e.warnings.push_back(
            "no description mis-describes at most alpha = " + formatNumber(options.alpha, 3) +
            " of the rows; the best found mis-describes " + std::to_string(errors) + " (" +
            formatNumber(100.0 * static_cast<double>(errors) / static_cast<double>(in.n), 3) +
            "%): raise alpha, max_halfspaces or beta");
    if (timedOut || !ip.proven)
        e.warnings.push_back("the time limit (" + formatNumber(options.timeLimit, 3) +
                             " s) stopped the search before it proved its best description "
                             "optimal; raise time_limit for a better or proven one");
    else if (!e.optimal && !units.grouped() && exactPricing && converged)
        e.warnings.push_back(
            "the description is optimal among the " + std::to_string(columns.size()) +
            " half-spaces column generation found (CBC proved it), but its objective (" +
            formatNumber(ip.objective, 6) + ") lies above the LP bound over all half-spaces (" +
            formatNumber(lpBound, 6) + "), so a better one is not ruled out");
    else if (!exactPricing)
        e.warnings.push_back("oblique half-spaces were searched over the most promising "
                             "features only (too many features to enumerate every "
                             "combination), so optimality is not proven");
    progress.report(1.0, "described");
    return e;
}

} // namespace clusterscope

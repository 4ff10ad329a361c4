#include "master.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>

#include <CbcEventHandler.hpp>
#include <CbcModel.hpp>
#include <CglClique.hpp>
#include <CglGomory.hpp>
#include <CglKnapsackCover.hpp>
#include <CglProbing.hpp>
#include <ClpEventHandler.hpp>
#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>
#include <algorithm>
#include <cmath>
#include <set>

namespace clusterscope
{
namespace
{

// Stops CLP's simplex (every iteration) and CBC's search (every node) on a cancel.
class ClpCancel final : public ClpEventHandler
{
public:
    explicit ClpCancel(const Progress& p) : progress_(p) {}
    int event(Event e) override
    {
        return e == endOfIteration && progress_.cancelRequested() ? 0 : -1;
    }
    ClpEventHandler* clone() const override { return new ClpCancel(*this); }

private:
    const Progress& progress_;
};

class CbcCancel final : public CbcEventHandler
{
public:
    explicit CbcCancel(const Progress& p) : progress_(p) {}
    CbcAction event(CbcEvent) override { return progress_.cancelRequested() ? stop : noAction; }
    CbcEventHandler* clone() const override { return new CbcCancel(*this); }

private:
    const Progress& progress_;
};

constexpr double kInfinity = 1e30;

} // namespace

struct Master::Solver
{
    OsiClpSolverInterface lp;
    bool solvedOnce = false; // a solve was started (later ones resume from its basis)
    bool optimal = false;    // the last solve reached the LP optimum
    int64_t units = 0;
    std::vector<int> sepRow;  // [k * units + u], -1 where u is of k
    std::vector<int> contRow; // [u], -1 for noise
    int alphaRow = -1;
    std::vector<int> capRow;  // [k], -1 where unused
    std::vector<int> featRow; // [f], empty unless the objective is the fewest features
    int excessCol = -1;
    int firstY = -1;
    int firstZ = -1;
    std::vector<double> bigMUnit;    // [u]
    std::vector<double> bigMFeature; // [f]
    std::vector<char> present;       // [k]
    std::set<std::pair<int64_t, std::vector<int32_t>>> seen;
};

double Master::columnCost(const HalfSpace& h) const
{
    switch (options_.objective)
    {
    case DescriptionObjective::Halfspaces:
        return 1;
    case DescriptionObjective::Complexity:
        return static_cast<double>(h.w.size() + 1);
    case DescriptionObjective::Features:
    case DescriptionObjective::Errors:
        return 0;
    }
    return 1;
}

Master::Master(const Units& units, int64_t k, const PolyhedralOptions& options, double budget,
               Progress& progress)
    : units_(units), k_(k), options_(options), budget_(budget), progress_(progress),
      solver_(std::make_unique<Solver>())
{
    auto& s = *solver_;
    const int64_t n = units.count();
    s.units = n;
    s.present.assign(static_cast<size_t>(k), 0);
    for (auto c : units.cluster)
        if (c >= 0)
            s.present[static_cast<size_t>(c)] = 1;

    int rows = 0;
    std::vector<double> rowLower, rowUpper;
    const auto newRow = [&](double lo, double hi)
    {
        rowLower.push_back(lo);
        rowUpper.push_back(hi);
        return rows++;
    };
    s.sepRow.assign(static_cast<size_t>(k * n), -1);
    for (int64_t c = 0; c < k; ++c)
        if (s.present[static_cast<size_t>(c)])
            for (int64_t u = 0; u < n; ++u)
                if (units.cluster[static_cast<size_t>(u)] != c)
                    s.sepRow[static_cast<size_t>(c * n + u)] = newRow(1, kInfinity);
    s.contRow.assign(static_cast<size_t>(n), -1);
    for (int64_t u = 0; u < n; ++u)
        if (units.cluster[static_cast<size_t>(u)] >= 0)
            s.contRow[static_cast<size_t>(u)] = newRow(0, kInfinity);
    const bool errorsObjective = options.objective == DescriptionObjective::Errors;
    if (!errorsObjective)
        s.alphaRow = newRow(-kInfinity, budget);
    s.capRow.assign(static_cast<size_t>(k), -1);
    if (options.maxHalfspaces > 0)
        for (int64_t c = 0; c < k; ++c)
            if (s.present[static_cast<size_t>(c)])
                s.capRow[static_cast<size_t>(c)] =
                    newRow(-kInfinity, static_cast<double>(options.maxHalfspaces));
    const bool featuresObjective = options.objective == DescriptionObjective::Features;
    if (featuresObjective)
        for (int64_t f = 0; f < units.d; ++f)
            s.featRow.push_back(newRow(-kInfinity, 0));

    // Columns: eps_u, the excess, y_f; the half-spaces come with add().
    CoinPackedMatrix matrix(true, 0, 0);
    matrix.setDimensions(rows, 0);
    std::vector<double> colLower, colUpper, cost;
    s.bigMUnit.assign(static_cast<size_t>(n), 1);
    for (int64_t u = 0; u < n; ++u)
    {
        if (u % 256 == 0)
            throwIfCancelled(progress_);
        std::vector<int> idx;
        std::vector<double> val;
        for (int64_t c = 0; c < k; ++c)
            if (const int r = s.sepRow[static_cast<size_t>(c * n + u)]; r >= 0)
            {
                idx.push_back(r);
                val.push_back(1);
            }
        if (const int r = s.contRow[static_cast<size_t>(u)]; r >= 0)
        {
            idx.push_back(r);
            val.push_back(1);
        }
        if (s.alphaRow >= 0)
        {
            idx.push_back(s.alphaRow);
            val.push_back(units.weight[static_cast<size_t>(u)]);
        }
        matrix.appendCol(static_cast<int>(idx.size()), idx.data(), val.data());
        colLower.push_back(0);
        colUpper.push_back(1);
        cost.push_back(errorsObjective ? units.weight[static_cast<size_t>(u)] : 0);
    }
    s.excessCol = static_cast<int>(colLower.size());
    {
        std::vector<int> idx;
        std::vector<double> val;
        if (s.alphaRow >= 0)
        {
            idx.push_back(s.alphaRow);
            val.push_back(-1);
        }
        matrix.appendCol(static_cast<int>(idx.size()), idx.data(), val.data());
        colLower.push_back(0);
        colUpper.push_back(errorsObjective ? 0 : kInfinity);
        cost.push_back(1000.0 * static_cast<double>(options.beta + 1));
    }
    s.firstY = static_cast<int>(colLower.size());
    if (featuresObjective)
    {
        s.bigMFeature.assign(static_cast<size_t>(units.d), 1);
        for (int64_t f = 0; f < units.d; ++f)
        {
            const int r = s.featRow[static_cast<size_t>(f)];
            const double v = -1;
            matrix.appendCol(1, &r, &v);
            colLower.push_back(0);
            colUpper.push_back(1);
            cost.push_back(1);
        }
    }
    s.firstZ = static_cast<int>(colLower.size());
    s.lp.loadProblem(matrix, colLower.data(), colUpper.data(), cost.data(), rowLower.data(),
                     rowUpper.data());
    s.lp.messageHandler()->setLogLevel(0);
    s.lp.getModelPtr()->messageHandler()->setLogLevel(0);
    ClpCancel cancel(progress_);
    s.lp.getModelPtr()->passInEventHandler(&cancel);
    // New columns leave the basis primal feasible: resolve with the primal simplex.
    s.lp.setHintParam(OsiDoDualInResolve, false, OsiHintDo);
    s.lp.setHintParam(OsiDoDualInInitial, false, OsiHintDo);
}

Master::~Master() = default;

int64_t Master::add(std::vector<HalfSpace> columns)
{
    auto& s = *solver_;
    const auto before = columns_.size();
    const int64_t n = s.units;
    for (auto& h : columns)
    {
        throwIfCancelled(progress_);
        if (!s.seen.insert({h.cluster, h.cuts}).second)
            continue;
        std::vector<int> idx;
        std::vector<double> val;
        for (auto u : h.cuts)
        {
            if (units_.cluster[static_cast<size_t>(u)] == h.cluster)
            {
                const int r = s.contRow[static_cast<size_t>(u)];
                idx.push_back(r);
                val.push_back(-1);
            }
            else
            {
                idx.push_back(s.sepRow[static_cast<size_t>(h.cluster * n + u)]);
                val.push_back(1);
            }
        }
        if (const int r = s.capRow[static_cast<size_t>(h.cluster)]; r >= 0)
        {
            idx.push_back(r);
            val.push_back(1);
        }
        for (const auto& term : h.w)
            if (!s.featRow.empty())
            {
                idx.push_back(s.featRow[static_cast<size_t>(term.first)]);
                val.push_back(1);
            }
        s.lp.addCol(static_cast<int>(idx.size()), idx.data(), val.data(), 0, 1, columnCost(h));
        columns_.push_back(std::move(h));
    }
    // The big-Ms: how many half-spaces of its cluster cut each unit, and use each feature.
    std::vector<double> cutCount(static_cast<size_t>(n), 0);
    std::vector<double> useCount(s.bigMFeature.size(), 0);
    for (const auto& h : columns_)
    {
        for (auto u : h.cuts)
            if (units_.cluster[static_cast<size_t>(u)] == h.cluster)
                ++cutCount[static_cast<size_t>(u)];
        if (!useCount.empty())
            for (const auto& term : h.w)
                ++useCount[static_cast<size_t>(term.first)];
    }
    for (int64_t u = 0; u < n; ++u)
    {
        const double m = std::max(1.0, cutCount[static_cast<size_t>(u)]);
        if (s.contRow[static_cast<size_t>(u)] >= 0 && m != s.bigMUnit[static_cast<size_t>(u)])
        {
            s.lp.modifyCoefficient(s.contRow[static_cast<size_t>(u)], static_cast<int>(u), m);
            s.bigMUnit[static_cast<size_t>(u)] = m;
        }
    }
    for (size_t f = 0; f < useCount.size(); ++f)
    {
        const double m = std::max(1.0, useCount[f]);
        if (m != s.bigMFeature[f])
        {
            s.lp.modifyCoefficient(s.featRow[f], s.firstY + static_cast<int>(f), -m);
            s.bigMFeature[f] = m;
        }
    }
    if (initialColumns_ == 0)
        initialColumns_ = columns_.size();
    return static_cast<int64_t>(columns_.size() - before);
}

std::optional<Master::Lp> Master::solveLp(double seconds)
{
    auto& s = *solver_;
    s.lp.getModelPtr()->setMaximumSeconds(std::max(0.01, seconds));
    if (!s.solvedOnce)
        s.lp.initialSolve();
    else
        s.lp.resolve();
    s.solvedOnce = true;
    throwIfCancelled(progress_);
    s.optimal = false;
    if (s.lp.getModelPtr()->status() == 3) // stopped by the time limit
        return std::nullopt;
    if (!s.lp.isProvenOptimal())
        throw Error("polyhedral descriptions: the LP relaxation could not be solved (CLP status " +
                    std::to_string(s.lp.getModelPtr()->status()) + ")");
    s.optimal = true;
    Lp out;
    out.objective = s.lp.getObjValue();
    const double* y = s.lp.getRowPrice();
    const int64_t n = s.units;
    out.duals.unitValue.assign(static_cast<size_t>(k_),
                               std::vector<double>(static_cast<size_t>(n), 0));
    for (int64_t c = 0; c < k_; ++c)
        for (int64_t u = 0; u < n; ++u)
        {
            double v = 0;
            if (units_.cluster[static_cast<size_t>(u)] == c)
                v = -y[s.contRow[static_cast<size_t>(u)]];
            else if (const int r = s.sepRow[static_cast<size_t>(c * n + u)]; r >= 0)
                v = y[r];
            out.duals.unitValue[static_cast<size_t>(c)][static_cast<size_t>(u)] = v;
        }
    if (options_.maxHalfspaces > 0)
    {
        out.duals.cap.assign(static_cast<size_t>(k_), 0);
        for (int64_t c = 0; c < k_; ++c)
            if (const int r = s.capRow[static_cast<size_t>(c)]; r >= 0)
                out.duals.cap[static_cast<size_t>(c)] = y[r];
    }
    for (auto r : s.featRow)
        out.duals.feature.push_back(y[r]);
    return out;
}

std::vector<double> Master::greedyStart(double& objective) const
{
    auto best = greedyOver(columns_.size(), objective);
    double initial = 0;
    auto first = greedyOver(initialColumns_, initial);
    if (initial < objective)
    {
        objective = initial;
        best = std::move(first);
    }
    return best;
}

std::vector<double> Master::greedyOver(size_t limit, double& objective) const
{
    const auto& s = *solver_;
    const int64_t n = s.units;
    std::vector<double> x(static_cast<size_t>(s.lp.getNumCols()), 0);
    std::vector<char> chosen(columns_.size(), 0);
    for (int64_t c = 0; c < k_; ++c)
    {
        if (!s.present[static_cast<size_t>(c)])
            continue;
        std::vector<char> cut(static_cast<size_t>(n), 0);
        // Greedy: the half-space that cuts off the most outsiders not yet cut off, less the
        // rows of c it newly cuts, while that gain is positive.
        int64_t used = 0;
        while (options_.maxHalfspaces <= 0 || used < options_.maxHalfspaces)
        {
            double bestGain = 0;
            int64_t best = -1;
            for (size_t h = 0; h < limit; ++h)
            {
                const auto& col = columns_[h];
                if (col.cluster != c || chosen[h])
                    continue;
                double gain = 0;
                for (auto u : col.cuts)
                    if (!cut[static_cast<size_t>(u)])
                        gain += (units_.cluster[static_cast<size_t>(u)] == c ? -1.0 : 1.0) *
                                units_.weight[static_cast<size_t>(u)];
                if (gain > bestGain)
                {
                    bestGain = gain;
                    best = static_cast<int64_t>(h);
                }
            }
            if (best < 0)
                break;
            chosen[static_cast<size_t>(best)] = 1;
            ++used;
            for (auto u : columns_[static_cast<size_t>(best)].cuts)
                cut[static_cast<size_t>(u)] = 1;
        }
        for (int64_t u = 0; u < n; ++u)
            if (units_.cluster[static_cast<size_t>(u)] == c && cut[static_cast<size_t>(u)])
                x[static_cast<size_t>(u)] = 1; // a row of c its own polyhedron cuts off
        for (int64_t u = 0; u < n; ++u)
            if (units_.cluster[static_cast<size_t>(u)] != c && !cut[static_cast<size_t>(u)])
                x[static_cast<size_t>(u)] = 1; // an outsider left inside c's polyhedron
    }
    objective = 0;
    double errors = 0;
    for (int64_t u = 0; u < n; ++u)
        errors += x[static_cast<size_t>(u)] * units_.weight[static_cast<size_t>(u)];
    if (options_.objective == DescriptionObjective::Errors)
        objective += errors;
    else
    {
        x[static_cast<size_t>(s.excessCol)] = std::max(0.0, errors - budget_);
        objective +=
            1000.0 * static_cast<double>(options_.beta + 1) * x[static_cast<size_t>(s.excessCol)];
    }
    std::vector<char> featureUsed(s.bigMFeature.size(), 0);
    for (size_t h = 0; h < columns_.size(); ++h)
        if (chosen[h])
        {
            x[static_cast<size_t>(s.firstZ) + h] = 1;
            objective += columnCost(columns_[h]);
            if (!featureUsed.empty())
                for (const auto& term : columns_[h].w)
                    featureUsed[static_cast<size_t>(term.first)] = 1;
        }
    for (size_t f = 0; f < featureUsed.size(); ++f)
        if (featureUsed[f])
        {
            x[static_cast<size_t>(s.firstY) + f] = 1;
            objective += 1;
        }
    return x;
}

Master::Ip Master::solveIp(double seconds)
{
    auto& s = *solver_;
    if (!s.optimal || seconds < 0.1)
    {
        Ip out;
        const auto start = greedyStart(out.objective);
        out.bound = -INFINITY;
        out.excess = s.excessCol >= 0 ? start[static_cast<size_t>(s.excessCol)] : 0;
        out.chosen.resize(columns_.size());
        for (size_t h = 0; h < columns_.size(); ++h)
            out.chosen[h] = start[static_cast<size_t>(s.firstZ) + h] > 0.5;
        return out;
    }
    OsiClpSolverInterface ip(s.lp);
    ip.messageHandler()->setLogLevel(0);
    for (int j = 0; j < ip.getNumCols(); ++j)
        if (j != s.excessCol)
            ip.setInteger(j);
    double startObjective = 0;
    const auto start = greedyStart(startObjective);

    CbcModel model(ip);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    model.solver()->messageHandler()->setLogLevel(0);
    model.setMaximumSeconds(std::max(0.05, seconds));
    CglProbing probing;
    probing.setUsingObjective(true);
    probing.setMaxPass(1);
    probing.setMaxProbe(20);
    probing.setMaxLook(20);
    CglGomory gomory;
    CglKnapsackCover knapsack;
    CglClique clique;
    clique.setStarCliqueReport(false); // both print to stdout otherwise
    clique.setRowCliqueReport(false);
    model.addCutGenerator(&probing, -1, "Probing");
    model.addCutGenerator(&gomory, -1, "Gomory");
    model.addCutGenerator(&knapsack, -1, "Knapsack");
    model.addCutGenerator(&clique, -1, "Clique");
    CbcCancel cancel(progress_);
    model.passInEventHandler(&cancel);
    ClpCancel clpCancel(progress_);
    if (auto* clp = dynamic_cast<OsiClpSolverInterface*>(model.solver()))
        clp->getModelPtr()->passInEventHandler(&clpCancel);
    model.setBestSolution(start.data(), static_cast<int>(start.size()), startObjective, true);
    model.branchAndBound();
    throwIfCancelled(progress_);

    Ip out;
    // CBC's incumbent, unless it found none (stopped in the root) or none better than the
    // greedy start.
    const double* x = model.bestSolution();
    const bool found =
        x && model.getObjValue() < 1e40 && model.getObjValue() <= startObjective + 1e-9;
    if (!found)
        x = start.data();
    out.objective = found ? model.getObjValue() : startObjective;
    out.bound = model.getBestPossibleObjValue();
    out.proven = found && model.isProvenOptimal();
    out.excess = s.excessCol >= 0 ? x[s.excessCol] : 0;
    out.chosen.resize(columns_.size());
    for (size_t h = 0; h < columns_.size(); ++h)
        out.chosen[h] = x[static_cast<size_t>(s.firstZ) + h] > 0.5;
    return out;
}

} // namespace clusterscope

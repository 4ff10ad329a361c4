#pragma once
// The master program of the polyhedral descriptions (Lawless & Guenluek §2.1 of the notes),
// over the half-spaces generated so far: z_h (half-space h is used), eps_u (unit u is
// mis-described), an elastic excess over the error budget, and y_f (feature f is used, for the
// fewest-features objective):
//   separation:  for every cluster k and unit u not of k:  sum_{h of k cutting u} z_h + eps_u >= 1
//   containment: for every unit u of cluster k:  M_u eps_u - sum_{h of k cutting u} z_h >= 0,
//                with M_u the number of such h (the tightest valid big-M)
//   budget:      sum_u weight_u eps_u - excess <= alpha N    (excess costs 1000 (beta+1) each)
//   cap:         for every k: sum_{h of k} z_h <= max_halfspaces (when set)
//   features:    for every f: sum_{h using f} z_h - M_f y_f <= 0 (fewest features)
// Its LP relaxation (CLP) gives the duals the pricing needs; the integer program goes to CBC.

#include "pricing.h"

#include <clusterscope/explain/polyhedral.h>

#include <memory>
#include <optional>
#include <vector>

namespace clusterscope
{

class Progress;

class Master
{
public:
    Master(const Units& units, int64_t k, const PolyhedralOptions& options, double budget,
           Progress& progress);
    ~Master();

    // Appends columns (their cuts computed on these units); skips a column whose cluster and
    // cut set another already has. Returns how many were added.
    int64_t add(std::vector<HalfSpace> columns);
    const std::vector<HalfSpace>& columns() const { return columns_; }

    struct Lp
    {
        double objective = 0;
        PricingDuals duals;
    };
    // Within `seconds`; nullopt when the time ran out first. Throws Error if CLP fails,
    // CancelledError.
    std::optional<Lp> solveLp(double seconds);

    struct Ip
    {
        std::vector<char> chosen; // per column
        double objective = 0;
        double bound = 0;    // CBC's best bound
        bool proven = false; // optimal over these columns
        double excess = 0;   // weight of errors above the budget
    };
    // Branch and bound for at most `seconds`, started from a greedy solution (so a solution
    // exists whenever it stops). Without an LP solved first (the time ran out), the greedy
    // solution alone: CBC would solve the LP from scratch, past any time limit.
    Ip solveIp(double seconds);

private:
    struct Solver;
    const Units& units_;
    int64_t k_;
    PolyhedralOptions options_;
    double budget_;
    Progress& progress_;
    std::vector<HalfSpace> columns_;
    std::unique_ptr<Solver> solver_;
    double columnCost(const HalfSpace& h) const;
    // A greedy solution over the first `columns` half-spaces, and its objective.
    std::vector<double> greedyOver(size_t columns, double& objective) const;
    // The better of the greedy solutions over the first columns added (bounding boxes and
    // stumps) and over all of them (the priced ones can mislead a greedy choice).
    std::vector<double> greedyStart(double& objective) const;
    size_t initialColumns_ = 0;
};

} // namespace clusterscope

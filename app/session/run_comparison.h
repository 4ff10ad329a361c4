#pragma once
// Comparing runs: how much any set of finished runs agree (ARI and NMI for every pair, on the
// rows both clustered), and, for two runs, the contingency table of their clusters: how the
// clusters of one split and merge into those of the other.

#include <QString>

#include <cstdint>
#include <vector>

namespace clusterscope
{

class Session;
struct RunEntry;

struct RunAgreement
{
    std::vector<int> runs;      // the runs compared, in the order given
    std::vector<QString> names; // "#3 k-means (k=10)"
    // runs x runs, row-major, symmetric, 1 on the diagonal: adjusted Rand index and normalized
    // mutual information (arithmetic mean) of each pair, noise (-1) counted as one more cluster.
    std::vector<double> ari;
    std::vector<double> nmi;
    std::vector<int64_t> rows; // runs x runs: the rows both runs of a pair clustered
};

// Throws ParameterError naming a run that does not exist or has not finished.
RunAgreement compareRuns(const Session& session, const std::vector<int>& ids);

struct Contingency
{
    std::vector<int64_t> first;  // run A's cluster ids, increasing (-1, noise, first if any)
    std::vector<int64_t> second; // run B's
    // first.size() x second.size(), row-major: rows in cluster first[i] of A and second[j] of B.
    std::vector<int64_t> counts;
    int64_t rows = 0; // rows both runs clustered
};

// Over the rows both runs clustered (their sourceRows).
Contingency contingency(const RunEntry& a, const RunEntry& b);

} // namespace clusterscope

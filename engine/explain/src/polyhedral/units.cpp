#include "units.h"

#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/core/progress.h>

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <map>

namespace clusterscope
{

Standardiser standardise(const CheckedInput& in)
{
    Standardiser s;
    s.x = in.data;
    s.n = in.n;
    s.columns = in.d;
    for (int64_t j = 0; j < in.d; ++j)
    {
        double sum = 0;
        for (int64_t i = 0; i < in.n; ++i)
            sum += in.data[i * in.d + j];
        const double mean = sum / static_cast<double>(in.n);
        double ss = 0;
        for (int64_t i = 0; i < in.n; ++i)
        {
            const double v = in.data[i * in.d + j] - mean;
            ss += v * v;
        }
        const double sd = std::sqrt(ss / static_cast<double>(in.n));
        if (!(sd > 0))
            continue;
        s.features.push_back(j);
        s.mean.push_back(mean);
        s.scale.push_back(sd);
    }
    return s;
}

bool Units::grouped() const
{
    return std::any_of(rows.begin(), rows.end(), [](const auto& r) { return r.size() > 1; });
}

void Units::add(const Standardiser& s, int64_t c, std::vector<int64_t> members)
{
    const auto base = lower.size();
    lower.resize(base + static_cast<size_t>(d), INFINITY);
    upper.resize(base + static_cast<size_t>(d), -INFINITY);
    for (auto r : members)
        for (int64_t f = 0; f < d; ++f)
        {
            const double z = s.z(r, f);
            lower[base + static_cast<size_t>(f)] =
                std::min(lower[base + static_cast<size_t>(f)], z);
            upper[base + static_cast<size_t>(f)] =
                std::max(upper[base + static_cast<size_t>(f)], z);
        }
    cluster.push_back(c);
    weight.push_back(static_cast<double>(members.size()));
    rows.push_back(std::move(members));
}

Units singleRows(const Standardiser& s, const std::vector<int64_t>& labels)
{
    Units u;
    u.d = s.d();
    for (int64_t i = 0; i < s.n; ++i)
        u.add(s, labels[static_cast<size_t>(i)], {i});
    return u;
}

namespace
{

// Splits `members` into at most `groups` groups by k-means on their standardised values.
std::vector<std::vector<int64_t>> kmeansGroups(const Standardiser& s,
                                               const std::vector<int64_t>& members, int64_t groups,
                                               uint64_t seed, Progress& progress)
{
    const auto m = static_cast<int64_t>(members.size());
    if (groups >= m)
    {
        std::vector<std::vector<int64_t>> single;
        for (auto r : members)
            single.push_back({r});
        return single;
    }
    auto z = torch::empty({m, s.d()}, torch::kFloat32);
    float* p = z.data_ptr<float>();
    for (int64_t i = 0; i < m; ++i)
        for (int64_t f = 0; f < s.d(); ++f)
            p[i * s.d() + f] = static_cast<float>(s.z(members[static_cast<size_t>(i)], f));
    KMeansOptions o;
    o.k = groups;
    o.seed = seed;
    o.maxIter = 50;
    o.name = "polyhedral grouping";
    const auto r = kmeans(z, o, &progress);
    const auto labels = r.labels.to(torch::kCPU).contiguous();
    const int64_t* l = labels.data_ptr<int64_t>();
    std::vector<std::vector<int64_t>> out(static_cast<size_t>(groups));
    for (int64_t i = 0; i < m; ++i)
        out[static_cast<size_t>(l[i])].push_back(members[static_cast<size_t>(i)]);
    out.erase(std::remove_if(out.begin(), out.end(), [](const auto& g) { return g.empty(); }),
              out.end());
    return out;
}

} // namespace

Units groupedRows(const Standardiser& s, const std::vector<int64_t>& labels, int64_t maxUnits,
                  uint64_t seed, Progress& progress)
{
    std::map<int64_t, std::vector<int64_t>> byCluster;
    for (int64_t i = 0; i < s.n; ++i)
        byCluster[labels[static_cast<size_t>(i)]].push_back(i);
    Units u;
    u.d = s.d();
    for (const auto& [c, members] : byCluster)
    {
        const auto share = static_cast<double>(members.size()) / static_cast<double>(s.n);
        const auto groups =
            std::max<int64_t>(1, std::llround(share * static_cast<double>(maxUnits)));
        for (auto& g : kmeansGroups(s, members, groups, seed, progress))
            u.add(s, c, std::move(g));
        progress.poll(0.0, [] { return "grouping rows"; });
    }
    return u;
}

Units splitUnits(const Units& units, const Standardiser& s, const std::vector<int64_t>& which,
                 uint64_t seed, Progress& progress)
{
    std::vector<char> split(static_cast<size_t>(units.count()), 0);
    for (auto w : which)
        split[static_cast<size_t>(w)] = 1;
    Units out;
    out.d = units.d;
    for (int64_t u = 0; u < units.count(); ++u)
    {
        const auto& members = units.rows[static_cast<size_t>(u)];
        if (!split[static_cast<size_t>(u)] || members.size() == 1)
        {
            out.add(s, units.cluster[static_cast<size_t>(u)], members);
            continue;
        }
        const int64_t groups = members.size() <= 20 ? static_cast<int64_t>(members.size()) : 4;
        for (auto& g : kmeansGroups(s, members, groups, seed, progress))
            out.add(s, units.cluster[static_cast<size_t>(u)], std::move(g));
    }
    return out;
}

} // namespace clusterscope

// The gradient of t-SNE's KL divergence: exact over all pairs, or Barnes-Hut (van der Maaten
// 2014) with attraction over P's nonzeros and repulsion summarised by a quadtree (2-D) or
// octree (3-D), as scikit-learn's _barnes_hut_tsne.gradient. Each point sums its own forces in
// a fixed order and the per-point parts of Z are added in row order afterwards, so the result
// does not depend on the thread count.

#include "tsne_steps.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/parallel.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace clusterscope
{
namespace
{

constexpr double kFloat32Tiny = 1.1754943508222875e-38; // scikit-learn's FLOAT32_TINY
constexpr int kMaxDepth = 48; // below this a cell holds coincident points only

// The Student-t kernel with dof degrees of freedom, unnormalised: (dof / (dof + d2))^((dof+1)/2).
double kernel(double d2, double dof)
{
    const double q = dof / (dof + d2);
    return dof == 1.0 ? q : std::pow(q, (dof + 1.0) / 2.0);
}

// A space-partitioning tree over the embedding: cells split at the centre of their box into
// 2^D children (scikit-learn's _QuadTree). Built serially, so its sums are deterministic.
template <int D> class SpaceTree
{
public:
    struct Cell
    {
        std::array<double, D> centre{}, half{}, mass{}; // box centre, half widths, centre of mass
        double squaredWidth = 0;                        // the widest side, squared
        int64_t count = 0;
        int64_t firstChild = -1;    // 2^D children from here, or -1 for a leaf
        int64_t begin = 0, end = 0; // the leaf's points in order_
    };

    SpaceTree(const std::vector<double>& y, int64_t n) : y_(y)
    {
        order_.resize(static_cast<size_t>(n));
        for (int64_t i = 0; i < n; ++i)
            order_[static_cast<size_t>(i)] = i;
        scratch_.resize(order_.size());
        std::array<double, D> lo, hi;
        lo.fill(std::numeric_limits<double>::infinity());
        hi.fill(-std::numeric_limits<double>::infinity());
        for (int64_t i = 0; i < n; ++i)
            for (int c = 0; c < D; ++c)
            {
                lo[c] = std::min(lo[c], y[static_cast<size_t>(i * D + c)]);
                hi[c] = std::max(hi[c], y[static_cast<size_t>(i * D + c)]);
            }
        Cell root;
        for (int c = 0; c < D; ++c)
        {
            // A little margin so no point sits on the outer boundary (scikit-learn's 1e-3).
            const double margin = std::max((hi[c] - lo[c]) * 1e-3, 1e-3);
            root.centre[c] = (lo[c] + hi[c]) / 2;
            root.half[c] = (hi[c] - lo[c]) / 2 + margin;
        }
        cells_.push_back(root);
        cells_.reserve(static_cast<size_t>(4 * n + 1));
        build(0, 0, n, 0);
    }

    // Repulsion on point i: neg += sum size q^2 (y_i - y_cell), z += sum size q, skipping i.
    void repulse(int64_t i, double theta2, double dof, double* neg, double& z) const
    {
        const double* yi = y_.data() + i * D;
        stack_.clear();
        stack_.push_back(0);
        while (!stack_.empty())
        {
            const Cell& cell = cells_[static_cast<size_t>(stack_.back())];
            stack_.pop_back();
            if (cell.count == 0)
                continue;
            if (cell.firstChild < 0)
            {
                for (int64_t p = cell.begin; p < cell.end; ++p)
                {
                    const int64_t j = order_[static_cast<size_t>(p)];
                    if (j == i)
                        continue;
                    add(yi, y_.data() + j * D, 1.0, dof, neg, z);
                }
                continue;
            }
            double d2 = 0;
            for (int c = 0; c < D; ++c)
            {
                const double diff = yi[c] - cell.mass[c];
                d2 += diff * diff;
            }
            if (cell.squaredWidth < theta2 * d2)
            {
                add(yi, cell.mass.data(), static_cast<double>(cell.count), dof, neg, z);
                continue;
            }
            // Children pushed last-first, so visited in index order.
            for (int64_t child = cell.firstChild + (1 << D) - 1; child >= cell.firstChild; --child)
                stack_.push_back(child);
        }
    }

private:
    static void add(const double* yi, const double* at, double size, double dof, double* neg,
                    double& z)
    {
        std::array<double, D> diff;
        double d2 = 0;
        for (int c = 0; c < D; ++c)
        {
            diff[c] = yi[c] - at[c];
            d2 += diff[c] * diff[c];
        }
        const double q = kernel(d2, dof);
        z += size * q;
        const double mult = size * q * q;
        for (int c = 0; c < D; ++c)
            neg[c] += mult * diff[c];
    }

    void build(int64_t index, int64_t begin, int64_t end, int depth)
    {
        Cell& cell = cells_[static_cast<size_t>(index)];
        cell.count = end - begin;
        cell.begin = begin;
        cell.end = end;
        double widest = 0;
        for (int c = 0; c < D; ++c)
            widest = std::max(widest, 2 * cell.half[c]);
        cell.squaredWidth = widest * widest;
        std::array<double, D> sum{};
        for (int64_t p = begin; p < end; ++p)
            for (int c = 0; c < D; ++c)
                sum[c] += y_[static_cast<size_t>(order_[static_cast<size_t>(p)] * D + c)];
        for (int c = 0; c < D; ++c)
            cell.mass[c] = cell.count > 0 ? sum[c] / static_cast<double>(cell.count) : 0.0;
        if (cell.count <= 1 || depth >= kMaxDepth)
            return;
        // Stable counting sort of the points into the 2^D orthants.
        constexpr int kChildren = 1 << D;
        std::array<int64_t, kChildren + 1> start{};
        const auto orthant = [&](int64_t point)
        {
            int o = 0;
            for (int c = 0; c < D; ++c)
                if (y_[static_cast<size_t>(point * D + c)] >
                    cells_[static_cast<size_t>(index)].centre[c])
                    o |= 1 << c;
            return o;
        };
        for (int64_t p = begin; p < end; ++p)
            ++start[static_cast<size_t>(orthant(order_[static_cast<size_t>(p)])) + 1];
        for (int o = 0; o < kChildren; ++o)
            start[static_cast<size_t>(o) + 1] += start[static_cast<size_t>(o)];
        auto fill = start;
        for (int64_t p = begin; p < end; ++p)
        {
            const int64_t point = order_[static_cast<size_t>(p)];
            scratch_[static_cast<size_t>(begin + fill[static_cast<size_t>(orthant(point))]++)] =
                point;
        }
        std::copy(scratch_.begin() + begin, scratch_.begin() + end, order_.begin() + begin);

        const auto first = static_cast<int64_t>(cells_.size());
        const Cell parent = cells_[static_cast<size_t>(index)];
        for (int o = 0; o < kChildren; ++o)
        {
            Cell child;
            for (int c = 0; c < D; ++c)
            {
                child.half[c] = parent.half[c] / 2;
                child.centre[c] =
                    parent.centre[c] + ((o >> c) & 1 ? child.half[c] : -child.half[c]);
            }
            cells_.push_back(child);
        }
        cells_[static_cast<size_t>(index)].firstChild = first;
        for (int o = 0; o < kChildren; ++o)
            build(first + o, begin + start[static_cast<size_t>(o)],
                  begin + start[static_cast<size_t>(o) + 1], depth + 1);
    }

    const std::vector<double>& y_;
    std::vector<int64_t> order_, scratch_;
    std::vector<Cell> cells_;
    static thread_local std::vector<int64_t> stack_;
};

template <int D> thread_local std::vector<int64_t> SpaceTree<D>::stack_;

template <int D>
double barnesHut(const std::vector<double>& y, const TsneAffinities& a, double exaggeration,
                 double angle, bool withError, std::vector<double>& grad, Progress& progress)
{
    const int64_t n = a.rows;
    const double dof = std::max(D - 1, 1);
    const SpaceTree<D> tree(y, n);
    std::vector<double> zPart(static_cast<size_t>(n));
    grad.assign(static_cast<size_t>(n * D), 0.0);
    const double theta2 = angle * angle;
    // Repulsion first (it gives Z), stored unnormalised in grad.
    parallelSlices(n, computeThreads(),
                   [&](int, int64_t begin, int64_t end)
                   {
                       for (int64_t i = begin; i < end; ++i)
                       {
                           if ((i & 255) == 0 && progress.cancelRequested())
                               return;
                           tree.repulse(i, theta2, dof, grad.data() + i * D,
                                        zPart[static_cast<size_t>(i)]);
                       }
                   });
    double z = 0;
    for (const double v : zPart)
        z += v;
    if (progress.cancelRequested())
        return 0.0;
    return attractAndCombine(y, D, a, exaggeration, std::max(z, std::numeric_limits<double>::min()),
                             withError, grad, progress);
}

template <int D>
double attractD(const std::vector<double>& y, const TsneAffinities& a, double exaggeration,
                double z, bool withError, std::vector<double>& grad, Progress& progress)
{
    const int64_t n = a.rows;
    const double dof = std::max(D - 1, 1);
    const double scale = 2.0 * (dof + 1.0) / dof;
    std::vector<double> errorPart(withError ? static_cast<size_t>(n) : 0);
    parallelSlices(n, computeThreads(),
                   [&](int, int64_t begin, int64_t end)
                   {
                       for (int64_t i = begin; i < end; ++i)
                       {
                           if ((i & 255) == 0 && progress.cancelRequested())
                               return;
                           const double* yi = y.data() + i * D;
                           std::array<double, D> pos{};
                           double error = 0;
                           for (int64_t e = a.rowStart[static_cast<size_t>(i)];
                                e < a.rowStart[static_cast<size_t>(i) + 1]; ++e)
                           {
                               const double* yj = y.data() + a.columns[static_cast<size_t>(e)] * D;
                               std::array<double, D> diff;
                               double d2 = 0;
                               for (int c = 0; c < D; ++c)
                               {
                                   diff[c] = yi[c] - yj[c];
                                   d2 += diff[c] * diff[c];
                               }
                               const double p = a.joint[static_cast<size_t>(e)] * exaggeration;
                               const double q = kernel(d2, dof);
                               for (int c = 0; c < D; ++c)
                                   pos[c] += p * q * diff[c];
                               if (withError)
                                   error += p * std::log(std::max(p, kFloat32Tiny) /
                                                         std::max(q / z, kFloat32Tiny));
                           }
                           double* g = grad.data() + i * D;
                           for (int c = 0; c < D; ++c)
                               g[c] = scale * (pos[c] - g[c] / z);
                           if (withError)
                               errorPart[static_cast<size_t>(i)] = error;
                       }
                   });
    double error = 0;
    for (const double v : errorPart)
        error += v;
    return error;
}

} // namespace

double attractAndCombine(const std::vector<double>& y, int64_t dim, const TsneAffinities& a,
                         double exaggeration, double z, bool withError, std::vector<double>& grad,
                         Progress& progress)
{
    if (dim == 1)
        return attractD<1>(y, a, exaggeration, z, withError, grad, progress);
    if (dim == 2)
        return attractD<2>(y, a, exaggeration, z, withError, grad, progress);
    if (dim == 3)
        return attractD<3>(y, a, exaggeration, z, withError, grad, progress);
    throw ParameterError("the sparse attraction takes 1 to 3 dimensions; got " +
                         std::to_string(dim));
}

double barnesHutGradient(const std::vector<double>& y, int64_t dim, const TsneAffinities& a,
                         double exaggeration, double angle, bool withError,
                         std::vector<double>& grad, Progress& progress)
{
    if (dim == 2)
        return barnesHut<2>(y, a, exaggeration, angle, withError, grad, progress);
    if (dim == 3)
        return barnesHut<3>(y, a, exaggeration, angle, withError, grad, progress);
    throw ParameterError("n_components must be 2 or 3 for algorithm barnes_hut; got " +
                         std::to_string(dim) + ": use --algorithm exact for other dimensions");
}

double exactGradient(const std::vector<double>& y, int64_t dim, const TsneAffinities& a,
                     double exaggeration, bool withError, std::vector<double>& grad,
                     Progress& progress)
{
    const int64_t n = a.rows;
    const double dof = static_cast<double>(std::max<int64_t>(dim - 1, 1));
    // Z = sum over i != j of the kernel, row by row, then in row order.
    std::vector<double> zPart(static_cast<size_t>(n));
    parallelSlices(n, computeThreads(),
                   [&](int, int64_t begin, int64_t end)
                   {
                       for (int64_t i = begin; i < end; ++i)
                       {
                           if (progress.cancelRequested())
                               return;
                           double s = 0;
                           for (int64_t j = 0; j < n; ++j)
                           {
                               if (j == i)
                                   continue;
                               double d2 = 0;
                               for (int64_t c = 0; c < dim; ++c)
                               {
                                   const double diff = y[static_cast<size_t>(i * dim + c)] -
                                                       y[static_cast<size_t>(j * dim + c)];
                                   d2 += diff * diff;
                               }
                               s += kernel(d2, dof);
                           }
                           zPart[static_cast<size_t>(i)] = s;
                       }
                   });
    double z = 0;
    for (const double v : zPart)
        z += v;
    const double scale = 2.0 * (dof + 1.0) / dof;
    const double eps = std::numeric_limits<double>::epsilon();
    grad.assign(static_cast<size_t>(n * dim), 0.0);
    std::vector<double> errorPart(static_cast<size_t>(n));
    parallelSlices(n, computeThreads(),
                   [&](int, int64_t begin, int64_t end)
                   {
                       for (int64_t i = begin; i < end; ++i)
                       {
                           if (progress.cancelRequested())
                               return;
                           double error = 0;
                           double* g = grad.data() + i * dim;
                           // Row i of the exact P holds every j != i, in column order.
                           int64_t e = a.rowStart[static_cast<size_t>(i)];
                           for (int64_t j = 0; j < n; ++j)
                           {
                               if (j == i)
                                   continue;
                               double d2 = 0;
                               for (int64_t c = 0; c < dim; ++c)
                               {
                                   const double diff = y[static_cast<size_t>(i * dim + c)] -
                                                       y[static_cast<size_t>(j * dim + c)];
                                   d2 += diff * diff;
                               }
                               const double num = kernel(d2, dof);
                               const double q = std::max(num / z, eps);
                               const double p = a.joint[static_cast<size_t>(e++)] * exaggeration;
                               if (withError)
                                   error += p * std::log(std::max(p, eps) / q);
                               const double pq = (p - q) * num;
                               for (int64_t c = 0; c < dim; ++c)
                                   g[c] += scale * pq *
                                           (y[static_cast<size_t>(i * dim + c)] -
                                            y[static_cast<size_t>(j * dim + c)]);
                           }
                           errorPart[static_cast<size_t>(i)] = error;
                       }
                   });
    double error = 0;
    for (const double v : errorPart)
        error += v;
    return withError ? error : 0.0;
}

} // namespace clusterscope

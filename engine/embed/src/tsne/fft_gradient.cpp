// t-SNE's repulsive forces by polynomial interpolation on an equispaced grid and FFT
// convolution, after FIt-SNE (Linderman, Rachh, Hoskins, Steinerberger & Kluger 2019, "Fast
// interpolation-based t-SNE for improved visualization of single-cell RNA-seq data", Nature
// Methods 16; the reference code's nbodyfft.cpp and tsne.cpp computeFftGradient).
//
// The embedding's bounding square is cut into B intervals per axis (B = max(min_num_intervals =
// 50, extent / ints_in_interval = extent), rounded up to a 5-smooth count, at most 200 in 2-D),
// each holding p = 3 equispaced interpolation nodes, so the nodes form one equispaced grid of
// G = B p per axis. Every point spreads its D + 2 charges (1, its coordinates from the square's
// centre, their squared norm) to the p^D nodes of its box with Lagrange weights; the squared
// Student-t kernel 1 / (1 + d^2)^2 between all nodes is a convolution, taken by real float32
// FFTs on a zero-padded (2G)^D grid (LibTorch's pocketfft); the nodes' potentials are
// interpolated back to the points with the same weights. From the potentials phi_c:
//   sum_j q_ij^2 (y_i - y_j) = y_i phi_1 - phi_y,
//   Z = sum_i [(1 + |y_i|^2) phi_1 - 2 y_i . phi_y + phi_|y|^2] - N   (q_ii = 1 taken out).
//
// Deterministic at any thread count: each charge is spread over all points in point order and
// transformed by one task (LibTorch's own pool stays at one thread), each point gathers its own
// potentials, and the per-point parts of Z are added in row order.

#include "tsne_steps.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/kernels/parallel.h>

#include <ATen/ATen.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>

namespace clusterscope
{
namespace
{

constexpr int64_t kFftPollEvery = 1024; // points between cancel polls in the spreading loops

// At most this many intervals per axis (FIt-SNE has no bound): a wider map gets wider
// intervals instead. In 2-D, 200 intervals of 3 nodes pad to 1200^2 cells, whose transforms take
// some 30 ms each here, so a cancel is seen within the ~50 ms the progress contract asks.
constexpr std::array<double, 3> kFftMaxIntervals = {0, 20'000, 200};

// The interval count: max(min_num_intervals, extent / ints_in_interval), rounded up to a
// 5-smooth number (2^a 3^b 5^c), so the padded length 2 p B factors into pocketfft's fast radices
// (FIt-SNE rounds up to a list for FFTW that also holds 55, 65, 85, 110 and 130, which
// pocketfft transforms several times slower than their 5-smooth neighbours).
int64_t fftIntervalCount(int dim, double extent, const FftInterpolation& s)
{
    const double wanted =
        std::max<double>(static_cast<double>(s.minIntervals), std::floor(extent / s.intervalWidth));
    auto b = static_cast<int64_t>(std::min(wanted, kFftMaxIntervals[static_cast<size_t>(dim)]));
    const auto smooth = [](int64_t v)
    {
        for (const int64_t f : {2, 3, 5})
            while (v % f == 0)
                v /= f;
        return v == 1;
    };
    while (!smooth(b))
        ++b;
    return b;
}

// Runs task(s) for s in [0, tasks) on the kernels' pool (parallelSlices wants 256 rows a slice).
template <typename Task> void runFftTasks(int tasks, Task&& task)
{
    struct Context
    {
        Task& task;
    } context{task};
    detail::runSlices(
        tasks, [](void* c, int s) { static_cast<Context*>(c)->task(s); }, &context);
}

// The squared kernel 1 / (1 + d^2)^2 at every node offset of the padded grid (m per axis, node
// spacing h), offsets wrapping around, and its real FFT: the circulant that makes the linear
// convolution of a g-node grid a cyclic one. Offsets reach g - 1 at most; offset g stays 0.
at::Tensor fftKernelHat(int dim, int64_t g, int64_t m, double h, at::ScalarType type)
{
    std::vector<double> axis(static_cast<size_t>(m));
    for (int64_t i = 0; i < m; ++i)
    {
        const double offset = static_cast<double>(std::min(i, m - i)) * h;
        axis[static_cast<size_t>(i)] = offset * offset;
    }
    if (dim == 1)
    {
        auto k = at::empty({m}, at::kDouble);
        double* v = k.data_ptr<double>();
        for (int64_t i = 0; i < m; ++i)
        {
            const double q = 1.0 / (1.0 + axis[static_cast<size_t>(i)]);
            v[i] = i == g ? 0.0 : q * q;
        }
        return at::fft_rfft(k.to(type));
    }
    auto k = at::empty({m, m}, at::kDouble);
    double* v = k.data_ptr<double>();
    for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < m; ++j)
        {
            const double q =
                1.0 / (1.0 + axis[static_cast<size_t>(i)] + axis[static_cast<size_t>(j)]);
            v[i * m + j] = i == g || j == g ? 0.0 : q * q;
        }
    return at::fft_rfft2(k.to(type));
}

// The cyclic convolution of charge grids (batch x g^dim, float32) with the kernel, zero-padded
// to m per axis, cropped back to g^dim. The padding's zero rows are not transformed: the last
// axis first on the g rows, then the first axis (FIt-SNE transforms the whole padded grid).
at::Tensor fftConvolve(const at::Tensor& grids, const at::Tensor& kernelHat, int dim, int64_t g,
                       int64_t m)
{
    if (dim == 1)
        return at::fft_irfft(at::fft_rfft(grids, m, -1) * kernelHat, m, -1).narrow(-1, 0, g);
    const auto rows = at::fft_rfft(grids, m, -1); // batch x g x (m/2 + 1)
    const auto both = at::fft_fft(rows, m, -2);   // batch x m x (m/2 + 1)
    const auto back = at::fft_ifft(both * kernelHat, c10::nullopt, -2).narrow(-2, 0, g);
    return at::fft_irfft(back, m, -1).narrow(-1, 0, g); // batch x g x g
}

template <int D>
double fftRepulsionD(const std::vector<double>& y, std::vector<double>& repulsion,
                     Progress& progress, const FftInterpolation& s)
{
    const int64_t n = static_cast<int64_t>(y.size()) / D;
    const int p = s.points;
    constexpr int kCharges = D + 2;
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (const double v : y)
    {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    const int64_t boxes = fftIntervalCount(D, hi - lo, s);
    const double width = std::max((hi - lo) / static_cast<double>(boxes), 1e-12);
    const int64_t g = boxes * p; // nodes per axis

    const int64_t m = 2 * g;    // the padded FFT's length per axis
    const double h = width / p; // node spacing
    int64_t cells = 1;          // nodes in all
    for (int d = 0; d < D; ++d)
        cells *= g;

    // Lagrange denominators at the nodes (k + 1/2) / p of a unit box.
    std::vector<double> nodes(static_cast<size_t>(p)), denominators(static_cast<size_t>(p), 1.0);
    for (int k = 0; k < p; ++k)
        nodes[static_cast<size_t>(k)] = (k + 0.5) / p;
    for (int k = 0; k < p; ++k)
        for (int j = 0; j < p; ++j)
            if (j != k)
                denominators[static_cast<size_t>(k)] *=
                    nodes[static_cast<size_t>(k)] - nodes[static_cast<size_t>(j)];

    // Each point's box (as its first node's flat index) and its p weights per axis.
    std::vector<int64_t> base(static_cast<size_t>(n));
    std::vector<double> weights(static_cast<size_t>(n * D * p));
    parallelSlices(n, computeThreads(),
                   [&](int, int64_t begin, int64_t end)
                   {
                       for (int64_t i = begin; i < end; ++i)
                       {
                           int64_t flat = 0;
                           for (int d = 0; d < D; ++d)
                           {
                               const double u = (y[static_cast<size_t>(i * D + d)] - lo) / width;
                               const auto b =
                                   std::clamp<int64_t>(static_cast<int64_t>(u), 0, boxes - 1);
                               const double t = u - static_cast<double>(b);
                               flat = flat * g + b * p;
                               double* w = weights.data() + (i * D + d) * p;
                               for (int k = 0; k < p; ++k)
                               {
                                   double num = 1;
                                   for (int j = 0; j < p; ++j)
                                       if (j != k)
                                           num *= t - nodes[static_cast<size_t>(j)];
                                   w[k] = num / denominators[static_cast<size_t>(k)];
                               }
                           }
                           base[static_cast<size_t>(i)] = flat;
                       }
                   });
    // The p^D nodes of a box, as offsets from its first node, and their weight indices.
    int64_t corners = 1;
    for (int d = 0; d < D; ++d)
        corners *= p;
    std::vector<int64_t> cornerOffset(static_cast<size_t>(corners));
    std::vector<std::array<int, D>> cornerIndex(static_cast<size_t>(corners));
    for (int64_t c = 0; c < corners; ++c)
    {
        int64_t rest = c, offset = 0;
        std::array<int, D> idx{};
        for (int d = D - 1; d >= 0; --d)
        {
            idx[static_cast<size_t>(d)] = static_cast<int>(rest % p);
            rest /= p;
        }
        for (int d = 0; d < D; ++d)
            offset = offset * g + idx[static_cast<size_t>(d)];
        cornerOffset[static_cast<size_t>(c)] = offset;
        cornerIndex[static_cast<size_t>(c)] = idx;
    }
    const auto cornerWeight = [&](int64_t i, int64_t c)
    {
        double w = 1;
        const double* wi = weights.data() + i * D * p;
        for (int d = 0; d < D; ++d)
            w *= wi[d * p + cornerIndex[static_cast<size_t>(c)][static_cast<size_t>(d)]];
        return w;
    };
    // Coordinates from the square's centre: the forces and Z do not move with the map, and the
    // cancellation in them grows with |y|.
    const double centre = (lo + hi) / 2;
    const auto charge = [&](int64_t i, int c)
    {
        if (c == 0)
            return 1.0;
        const double* yi = y.data() + i * D;
        if (c <= D)
            return yi[c - 1] - centre;
        double s2 = 0;
        for (int d = 0; d < D; ++d)
            s2 += (yi[d] - centre) * (yi[d] - centre);
        return s2;
    };

    // float32 transforms: 2.5x faster than float64 here, and their rounding (1e-7) is far below
    // the interpolation's error (test_tsne measures both the same).
    const auto type = at::kFloat;
    const auto kernelHat = fftKernelHat(D, g, m, h, type);
    throwIfCancelled(progress);

    // Spread, convolve and keep the potentials; each task takes every threads-th charge.
    std::vector<std::vector<double>> potential(static_cast<size_t>(kCharges));
    std::atomic<bool> stop{false};
    const int threads = std::max(1, std::min(kCharges, computeThreads()));
    std::vector<int64_t> gridShape(D, g);
    runFftTasks(
        threads,
        [&](int slice)
        {
            std::vector<double> sums(static_cast<size_t>(cells));
            for (int c = slice; c < kCharges; c += threads)
            {
                std::fill(sums.begin(), sums.end(), 0.0);
                for (int64_t i = 0; i < n; ++i)
                {
                    if (i % kFftPollEvery == 0 && (stop.load() || progress.cancelRequested()))
                    {
                        stop = true;
                        return;
                    }
                    const double q = charge(i, c);
                    const int64_t b = base[static_cast<size_t>(i)];
                    for (int64_t corner = 0; corner < corners; ++corner)
                        sums[static_cast<size_t>(b + cornerOffset[static_cast<size_t>(corner)])] +=
                            cornerWeight(i, corner) * q;
                }
                const auto grid = at::from_blob(sums.data(), gridShape, at::kDouble).to(type);
                const auto phi = fftConvolve(grid, kernelHat, D, g, m).to(at::kDouble).contiguous();
                potential[static_cast<size_t>(c)].assign(phi.data_ptr<double>(),
                                                         phi.data_ptr<double>() + cells);
            }
        });
    if (stop.load() || progress.cancelRequested())
        return 1.0;

    // Gather each point's potentials; its forces and its part of Z.
    repulsion.assign(static_cast<size_t>(n * D), 0.0);
    std::vector<double> zPart(static_cast<size_t>(n));
    parallelSlices(n, computeThreads(),
                   [&](int, int64_t begin, int64_t end)
                   {
                       for (int64_t i = begin; i < end; ++i)
                       {
                           if (i % kFftPollEvery == 0 && progress.cancelRequested())
                               return;
                           std::array<double, kCharges> phi{};
                           const int64_t b = base[static_cast<size_t>(i)];
                           for (int64_t corner = 0; corner < corners; ++corner)
                           {
                               const double w = cornerWeight(i, corner);
                               const auto at = static_cast<size_t>(
                                   b + cornerOffset[static_cast<size_t>(corner)]);
                               for (int c = 0; c < kCharges; ++c)
                                   phi[static_cast<size_t>(c)] +=
                                       w * potential[static_cast<size_t>(c)][at];
                           }
                           double norm2 = 0, dot = 0;
                           for (int d = 0; d < D; ++d)
                           {
                               const double yc = y[static_cast<size_t>(i * D + d)] - centre;
                               norm2 += yc * yc;
                               dot += yc * phi[static_cast<size_t>(d) + 1];
                               repulsion[static_cast<size_t>(i * D + d)] =
                                   yc * phi[0] - phi[static_cast<size_t>(d) + 1];
                           }
                           zPart[static_cast<size_t>(i)] =
                               (1.0 + norm2) * phi[0] - 2.0 * dot + phi[static_cast<size_t>(D) + 1];
                       }
                   });
    double z = 0;
    for (const double v : zPart)
        z += v;
    return z - static_cast<double>(n);
}

} // namespace

double fftRepulsion(const std::vector<double>& y, int64_t dim, std::vector<double>& repulsion,
                    Progress& progress, const FftInterpolation& settings)
{
    if (settings.points < 1 || settings.minIntervals < 1 || !(settings.intervalWidth > 0))
        throw ParameterError("FFT interpolation needs at least one node and one interval");
    if (dim == 1)
        return fftRepulsionD<1>(y, repulsion, progress, settings);
    if (dim == 2)
        return fftRepulsionD<2>(y, repulsion, progress, settings);
    throw ParameterError("n_components must be 1 or 2 for algorithm fft; got " +
                         std::to_string(dim) + ": use --algorithm barnes_hut for 3-D maps");
}

double fftGradient(const std::vector<double>& y, int64_t dim, const TsneAffinities& a,
                   double exaggeration, bool withError, std::vector<double>& grad,
                   Progress& progress, const FftInterpolation& settings)
{
    const double z = fftRepulsion(y, dim, grad, progress, settings);
    if (progress.cancelRequested())
        return 0.0;
    return attractAndCombine(y, dim, a, exaggeration,
                             std::max(z, std::numeric_limits<double>::min()), withError, grad,
                             progress);
}

} // namespace clusterscope

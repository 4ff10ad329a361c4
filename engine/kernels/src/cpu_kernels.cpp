#include <clusterscope/kernels/cpu_kernels.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace clusterscope::cpu
{

namespace
{

constexpr int64_t kRowsPerTile = 4;    // rows that share each center load
constexpr int64_t kCentersPerTile = 6; // 4 x 6 = 24 accumulators fit in the vector registers
constexpr int64_t kBlockRows = 256;    // rows whose dot products stay in L1 for the argmin
constexpr int64_t kVectorsPerTile = 4; // center vectors per tile in the transposed kernel
constexpr int64_t kSmallD = 64;        // below this, vectorise across centers

// One tile: dots of up to 4 rows with up to 6 centers. V is the vector type of width W.
#define CLUSTERSCOPE_TILE_KERNEL(NAME, TARGET, WIDTH)                                              \
    TARGET static void NAME(const float* x, int64_t rows, int64_t d, const float* c,               \
                            int64_t centers, int64_t ldc, float* out, int64_t ldo)                 \
    {                                                                                              \
        using V = float __attribute__((vector_size(WIDTH * 4), aligned(4)));                       \
        constexpr int64_t W = WIDTH;                                                               \
        V acc[kRowsPerTile][kCentersPerTile] = {};                                                 \
        const int64_t body = d - d % W;                                                            \
        for (int64_t j = 0; j < body; j += W)                                                      \
        {                                                                                          \
            V xv[kRowsPerTile];                                                                    \
            for (int64_t r = 0; r < kRowsPerTile; ++r)                                             \
            {                                                                                      \
                std::memcpy(&xv[r], x + std::min(r, rows - 1) * d + j, sizeof(V));                 \
            }                                                                                      \
            for (int64_t q = 0; q < kCentersPerTile; ++q)                                          \
            {                                                                                      \
                V cv;                                                                              \
                std::memcpy(&cv, c + std::min(q, centers - 1) * ldc + j, sizeof(V));               \
                for (int64_t r = 0; r < kRowsPerTile; ++r)                                         \
                {                                                                                  \
                    acc[r][q] += xv[r] * cv;                                                       \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
        for (int64_t r = 0; r < rows; ++r)                                                         \
        {                                                                                          \
            for (int64_t q = 0; q < centers; ++q)                                                  \
            {                                                                                      \
                float s = 0;                                                                       \
                for (int64_t l = 0; l < W; ++l)                                                    \
                {                                                                                  \
                    s += acc[r][q][l];                                                             \
                }                                                                                  \
                for (int64_t j = body; j < d; ++j)                                                 \
                {                                                                                  \
                    s += x[r * d + j] * c[q * ldc + j];                                            \
                }                                                                                  \
                out[r * ldo + q] = s;                                                              \
            }                                                                                      \
        }                                                                                          \
    }

// Small D: vectorise across centers instead (c transposed, D x kPad), so no horizontal sums.
// VECS center vectors per tile, fixed at compile time so the accumulators stay in registers.
#define CLUSTERSCOPE_TILE_T_KERNEL(NAME, TARGET, WIDTH)                                            \
    template <int VECS>                                                                            \
    TARGET static void NAME##Fixed(const float* x, int64_t rows, int64_t d, const float* ct,       \
                                   int64_t ldct, float* out, int64_t ldo)                          \
    {                                                                                              \
        using V = float __attribute__((vector_size(WIDTH * 4), aligned(4)));                       \
        constexpr int64_t W = WIDTH;                                                               \
        V acc[kRowsPerTile][VECS] = {};                                                            \
        const float* r0 = x;                                                                       \
        const float* r1 = x + std::min<int64_t>(1, rows - 1) * d;                                  \
        const float* r2 = x + std::min<int64_t>(2, rows - 1) * d;                                  \
        const float* r3 = x + std::min<int64_t>(3, rows - 1) * d;                                  \
        for (int64_t j = 0; j < d; ++j)                                                            \
        {                                                                                          \
            V cv[VECS];                                                                            \
            for (int q = 0; q < VECS; ++q)                                                         \
            {                                                                                      \
                std::memcpy(&cv[q], ct + j * ldct + q * W, sizeof(V));                             \
            }                                                                                      \
            const float xs[kRowsPerTile] = {r0[j], r1[j], r2[j], r3[j]};                           \
            for (int64_t r = 0; r < kRowsPerTile; ++r)                                             \
            {                                                                                      \
                for (int q = 0; q < VECS; ++q)                                                     \
                {                                                                                  \
                    acc[r][q] += cv[q] * xs[r];                                                    \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
        for (int64_t r = 0; r < rows; ++r)                                                         \
        {                                                                                          \
            for (int q = 0; q < VECS; ++q)                                                         \
            {                                                                                      \
                std::memcpy(out + r * ldo + q * W, &acc[r][q], sizeof(V));                         \
            }                                                                                      \
        }                                                                                          \
    }                                                                                              \
    static void NAME(const float* x, int64_t rows, int64_t d, const float* ct, int64_t ldct,       \
                     int64_t vectors, float* out, int64_t ldo)                                     \
    {                                                                                              \
        switch (vectors)                                                                           \
        {                                                                                          \
        case 1:                                                                                    \
            NAME##Fixed<1>(x, rows, d, ct, ldct, out, ldo);                                        \
            break;                                                                                 \
        case 2:                                                                                    \
            NAME##Fixed<2>(x, rows, d, ct, ldct, out, ldo);                                        \
            break;                                                                                 \
        case 3:                                                                                    \
            NAME##Fixed<3>(x, rows, d, ct, ldct, out, ldo);                                        \
            break;                                                                                 \
        default:                                                                                   \
            NAME##Fixed<4>(x, rows, d, ct, ldct, out, ldo);                                        \
            break;                                                                                 \
        }                                                                                          \
    }

// The per-element terms of the reductions below, for scalars and vectors alike.
#define CLUSTERSCOPE_SQUARED_DIFFERENCE(a, b) (((a) - (b)) * ((a) - (b)))
#define CLUSTERSCOPE_PRODUCT(a, b) ((a) * (b))

// sum_j TERM(a_j, b_j) with two vector accumulators: a scalar floating-point reduction is one
// long dependency chain (GCC will not reassociate it without -ffast-math).
#define CLUSTERSCOPE_REDUCE_KERNEL(NAME, TARGET, T, WIDTH, TERM)                                   \
    TARGET static T NAME(const T* a, const T* b, int64_t n)                                        \
    {                                                                                              \
        using V = T __attribute__((vector_size(WIDTH * sizeof(T)), aligned(sizeof(T))));           \
        constexpr int64_t W = WIDTH;                                                               \
        V acc0 = {};                                                                               \
        V acc1 = {};                                                                               \
        int64_t j = 0;                                                                             \
        for (; j + 2 * W <= n; j += 2 * W)                                                         \
        {                                                                                          \
            V a0, b0, a1, b1;                                                                      \
            std::memcpy(&a0, a + j, sizeof(V));                                                    \
            std::memcpy(&b0, b + j, sizeof(V));                                                    \
            std::memcpy(&a1, a + j + W, sizeof(V));                                                \
            std::memcpy(&b1, b + j + W, sizeof(V));                                                \
            acc0 += TERM(a0, b0);                                                                  \
            acc1 += TERM(a1, b1);                                                                  \
        }                                                                                          \
        acc0 += acc1;                                                                              \
        T s = 0;                                                                                   \
        for (int64_t l = 0; l < W; ++l)                                                            \
            s += acc0[l];                                                                          \
        for (; j < n; ++j)                                                                         \
            s += TERM(a[j], b[j]);                                                                 \
        return s;                                                                                  \
    }

// Float32 |a - b|^2 (k-means) and float64 dot products (the mixture EM pass).
CLUSTERSCOPE_REDUCE_KERNEL(distanceAvx512, __attribute__((target("avx512f"))), float, 16,
                           CLUSTERSCOPE_SQUARED_DIFFERENCE)
CLUSTERSCOPE_REDUCE_KERNEL(distanceAvx2, __attribute__((target("avx2,fma"))), float, 8,
                           CLUSTERSCOPE_SQUARED_DIFFERENCE)
CLUSTERSCOPE_REDUCE_KERNEL(distanceBaseline, , float, 4, CLUSTERSCOPE_SQUARED_DIFFERENCE)
CLUSTERSCOPE_REDUCE_KERNEL(dotAvx512, __attribute__((target("avx512f"))), double, 8,
                           CLUSTERSCOPE_PRODUCT)
CLUSTERSCOPE_REDUCE_KERNEL(dotAvx2, __attribute__((target("avx2,fma"))), double, 4,
                           CLUSTERSCOPE_PRODUCT)
CLUSTERSCOPE_REDUCE_KERNEL(dotBaseline, , double, 2, CLUSTERSCOPE_PRODUCT)
#undef CLUSTERSCOPE_REDUCE_KERNEL
#undef CLUSTERSCOPE_SQUARED_DIFFERENCE
#undef CLUSTERSCOPE_PRODUCT

// y += a x; plain loops vectorise, compiled for each target.
#define CLUSTERSCOPE_AXPY_KERNEL(NAME, TARGET)                                                     \
    TARGET static void NAME(double* y, double a, const double* x, int64_t n)                       \
    {                                                                                              \
        for (int64_t j = 0; j < n; ++j)                                                            \
            y[j] += a * x[j];                                                                      \
    }

CLUSTERSCOPE_AXPY_KERNEL(axpyAvx512, __attribute__((target("avx512f"))))
CLUSTERSCOPE_AXPY_KERNEL(axpyAvx2, __attribute__((target("avx2,fma"))))
CLUSTERSCOPE_AXPY_KERNEL(axpyBaseline, )
#undef CLUSTERSCOPE_AXPY_KERNEL

CLUSTERSCOPE_TILE_T_KERNEL(tileTAvx512, __attribute__((target("avx512f"))), 16)
CLUSTERSCOPE_TILE_T_KERNEL(tileTAvx2, __attribute__((target("avx2,fma"))), 8)
CLUSTERSCOPE_TILE_T_KERNEL(tileTBaseline, , 4)
#undef CLUSTERSCOPE_TILE_T_KERNEL

CLUSTERSCOPE_TILE_KERNEL(tileAvx512, __attribute__((target("avx512f"))), 16)
CLUSTERSCOPE_TILE_KERNEL(tileAvx2, __attribute__((target("avx2,fma"))), 8)
CLUSTERSCOPE_TILE_KERNEL(tileBaseline, , 4)
#undef CLUSTERSCOPE_TILE_KERNEL

using TileFn = void (*)(const float*, int64_t, int64_t, const float*, int64_t, int64_t, float*,
                        int64_t);

using DistanceFn = float (*)(const float*, const float*, int64_t);
using DotFn = double (*)(const double*, const double*, int64_t);
using AxpyFn = void (*)(double*, double, const double*, int64_t);

struct Kernels
{
    TileFn tile;
    TileFn tileT;
    DistanceFn distance;
    DotFn dot;
    AxpyFn axpy;
    int64_t width;
};

Kernels pickKernels()
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
    {
        return {tileAvx512, tileTAvx512, distanceAvx512, dotAvx512, axpyAvx512, 16};
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    {
        return {tileAvx2, tileTAvx2, distanceAvx2, dotAvx2, axpyAvx2, 8};
    }
    return {tileBaseline, tileTBaseline, distanceBaseline, dotBaseline, axpyBaseline, 4};
}

const Kernels kernels = pickKernels();

void dotsPackedImpl(const float* x, int64_t n, int64_t d, const float* ct, int64_t padded,
                    int64_t m, float* out)
{
    const int64_t w = kernels.width;
    const int64_t span = kVectorsPerTile * w;
    float tileOut[kRowsPerTile * kVectorsPerTile * 16]; // 16 floats: the widest vector
    for (int64_t r = 0; r < n; r += kRowsPerTile)
    {
        const int64_t rows = std::min(kRowsPerTile, n - r);
        for (int64_t q = 0; q < padded; q += span)
        {
            const int64_t vectors = std::min(kVectorsPerTile, (padded - q) / w);
            kernels.tileT(x + r * d, rows, d, ct + q, padded, vectors, tileOut, span);
            const int64_t cols = std::min(span, m - q);
            for (int64_t i = 0; i < rows; ++i)
            {
                std::memcpy(out + (r + i) * m + q, tileOut + i * span,
                            sizeof(float) * static_cast<size_t>(cols));
            }
        }
    }
}

} // namespace

bool prefersPacked(int64_t d)
{
    return d < kSmallD;
}

std::vector<float> packForDots(const float* c, int64_t m, int64_t d)
{
    const int64_t padded = paddedCount(m);
    std::vector<float> ct(static_cast<size_t>(d * padded), 0.0f);
    for (int64_t q = 0; q < m; ++q)
    {
        for (int64_t j = 0; j < d; ++j)
        {
            ct[static_cast<size_t>(j * padded + q)] = c[q * d + j];
        }
    }
    return ct;
}

int64_t paddedCount(int64_t m)
{
    const int64_t w = kernels.width;
    return (m + w - 1) / w * w;
}

void dotsPacked(const float* x, int64_t n, int64_t d, const float* packed, int64_t m, float* out)
{
    dotsPackedImpl(x, n, d, packed, paddedCount(m), m, out);
}

void dots(const float* x, int64_t n, int64_t d, const float* c, int64_t m, float* out)
{
    if (d < kSmallD)
    {
        const auto packed = packForDots(c, m, d);
        dotsPacked(x, n, d, packed.data(), m, out);
        return;
    }
    for (int64_t r = 0; r < n; r += kRowsPerTile)
    {
        const int64_t rows = std::min(kRowsPerTile, n - r);
        for (int64_t q = 0; q < m; q += kCentersPerTile)
        {
            kernels.tile(x + r * d, rows, d, c + q * d, std::min(kCentersPerTile, m - q), d,
                         out + r * m + q, m);
        }
    }
}

void toSquaredDistances(const float* xSq, int64_t n, const float* cSq, int64_t m, float* out)
{
    for (int64_t r = 0; r < n; ++r)
    {
        for (int64_t q = 0; q < m; ++q)
        {
            float& v = out[r * m + q];
            v = std::max(0.0f, xSq[r] + cSq[q] - 2 * v);
        }
    }
}

void squaredDistances(const float* x, const float* xSq, int64_t n, int64_t d, const float* c,
                      const float* cSq, int64_t m, float* out)
{
    dots(x, n, d, c, m, out);
    toSquaredDistances(xSq, n, cSq, m, out);
}

float squaredDistance(const float* a, const float* b, int64_t d)
{
    return kernels.distance(a, b, d);
}

namespace
{

constexpr double kUnit = 0x1p-24; // float32's unit round-off

// A bound on |fl(cSq_j - 2 x.c_j) - (|c_j|^2 - 2 x.c_j)| for every j, for a row with |x| <=
// xNorm: the dot product's summation error (at most D terms deep in any order, with or without
// FMA) and the subtraction's rounding, plus the norms' error; doubled for slack.
double valueError(int64_t d, double xNorm, const RowBounds& b)
{
    const double dotBound = xNorm * b.maxNorm;
    const double gamma = 1.02 * static_cast<double>(d + 2) * kUnit;
    return 2.0 * (2.0 * gamma * dotBound +
                  kUnit * (b.maxNorm * b.maxNorm + 2.0 * dotBound * (1.0 + gamma))) +
           b.normError;
}

// fl(|x - c|^2) >= (1 - slack) |x - c|^2 and <= (1 + slack) |x - c|^2 (D squared differences).
double distanceSlack(int64_t d)
{
    return 2.04 * static_cast<double>(d + 3) * kUnit;
}

} // namespace

void assignRows(const float* x, int64_t n, int64_t d, const float* c, const float* cSq, int64_t k,
                int64_t* labels, float* minDist, double* sums, double* counts, RowBounds* bounds)
{
    std::vector<float> block(static_cast<size_t>(kBlockRows * k));
    std::vector<float> partial(sums ? static_cast<size_t>(k * d) : 0);
    // The error bounds below assume D u << 1 (u = 2^-24): beyond, every row is scanned.
    if (bounds && d > 100000)
        bounds = nullptr;
    const bool bounded = bounds && bounds->previous;
    // Rows to scan go through dots four at a time (a tile's rows), copied together.
    std::vector<float> scratch(bounded ? static_cast<size_t>(kRowsPerTile * d) : 0);
    std::vector<float> scratchOut(bounded ? static_cast<size_t>(kRowsPerTile * k) : 0);
    std::vector<int64_t> scan(static_cast<size_t>(kBlockRows));
    std::vector<char> kept(static_cast<size_t>(kBlockRows), 0);
    std::vector<float> previousDistance(bounded ? static_cast<size_t>(kBlockRows) : 0);
    const double slack = distanceSlack(d);
    for (int64_t start = 0; start < n; start += kBlockRows)
    {
        const int64_t len = std::min(kBlockRows, n - start);
        const float* xb = x + start * d;
        int64_t scans = 0;
        if (bounded)
        {
            // The row keeps its label when fl(value) cannot be lowest elsewhere: the distance
            // to its center (an upper bound) plus twice the values' error stays below the
            // lower bound of every other center's distance.
            for (int64_t r = 0; r < len; ++r)
            {
                const int64_t i = start + r;
                const int64_t a = bounds->previous[i];
                double& lower = bounds->lower[i];
                lower = lower - bounds->drop[a];
                lower = lower > 0 ? lower * (1.0 - 1e-15) : 0.0; // round down, never up
                const float own = kernels.distance(xb + r * d, c + a * d, d);
                previousDistance[static_cast<size_t>(r)] = own;
                const double upper = static_cast<double>(own) * (1.0 + slack);
                const double error = valueError(d, bounds->maxNorm + std::sqrt(upper), *bounds);
                kept[static_cast<size_t>(r)] = upper + 2.0 * error < lower * lower;
                if (!kept[static_cast<size_t>(r)])
                    scan[static_cast<size_t>(scans++)] = r;
            }
        }
        else
        {
            for (int64_t r = 0; r < len; ++r)
                scan[static_cast<size_t>(scans++)] = r;
        }
        if (scans == len)
            dots(xb, len, d, c, k, block.data());
        else
            for (int64_t g = 0; g < scans; g += kRowsPerTile)
            {
                // Each row's dot products depend on that row alone, whatever rows share the
                // tile: the same bits as the whole block's dots.
                const int64_t rows = std::min(kRowsPerTile, scans - g);
                for (int64_t q = 0; q < rows; ++q)
                    std::memcpy(scratch.data() + q * d, xb + scan[static_cast<size_t>(g + q)] * d,
                                sizeof(float) * static_cast<size_t>(d));
                dots(scratch.data(), rows, d, c, k, scratchOut.data());
                for (int64_t q = 0; q < rows; ++q)
                    std::memcpy(block.data() + scan[static_cast<size_t>(g + q)] * k,
                                scratchOut.data() + q * k, sizeof(float) * static_cast<size_t>(k));
            }
        if (bounds)
            bounds->scanned += scans;
        for (int64_t r = 0; r < len; ++r)
        {
            const float* src = xb + r * d;
            int64_t which = 0;
            if (bounded && kept[static_cast<size_t>(r)])
            {
                which = bounds->previous[start + r];
                labels[start + r] = which;
                minDist[start + r] = previousDistance[static_cast<size_t>(r)];
            }
            else
            {
                const float* row = block.data() + r * k;
                float best = std::numeric_limits<float>::infinity();
                float second = std::numeric_limits<float>::infinity();
                for (int64_t j = 0; j < k; ++j)
                {
                    const float v = cSq[j] - 2 * row[j];
                    if (v < best)
                    {
                        second = best;
                        best = v;
                        which = j;
                    }
                    else if (v < second)
                        second = v;
                }
                labels[start + r] = which;
                // The exact distance to the chosen center: no cancellation, unlike the norm form.
                minDist[start + r] = bounded && bounds->previous[start + r] == which
                                         ? previousDistance[static_cast<size_t>(r)]
                                         : kernels.distance(src, c + which * d, d);
                if (bounds)
                {
                    // |x - c_j|^2 = |x - c_a|^2 + (value_j - value_a), each value within
                    // `error` of its exact counterpart.
                    const double own = static_cast<double>(minDist[start + r]);
                    const double error =
                        valueError(d, bounds->maxNorm + std::sqrt(own * (1.0 + slack)), *bounds);
                    const double gap = static_cast<double>(second) - static_cast<double>(best);
                    const double lowerSq = own * (1.0 - slack) + gap - 2.0 * error;
                    bounds->lower[start + r] =
                        k == 1 ? std::numeric_limits<double>::infinity()
                               : (lowerSq > 0 ? std::sqrt(lowerSq) * (1.0 - 1e-15) : 0.0);
                }
            }
            if (sums)
            {
                float* target = partial.data() + which * d;
                for (int64_t j = 0; j < d; ++j)
                {
                    target[j] += src[j];
                }
                counts[which] += 1;
            }
        }
        // Flush the float partial sums into float64 totals every 16 blocks, bounding round-off.
        const bool last = start + kBlockRows >= n;
        if (sums && (last || (start / kBlockRows) % 16 == 15))
        {
            for (size_t i = 0; i < partial.size(); ++i)
            {
                sums[i] += partial[i];
            }
            std::fill(partial.begin(), partial.end(), 0.0f);
        }
    }
}

double emPass(const double* z, int64_t n, int64_t l, const double* w, const double* bias, int64_t k,
              double* resp, double* nk, double* moments)
{
    std::vector<double> s(static_cast<size_t>(k));
    double logLikelihood = 0;
    for (int64_t i = 0; i < n; ++i)
    {
        const double* row = z + i * l;
        double top = -std::numeric_limits<double>::infinity();
        for (int64_t c = 0; c < k; ++c)
        {
            s[static_cast<size_t>(c)] = bias[c] - 0.5 * kernels.dot(row, w + c * l, l);
            top = std::max(top, s[static_cast<size_t>(c)]);
        }
        double sum = 0;
        for (int64_t c = 0; c < k; ++c)
        {
            s[static_cast<size_t>(c)] = std::exp(s[static_cast<size_t>(c)] - top);
            sum += s[static_cast<size_t>(c)];
        }
        logLikelihood += top + std::log(sum);
        for (int64_t c = 0; c < k; ++c)
        {
            const double r = s[static_cast<size_t>(c)] / sum;
            if (resp)
                resp[i * k + c] = r;
            nk[c] += r;
            kernels.axpy(moments + c * l, r, row, l);
        }
    }
    return logLikelihood;
}

} // namespace clusterscope::cpu

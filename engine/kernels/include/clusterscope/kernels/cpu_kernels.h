#pragma once
// Hand-blocked CPU kernels for the centroid methods. OpenBLAS is slow on the skinny products
// they need (N x D times D x K with K ~ 10): ~15 GFLOP/s here against a memory-bound one-pass
// kernel that reads X once. Each kernel is compiled for AVX-512, AVX2 and baseline x86-64 and
// picked at run time.

#include <cstdint>
#include <vector>

namespace clusterscope::cpu
{

// out[r * m + j] = dot(x[r], c[j]) for rows [0, n); x is n x d, c is m x d, row-major.
void dots(const float* x, int64_t n, int64_t d, const float* c, int64_t m, float* out);

// For scans that meet the same m rows many times with small d: pack them once (transposed and
// padded to the vector width), then take dots against the packing.
bool prefersPacked(int64_t d);
int64_t paddedCount(int64_t m);
std::vector<float> packForDots(const float* c, int64_t m, int64_t d);
void dotsPacked(const float* x, int64_t n, int64_t d, const float* packed, int64_t m, float* out);

// Turns dots (n x m) into squared distances through the norms, clamped at 0, in place.
void toSquaredDistances(const float* xSq, int64_t n, const float* cSq, int64_t m, float* out);

// |a - b|^2 of two d-vectors, summed directly (not through the norms) with the widest vectors
// the CPU has (AVX-512, AVX2 or SSE, chosen at run time).
float squaredDistance(const float* a, const float* b, int64_t d);

// out[r * m + j] = |x_r - c_j|^2 through the norms, clamped at 0.
void squaredDistances(const float* x, const float* xSq, int64_t n, int64_t d, const float* c,
                      const float* cSq, int64_t m, float* out);

// One Lloyd step over rows [0, n): label = argmin_j |c_j|^2 - 2 x.c_j, minDist = |x - c|^2
// (computed directly), (from the norms), and when sums != nullptr also sums[label] += x,
// counts[label] += 1. sums is k x d float64, counts k float64; both are accumulated into, not
// cleared.
//
// With bounds (Hamerly's), rows whose bounds prove the label unchanged skip their k dot
// products. The proof covers float32 round-off (see RowBounds), so the labels, distances and
// sums are bit for bit those of the plain step.
struct RowBounds
{
    const int64_t* previous = nullptr; // the last step's labels; nullptr on the first step
    const double* drop = nullptr;      // per cluster a: max over j != a of |c_j now - c_j then|
    double* lower = nullptr;           // per row: <= |x - c_j| for every j != label; updated
    double maxNorm = 0;                // >= max_j |c_j|
    double normError = 0;              // >= max_j |cSq_j - |c_j|^2| (cSq as passed, in float)
    int64_t scanned = 0;               // rows whose dot products were taken (added to)
};
void assignRows(const float* x, int64_t n, int64_t d, const float* c, const float* cSq, int64_t k,
                int64_t* labels, float* minDist, double* sums, double* counts,
                RowBounds* bounds = nullptr);

// One fused EM pass for mixtures whose log-density is linear in lifted rows z (n x l, float64):
// s_k = bias_k - z.w_k / 2, r = softmax(s). Accumulates into nk (k) the responsibilities and
// into moments (k x l) the sums r_k z; writes r into resp (n x k) when it is not null. Returns
// the sum over rows of log-sum-exp(s), the log-likelihood.
double emPass(const double* z, int64_t n, int64_t l, const double* w, const double* bias, int64_t k,
              double* resp, double* nk, double* moments);

} // namespace clusterscope::cpu

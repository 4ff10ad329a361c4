#pragma once
// GLDC, the deep clustering of HCHC (Huang, Cheng, Li & Zhang 2023, "High-dimensional Clustering
// onto Hamiltonian Cycle", ICML), as its authors' GLDC.py trains it for Fashion-MNIST. On the
// MLP autoencoder of deep.h (pretrained and cached as for DEC), with DEC's Student-t soft
// assignment Q to centres started by k-means, each epoch recomputes Q and DEC's target P on all
// rows, then takes Adam steps on batches of B rows with
//
//   L = MSE(x', x)                                     reconstruction
//     + w(t) * L_local                                 local structure, w(t) = max(5 0.8^t, 0.2)
//     + 10 * MSE(q(x + N(0, 0.2^2)), q(x))             soft labels that noise does not move
//     + 0.001 * KL(P || Q)                             DEC's global, centroid-level term
//
// where L_local is the binary cross-entropy between the pair probabilities q_a . q_b and a
// rank-order target over the batch (gldcLocalTarget). The weights are the reference's; the
// notes in shared/reference/layouts-explanations-classic.md section 1.2 give their sources.

#include <clusterscope/deep/deep.h>

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace clusterscope
{

class Progress;

struct GldcOptions
{
    // k, the autoencoder (GLDC's latent is 5), seeds, device, cache, checkpoint, truth, the
    // k-means restarts of the start, the clustering optimiser (Adam, lr 1e-3) and batch (128).
    DeepOptions deep;
    int64_t epochs = 20;           // clustering epochs (batches drop the last partial one)
    double tol = 0;                // stop early when fewer labels change (0: run every epoch)
    double noiseStd = 0.2;         // the consistency term's Gaussian noise, in input units
    double consistencyWeight = 10; // of MSE(q(x + noise), q(x))
    double klWeight = 0.001;       // of KL(P || Q)
    double localWeight = 5;        // w(0)
    double localDecay = 0.8;       // w(t) = max(localWeight localDecay^t, localFloor)
    double localFloor = 0.2;
    double sigma = 10;       // the rank-order kernel's width
    int64_t nNeighbors = 11; // rows (the row itself included) a row's local target keeps
    double rankDecay = 0.2;  // the target's exp(-rankDecay KROD) weight
};

// Returns what deepCluster returns, with Q as the soft assignment and the final embedding.
// `x` is N x D float32 on any device; training runs on options.deep.device (CPU or CUDA), the
// noise is drawn on the CPU from the seed, so both devices draw the same. The same seed on the
// same device gives the same labels and Q; a run resumed from its checkpoint ends as an
// uninterrupted one. Throws ParameterError for k outside [2, N - 1], DataError when a training
// loss stops being finite (naming the learning rate), CancelledError when `progress` asks.
DeepResult gldc(const at::Tensor& x, const GldcOptions& options, Progress* progress = nullptr);

// The local term's target for a batch embedding z (B x d float32, detached), after GLDC.py's
// CKROD: D = squared distances / their maximum; Rank_ab = the rank of D_ab in row a (ties in
// row order); KROD = (Rank + Rank^T + 1) exp(D / sigma); t_ab = exp(-rankDecay KROD_ab) where
// KROD_ab is below the (nNeighbors + 1)-th smallest of column b, else 0. B x B float32.
at::Tensor gldcLocalTarget(const at::Tensor& z, double sigma, int64_t nNeighbors, double rankDecay);

// The local term: the mean over all B^2 pairs of the binary cross-entropy between t_ab and the
// pair probability q_a . q_b (clamped to [0, 1]; 1e-9 inside the logarithms, as the reference).
at::Tensor gldcPairLoss(const at::Tensor& q, const at::Tensor& target);

} // namespace clusterscope

// UMAP's spectral initialisation (umap-learn's spectral_layout): the eigenvectors of the
// normalised Laplacian L = I - D^-1/2 W D^-1/2 with the smallest non-zero eigenvalues, found as
// the largest of D^-1/2 W D^-1/2 by Spectra's Lanczos solver.

#include "umap_steps.h"

#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>

#include <ATen/ATen.h>
#include <Eigen/Dense>

#include <Spectra/SymEigsSolver.h>
#include <algorithm>
#include <cmath>

namespace clusterscope
{
namespace
{

class NormalizedGraph
{
public:
    using Scalar = double;

    NormalizedGraph(const FuzzyGraph& g, Progress& progress) : g_(g), progress_(progress)
    {
        scale_.resize(static_cast<size_t>(g.rows));
        for (int64_t i = 0; i < g.rows; ++i)
        {
            double degree = 0;
            for (int64_t e = g.rowStart[static_cast<size_t>(i)];
                 e < g.rowStart[static_cast<size_t>(i) + 1]; ++e)
                degree += g.weights[static_cast<size_t>(e)];
            scale_[static_cast<size_t>(i)] = degree > 0 ? 1.0 / std::sqrt(degree) : 0.0;
        }
    }

    Eigen::Index rows() const { return g_.rows; }
    Eigen::Index cols() const { return g_.rows; }

    void perform_op(const double* in, double* out) const
    {
        throwIfCancelled(progress_);
        for (int64_t i = 0; i < g_.rows; ++i)
        {
            double s = 0;
            for (int64_t e = g_.rowStart[static_cast<size_t>(i)];
                 e < g_.rowStart[static_cast<size_t>(i) + 1]; ++e)
            {
                const auto j = g_.columns[static_cast<size_t>(e)];
                s += g_.weights[static_cast<size_t>(e)] * scale_[static_cast<size_t>(j)] * in[j];
            }
            out[i] = s * scale_[static_cast<size_t>(i)];
        }
    }

    Eigen::MatrixXd dense() const
    {
        Eigen::MatrixXd m = Eigen::MatrixXd::Zero(g_.rows, g_.rows);
        for (int64_t i = 0; i < g_.rows; ++i)
            for (int64_t e = g_.rowStart[static_cast<size_t>(i)];
                 e < g_.rowStart[static_cast<size_t>(i) + 1]; ++e)
            {
                const auto j = g_.columns[static_cast<size_t>(e)];
                m(i, j) = g_.weights[static_cast<size_t>(e)] * scale_[static_cast<size_t>(i)] *
                          scale_[static_cast<size_t>(j)];
            }
        return m;
    }

private:
    const FuzzyGraph& g_;
    Progress& progress_;
    std::vector<double> scale_;
};

// Below this many rows a dense eigendecomposition is quicker and never fails to converge.
constexpr int64_t kDenseRows = 400;

} // namespace

at::Tensor spectralLayout(const FuzzyGraph& graph, int64_t dim, uint64_t seed, Progress& progress)
{
    const int64_t n = graph.rows;
    const int64_t want = dim + 1; // the first is the trivial D^1/2 1
    if (want >= n)
        return {};
    NormalizedGraph op(graph, progress);
    Eigen::MatrixXd vectors; // n x want, by descending eigenvalue of N
    if (n <= kDenseRows)
    {
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(op.dense());
        if (solver.info() != Eigen::Success)
            return {};
        vectors = solver.eigenvectors().rightCols(want).rowwise().reverse();
    }
    else
    {
        const auto ncv = std::min<int64_t>(
            n, std::max<int64_t>(2 * want + 1, static_cast<int64_t>(std::sqrt(n))));
        Spectra::SymEigsSolver<NormalizedGraph> eigs(op, want, ncv);
        Rng rng(deriveSeed(seed, 31));
        std::uniform_real_distribution<double> u(-1.0, 1.0);
        Eigen::VectorXd start(n);
        for (int64_t i = 0; i < n; ++i)
            start(i) = u(rng);
        eigs.init(start.data());
        // umap-learn's tolerance and iteration cap (eigsh tol=1e-4, maxiter=5n).
        eigs.compute(Spectra::SortRule::LargestAlge, std::max<int64_t>(1000, 5 * n), 1e-4,
                     Spectra::SortRule::LargestAlge);
        if (eigs.info() != Spectra::CompInfo::Successful)
            return {};
        vectors = eigs.eigenvectors();
    }
    auto out = at::empty({n, dim}, at::kFloat);
    float* o = out.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i)
        for (int64_t c = 0; c < dim; ++c)
            o[i * dim + c] = static_cast<float>(vectors(i, c + 1));
    return out;
}

} // namespace clusterscope

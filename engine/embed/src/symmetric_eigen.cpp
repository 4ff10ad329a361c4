// Leading eigenpairs of a covariance. LAPACK's syevd solves the whole D x D problem in one call
// that cannot poll: 0.2-0.7 s for Fashion-MNIST's 784 x 784 on a loaded machine, longer than the
// 200 ms a cancel may take. PCA usually wants 2-50 components, which Spectra's implicitly
// restarted Lanczos finds from a few hundred products with the matrix, polling at each one.

#include "symmetric_eigen.h"

#include <clusterscope/core/progress.h>

#include <ATen/ATen.h>
#include <Eigen/Core>

#include <Spectra/SymEigsSolver.h>
#include <algorithm>

namespace clusterscope
{

namespace
{

// Residuals below 1e-12 of the (scaled, shifted) matrix's norm: eigenvalues agree with LAPACK's
// to about 1e-12 of the total variance and eigenvectors far below float32's resolution.
constexpr double kLanczosTolerance = 1e-12;
constexpr int64_t kLanczosRestarts = 1000;

// y = C x / scale + x. Scaling by the trace and shifting by one puts the spectrum in [1, 2]
// without changing the Krylov spaces or the eigenvectors, so Spectra's relative convergence test
// (residual < tol * |eigenvalue|) becomes an absolute one that tiny or zero eigenvalues of
// rank-deficient data can pass too.
class ShiftedCovariance
{
public:
    using Scalar = double;

    ShiftedCovariance(const at::Tensor& matrix, double scale, const Progress& progress)
        : matrix_(matrix.data_ptr<double>(), matrix.size(0), matrix.size(1)), scale_(scale),
          progress_(progress)
    {
    }

    Eigen::Index rows() const { return matrix_.rows(); }
    Eigen::Index cols() const { return matrix_.cols(); }

    // One product costs 2 D^2 flops (1.2 MFlop for D = 784): polling at each is cheap and
    // keeps the gaps to a product plus Spectra's small restarts.
    void perform_op(const double* in, double* out) const
    {
        throwIfCancelled(progress_);
        Eigen::Map<const Eigen::VectorXd> x(in, matrix_.cols());
        Eigen::Map<Eigen::VectorXd> y(out, matrix_.rows());
        y.noalias() = matrix_ * x; // Eigen's single-threaded product: thread-count invariant
        y = y / scale_ + x;
    }

private:
    Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>
        matrix_;
    double scale_;
    const Progress& progress_;
};

std::pair<at::Tensor, at::Tensor> lanczosEigenpairs(const at::Tensor& matrix, int64_t count,
                                                    Progress& progress)
{
    const int64_t d = matrix.size(0);
    const double trace = matrix.diagonal().sum().item<double>();
    ShiftedCovariance op(matrix, trace > 0 ? trace : 1.0, progress);
    const int64_t ncv = std::min(d, std::max<int64_t>(2 * count + 1, 20));
    Spectra::SymEigsSolver<ShiftedCovariance> eigs(op, count, ncv);
    eigs.init(); // a fixed start: the exact solver does not depend on the seed
    eigs.compute(Spectra::SortRule::LargestAlge, kLanczosRestarts, kLanczosTolerance,
                 Spectra::SortRule::LargestAlge);
    if (eigs.info() != Spectra::CompInfo::Successful)
    {
        // Not seen on real spectra; LAPACK is exact, only unpolled.
        auto [values, vectors] = symmetricEigen(matrix);
        return {values.narrow(0, 0, count).contiguous(), vectors.narrow(0, 0, count).contiguous()};
    }
    // Spectra's D x count column-major block is the count x D row-major matrix of rows.
    const Eigen::MatrixXd columns = eigs.eigenvectors();
    auto vectors =
        at::from_blob(const_cast<double*>(columns.data()), {count, d}, at::kDouble).clone();
    // Rayleigh quotients on the unshifted matrix: no cancellation from the shift.
    auto values = (at::mm(vectors, matrix) * vectors).sum(1);
    return {values, vectors};
}

// Few of many: the usual 2-50 components of hundreds of features.
bool usesLanczos(int64_t dims, int64_t count)
{
    return count >= 1 && 4 * count <= dims;
}

} // namespace

std::pair<at::Tensor, at::Tensor> symmetricEigen(const at::Tensor& matrix)
{
    // Eigenvalues ascending from LAPACK; flipped to descending, rows are eigenvectors.
    auto [values, vectors] = at::linalg_eigh(matrix.to(at::kCPU, at::kDouble));
    return {values.flip(0).contiguous(), vectors.t().flip(0).contiguous()};
}

std::pair<at::Tensor, at::Tensor> leadingEigenpairs(const at::Tensor& matrix, int64_t count,
                                                    Progress& progress)
{
    const auto host = matrix.to(at::kCPU, at::kDouble).contiguous();
    if (usesLanczos(host.size(0), count))
        return lanczosEigenpairs(host, count, progress);
    // Many components: Lanczos would need a Krylov space near D wide and D^3 work of its own,
    // so one LAPACK call, unpolled. It is the only gap left in PCA's cancel contract, reached
    // only by asking for more than a quarter of the features as components.
    throwIfCancelled(progress);
    auto [values, vectors] = symmetricEigen(host);
    throwIfCancelled(progress);
    return {values.narrow(0, 0, count).contiguous(), vectors.narrow(0, 0, count).contiguous()};
}

} // namespace clusterscope

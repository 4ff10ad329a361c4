// Spectral clustering. The k smallest eigenvalues of L = I - D^-1/2 A D^-1/2 are the k largest of
// N = D^-1/2 A D^-1/2, which Spectra's Lanczos solver finds from products with N alone: sparse
// (CSR) for kNN affinities, dense float32 for RBF. As in SciPy's Laplacian, self-loops are left
// out of A and isolated nodes get degree 1.

#include <clusterscope/cluster/kmeans.h>
#include <clusterscope/cluster/spectral.h>
#include <clusterscope/core/errors.h>
#include <clusterscope/core/progress.h>
#include <clusterscope/core/random.h>
#include <clusterscope/kernels/centring.h>
#include <clusterscope/kernels/distance_scan.h>
#include <clusterscope/kernels/distances.h>
#include <clusterscope/kernels/parallel.h>
#include <clusterscope/kernels/union_find.h>

#include <ATen/ATen.h>

#include <Spectra/SymEigsSolver.h>
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>

namespace clusterscope
{
namespace
{

// The normalised affinity N, with the product Spectra asks for.
class NormalizedAffinity
{
public:
    using Scalar = double;

    // Sparse: rows' (column, weight) lists in CSR form.
    NormalizedAffinity(std::vector<int64_t> rowStart, std::vector<int64_t> columns,
                       std::vector<double> weights, Progress& progress)
        : n_(static_cast<int64_t>(rowStart.size()) - 1), rowStart_(std::move(rowStart)),
          columns_(std::move(columns)), sparse_(std::move(weights)), progress_(progress)
    {
        std::vector<double> degree(static_cast<size_t>(n_), 0.0);
        for (int64_t i = 0; i < n_; ++i)
            for (int64_t e = rowStart_[static_cast<size_t>(i)];
                 e < rowStart_[static_cast<size_t>(i) + 1]; ++e)
                degree[static_cast<size_t>(i)] += sparse_[static_cast<size_t>(e)];
        normalise(degree);
        for (int64_t i = 0; i < n_; ++i)
            for (int64_t e = rowStart_[static_cast<size_t>(i)];
                 e < rowStart_[static_cast<size_t>(i) + 1]; ++e)
                sparse_[static_cast<size_t>(e)] /=
                    scale_[static_cast<size_t>(i)] *
                    scale_[static_cast<size_t>(columns_[static_cast<size_t>(e)])];
    }

    // Dense: an N x N float32 affinity with a zero diagonal.
    NormalizedAffinity(int64_t n, std::vector<float> dense, Progress& progress)
        : n_(n), dense_(std::move(dense)), progress_(progress)
    {
        std::vector<double> degree(static_cast<size_t>(n_), 0.0);
        parallelSlices(n_, computeThreads(),
                       [&](int, int64_t begin, int64_t end)
                       {
                           for (int64_t i = begin; i < end; ++i)
                           {
                               double s = 0;
                               const float* row = dense_.data() + i * n_;
                               for (int64_t j = 0; j < n_; ++j)
                                   s += row[j];
                               degree[static_cast<size_t>(i)] = s;
                           }
                       });
        normalise(degree);
        parallelSlices(n_, computeThreads(),
                       [&](int, int64_t begin, int64_t end)
                       {
                           for (int64_t i = begin; i < end; ++i)
                           {
                               float* row = dense_.data() + i * n_;
                               for (int64_t j = 0; j < n_; ++j)
                                   row[j] = static_cast<float>(row[j] /
                                                               (scale_[static_cast<size_t>(i)] *
                                                                scale_[static_cast<size_t>(j)]));
                           }
                       });
    }

    Eigen::Index rows() const { return n_; }
    Eigen::Index cols() const { return n_; }

    void perform_op(const double* in, double* out) const
    {
        throwIfCancelled(progress_);
        ++products_;
        if (dense_.empty())
        {
            for (int64_t i = 0; i < n_; ++i)
            {
                double s = 0;
                for (int64_t e = rowStart_[static_cast<size_t>(i)];
                     e < rowStart_[static_cast<size_t>(i) + 1]; ++e)
                    s += sparse_[static_cast<size_t>(e)] * in[columns_[static_cast<size_t>(e)]];
                out[i] = s;
            }
            return;
        }
        parallelSlices(n_, computeThreads(),
                       [&](int, int64_t begin, int64_t end)
                       {
                           for (int64_t i = begin; i < end; ++i)
                           {
                               const float* row = dense_.data() + i * n_;
                               double s = 0;
                               for (int64_t j = 0; j < n_; ++j)
                                   s += row[j] * in[j];
                               out[i] = s;
                           }
                       });
    }

    // Connected components of the affinity graph, numbered from 0 by first appearance.
    std::vector<int64_t> components() const
    {
        UnionFind sets(n_);
        for (int64_t i = 0; i < n_; ++i)
        {
            if (dense_.empty())
            {
                for (int64_t e = rowStart_[static_cast<size_t>(i)];
                     e < rowStart_[static_cast<size_t>(i) + 1]; ++e)
                    sets.unite(i, columns_[static_cast<size_t>(e)]);
                continue;
            }
            const float* row = dense_.data() + i * n_;
            for (int64_t j = i + 1; j < n_; ++j)
            {
                if (row[j] > 0)
                    sets.unite(i, j);
            }
        }
        std::map<int64_t, int64_t> id;
        std::vector<int64_t> out(static_cast<size_t>(n_));
        for (int64_t i = 0; i < n_; ++i)
            out[static_cast<size_t>(i)] =
                id.emplace(sets.find(i), static_cast<int64_t>(id.size())).first->second;
        return out;
    }

    // sqrt(degree), 1 for isolated nodes: the D^1/2 that scales the embedding.
    const std::vector<double>& scale() const { return scale_; }

private:
    void normalise(const std::vector<double>& degree)
    {
        scale_.resize(degree.size());
        for (size_t i = 0; i < degree.size(); ++i)
            scale_[i] = degree[i] > 0 ? std::sqrt(degree[i]) : 1.0;
    }

    int64_t n_ = 0;
    std::vector<int64_t> rowStart_;
    std::vector<int64_t> columns_;
    std::vector<double> sparse_;
    std::vector<float> dense_;
    std::vector<double> scale_;
    Progress& progress_;
    mutable int64_t products_ = 0;
};

// P (N + I) P, P projecting out known eigenvectors (orthonormal columns of `known`). A Krylov
// solver started from one vector finds one vector per distinct eigenvalue, so the eigenvalue 1
// of N, which has one eigenvector per connected component, is deflated by hand; the shift keeps
// the deflated directions (0) below every other eigenvalue (N + I is positive semi-definite).
class DeflatedAffinity
{
public:
    using Scalar = double;
    DeflatedAffinity(const NormalizedAffinity& op, const Eigen::MatrixXd& known)
        : op_(op), known_(known)
    {
    }
    Eigen::Index rows() const { return op_.rows(); }
    Eigen::Index cols() const { return op_.cols(); }
    void perform_op(const double* in, double* out) const
    {
        Eigen::Map<const Eigen::VectorXd> x(in, rows());
        Eigen::Map<Eigen::VectorXd> y(out, rows());
        const Eigen::VectorXd p = x - known_ * (known_.transpose() * x);
        op_.perform_op(p.data(), out);
        y += p;
        y -= known_ * (known_.transpose() * y);
    }

private:
    const NormalizedAffinity& op_;
    const Eigen::MatrixXd& known_;
};

// 0.5 (A + A^T) for the kNN connectivity A, the point itself being one of its `neighbors`.
NormalizedAffinity knnAffinity(const at::Tensor& x, const SpectralOptions& o, Progress& progress,
                               SpectralResult& result)
{
    const int64_t n = x.size(0);
    KnnOptions k;
    k.k = std::clamp<int64_t>(o.neighbors - 1, 1, n - 1);
    k.method = o.knn;
    k.seed = o.seed;
    k.name = "spectral clustering";
    ProgressRange stage(progress, 0.0, 0.4);
    const auto g = nearestNeighbors(x, k, &stage);
    result.knnRecall = g.estimatedRecall;
    result.warnings.insert(result.warnings.end(), g.warnings.begin(), g.warnings.end());
    std::vector<std::map<int64_t, double>> rows(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i)
    {
        for (int64_t j = 0; j < g.k; ++j)
        {
            const int64_t b = g.neighbor(i, j);
            if (b == i)
                continue;
            rows[static_cast<size_t>(i)][b] += 0.5;
            rows[static_cast<size_t>(b)][i] += 0.5;
        }
    }
    std::vector<int64_t> start{0};
    std::vector<int64_t> columns;
    std::vector<double> weights;
    for (const auto& row : rows)
    {
        for (const auto& [c, w] : row)
        {
            columns.push_back(c);
            weights.push_back(w);
        }
        start.push_back(static_cast<int64_t>(columns.size()));
    }
    return {std::move(start), std::move(columns), std::move(weights), progress};
}

NormalizedAffinity rbfAffinity(const at::Tensor& xIn, const SpectralOptions& o, Progress& progress)
{
    const auto x = xIn.to(at::kCPU, at::kFloat).contiguous();
    const int64_t n = x.size(0);
    if (n > kRbfAffinityMaxRows)
        throw ParameterError("the RBF affinity is a dense N x N matrix and takes at most " +
                             std::to_string(kRbfAffinityMaxRows) + " rows; the data has " +
                             std::to_string(n) + ": use the nearest_neighbors affinity");
    std::vector<float> dense(static_cast<size_t>(n * n));
    const auto sq = rowSquaredNorms(x).contiguous();
    const ScanRows rows{x.data_ptr<float>(), sq.data_ptr<float>(), n};
    const auto gamma = static_cast<float>(o.gamma);
    ProgressRange stage(progress, 0.0, 0.4);
    scanSquaredDistances(rows, rows, x.size(1), stage,
                         [&](int64_t q, int64_t r0, const float* d2, int64_t count)
                         {
                             float* row = dense.data() + q * n + r0;
                             for (int64_t j = 0; j < count; ++j)
                                 row[j] = r0 + j == q ? 0.0F : std::exp(-gamma * d2[j]);
                         });
    throwIfCancelled(progress);
    return {n, std::move(dense), progress};
}

// An RBF affinity exp(-gamma d^2) that barely varies carries no structure: gamma d^2 tiny for
// most pairs (every affinity near 1), or huge (near 0, only duplicates linked). The mean d^2
// over all pairs of centred rows is 2 sum |x_i|^2 / N = 2 D var, var the mean column variance;
// 1 / (D var) puts a typical pair at exp(-2).
std::optional<std::string> rbfProblem(const at::Tensor& centred, double gamma)
{
    const int64_t n = centred.size(0);
    const double totalVariance =
        centred.to(at::kDouble).pow(2).sum().item<double>() / static_cast<double>(n); // D var
    if (!(totalVariance > 0))
        return std::nullopt; // identical rows: nothing to measure; the pipeline says so
    const double typical = gamma * 2 * totalVariance;
    if (typical >= 1e-3 && typical <= 1e3)
        return std::nullopt;
    std::ostringstream out;
    out.precision(3);
    out << "the RBF affinity is nearly constant: gamma = " << gamma << " makes exp(-gamma d^2) "
        << (typical < 1e-3 ? "about 1 for nearly every pair of rows"
                           : "about 0 for nearly every pair of rows")
        << ", so the clusters mean little; try gamma near 1/(D var) = " << 1.0 / totalVariance
        << " (D columns of mean variance var)";
    return out.str();
}

// scikit-learn's _deterministic_vector_sign_flip: each vector's largest-magnitude entry positive.
void flipSigns(Eigen::MatrixXd& vectors)
{
    for (Eigen::Index c = 0; c < vectors.cols(); ++c)
    {
        Eigen::Index at = 0;
        vectors.col(c).cwiseAbs().maxCoeff(&at);
        if (vectors(at, c) < 0)
            vectors.col(c) *= -1;
    }
}

} // namespace

Affinity parseAffinity(const std::string& name)
{
    if (name == "nearest_neighbors")
        return Affinity::NearestNeighbors;
    if (name == "rbf")
        return Affinity::Rbf;
    throw ParameterError("affinity '" + name + "' is not one of nearest_neighbors|rbf");
}

SpectralResult spectralClustering(const at::Tensor& xIn, const SpectralOptions& o,
                                  Progress* progressIn)
{
    Progress& progress = progressIn ? *progressIn : nullProgress();
    // Both affinities depend on distances only: centred, so data far from zero loses nothing.
    const auto x = centreFeatures(xIn, "spectral clustering", at::kFloat, &progress).rows;
    const int64_t n = x.size(0);
    if (o.k < 1 || o.k >= n)
        throw ParameterError("spectral clustering: k = " + std::to_string(o.k) +
                             " must be between 1 and " + std::to_string(n - 1) +
                             " (the rows - 1) because the Lanczos eigen-solver needs k below "
                             "the size of the " +
                             std::to_string(n) + " x " + std::to_string(n) +
                             " affinity matrix; lower k or use more rows");
    SpectralResult r;
    auto op =
        o.affinity == Affinity::Rbf ? rbfAffinity(x, o, progress) : knnAffinity(x, o, progress, r);
    progress.report(0.4, "eigenvectors");
    // Each connected component C gives the eigenvector D^1/2 1_C of N (eigenvalue 1), the
    // largest components first.
    const auto component = op.components();
    const int64_t count = *std::max_element(component.begin(), component.end()) + 1;
    std::vector<int64_t> sizes(static_cast<size_t>(count), 0);
    for (int64_t c : component)
        ++sizes[static_cast<size_t>(c)];
    std::vector<int64_t> order(static_cast<size_t>(count));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int64_t a, int64_t b)
                     { return sizes[static_cast<size_t>(a)] > sizes[static_cast<size_t>(b)]; });
    const int64_t known = std::min(count, o.k);
    Eigen::MatrixXd vectors(n, o.k);
    std::vector<double> laplacianValues;
    for (int64_t j = 0; j < known; ++j)
    {
        Eigen::VectorXd u = Eigen::VectorXd::Zero(n);
        for (int64_t i = 0; i < n; ++i)
        {
            if (component[static_cast<size_t>(i)] == order[static_cast<size_t>(j)])
                u(i) = op.scale()[static_cast<size_t>(i)];
        }
        vectors.col(j) = u.normalized();
        laplacianValues.push_back(0.0);
    }
    if (o.affinity == Affinity::Rbf)
        if (auto problem = rbfProblem(x, o.gamma))
            r.warnings.push_back(*problem);
    if (known < o.k)
    {
        const Eigen::MatrixXd basis = vectors.leftCols(known);
        DeflatedAffinity deflated(op, basis);
        const int64_t want = o.k - known;
        const auto ncv = std::min<int64_t>(n, std::max<int64_t>(2 * want + 1, 20));
        Spectra::SymEigsSolver<DeflatedAffinity> eigs(deflated, want, ncv);
        // A seeded start, uniform in [-1, 1) as scikit-learn's v0.
        Rng rng(deriveSeed(o.seed, 21));
        std::uniform_real_distribution<double> u(-1.0, 1.0);
        Eigen::VectorXd start(n);
        for (int64_t i = 0; i < n; ++i)
            start(i) = u(rng);
        eigs.init(start.data());
        eigs.compute(Spectra::SortRule::LargestAlge, 10000, 1e-10, Spectra::SortRule::LargestAlge);
        if (eigs.info() != Spectra::CompInfo::Successful)
            throw Error("the eigensolver did not converge on the " + std::to_string(n) +
                        "-node affinity graph; try more neighbours");
        vectors.rightCols(want) = eigs.eigenvectors();
        for (Eigen::Index c = 0; c < want; ++c)
            laplacianValues.push_back(2.0 - eigs.eigenvalues()(c)); // 1 - (value - 1)
        r.solverIterations = eigs.num_iterations();
    }
    for (int64_t i = 0; i < n; ++i)
        vectors.row(i) /= op.scale()[static_cast<size_t>(i)];
    flipSigns(vectors);

    r.eigenvalues = laplacianValues;
    r.embedding = at::empty({n, o.k}, at::kFloat);
    float* e = r.embedding.data_ptr<float>();
    for (int64_t i = 0; i < n; ++i)
        for (int64_t c = 0; c < o.k; ++c)
            e[i * o.k + c] = static_cast<float>(vectors(i, c));
    progress.report(0.8, "k-means on the embedding");
    KMeansOptions km;
    km.k = o.k;
    km.nInit = o.nInit;
    km.seed = o.seed;
    km.name = "spectral clustering";
    ProgressRange kmeansStage(progress, 0.8, 1.0);
    const auto clusters = kmeans(r.embedding, km, &kmeansStage);
    const auto labels = clusters.labels.to(at::kCPU).contiguous();
    r.labels.assign(labels.data_ptr<int64_t>(), labels.data_ptr<int64_t>() + n);
    progress.report(1.0, "done");
    return r;
}

} // namespace clusterscope

// umap-learn's find_ab_params: the curve 1 / (1 + a d^2b) fitted to the membership UMAP wants in
// the output, by Levenberg-Marquardt from (1, 1) as scipy's curve_fit does.

#include <clusterscope/core/errors.h>
#include <clusterscope/embed/umap.h>

#include <Eigen/Dense>

#include <cmath>
#include <vector>

namespace clusterscope
{
namespace
{

struct Samples
{
    std::vector<double> x, y;
};

Samples targetCurve(double spread, double minDist)
{
    Samples s;
    constexpr int kPoints = 300;
    for (int i = 0; i < kPoints; ++i)
    {
        const double x = spread * 3.0 * i / (kPoints - 1);
        s.x.push_back(x);
        s.y.push_back(x < minDist ? 1.0 : std::exp(-(x - minDist) / spread));
    }
    return s;
}

double residuals(const Samples& s, double a, double b, Eigen::VectorXd& r, Eigen::MatrixXd* jac)
{
    const auto n = static_cast<Eigen::Index>(s.x.size());
    r.resize(n);
    if (jac)
        jac->resize(n, 2);
    for (Eigen::Index i = 0; i < n; ++i)
    {
        const double x = s.x[static_cast<size_t>(i)];
        const double p = x > 0 ? std::pow(x, 2 * b) : 0.0;
        const double f = 1.0 / (1.0 + a * p);
        r(i) = f - s.y[static_cast<size_t>(i)];
        if (jac)
        {
            (*jac)(i, 0) = -p * f * f;
            (*jac)(i, 1) = x > 0 ? -a * p * 2.0 * std::log(x) * f * f : 0.0;
        }
    }
    return r.squaredNorm();
}

} // namespace

UmapCurve fitUmapCurve(double spread, double minDist)
{
    if (!(spread > 0) || !std::isfinite(spread))
        throw ParameterError("spread must be positive; got " + std::to_string(spread));
    if (!(minDist >= 0) || minDist > spread)
        throw ParameterError("min_dist must be between 0 and spread (" + std::to_string(spread) +
                             "); got " + std::to_string(minDist) +
                             ": raise --spread or lower --min-dist");
    const auto samples = targetCurve(spread, minDist);
    double a = 1.0, b = 1.0, lambda = 1e-3;
    Eigen::VectorXd r;
    Eigen::MatrixXd jac;
    double cost = residuals(samples, a, b, r, &jac);
    for (int iteration = 0; iteration < 500; ++iteration)
    {
        const Eigen::Matrix2d jtj = jac.transpose() * jac;
        const Eigen::Vector2d jtr = jac.transpose() * r;
        Eigen::Matrix2d damped = jtj;
        damped.diagonal() += lambda * jtj.diagonal().cwiseMax(1e-12);
        const Eigen::Vector2d step = damped.ldlt().solve(-jtr);
        const double na = a + step(0), nb = b + step(1);
        Eigen::VectorXd trialR;
        const double trial = na > 0 && nb > 0 ? residuals(samples, na, nb, trialR, nullptr)
                                              : std::numeric_limits<double>::infinity();
        if (trial < cost)
        {
            const bool converged = cost - trial <= 1e-15 * (1.0 + cost);
            a = na;
            b = nb;
            cost = residuals(samples, a, b, r, &jac);
            lambda = std::max(lambda / 10.0, 1e-12);
            if (converged)
                break;
        }
        else
        {
            lambda *= 10.0;
            if (lambda > 1e12)
                break;
        }
    }
    return {a, b};
}

} // namespace clusterscope

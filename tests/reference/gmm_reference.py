#!/usr/bin/python3
"""scikit-learn GaussianMixture references for tests/engine/test_gmm.cpp.

Both sides start from the same parameters: the M-step of the one-hot ground-truth labels
(scikit-learn's own _estimate_gaussian_parameters), given to scikit-learn as means_init,
weights_init and precisions_init, and to ClusterScope as initLabels.
"""
import numpy as np
from sklearn.datasets import load_iris, load_digits
from sklearn.mixture import GaussianMixture
from sklearn.mixture._gaussian_mixture import _estimate_gaussian_parameters

def reference(name, x, y, cov, reg=1e-6, max_iter=100, tol=1e-3):
    k = len(np.unique(y))
    resp = np.eye(k)[y]
    weights, means, covs = _estimate_gaussian_parameters(x, resp, reg, cov)
    weights /= len(x)
    if cov == "full":
        precisions = np.array([np.linalg.inv(c) for c in covs])
    elif cov == "tied":
        precisions = np.linalg.inv(covs)
    else:
        precisions = 1.0 / covs
    gm = GaussianMixture(k, covariance_type=cov, reg_covar=reg, max_iter=max_iter, tol=tol,
                         weights_init=weights, means_init=means, precisions_init=precisions)
    gm.fit(x)
    print(f"{name} {cov}: score {gm.score(x):.12g} lower_bound {gm.lower_bound_:.12g} "
          f"n_iter {gm.n_iter_} bic {gm.bic(x):.10g} aic {gm.aic(x):.10g} converged {gm.converged_}")

iris = load_iris()
for cov in ["full", "diag", "tied", "spherical"]:
    reference("iris", iris.data, iris.target, cov)
digits = load_digits()
for cov in ["diag", "spherical"]:
    reference("digits", digits.data, digits.target, cov, reg=1e-2)
reference("digits", digits.data, digits.target, "full", reg=1e-1)

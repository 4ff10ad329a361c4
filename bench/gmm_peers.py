#!/usr/bin/python3
"""scikit-learn's GaussianMixture on Fashion-MNIST 70k reduced to 50 PCA components, for
docs/performance.md. Equal iterations: tol=0 makes both sides run max_iter EM steps, after the
same kind of start (one k-means run). Prints one JSON object per seed."""
import argparse, json, time
import numpy as np
from threadpoolctl import threadpool_limits
from kmeans_peers import fashion

ap = argparse.ArgumentParser()
ap.add_argument("--covariance", default="diag")
ap.add_argument("--k", type=int, default=10)
ap.add_argument("--iterations", type=int, default=20)
ap.add_argument("--seeds", type=int, default=3)
ap.add_argument("--threads", type=int, default=2)
args = ap.parse_args()
with threadpool_limits(limits=args.threads):
    from sklearn.decomposition import PCA
    from sklearn.mixture import GaussianMixture
    x = PCA(50, svd_solver="full").fit_transform(fashion())
    for seed in range(args.seeds):
        gm = GaussianMixture(args.k, covariance_type=args.covariance, max_iter=args.iterations,
                             tol=0.0, random_state=seed)
        t = time.perf_counter()
        gm.fit(x)
        print(json.dumps({"peer": "sklearn", "seconds": time.perf_counter() - t,
                          "iterations": int(gm.n_iter_), "log_likelihood": float(gm.score(x)),
                          "seed": seed, "threads": args.threads, "covariance": args.covariance}),
              flush=True)

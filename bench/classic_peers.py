#!/usr/bin/python3
"""Peers for the classic-suite benchmarks of docs/performance.md, one JSON object per line:
- spectral: scikit-learn's SpectralClustering (kNN affinity, 10 neighbours) on Fashion-MNIST's
  10k test split / 255 -> 50 PCA components;
- minibatch: scikit-learn's MiniBatchKMeans (k = 10) on Fashion-MNIST 70k / 255;
- leiden: scikit-learn's exact 15-NN graph plus python-igraph's Leiden (modularity, 2
  iterations) on Fashion-MNIST 70k -> 50 PCA components.
Run with OPENBLAS_CORETYPE set as bench/classic.sh sets it, so both sides use the same kernels."""
import argparse, json, time
import numpy as np
from threadpoolctl import threadpool_limits
from kmeans_peers import fashion, load_idx_images, FASHION
import os

ap = argparse.ArgumentParser()
ap.add_argument("--seeds", type=int, default=3)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--only", default="spectral,minibatch,leiden")
args = ap.parse_args()
only = args.only.split(",")


def emit(**kw):
    kw["threads"] = args.threads
    print(json.dumps(kw), flush=True)


with threadpool_limits(limits=args.threads):
    from sklearn.cluster import MiniBatchKMeans, SpectralClustering
    from sklearn.decomposition import PCA
    from sklearn.metrics import normalized_mutual_info_score
    from sklearn.neighbors import NearestNeighbors

    if "spectral" in only:
        x = load_idx_images(os.path.join(FASHION, "t10k-images-idx3-ubyte.gz")).astype(np.float64) / 255
        z = PCA(50, svd_solver="full").fit_transform(x)
        for seed in range(args.seeds):
            t = time.perf_counter()
            SpectralClustering(10, affinity="nearest_neighbors", n_neighbors=10,
                               random_state=seed).fit(z)
            emit(peer="sklearn", workload="spectral", seconds=time.perf_counter() - t, seed=seed)
    full = fashion() / 255
    if "minibatch" in only:
        for seed in range(args.seeds):
            t = time.perf_counter()
            mb = MiniBatchKMeans(10, n_init=3, random_state=seed).fit(full)
            emit(peer="sklearn", workload="minibatch", seconds=time.perf_counter() - t,
                 inertia=float(mb.inertia_), steps=int(mb.n_steps_), seed=seed)
    if "leiden" in only:
        import igraph
        z = PCA(50, svd_solver="randomized", random_state=0).fit_transform(fashion())
        for seed in range(args.seeds):
            t = time.perf_counter()
            nn = NearestNeighbors(n_neighbors=16).fit(z)
            idx = nn.kneighbors(z, return_distance=False)[:, 1:]
            t_knn = time.perf_counter() - t
            edges = {(min(i, j), max(i, j)) for i in range(len(idx)) for j in idx[i]}
            g = igraph.Graph(n=len(idx), edges=list(edges))
            import random
            random.seed(seed)
            part = g.community_leiden(objective_function="modularity", n_iterations=2)
            emit(peer="sklearn+igraph", workload="leiden", seconds=time.perf_counter() - t,
                 knn_seconds=t_knn, modularity=g.modularity(part.membership),
                 clusters=len(part), seed=seed)
